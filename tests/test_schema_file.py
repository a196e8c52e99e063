"""schema.graphql at the repo root is the contract clients build against: it must match the code."""

from crm.graphql.schema import SCHEMA_FILE, schema_sdl


def test_schema_file_matches_the_code() -> None:
    # given the schema the code builds
    expected = schema_sdl()
    # when we read the committed file
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    # then they are identical (run `crm export-schema` after changing the API)
    assert committed == expected, "schema.graphql is stale: run `crm export-schema`"


def test_contract_names_are_in_the_schema() -> None:
    sdl = schema_sdl()
    for name in (
        "interface Node",
        "union Viewer = StaffUser | PortalUser",
        "contacts(",
        "createContact(input: CreateContactInput!): ContactPayload!",
        "setPrimaryContact(input: SetPrimaryContactInput!): SetPrimaryContactPayload!",
        "enum UserErrorCode",
        "totalCount: Int!",
    ):
        assert name in sdl, name
