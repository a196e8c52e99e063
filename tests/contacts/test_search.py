"""Search: word prefixes of names, email, company name and phone digits in any format."""

from __future__ import annotations

import pytest

from tests.contacts.helpers import create_company, create_contact, listed, update_contact
from tests.graphql_client import GraphQLClient

SEARCH = """
query Search($search: String) {
  contacts(search: $search, first: 50) { totalCount edges { node { fullName } } }
}
"""


@pytest.fixture
async def people(staff: GraphQLClient) -> None:
    """A small address book with names, emails, companies and phones to look through."""
    acme = await create_company(staff, "Acme Widgets")
    globex = await create_company(staff, "Globex Corporation")
    await create_contact(
        staff,
        firstName="Zoë",
        lastName="Ångström",
        email="zoe.angstrom@example.com",
        companyId=acme,
        phones=[{"number": "020 7946 0018", "country": "GB"}],
    )
    await create_contact(
        staff,
        firstName="Ann",
        lastName="Smith",
        email="ann@example.org",
        companyId=globex,
        phones=[{"number": "(202) 555-0143", "country": "US"}],
    )
    await create_contact(staff, firstName="Anna", lastName="Jones", email="anna.jones@sample.net")
    await create_contact(staff, firstName="Bob", lastName="Smithson")
    await create_contact(staff, firstName="太郎", lastName="山田")
    await create_contact(staff, firstName="Mary", lastName="O'Brien-Lee")


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("Zoë", ["Zoë Ångström"]),
        ("zoe", ["Zoë Ångström"]),
        ("ZOE", ["Zoë Ångström"]),
        ("ANG", ["Zoë Ångström"]),
        ("ångström", ["Zoë Ångström"]),
        ("angstrom", ["Zoë Ångström"]),
        ("an", ["Ann Smith", "Anna Jones", "Zoë Ångström"]),
        ("ann", ["Ann Smith", "Anna Jones"]),
        ("anna", ["Anna Jones"]),
        ("smith", ["Ann Smith", "Bob Smithson"]),
        ("smithson", ["Bob Smithson"]),
        ("山田", ["太郎 山田"]),
        ("brien", ["Mary O'Brien-Lee"]),
        ("lee", ["Mary O'Brien-Lee"]),
        ("obrien", ["Mary O'Brien-Lee"]),
        ("o'brien", ["Mary O'Brien-Lee"]),
        ("  zoe  ", ["Zoë Ångström"]),
    ],
)
async def test_word_prefixes_of_names(staff: GraphQLClient, search: str, found: list[str]) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("search", ["mith", "nna", "trom", "oe"])
async def test_the_middle_of_a_word_does_not_match(staff: GraphQLClient, search: str) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == []


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("ann smith", ["Ann Smith"]),
        ("smith ann", ["Ann Smith"]),
        ("an smith", ["Ann Smith"]),
        ("zoe ang", ["Zoë Ångström"]),
        ("ann jones", ["Anna Jones"]),
        ("bob ann", []),
        ("ann smithson", []),
    ],
)
async def test_every_word_must_match(staff: GraphQLClient, search: str, found: list[str]) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("zoe.angstrom@example.com", ["Zoë Ångström"]),
        ("ZOE.ANGSTROM@EXAMPLE.COM", ["Zoë Ångström"]),
        ("ann@example.org", ["Ann Smith"]),
        ("anna.jones", ["Anna Jones"]),
        ("example.com", ["Zoë Ångström"]),
        ("example.org", ["Ann Smith"]),
        ("sample.net", ["Anna Jones"]),
        ("sample", ["Anna Jones"]),
        ("ann@example.com", []),
        ("@example.com", ["Zoë Ångström"]),
        ("Zoë <zoe.angstrom@example.com>", ["Zoë Ångström"]),
        ("ann@", ["Ann Smith"]),
    ],
)
async def test_email_whole_local_part_or_domain(
    staff: GraphQLClient, search: str, found: list[str]
) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


async def test_a_whole_address_finds_only_that_address(staff: GraphQLClient) -> None:
    # given: one address is a prefix of the other's local part
    await create_contact(staff, firstName="Ann", lastName="Smith", email="ann@example.com")
    await create_contact(staff, firstName="Anna", lastName="Smith", email="anna@example.com")

    # when
    names = await listed(staff, search="ann@example.com")

    # then
    assert names == ["Ann Smith"]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("acme", ["Zoë Ångström"]),
        ("ACME widgets", ["Zoë Ångström"]),
        ("widg", ["Zoë Ångström"]),
        ("globex", ["Ann Smith"]),
        ("corp", ["Ann Smith"]),
        ("ann globex", ["Ann Smith"]),
        ("anna globex", []),
    ],
)
async def test_company_name(staff: GraphQLClient, search: str, found: list[str]) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    "search",
    [
        "+44 20 7946 0018",
        "+442079460018",
        "020 7946 0018",
        "02079460018",
        "020-7946-0018",
        "(020) 7946 0018",
        "0044 20 7946 0018",
        "+44 (0)20 7946 0018",
        "79460018",
        "7946 0018",
        "946",
    ],
)
async def test_phone_digits_in_any_format(staff: GraphQLClient, search: str) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == ["Zoë Ångström"]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    "search", ["+1 202-555-0143", "(202) 555-0143", "202.555.0143", "2025550143", "555 0143"]
)
async def test_a_foreign_phone_in_any_format(staff: GraphQLClient, search: str) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == ["Ann Smith"]


