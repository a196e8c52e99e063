"""updateContact: only the fields given change, null clears, and a failure changes nothing."""

from __future__ import annotations

import pytest

from tests.contacts.helpers import (
    DELETE,
    HUGE_CONTACT_ID,
    create_company,
    create_contact,
    errors_of,
    get_contact,
    update_contact,
)
from tests.graphql_client import GraphQLClient

FULL_CONTACT = {
    "title": "MS",
    "firstName": "Ann",
    "lastName": "Smith",
    "email": "ann@example.com",
    "type": "PROSPECT",
    "status": "CONTACTED",
    "jobTitle": "Buyer",
    "phones": [{"number": "020 7946 0018", "country": "GB", "type": "OFFICE"}],
    "address": {"line1": "1 High Street", "city": "London", "country": "GB"},
}


async def _full_contact(staff: GraphQLClient) -> dict:
    company_id = await create_company(staff, "Acme")
    return await create_contact(staff, **FULL_CONTACT, companyId=company_id)


def _without_times(contact: dict) -> dict:
    return {k: v for k, v in contact.items() if k != "updatedAt"}


async def test_only_the_given_fields_change(staff: GraphQLClient) -> None:
    # given
    before = await _full_contact(staff)

    # when
    payload = await update_contact(staff, before["id"], jobTitle="Head Buyer", status="QUALIFIED")

    # then
    assert payload["errors"] == []
    after = await get_contact(staff, before["id"])
    assert after == payload["contact"]
    assert (after["jobTitle"], after["status"]) == ("Head Buyer", "QUALIFIED")
    unchanged = {k: v for k, v in before.items() if k not in ("jobTitle", "status", "updatedAt")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert after["updatedAt"] >= before["updatedAt"]


async def test_an_empty_update_changes_nothing(staff: GraphQLClient) -> None:
    # given
    before = await _full_contact(staff)

    # when
    payload = await update_contact(staff, before["id"])

    # then
    assert payload["errors"] == []
    assert _without_times(await get_contact(staff, before["id"])) == _without_times(before)


@pytest.mark.parametrize(
    ("field", "cleared"),
    [
        ("title", None),
        ("firstName", ""),
        ("jobTitle", None),
        ("address", None),
        ("phones", []),
        ("companyId", None),
    ],
)
async def test_null_clears_an_optional_field(
    staff: GraphQLClient, field: str, cleared: object
) -> None:
    # given
    before = await _full_contact(staff)

    # when
    payload = await update_contact(staff, before["id"], **{field: None})

    # then
    assert payload["errors"] == []
    after = await get_contact(staff, before["id"])
    shown = "company" if field == "companyId" else field
    assert after[shown] == cleared
    assert after["lastName"] == "Smith"
    assert after["email"] == "ann@example.com"


async def test_null_clears_the_email_of_a_lead(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith", email="ann@example.com")

    # when
    payload = await update_contact(staff, contact["id"], email=None)

    # then
    assert payload["errors"] == []
    assert (await get_contact(staff, contact["id"]))["email"] is None
    # and the address is free for another contact
    other = await create_contact(staff, lastName="Jones", email="ann@example.com")
    assert other["email"] == "ann@example.com"


async def test_last_name_cannot_be_cleared(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith")

    # when
    cleared = await update_contact(staff, contact["id"], lastName=None)
    blanked = await update_contact(staff, contact["id"], lastName="   ")

    # then
    assert errors_of(cleared) == [(["input", "lastName"], "REQUIRED")]
    assert errors_of(blanked) == [(["input", "lastName"], "REQUIRED")]
    assert (await get_contact(staff, contact["id"]))["lastName"] == "Smith"


async def test_type_and_status_cannot_be_cleared(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith", type="OTHER", status="QUALIFIED")

    # when
    payload = await update_contact(staff, contact["id"], type=None, status=None)

    # then
    assert errors_of(payload) == [
        (["input", "type"], "REQUIRED"),
        (["input", "status"], "REQUIRED"),
    ]
    stored = await get_contact(staff, contact["id"])
    assert (stored["type"], stored["status"]) == ("OTHER", "QUALIFIED")


async def test_making_a_contact_without_email_a_client_needs_an_email(
    staff: GraphQLClient,
) -> None:
    # given
    lead = await create_contact(staff, lastName="Smith", type="LEAD")

    # when
    payload = await update_contact(staff, lead["id"], type="CLIENT")

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "email"], "REQUIRED")]
    assert (await get_contact(staff, lead["id"]))["type"] == "LEAD"


async def test_a_lead_becomes_a_client_when_given_an_email_too(staff: GraphQLClient) -> None:
    # given
    lead = await create_contact(staff, lastName="Smith", type="LEAD")

    # when
    payload = await update_contact(staff, lead["id"], type="CLIENT", email="ann@example.com")

    # then
    assert payload["errors"] == []
    assert payload["contact"]["type"] == "CLIENT"
    assert payload["contact"]["email"] == "ann@example.com"


async def test_a_client_cannot_lose_its_email(staff: GraphQLClient) -> None:
    # given
    client = await create_contact(staff, lastName="Smith", type="CLIENT", email="a@example.com")

    # when
    payload = await update_contact(staff, client["id"], email=None)

    # then
    assert errors_of(payload) == [(["input", "email"], "REQUIRED")]
    assert (await get_contact(staff, client["id"]))["email"] == "a@example.com"


async def test_a_malformed_email_is_invalid_on_update(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith", email="a@example.com")

    # when
    payload = await update_contact(staff, contact["id"], email="a@@example")

    # then
    assert errors_of(payload) == [(["input", "email"], "INVALID")]
    assert (await get_contact(staff, contact["id"]))["email"] == "a@example.com"


@pytest.mark.parametrize("contact_id", ["garbage", "", "Q29udGFjdDo5OTk=", "Q29tcGFueTox"], ids=str)
async def test_unknown_id_is_not_found(staff: GraphQLClient, contact_id: str) -> None:
    # given: nonsense, "Contact:999" and "Company:1" (an id of the wrong type)
    await create_company(staff, "Acme")
    await create_contact(staff, lastName="Smith")

    # when
    payload = await update_contact(staff, contact_id, lastName="Jones")

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]


async def test_out_of_range_id_is_not_found(
    staff: GraphQLClient,
) -> None:
    # when
    payload = await update_contact(staff, HUGE_CONTACT_ID, lastName="Jones")

    # then
    assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]


