"""The search index (migration 0009) stays in step with every write path, on both databases.

SQLite answers `search` from trigram FTS5 tables kept up to date by triggers, PostgreSQL from
pg_trgm GIN indexes: whatever writes the rows (the services, the bulk demo writer, raw SQL),
a search must find exactly what a plain scan of `search_text` would.
"""

from __future__ import annotations

import random

import pytest
from tortoise import connections
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from crm.companies.models import Company
from crm.contacts.filters import _phone_digits, _terms, filtered_contacts
from crm.contacts.models import Contact
from crm.core.text import looks_like_phone
from crm.demo import create_demo_data
from tests.contacts.helpers import (
    ARCHIVE,
    DELETE,
    DELETE_COMPANY,
    create_company,
    create_contact,
    listed,
    update_contact,
)
from tests.graphql_client import GraphQLClient

UPDATE_COMPANY = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) { company { id name } errors { field code } }
}
"""

COMPANIES = """
query ($search: String) {
  companies(search: $search, first: 500) { totalCount edges { node { name } } }
}
"""


async def company_names(staff: GraphQLClient, search: str) -> list[str]:
    connection = (await staff.execute(COMPANIES, {"search": search})).data["companies"]
    names = sorted(edge["node"]["name"] for edge in connection["edges"])
    assert connection["totalCount"] == len(names)
    return names


async def check_sqlite_index(db: str) -> None:
    """FTS5's own check that its index holds exactly the content tables' text."""
    if db == "sqlite":
        connection = connections.get("default")
        for fts in ("contact_fts", "company_fts"):
            await connection.execute_script(
                f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)"
            )


def scanned(term: str) -> Q:
    """The reference: the plain scan search did before it had an index."""
    if looks_like_phone(term):
        return Q(*[Q(search_text__contains=d) for d in _phone_digits(term)], join_type=Q.OR)
    return Q(
        *[
            Q(search_text__contains=f" {word}") | Q(company__search_text__contains=f" {word}")
            for word in _terms(term)
        ]
    )


# --- every write path ------------------------------------------------------------------


async def test_a_new_contact_is_found_at_once(db: str, staff: GraphQLClient) -> None:
    # when
    await create_contact(
        staff,
        firstName="Grzegorz",
        lastName="Brzęczyszczykiewicz",
        email="g.brz@kraków.example.pl",
        phones=[{"number": "+48 12 345 67 89"}],
    )

    # then
    for search in ("grz", "brzeczy", "g.brz@krakow.example.pl", "krakow", "123456789", "48 12"):
        assert await listed(staff, search=search) == ["Grzegorz Brzęczyszczykiewicz"], search
    await check_sqlite_index(db)


async def test_an_update_replaces_the_old_words(db: str, staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(
        staff,
        firstName="Annabel",
        lastName="Quixote",
        email="annabel@oldmail.example",
        phones=[{"number": "020 7946 0018", "country": "GB"}],
    )

    # when
    payload = await update_contact(
        staff,
        ann["id"],
        firstName="Bernadette",
        lastName="Zwicky",
        email="bern@newmail.example",
        phones=[{"number": "+1 202-555-0143"}],
    )

    # then
    assert payload["errors"] == []
    for gone in ("annabel", "quixote", "oldmail", "79460018"):
        assert await listed(staff, search=gone) == [], gone
    for found in ("bernad", "zwick", "newmail", "bern@newmail.example", "2025550143"):
        assert await listed(staff, search=found) == ["Bernadette Zwicky"], found
    await check_sqlite_index(db)


async def test_a_company_rename_changes_which_contacts_it_finds(
    db: str, staff: GraphQLClient
) -> None:
    # given
    company = await create_company(staff, "Initech Systems")
    await create_contact(staff, firstName="Peter", lastName="Gibbons", companyId=company)

    # when
    payload = await staff.mutate(
        "updateCompany", UPDATE_COMPANY, {"id": company, "name": "Vandelay"}
    )

    # then
    assert payload["errors"] == []
    assert await listed(staff, search="initech") == []
    assert await listed(staff, search="vandel") == ["Peter Gibbons"]
    assert await listed(staff, search="peter vandelay") == ["Peter Gibbons"]
    assert await company_names(staff, "initech") == []
    assert await company_names(staff, "vandel") == ["Vandelay"]
    await check_sqlite_index(db)


async def test_a_deleted_company_no_longer_finds_its_contacts(
    db: str, staff: GraphQLClient
) -> None:
    # given
    company = await create_company(staff, "Hooli")
    await create_contact(staff, firstName="Gavin", lastName="Belson", companyId=company)

    # when
    await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company})

    # then
    assert await listed(staff, search="hooli") == []
    assert await listed(staff, search="gavin") == ["Gavin Belson"]
    assert await company_names(staff, "hooli") == []
    await check_sqlite_index(db)


async def test_a_deleted_contact_is_gone_from_the_index(db: str, staff: GraphQLClient) -> None:
    # given
    gone = await create_contact(staff, firstName="Ozymandias", lastName="Kingsley")
    await create_contact(staff, firstName="Ozzy", lastName="Kingsley")

    # when
    payload = await staff.mutate("deleteContact", DELETE, {"id": gone["id"]})

    # then
    assert payload["errors"] == []
    assert await listed(staff, search="ozy") == []
    assert await listed(staff, search="kingsley") == ["Ozzy Kingsley"]
    await check_sqlite_index(db)


async def test_an_archived_contact_is_searched_only_among_archived(
    db: str, staff: GraphQLClient
) -> None:
    # given
    old = await create_contact(staff, firstName="Archibald", lastName="Haddock")

    # when
    await staff.mutate("archiveContact", ARCHIVE, {"id": old["id"]})

    # then
    assert await listed(staff, search="archib") == []
    assert await listed(staff, search="archib", filter={"archived": True}) == ["Archibald Haddock"]
    await check_sqlite_index(db)


async def test_a_row_inserted_with_raw_sql_is_found(db: str, staff: GraphQLClient) -> None:
    # given: a write that bypasses the ORM entirely (an import script, a manual fix)
    connection = connections.get("default")
    now = "2024-01-01 00:00:00+00:00"
    await connection.execute_script(
        "INSERT INTO contact (first_name, last_name, sort_name, search_text, type, status, "
        "portal_status, is_primary_contact, email_opt_in, sms_opt_in, phone_opt_in, "
        "post_opt_in, created_at, updated_at) VALUES ('Rawley', 'Sequel', 'sequel rawley', "
        "' rawley sequel ', 'LEAD', 'NEW', 'NOT_INVITED', false, false, false, false, false, "
        f"'{now}', '{now}')"
    )

    # then
    assert await listed(staff, search="rawl") == ["Rawley Sequel"]
    assert await listed(staff, search="sequel rawley") == ["Rawley Sequel"]

    # and a raw UPDATE and DELETE follow too
    await connection.execute_script(
        "UPDATE contact SET search_text = ' rawlins sequel ' WHERE last_name = 'Sequel'"
    )
    assert await listed(staff, search="rawley") == []
    assert await listed(staff, search="rawlins") == ["Rawley Sequel"]
    await check_sqlite_index(db)
    await connection.execute_script("DELETE FROM contact WHERE last_name = 'Sequel'")
    assert await listed(staff, search="rawlins") == []
    await check_sqlite_index(db)


async def test_bulk_demo_data_is_indexed_like_a_scan_would_find_it(
    db: str, staff: GraphQLClient
) -> None:
    # given: rows written in bulk with raw INSERTs (crm.demo), outside the services
    await create_demo_data(400, seed=11)
    contacts = await Contact.all().prefetch_related("company")
    rng = random.Random(5)
    terms: set[str] = set()
    for contact in rng.sample(contacts, 40):
        words = contact.search_text.split()
        word = rng.choice(words)
        terms.update(word[:n] for n in (1, 2, 3, 5) if len(word) >= n)
        terms.add(word[1:6])  # inside a word: only phone digits match there
        if contact.company is not None:
            terms.add(contact.company.search_text.split()[0][:4])

    # then: the index finds exactly what the plain scan finds, for every term
    for term in sorted(terms):
        indexed = await filtered_contacts(None, term).values_list("id", flat=True)
        scan = await Contact.filter(scanned(term), archived_at__isnull=True).values_list(
            "id", flat=True
        )
        assert sorted(indexed) == sorted(scan), term
    await check_sqlite_index(db)


# --- short, long and awkward terms -----------------------------------------------------


@pytest.fixture
async def people(staff: GraphQLClient) -> None:
    acme = await create_company(staff, "Acme Widgets")
    await create_contact(staff, firstName="Ann", lastName="Smith", email="ann@example.org")
    await create_contact(staff, firstName="Zoë", lastName="Ångström", companyId=acme)
    await create_contact(staff, firstName="太郎", lastName="山田")
    await create_contact(staff, firstName="Li", lastName="Xu")
    await create_contact(staff, lastName="Star", email="star*gazer@example.com")
    await create_contact(staff, lastName="Plain", email="starxgazer@example.com")
    await create_contact(staff, lastName="Query", email="what?now@example.com")


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("a", ["Ann Smith", "Zoë Ångström"]),
        ("x", ["Li Xu"]),
        ("xu", ["Li Xu"]),
        ("li", ["Li Xu"]),
        ("li xu", ["Li Xu"]),
        ("x l", ["Li Xu"]),
        ("山", ["太郎 山田"]),
        ("山田", ["太郎 山田"]),
        ("太", ["太郎 山田"]),
        ("田", []),
        ("zo", ["Zoë Ångström"]),
        ("ac", ["Zoë Ångström"]),
        ("a w", ["Zoë Ångström"]),
    ],
)
async def test_one_and_two_character_terms(
    staff: GraphQLClient, search: str, found: list[str]
) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("star*gazer", ["Star"]),
        ("star*gazer@example.com", ["Star"]),
        ("star?gazer", ["Star"]),
        ("star?gazer@example.com", []),
        ("star[*]gazer@example.com", []),
        ("sta*", ["Plain", "Star"]),
        ("what?now", ["Query"]),
        ("what?now@example.com", ["Query"]),
        ("what*", ["Query"]),
        ("what*@example.com", []),
        ("*", []),
        ("[a-z]*", ["Zoë Ångström"]),
        ("[", []),
        ("]", []),
        ('"ann"', ["Ann Smith"]),
        ("ann*", ["Ann Smith"]),
        ("NEAR(ann, smith)", []),
        ("ann OR zoe", []),
        ("ann AND smith", []),
        ("ann NOT smith", []),
        ("-ann", ["Ann Smith"]),
        ("^ann", ["Ann Smith"]),
        ("smith: ann", ["Ann Smith"]),
        ("%mith", []),
        ("_nn", []),
        ("a_n", []),
        ("\\ann", ["Ann Smith"]),
    ],
)
async def test_fts_and_like_syntax_is_plain_text(
    staff: GraphQLClient, search: str, found: list[str]
) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("ann " * 50, ["Ann Smith"]),
        ("a" * 200, []),
        ("a" * 199 + " ann", []),
        ("ann " + "s" * 196, []),
        ("ann smith " + "x" * 190, []),
        ("*" * 200, []),
        ("山" * 200, []),
        ("1" * 200, []),
        ("ann@" + "e" * 196, []),
    ],
)
async def test_two_hundred_character_queries(
    staff: GraphQLClient, search: str, found: list[str]
) -> None:
    # when
    names = await listed(staff, search=search)

    # then
    assert names == found


@pytest.mark.usefixtures("people")
async def test_company_search_uses_the_same_rules(staff: GraphQLClient) -> None:
    assert await company_names(staff, "a") == ["Acme Widgets"]
    assert await company_names(staff, "ac") == ["Acme Widgets"]
    assert await company_names(staff, "acme wid") == ["Acme Widgets"]
    assert await company_names(staff, "cme") == []
    assert await company_names(staff, "acme*") == ["Acme Widgets"]
    assert await company_names(staff, "%") == []  # nothing searchable: nothing, as for contacts
    assert await company_names(staff, "x" * 300) == []


# --- the index is really used ----------------------------------------------------------


async def test_a_search_reads_the_index(db: str) -> None:
    # given
    await Company.create(name="Acme", sort_name="acme", search_text=" acme ")
    queryset = filtered_contacts(None, "smith acme").order_by("sort_name", "id").limit(51)

    # when
    async with in_transaction() as connection:
        if db == "postgres":
            # Tiny tables: with plain scans off, the planner shows it can use the trigram index.
            await connection.execute_script(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
            )
        explain = "EXPLAIN QUERY PLAN " if db == "sqlite" else "EXPLAIN "
        rows = await connection.execute_query_dict(explain + queryset.sql(params_inline=True))
    plan = "\n".join(" ".join(str(value) for value in row.values()) for row in rows)

    # then
    if db == "sqlite":
        assert "contact_fts VIRTUAL TABLE INDEX 0:G" in plan, plan
        assert "company_fts VIRTUAL TABLE INDEX 0:G" in plan, plan
    else:
        assert "contact_search_text_trgm" in plan, plan
        assert "company_search_text_trgm" in plan, plan