async def test_a_changed_phone_is_found_by_its_new_number_only(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(
        staff, lastName="Smith", phones=[{"number": "020 7946 0018", "country": "GB"}]
    )

    # when
    await update_contact(staff, ann["id"], phones=[{"number": "+1 202-555-0143"}])

    # then
    assert await listed(staff, search="2025550143") == ["Smith"]
    assert await listed(staff, search="79460018") == []


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("search", ["zzz", "annx", "999999999", "nobody@nowhere.test", "ñu"])
async def test_no_result(staff: GraphQLClient, search: str) -> None:
    # when
    result = await staff.execute(SEARCH, {"search": search})

    # then
    assert result.data["contacts"] == {"totalCount": 0, "edges": []}


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("search", [None, "", "   "])
async def test_an_empty_search_lists_everyone(staff: GraphQLClient, search: str | None) -> None:
    # when
    result = await staff.execute(SEARCH, {"search": search})

    # then
    assert result.data["contacts"]["totalCount"] == 6


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    "search",
    [
        '"',
        '"ann"',
        "*",
        "ann*",
        "%",
        "%%",
        "a%",
        "%a",
        "_",
        "__",
        "a_",
        "'",
        "' OR '1'='1",
        "OR",
        "ann OR bob",
        "ann AND NOT bob",
        "\\",
        "a\\",
        "[a-z]",
        "^",
        "$",
        "()",
        "-",
        "+",
        ".",
        "@",
        "--",
        ";",
        "ann; DROP TABLE contact; --",
        "\x00",
        "ann\x00",
        "NEAR(ann)",
        "{}",
        "?",
    ],
)
async def test_special_characters_neither_error_nor_over_match(
    staff: GraphQLClient, search: str
) -> None:
    # when
    result = await staff.execute(SEARCH, {"search": search})

    # then: no error, and never the whole address book
    names = sorted(e["node"]["fullName"] for e in result.data["contacts"]["edges"])
    assert result.data["contacts"]["totalCount"] == len(names)
    assert len(names) < 6
    assert set(names) <= {"Ann Smith", "Anna Jones", "Zoë Ångström"}


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"), [('"ann"', 2), ("ann*", 2), ("ann OR zoe", 0), ("%", 0)]
)
async def test_special_characters_are_not_operators(
    staff: GraphQLClient, search: str, found: int
) -> None:
    # when
    result = await staff.execute(SEARCH, {"search": search})

    # then: quotes and stars are ignored, OR is just a word, % is not a wildcard
    assert result.data["contacts"]["totalCount"] == found


async def test_underscore_and_percent_in_an_address_are_literal(staff: GraphQLClient) -> None:
    # given
    await create_contact(staff, lastName="Under", email="first_last@example.com")
    await create_contact(staff, lastName="Other", email="firstxlast@example.com")
    await create_contact(staff, lastName="Percent", email="100%sure@example.com")

    # when
    underscore = await listed(staff, search="first_last")
    percent = await listed(staff, search="100%")

    # then
    assert underscore == ["Under"]
    assert percent == ["Percent"]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("a" * 201, 0),
        ("ann " * 60, 2),
        ("zoe " + "x" * 300, 0),
        ("1" * 250, 0),
        ("+" + "4" * 500, 0),
        ("🦄" * 300, 0),
        ("@" * 300, 0),
    ],
    ids=["letters", "words", "long-tail", "digits", "long-phone", "emoji", "at-signs"],
)
async def test_a_very_long_search_does_not_error(
    staff: GraphQLClient, search: str, found: int
) -> None:
    # when
    result = await staff.execute(SEARCH, {"search": search})

    # then
    assert result.errors == []
    assert result.data["contacts"]["totalCount"] == found


@pytest.mark.usefixtures("people")
async def test_search_pages_like_any_list(staff: GraphQLClient) -> None:
    # when
    first = await staff.execute(
        '{ contacts(search: "an", first: 2) { totalCount '
        "pageInfo { hasNextPage endCursor } edges { node { id } } } }"
    )

    # then
    connection = first.data["contacts"]
    assert connection["totalCount"] == 3
    assert len(connection["edges"]) == 2
    assert connection["pageInfo"]["hasNextPage"] is True
    rest = await staff.execute(
        'query ($after: String) { contacts(search: "an", after: $after) '
        "{ pageInfo { hasNextPage } edges { node { id } } } }",
        {"after": connection["pageInfo"]["endCursor"]},
    )
    assert len(rest.data["contacts"]["edges"]) == 1
    assert rest.data["contacts"]["pageInfo"]["hasNextPage"] is False