async def test_a_deleted_contact_cannot_be_updated(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith")
    await staff.mutate("deleteContact", DELETE, {"id": contact["id"]})

    # when
    payload = await update_contact(staff, contact["id"], lastName="Jones")

    # then
    assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]
    assert await get_contact(staff, contact["id"]) is None


async def test_a_failed_update_changes_nothing(staff: GraphQLClient) -> None:
    # given
    before = await _full_contact(staff)

    # when: good changes mixed with one bad phone
    payload = await update_contact(
        staff,
        before["id"],
        firstName="Annie",
        email="annie@example.com",
        jobTitle="CEO",
        address={"city": "Paris", "country": "FR"},
        phones=[{"number": "+33 1 23 45 67 89"}, {"number": "not a phone"}],
        preferences={"email": False},
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "phones", "1", "number"], "INVALID")]
    assert await get_contact(staff, before["id"]) == before


async def test_a_duplicate_email_on_update_changes_nothing_else(staff: GraphQLClient) -> None:
    # given
    await create_contact(staff, lastName="Jones", email="taken@example.com")
    before = await _full_contact(staff)

    # when: the duplicate is only found by the database, after the other checks pass
    payload = await update_contact(
        staff,
        before["id"],
        firstName="Annie",
        email="TAKEN@example.com",
        phones=[{"number": "+33 1 23 45 67 89"}],
    )

    # then
    assert errors_of(payload) == [(["input", "email"], "DUPLICATE")]
    assert await get_contact(staff, before["id"]) == before


async def test_moving_to_another_company(staff: GraphQLClient) -> None:
    # given
    contact = await _full_contact(staff)
    other_company = await create_company(staff, "Globex")

    # when
    payload = await update_contact(staff, contact["id"], companyId=other_company)

    # then
    assert payload["errors"] == []
    assert (await get_contact(staff, contact["id"]))["company"] == {
        "id": other_company,
        "name": "Globex",
    }


async def test_moving_to_an_unknown_company_is_not_found(staff: GraphQLClient) -> None:
    # given
    contact = await _full_contact(staff)

    # when
    payload = await update_contact(staff, contact["id"], companyId="garbage", firstName="")

    # then
    assert errors_of(payload) == [(["input", "companyId"], "NOT_FOUND")]
    assert await get_contact(staff, contact["id"]) == contact


async def test_the_name_change_is_seen_in_full_name_and_search(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, firstName="Ann", lastName="Smith")

    # when
    payload = await update_contact(staff, contact["id"], firstName="Zoë", lastName="Ångström")

    # then
    assert payload["contact"]["fullName"] == "Zoë Ångström"
    found = await staff.execute('{ contacts(search: "zoe ang") { edges { node { id } } } }')
    assert [e["node"]["id"] for e in found.data["contacts"]["edges"]] == [contact["id"]]
    stale = await staff.execute('{ contacts(search: "smith") { totalCount } }')
    assert stale.data["contacts"]["totalCount"] == 0
