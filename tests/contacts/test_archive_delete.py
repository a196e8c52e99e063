"""Archive hides, restore brings back, delete erases for good."""

from __future__ import annotations

import pytest

from crm.contacts.models import PhoneNumber
from tests.contacts.helpers import (
    ARCHIVE,
    DELETE,
    HUGE_CONTACT_ID,
    RESTORE,
    create_company,
    create_contact,
    errors_of,
    get_contact,
    listed,
    update_contact,
)
from tests.graphql_client import GraphQLClient

SET_PRIMARY = """
mutation SetPrimary($input: SetPrimaryContactInput!) {
  setPrimaryContact(input: $input) {
    contact { id isPrimaryContact }
    errors { field code }
  }
}
"""

COMPANY = """
query Company($id: ID!) {
  company(id: $id) { id primaryContact { id } }
}
"""

PHONE = [{"number": "020 7946 0018", "country": "GB"}]


async def _archive(staff: GraphQLClient, contact_id: str) -> dict:
    return await staff.mutate("archiveContact", ARCHIVE, {"id": contact_id})


async def test_archive_hides_the_contact_from_the_default_list(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, firstName="Ann", lastName="Smith")
    await create_contact(staff, firstName="Bob", lastName="Jones")

    # when
    payload = await _archive(staff, ann["id"])

    # then
    assert payload["errors"] == []
    assert payload["contact"]["archived"] is True
    assert await listed(staff) == ["Bob Jones"]
    assert await listed(staff, filter={"archived": False}) == ["Bob Jones"]
    assert await listed(staff, filter={"archived": True}) == ["Ann Smith"]
    assert await listed(staff, filter={"archived": None}) == ["Ann Smith", "Bob Jones"]


async def test_an_archived_contact_is_still_readable_by_id(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, firstName="Ann", lastName="Smith", phones=PHONE)

    # when
    await _archive(staff, ann["id"])

    # then
    contact = await get_contact(staff, ann["id"])
    assert contact["archived"] is True
    assert contact["phones"] == ann["phones"]


async def test_archived_contacts_are_left_out_of_search(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, firstName="Ann", lastName="Smith")
    await create_contact(staff, firstName="Anna", lastName="Jones")

    # when
    await _archive(staff, ann["id"])

    # then
    assert await listed(staff, search="ann") == ["Anna Jones"]
    assert await listed(staff, search="ann", filter={"archived": True}) == ["Ann Smith"]


async def test_archiving_twice_is_harmless(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith")
    await _archive(staff, ann["id"])

    # when
    payload = await _archive(staff, ann["id"])

    # then
    assert payload["errors"] == []
    assert payload["contact"]["archived"] is True


async def test_restore_brings_the_contact_back(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, firstName="Ann", lastName="Smith", email="a@example.com")
    await _archive(staff, ann["id"])

    # when
    payload = await staff.mutate("restoreContact", RESTORE, {"id": ann["id"]})

    # then
    assert payload["errors"] == []
    assert payload["contact"]["archived"] is False
    assert await listed(staff) == ["Ann Smith"]
    assert await listed(staff, filter={"archived": True}) == []
    restored = await get_contact(staff, ann["id"])
    assert restored["email"] == "a@example.com"


async def test_restoring_an_active_contact_is_harmless(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith")

    # when
    payload = await staff.mutate("restoreContact", RESTORE, {"id": ann["id"]})

    # then
    assert payload["errors"] == []
    assert payload["contact"]["archived"] is False


async def test_archiving_a_primary_contact_clears_it(staff: GraphQLClient) -> None:
    # given
    company_id = await create_company(staff, "Acme")
    ann = await create_contact(staff, lastName="Smith", companyId=company_id)
    primary = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann["id"]})
    assert primary["contact"]["isPrimaryContact"] is True

    # when
    payload = await _archive(staff, ann["id"])

    # then
    assert payload["contact"]["isPrimaryContact"] is False
    assert (await get_contact(staff, ann["id"]))["isPrimaryContact"] is False
    company = (await staff.execute(COMPANY, {"id": company_id})).data["company"]
    assert company["primaryContact"] is None
    # and restoring does not silently make it primary again
    await staff.mutate("restoreContact", RESTORE, {"id": ann["id"]})
    assert (await get_contact(staff, ann["id"]))["isPrimaryContact"] is False


async def test_an_archived_contact_cannot_become_primary(staff: GraphQLClient) -> None:
    # given
    company_id = await create_company(staff, "Acme")
    ann = await create_contact(staff, lastName="Smith", companyId=company_id)
    await _archive(staff, ann["id"])

    # when
    payload = await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann["id"]})

    # then
    assert errors_of(payload) == [(["input", "contactId"], "NOT_ALLOWED")]


