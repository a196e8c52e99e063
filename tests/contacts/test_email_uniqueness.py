"""Email addresses are unique among contacts, case-insensitively, even under races."""

from __future__ import annotations

import asyncio

import pytest

from tests.contacts.helpers import (
    ARCHIVE,
    CREATE,
    DELETE,
    contact_count,
    create_contact,
    errors_of,
    get_contact,
    listed,
    update_contact,
)
from tests.graphql_client import GraphQLClient

EMAIL_DUPLICATE = [(["input", "email"], "DUPLICATE")]


@pytest.mark.parametrize(
    "second",
    ["ann@example.com", "ANN@EXAMPLE.COM", "Ann@Example.Com", "  ann@example.com  "],
)
async def test_the_same_address_in_any_case_is_a_duplicate(
    staff: GraphQLClient, second: str
) -> None:
    # given
    await create_contact(staff, firstName="Ann", lastName="Smith", email="ann@example.com")

    # when
    payload = await staff.mutate("createContact", CREATE, {"lastName": "Jones", "email": second})

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == EMAIL_DUPLICATE
    assert "Ann Smith" in payload["errors"][0]["message"]
    assert await contact_count(staff) == 1


async def test_a_duplicate_of_the_first_address_in_other_case(staff: GraphQLClient) -> None:
    # given: the first one was typed in capitals
    await create_contact(staff, lastName="Smith", email="ANN@EXAMPLE.COM")

    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Jones", "email": "ann@example.com"}
    )

    # then
    assert errors_of(payload) == EMAIL_DUPLICATE


async def test_a_duplicate_of_an_archived_contact_says_so(staff: GraphQLClient) -> None:
    # given
    archived = await create_contact(
        staff, firstName="Ann", lastName="Smith", email="ann@example.com"
    )
    await staff.mutate("archiveContact", ARCHIVE, {"id": archived["id"]})

    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Jones", "email": "Ann@example.com"}
    )

    # then
    assert errors_of(payload) == EMAIL_DUPLICATE
    message = payload["errors"][0]["message"]
    assert "archived" in message
    assert "Ann Smith" in message
    assert "restore" in message.lower()
    assert await contact_count(staff) == 1


async def test_a_duplicate_of_an_active_contact_does_not_mention_restoring(
    staff: GraphQLClient,
) -> None:
    # given
    await create_contact(staff, firstName="Ann", lastName="Smith", email="ann@example.com")

    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Jones", "email": "ann@example.com"}
    )

    # then
    message = payload["errors"][0]["message"]
    assert "archived" not in message
    assert "restore" not in message.lower()


async def test_updating_to_another_contacts_email_is_a_duplicate(staff: GraphQLClient) -> None:
    # given
    await create_contact(staff, firstName="Ann", lastName="Smith", email="ann@example.com")
    bob = await create_contact(staff, firstName="Bob", lastName="Jones", email="bob@example.com")

    # when
    payload = await update_contact(staff, bob["id"], email="ANN@example.com")

    # then
    assert errors_of(payload) == EMAIL_DUPLICATE
    assert "Ann Smith" in payload["errors"][0]["message"]
    assert (await get_contact(staff, bob["id"]))["email"] == "bob@example.com"


async def test_a_contact_may_change_the_case_of_its_own_email(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith", email="ann@example.com")

    # when
    payload = await update_contact(staff, ann["id"], email="Ann@example.com")

    # then
    assert payload["errors"] == []
    assert payload["contact"]["email"] == "Ann@example.com"


async def test_a_deleted_contacts_email_is_free_again(staff: GraphQLClient) -> None:
    # given
    ann = await create_contact(staff, lastName="Smith", email="ann@example.com")
    await staff.mutate("deleteContact", DELETE, {"id": ann["id"]})

    # when
    again = await create_contact(staff, lastName="Smith", email="ann@example.com")

    # then
    assert again["email"] == "ann@example.com"


async def test_many_contacts_may_have_no_email(staff: GraphQLClient) -> None:
    # when
    for name in ("One", "Two", "Three"):
        await create_contact(staff, lastName=name)
    await create_contact(staff, lastName="Four", email="")

    # then
    assert await contact_count(staff) == 4


async def test_different_addresses_are_not_duplicates(staff: GraphQLClient) -> None:
    # when
    await create_contact(staff, lastName="Smith", email="ann@example.com")
    await create_contact(staff, lastName="Jones", email="ann@example.org")
    await create_contact(staff, lastName="Brown", email="anne@example.com")

    # then
    assert await listed(staff) == ["Brown", "Jones", "Smith"]


@pytest.mark.parametrize("round_", range(3))
async def test_two_concurrent_creates_with_one_email_make_one_contact(
    staff: GraphQLClient, round_: int
) -> None:
    # given
    inputs = [
        {"firstName": "Ann", "lastName": "Smith", "email": "ann@example.com", "type": "CLIENT"},
        {"firstName": "Anne", "lastName": "Smyth", "email": "ANN@example.com", "type": "CLIENT"},
    ]

    # when
    payloads = await asyncio.gather(
        *(staff.mutate("createContact", CREATE, given) for given in inputs)
    )

    # then
    succeeded = [p for p in payloads if not p["errors"]]
    failed = [p for p in payloads if p["errors"]]
    assert len(succeeded) == 1
    assert len(failed) == 1
    assert failed[0]["contact"] is None
    assert errors_of(failed[0]) == EMAIL_DUPLICATE
    assert await contact_count(staff) == 1
    assert succeeded[0]["contact"]["fullName"] in await listed(staff)


async def test_many_concurrent_creates_with_one_email_make_one_contact(
    staff: GraphQLClient,
) -> None:
    # when
    payloads = await asyncio.gather(
        *(
            staff.mutate(
                "createContact",
                CREATE,
                {
                    "lastName": f"Smith {i}",
                    "email": "ann@example.com",
                    "phones": [{"number": "020 7946 0018", "country": "GB"}],
                },
            )
            for i in range(8)
        )
    )

    # then
    assert sorted(len(p["errors"]) for p in payloads) == [0] + [1] * 7
    assert all(errors_of(p) == EMAIL_DUPLICATE for p in payloads if p["errors"])
    assert await contact_count(staff) == 1
    found = await staff.execute('{ contacts(search: "79460018") { totalCount } }')
    assert found.data["contacts"]["totalCount"] == 1
