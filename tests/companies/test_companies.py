"""Companies: create, update, delete, the list, their contacts and the primary contact."""

from __future__ import annotations

import asyncio
from typing import Any

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.graphql.relay import to_global_id
from tests.graphql_client import GraphQLClient

COMPANY_FIELDS = """
  id name website industry notes
  phone { number national international country }
  address { line1 line2 city region postalCode country }
  contactCount
  primaryContact { id fullName }
"""

CREATE_COMPANY = f"""
mutation ($input: CreateCompanyInput!) {{
  createCompany(input: $input) {{
    company {{ {COMPANY_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

UPDATE_COMPANY = f"""
mutation ($input: UpdateCompanyInput!) {{
  updateCompany(input: $input) {{
    company {{ {COMPANY_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

DELETE_COMPANY = """
mutation ($input: CompanyIdInput!) {
  deleteCompany(input: $input) { deletedId errors { field message code } }
}
"""

COMPANY = f"""
query ($id: ID!) {{ company(id: $id) {{ {COMPANY_FIELDS} }} }}
"""

COMPANY_CONTACTS = """
query ($id: ID!) {
  company(id: $id) {
    contactCount
    primaryContact { id fullName }
    contacts { totalCount edges { node { id fullName isPrimaryContact } } }
  }
}
"""

COMPANIES = """
query ($search: String, $filter: CompanyFilter, $orderBy: CompanyOrder) {
  companies(search: $search, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { node { name } }
  }
}
"""

CREATE_CONTACT = """
mutation ($input: CreateContactInput!) {
  createContact(input: $input) { contact { id } errors { field message code } }
}
"""

CONTACT = """
query ($id: ID!) {
  contact(id: $id) { id fullName isPrimaryContact company { id name } }
}
"""

ARCHIVE_CONTACT = """
mutation ($input: ContactIdInput!) {
  archiveContact(input: $input) { contact { id archived } errors { code } }
}
"""

DELETE_CONTACT = """
mutation ($input: ContactIdInput!) {
  deleteContact(input: $input) { deletedId errors { code } }
}
"""

SET_PRIMARY = """
mutation ($input: SetPrimaryContactInput!) {
  setPrimaryContact(input: $input) {
    contact { id fullName isPrimaryContact }
    company { id name primaryContact { id fullName } }
    errors { field message code }
  }
}
"""


async def create_company(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload = await staff.mutate("createCompany", CREATE_COMPANY, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["company"]


async def create_contact(
    staff: GraphQLClient, last_name: str, company_id: str | None = None, first_name: str = ""
) -> str:
    payload = await staff.mutate(
        "createContact",
        CREATE_CONTACT,
        {"lastName": last_name, "firstName": first_name, "companyId": company_id},
    )
    assert payload["errors"] == [], payload["errors"]
    return payload["contact"]["id"]


def errors_of(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def companies(staff: GraphQLClient, **variables: Any) -> tuple[list[str], int]:
    result = (await staff.execute(COMPANIES, variables)).data["companies"]
    return [edge["node"]["name"] for edge in result["edges"]], result["totalCount"]


# --- create ----------------------------------------------------------------------------


async def test_create_company_with_every_field(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a company is created with all its details
    payload = await staff.mutate(
        "createCompany",
        CREATE_COMPANY,
        {
            "name": "  Acme   Trading Ltd ",
            "website": "acme.example",
            "industry": "Retail",
            "phone": "020 7946 0018",
            "notes": "Pays on time.\nLikes email.",
            "address": {
                "line1": "1 High Street",
                "city": "London",
                "postalCode": "SW1A 1AA",
                "country": "gb",
            },
        },
    )

    # then it is saved cleaned up, with the phone in every format
    assert payload["errors"] == []
    company = payload["company"]
    assert company["name"] == "Acme Trading Ltd"
    assert company["website"] == "https://acme.example"
    assert company["industry"] == "Retail"
    assert company["notes"] == "Pays on time.\nLikes email."
    assert company["phone"] == {
        "number": "+442079460018",
        "national": "020 7946 0018",
        "international": "+44 20 7946 0018",
        "country": "GB",
    }
    assert company["address"] == {
        "line1": "1 High Street",
        "line2": None,
        "city": "London",
        "region": None,
        "postalCode": "SW1A 1AA",
        "country": "GB",
    }
    assert company["contactCount"] == 0
    assert company["primaryContact"] is None
    stored = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"]
    assert stored == company


async def test_company_phone_follows_its_country(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a company is created with a French number typed nationally
    company = await create_company(
        staff, name="Paris SARL", phone="01 42 68 53 00", phoneCountry="FR"
    )

    # then the number is understood as French
    assert company["phone"] == {
        "number": "+33142685300",
        "national": "01 42 68 53 00",
        "international": "+33 1 42 68 53 00",
        "country": "FR",
    }


async def test_create_company_needs_a_name(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a company is created without a name, or with only spaces
    missing = await staff.mutate("createCompany", CREATE_COMPANY, {"industry": "Retail"})
    blank = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "   "})

    # then the name is REQUIRED and nothing is saved
    for payload in (missing, blank):
        assert payload["company"] is None
        assert errors_of(payload) == [(["input", "name"], "REQUIRED")]
    assert await Company.all().count() == 0


async def test_create_company_refuses_a_name_of_ten_thousand_characters(
    staff: GraphQLClient,
) -> None:
    # given a signed-in user

    # when the name is 10,000 characters long
    payload = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "A" * 10_000})

    # then the name is INVALID and nothing is saved
    assert payload["company"] is None
    assert errors_of(payload) == [(["input", "name"], "INVALID")]
    assert await Company.all().count() == 0


async def test_create_company_refuses_a_bad_website(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when the website is not a web address
    results = [
        await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Acme", "website": website})
        for website in ("not a website", "ftp://acme.example", "localhost")
    ]

    # then the website is INVALID and nothing is saved
    for payload in results:
        assert payload["company"] is None
        assert errors_of(payload) == [(["input", "website"], "INVALID")]
    assert await Company.all().count() == 0


async def test_create_company_refuses_an_invalid_phone(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when the phone is not a valid number
    payload = await staff.mutate(
        "createCompany", CREATE_COMPANY, {"name": "Acme", "phone": "12345"}
    )

    # then the phone is INVALID and nothing is saved
    assert payload["company"] is None
    assert errors_of(payload) == [(["input", "phone"], "INVALID")]
    assert await Company.all().count() == 0


async def test_create_company_reports_every_problem_at_once(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when the name is missing, the website and the phone are bad
    payload = await staff.mutate(
        "createCompany", CREATE_COMPANY, {"website": "nope", "phone": "12345"}
    )

    # then all three are reported together
    assert sorted(errors_of(payload)) == [
        (["input", "name"], "REQUIRED"),
        (["input", "phone"], "INVALID"),
        (["input", "website"], "INVALID"),
    ]
    assert await Company.all().count() == 0


# --- update ----------------------------------------------------------------------------


async def test_update_company_changes_only_what_is_given(staff: GraphQLClient) -> None:
    # given a company with a website, an industry and a phone
    company = await create_company(
        staff, name="Acme", website="acme.example", industry="Retail", phone="020 7946 0018"
    )

    # when its name changes and its website is cleared
    payload = await staff.mutate(
        "updateCompany",
        UPDATE_COMPANY,
        {"id": company["id"], "name": "Acme Group", "website": None},
    )

    # then only those change
    assert payload["errors"] == []
    updated = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"]
    assert updated["name"] == "Acme Group"
    assert updated["website"] is None
    assert updated["industry"] == "Retail"
    assert updated["phone"]["number"] == "+442079460018"


async def test_update_company_with_bad_input_changes_nothing(staff: GraphQLClient) -> None:
    # given a company
    company = await create_company(staff, name="Acme", website="acme.example")

    # when an update blanks the name and sends a bad phone along with a new industry
    payload = await staff.mutate(
        "updateCompany",
        UPDATE_COMPANY,
        {"id": company["id"], "name": "", "phone": "not a phone", "industry": "Mining"},
    )

    # then both problems are reported and nothing changed
    assert payload["company"] is None
    assert sorted(errors_of(payload)) == [
        (["input", "name"], "REQUIRED"),
        (["input", "phone"], "INVALID"),
    ]
    stored = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"]
    assert stored == company


async def test_update_company_with_an_unknown_id_is_not_found(staff: GraphQLClient) -> None:
    # given a company that was deleted, and an id that is not a company's
    company = await create_company(staff, name="Gone Ltd")
    await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company["id"]})

    # when they are updated
    gone = await staff.mutate(
        "updateCompany", UPDATE_COMPANY, {"id": company["id"], "name": "Back"}
    )
    garbage = await staff.mutate("updateCompany", UPDATE_COMPANY, {"id": "garbage", "name": "Back"})

    # then each is NOT_FOUND on the id, and nothing is created
    for payload in (gone, garbage):
        assert payload["company"] is None
        assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]
    assert await Company.all().count() == 0


# --- delete ----------------------------------------------------------------------------


async def test_deleting_a_company_keeps_its_contacts_as_individuals(
    staff: GraphQLClient,
) -> None:
    # given a company with a primary contact and another contact
    company = await create_company(staff, name="Acme")
    primary = await create_contact(staff, "Smith", company["id"], "Ann")
    other = await create_contact(staff, "Jones", company["id"], "Bob")
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": primary})

    # when the company is deleted
    payload = await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company["id"]})

    # then it is gone and both contacts remain, without a company and not primary
    assert payload == {"deletedId": company["id"], "errors": []}
    assert (await staff.execute(COMPANY, {"id": company["id"]})).data["company"] is None
    for contact_id in (primary, other):
        contact = (await staff.execute(CONTACT, {"id": contact_id})).data["contact"]
        assert contact["company"] is None
        assert contact["isPrimaryContact"] is False


async def test_deleting_an_unknown_company_is_not_found(staff: GraphQLClient) -> None:
    # given a company that was already deleted
    company = await create_company(staff, name="Acme")
    await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company["id"]})

    # when it is deleted again, or a garbage id is deleted
    again = await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company["id"]})
    garbage = await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": "garbage"})

    # then each is NOT_FOUND on the id
    for payload in (again, garbage):
        assert payload["deletedId"] is None
        assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]


# --- the list --------------------------------------------------------------------------


async def test_search_matches_word_prefixes_whatever_the_case_and_accents(
    staff: GraphQLClient,
) -> None:
    # given companies with accented and multi-word names
    for name in ("Café Zoë", "Zoetrope Films", "Acme Corporation", "Brasserie Ångström"):
        await create_company(staff, name=name)

    # when the list is searched
    # then every word must start a word of the name, ignoring case and accents
    assert (await companies(staff, search="zoe"))[0] == ["Café Zoë", "Zoetrope Films"]
    assert (await companies(staff, search="CAFE"))[0] == ["Café Zoë"]
    assert (await companies(staff, search="café zo"))[0] == ["Café Zoë"]
    assert (await companies(staff, search="angstrom"))[0] == ["Brasserie Ångström"]
    assert (await companies(staff, search="acme corp"))[0] == ["Acme Corporation"]
    assert await companies(staff, search="orporation") == ([], 0)
    assert await companies(staff, search="acme zoe") == ([], 0)
    assert (await companies(staff, search="zoe"))[1] == 2


async def test_filter_by_industry(staff: GraphQLClient) -> None:
    # given companies in two industries
    await create_company(staff, name="Acme", industry="Retail")
    await create_company(staff, name="Bolt", industry="Mining")
    await create_company(staff, name="Crate", industry="retail")
    await create_company(staff, name="Dune")

    # when the list is filtered by industry
    names, total = await companies(staff, filter={"industry": "Retail"})

    # then only that industry's companies are listed, whatever the case it was typed in
    assert names == ["Acme", "Crate"]
    assert total == 2


async def test_filter_by_country(staff: GraphQLClient) -> None:
    # given companies in two countries
    await create_company(staff, name="Acme", address={"country": "GB"})
    await create_company(staff, name="Bolt", address={"country": "FR"})

    # when the list is filtered by country, typed in any case, or by something no code names
    assert await companies(staff, filter={"country": " gb "}) == (["Acme"], 1)
    assert await companies(staff, filter={"country": "United Kingdom"}) == ([], 0)


async def test_order_by_name_and_created_at_both_ways(staff: GraphQLClient) -> None:
    # given companies created in this order
    for name in ("bravo", "Delta", "Álpha", "charlie"):
        await create_company(staff, name=name)

    # when the list is sorted
    by_name = await companies(staff, orderBy={"field": "NAME", "direction": "ASC"})
    by_name_desc = await companies(staff, orderBy={"field": "NAME", "direction": "DESC"})
    oldest_first = await companies(staff, orderBy={"field": "CREATED_AT", "direction": "ASC"})
    newest_first = await companies(staff, orderBy={"field": "CREATED_AT", "direction": "DESC"})
    default = await companies(staff)

    # then names sort alphabetically ignoring case and accents, dates by creation
    assert by_name == (["Álpha", "bravo", "charlie", "Delta"], 4)
    assert by_name_desc == (["Delta", "charlie", "bravo", "Álpha"], 4)
    assert oldest_first == (["bravo", "Delta", "Álpha", "charlie"], 4)
    assert newest_first == (["charlie", "Álpha", "Delta", "bravo"], 4)
    assert default == by_name


# --- its contacts ----------------------------------------------------------------------


async def test_company_contacts_list_the_primary_contact_first(staff: GraphQLClient) -> None:
    # given a company whose primary contact sorts last by name
    company = await create_company(staff, name="Acme")
    await create_contact(staff, "Adams", company["id"], "Amy")
    await create_contact(staff, "Brown", company["id"], "Ben")
    primary = await create_contact(staff, "Young", company["id"], "Yan")
    await create_contact(staff, "Elsewhere", None, "Eve")
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": primary})

    # when the company's contacts are listed
    result = (await staff.execute(COMPANY_CONTACTS, {"id": company["id"]})).data["company"]

    # then the primary contact comes first, then the others by name
    names = [edge["node"]["fullName"] for edge in result["contacts"]["edges"]]
    assert names == ["Yan Young", "Amy Adams", "Ben Brown"]
    assert [edge["node"]["isPrimaryContact"] for edge in result["contacts"]["edges"]] == [
        True,
        False,
        False,
    ]
    assert result["contacts"]["totalCount"] == 3
    assert result["primaryContact"] == {"id": primary, "fullName": "Yan Young"}


async def test_contact_count_counts_active_contacts(staff: GraphQLClient) -> None:
    # given a company with three contacts, one of them archived, and another company
    company = await create_company(staff, name="Acme")
    other = await create_company(staff, name="Bolt")
    await create_contact(staff, "Adams", company["id"])
    await create_contact(staff, "Brown", company["id"])
    archived = await create_contact(staff, "Clark", company["id"])
    await create_contact(staff, "Dunn", other["id"])
    await staff.mutate("archiveContact", ARCHIVE_CONTACT, {"id": archived})

    # when the company is read
    result = (await staff.execute(COMPANY_CONTACTS, {"id": company["id"]})).data["company"]

    # then it counts (and lists) only its two active contacts
    assert result["contactCount"] == 2
    assert result["contacts"]["totalCount"] == 2


# --- the primary contact ---------------------------------------------------------------


async def test_set_primary_contact(staff: GraphQLClient) -> None:
    # given a company with a contact
    company = await create_company(staff, name="Acme")
    contact = await create_contact(staff, "Smith", company["id"], "Ann")

    # when the contact is made primary
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": contact})

    # then the contact and the company both say so
    assert payload["errors"] == []
    assert payload["contact"] == {"id": contact, "fullName": "Ann Smith", "isPrimaryContact": True}
    assert payload["company"] == {
        "id": company["id"],
        "name": "Acme",
        "primaryContact": {"id": contact, "fullName": "Ann Smith"},
    }
    stored = (await staff.execute(CONTACT, {"id": contact})).data["contact"]
    assert stored["isPrimaryContact"] is True


async def test_a_new_primary_contact_replaces_the_old_one(staff: GraphQLClient) -> None:
    # given a company whose primary contact is Ann
    company = await create_company(staff, name="Acme")
    ann = await create_contact(staff, "Smith", company["id"], "Ann")
    bob = await create_contact(staff, "Jones", company["id"], "Bob")
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann})

    # when Bob is made primary
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": bob})

    # then Bob is the primary contact and Ann no longer is
    assert payload["errors"] == []
    assert payload["company"]["primaryContact"]["id"] == bob
    assert (await staff.execute(CONTACT, {"id": ann})).data["contact"]["isPrimaryContact"] is False
    assert (await staff.execute(CONTACT, {"id": bob})).data["contact"]["isPrimaryContact"] is True
    assert await Contact.filter(is_primary_contact=True).count() == 1