async def test_delete_erases_the_contact_and_its_phones(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(
        staff,
        firstName="Ann",
        lastName="Smith",
        email="ann@example.com",
        phones=[*PHONE, {"number": "+1 202-555-0143"}],
    )
    bob = await create_contact(staff, firstName="Bob", lastName="Jones", phones=PHONE)

    # when
    payload = await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # then
    assert payload == {"deletedId": ann["id"], "errors": []}
    assert await get_contact(staff, ann["id"]) is None
    assert await listed(staff, filter={"archived": None}) == ["Bob Jones"]
    assert await listed(staff, search="2025550143") == []
    assert await listed(staff, search="ann@example.com") == []
    # no personal data left behind: only Bob's phone remains
    assert await PhoneNumber.all().values_list("e164", flat=True) == ["+442079460018"]
    assert (await get_contact(staff, bob["id"]))["phones"] == bob["phones"]


async def test_an_archived_contact_can_be_deleted(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith")
    await _archive(staff, ann["id"])

    # when
    payload = await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # then
    assert payload["errors"] == []
    assert await listed(staff, filter={"archived": None}) == []


async def test_deleting_a_primary_contact_leaves_the_company_without_one(
    staff: GraphQLClient,
) -> None:
    # given
    company_id = await create_company(staff, "Acme")
    ann = await create_contact(staff, lastName="Smith", companyId=company_id)
    await staff.mutate("setPrimaryContact", SET_PRIMARY, {"contactId": ann["id"]})

    # when
    await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # then
    company = (await staff.execute(COMPANY, {"id": company_id})).data["company"]
    assert company == {"id": company_id, "primaryContact": None}


@pytest.mark.parametrize("contact_id", ["garbage", "", "Q29udGFjdDo5OTk=", "Q29tcGFueTox"], ids=str)
@pytest.mark.parametrize(
    ("mutation", "document"),
    [("archiveContact", ARCHIVE), ("restoreContact", RESTORE), ("deleteContact", DELETE)],
)
async def test_an_unknown_id_is_not_found(
    staff: GraphQLClient, mutation: str, document: str, contact_id: str
) -> None:
    # given: nonsense, "Contact:999" and "Company:1" (an id of the wrong type)
    await create_company(staff, "Acme")
    await create_contact(staff, lastName="Smith")

    # when
    payload = await staff.mutate(mutation, document, {"id": contact_id})

    # then
    assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]
    assert await listed(staff) == ["Smith"]


@pytest.mark.parametrize(
    ("mutation", "document"),
    [("archiveContact", ARCHIVE), ("restoreContact", RESTORE), ("deleteContact", DELETE)],
)
async def test_an_out_of_range_id_is_not_found(
    staff: GraphQLClient,
    mutation: str,
    document: str,
) -> None:
    # when
    payload = await staff.mutate(mutation, document, {"id": HUGE_CONTACT_ID})

    # then
    assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]


async def test_a_deleted_contact_cannot_be_restored_archived_or_deleted_again(
    staff: GraphQLClient,
) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith")
    await _archive(staff, ann["id"])
    await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # when
    restored = await staff.mutate("restoreContact", RESTORE, {"id": ann["id"]})
    archived = await _archive(staff, ann["id"])
    deleted = await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})
    updated = await update_contact(staff, ann["id"], lastName="Back")

    # then
    for payload in (restored, archived, updated):
        assert payload["contact"] is None
        assert errors_of(payload) == [(["input", "id"], "NOT_FOUND")]
    assert deleted["deletedId"] is None
    assert errors_of(deleted) == [(["input", "id"], "NOT_FOUND")]
    assert await listed(staff, filter={"archived": None}) == []


async def test_a_deleted_id_is_never_reused(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith")
    await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # when
    bob = await create_contact(staff, lastName="Jones")

    # then: links to the erased contact must not open someone else
    assert bob["id"] != ann["id"]
    assert await get_contact(staff, ann["id"]) is None


@pytest.mark.parametrize(
    "contact_id",
    ["garbage", "", "Q29udGFjdDo5OTk=", "Q29tcGFueTox", HUGE_CONTACT_ID],
    ids=["garbage", "empty", "unknown", "company-id", "huge"],
)
async def test_reading_an_unknown_id_gives_null(staff: GraphQLClient, contact_id: str) -> None:
    # given
    await create_company(staff, "Acme")
    await create_contact(staff, lastName="Smith")

    # when
    contact = await get_contact(staff, contact_id)

    # then
    assert contact is None
