"""GraphQL documents and small helpers shared by the contact tests."""

from __future__ import annotations

from typing import Any

from tests.graphql_client import GraphQLClient

CONTACT_FIELDS = """
  id title firstName lastName fullName type status email jobTitle
  phones { id type number national international country isPrimary }
  address { line1 line2 city region postalCode country }
  company { id name }
  isPrimaryContact
  preferences {
    email sms phone post
    consents { channel granted changedAt source }
  }
  portal { status }
  archived createdAt updatedAt
"""

CREATE = f"""
mutation Create($input: CreateContactInput!) {{
  createContact(input: $input) {{
    contact {{ {CONTACT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

UPDATE = f"""
mutation Update($input: UpdateContactInput!) {{
  updateContact(input: $input) {{
    contact {{ {CONTACT_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

ARCHIVE = """
mutation Archive($input: ContactIdInput!) {
  archiveContact(input: $input) {
    contact { id archived isPrimaryContact }
    errors { field message code }
  }
}
"""

RESTORE = """
mutation Restore($input: ContactIdInput!) {
  restoreContact(input: $input) {
    contact { id archived }
    errors { field message code }
  }
}
"""

DELETE = """
mutation Delete($input: ContactIdInput!) {
  deleteContact(input: $input) {
    deletedId
    errors { field message code }
  }
}
"""

GET = f"""
query Get($id: ID!) {{
  contact(id: $id) {{ {CONTACT_FIELDS} }}
}}
"""

LIST = """
query List($filter: ContactFilter, $search: String) {
  contacts(filter: $filter, search: $search, first: 500) {
    totalCount
    edges { node { id fullName email } }
  }
}
"""

CREATE_COMPANY = """
mutation CreateCompany($input: CreateCompanyInput!) {
  createCompany(input: $input) {
    company { id name }
    errors { field message code }
  }
}
"""

DELETE_COMPANY = """
mutation DeleteCompany($input: CompanyIdInput!) {
  deleteCompany(input: $input) { deletedId errors { field code } }
}
"""


async def create_contact(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """Create a contact that must be valid; return it."""
    fields.setdefault("lastName", "Smith")
    payload = await client.mutate("createContact", CREATE, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["contact"]


async def update_contact(client: GraphQLClient, contact_id: str, **fields: Any) -> dict[str, Any]:
    """Run updateContact and return its payload (contact and errors)."""
    return await client.mutate("updateContact", UPDATE, {"id": contact_id, **fields})


async def get_contact(client: GraphQLClient, contact_id: str) -> dict[str, Any] | None:
    return (await client.execute(GET, {"id": contact_id})).data["contact"]


async def create_company(client: GraphQLClient, name: str) -> str:
    payload = await client.mutate("createCompany", CREATE_COMPANY, {"name": name})
    assert payload["errors"] == [], payload["errors"]
    return payload["company"]["id"]


async def listed(
    client: GraphQLClient, *, search: str | None = None, filter: dict[str, Any] | None = None
) -> list[str]:
    """Full names of the contacts the list shows, sorted, checked against totalCount."""
    result = await client.execute(LIST, {"search": search, "filter": filter})
    connection = result.data["contacts"]
    names = sorted(edge["node"]["fullName"] for edge in connection["edges"])
    assert connection["totalCount"] == len(names)
    return names


async def contact_count(client: GraphQLClient) -> int:
    """How many contacts exist at all, archived ones included."""
    result = await client.execute(LIST, {"filter": {"archived": None}})
    return result.data["contacts"]["totalCount"]


def errors_of(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    """The (field, code) pairs of a payload's errors, in order."""
    return [(error["field"], error["code"]) for error in payload["errors"]]


def consent(contact: dict[str, Any], channel: str) -> dict[str, Any]:
    return next(c for c in contact["preferences"]["consents"] if c["channel"] == channel)


HUGE_CONTACT_ID = "Q29udGFjdDo5OTk5OTk5OTk5OQ=="  # "Contact:99999999999", beyond int32
HUGE_COMPANY_ID = "Q29tcGFueTo5OTk5OTk5OTk5OQ=="  # "Company:99999999999"