async def test_setting_the_primary_contact_again_changes_nothing(staff: GraphQLClient) -> None:
    # given a company whose primary contact is Ann
    company = await create_company(staff, name="Acme")
    ann = await create_contact(staff, "Smith", company["id"], "Ann")
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann})

    # when Ann is made primary again
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann})

    # then it simply succeeds
    assert payload["errors"] == []
    assert payload["company"]["primaryContact"]["id"] == ann


async def test_a_contact_without_a_company_cannot_be_primary(staff: GraphQLClient) -> None:
    # given an individual customer
    contact = await create_contact(staff, "Solo")

    # when it is made a primary contact
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": contact})

    # then it is NOT_ALLOWED
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "contactId"], "NOT_ALLOWED")]
    assert not await Contact.filter(is_primary_contact=True).exists()


async def test_an_archived_contact_cannot_be_primary(staff: GraphQLClient) -> None:
    # given a company with an archived contact
    company = await create_company(staff, name="Acme")
    contact = await create_contact(staff, "Gone", company["id"])
    await staff.mutate("archiveContact", ARCHIVE_CONTACT, {"id": contact})

    # when it is made the primary contact
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": contact})

    # then it is NOT_ALLOWED and the company has no primary contact
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "contactId"], "NOT_ALLOWED")]
    company_now = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"]
    assert company_now["primaryContact"] is None


async def test_archiving_the_primary_contact_leaves_the_company_without_one(
    staff: GraphQLClient,
) -> None:
    # given a company whose primary contact is Ann
    company = await create_company(staff, name="Acme")
    ann = await create_contact(staff, "Smith", company["id"], "Ann")
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann})

    # when Ann is archived
    await staff.mutate("archiveContact", ARCHIVE_CONTACT, {"id": ann})

    # then the company has no primary contact
    company_now = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"]
    assert company_now["primaryContact"] is None


async def test_an_unknown_contact_cannot_be_primary(staff: GraphQLClient) -> None:
    # given a contact that was deleted, and an id that is not a contact's
    company = await create_company(staff, name="Acme")
    deleted = await create_contact(staff, "Gone", company["id"])
    await staff.mutate("deleteContact", DELETE_CONTACT, {"id": deleted})

    # when they are made primary
    results = [
        await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": contact_id})
        for contact_id in (deleted, "garbage", company["id"])
    ]

    # then each is NOT_FOUND on contactId
    for payload in results:
        assert payload["contact"] is None
        assert errors_of(payload) == [(["input", "contactId"], "NOT_FOUND")]


async def test_fifty_concurrent_swaps_leave_exactly_one_primary(staff: GraphQLClient) -> None:
    # given a company with 50 contacts
    company = await create_company(staff, name="Acme")
    company_pk = (await Company.get(name="Acme")).id
    await Contact.bulk_create(
        [
            Contact(last_name=f"Person {n:02}", sort_name=f"person {n:02}", company_id=company_pk)
            for n in range(50)
        ]
    )
    contact_ids = [
        to_global_id("Contact", pk)
        for pk in await Contact.filter(company_id=company_pk).values_list("id", flat=True)
    ]

    # when all 50 are made primary at the same time
    payloads = await asyncio.gather(
        *[
            staff.execute(SET_PRIMARY, {"input": {"contactId": contact_id}})
            for contact_id in contact_ids
        ]
    )

    # then each call either won or was told to retry, and exactly one contact is primary
    for result in payloads:
        assert result.errors == []
        codes = [e["code"] for e in result.data["setPrimaryContact"]["errors"]]
        assert codes in ([], ["CONFLICT"])
    assert await Contact.filter(company_id=company_pk, is_primary_contact=True).count() == 1
    primary = (await staff.execute(COMPANY, {"id": company["id"]})).data["company"][
        "primaryContact"
    ]
    assert primary is not None and primary["id"] in contact_ids


COMPANY_CONTACTS_PAGE = """
query ($id: ID!, $after: String) {
  company(id: $id) {
    contacts(first: 2, after: $after) {
      edges { node { fullName } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def test_company_contacts_page_with_the_primary_contact_first(
    staff: GraphQLClient,
) -> None:
    # given a company with five contacts, the primary one sorting last by name
    company = await create_company(staff, name="Acme")
    for last_name in ("Adams", "Brown", "Clark", "Dunn"):
        await create_contact(staff, last_name, company["id"])
    primary = await create_contact(staff, "Young", company["id"])
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": primary})

    # when the company's contacts are read two at a time
    names: list[str] = []
    after = None
    for _ in range(5):
        result = await staff.execute(COMPANY_CONTACTS_PAGE, {"id": company["id"], "after": after})
        page = result.data["company"]["contacts"]
        names += [edge["node"]["fullName"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then the pages hold the primary contact first, then the rest by name, each once
    assert names == ["Young", "Adams", "Brown", "Clark", "Dunn"]
