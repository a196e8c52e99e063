"""Unread badges: per contact in the list (one statement for the page), and in the navigation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm.contacts.models import Contact, PortalStatus
from crm.core.ids import to_global_id
from crm.messages.models import SecureMessage
from tests.contacts.helpers import ARCHIVE
from tests.graphql.test_query_counts import seed
from tests.graphql_client import GraphQLClient
from tests.messages.helpers import MARK_CONTACT_READ

LIST = "{ contacts(first: 50) { edges { node { lastName unreadMessageCount } } } }"
# The session lookup, the page of contacts, and one statement for all their unread counts.
LIST_STATEMENTS = 3


async def replies(counts: list[int]) -> list[int]:
    """Contact number n (by id) has written counts[n] messages the staff have not read, and
    had one message read; returns the contacts' ids."""
    ids = await Contact.all().order_by("id").values_list("id", flat=True)
    await Contact.filter(id__in=ids).update(portal_status=PortalStatus.ACTIVE)
    moment = datetime.now(UTC)
    await SecureMessage.bulk_create(
        [
            SecureMessage(
                contact_id=contact_id, body="?", from_staff=False, sent_at=moment, read_at=read_at
            )
            for contact_id, count in zip(ids, counts, strict=False)
            for read_at in [moment] + [None] * count
        ]
    )
    return ids


@pytest.mark.parametrize("contacts", [5, 200])
async def test_the_list_reads_every_unread_count_in_one_statement(
    staff: GraphQLClient, contacts: int
) -> None:
    # given contacts with 0, 1, 2... unread replies each (and one read)
    await seed(contacts, 5)
    await replies([n % 4 for n in range(contacts)])

    # when a page of the list is read with its unread counts
    result = await staff.execute(LIST)

    # then each count is right, and the page cost the same few statements whatever its size
    counts = {
        edge["node"]["lastName"]: edge["node"]["unreadMessageCount"]
        for edge in result.data["contacts"]["edges"]
    }
    assert counts == {f"{n:03}": n % 4 for n in range(min(contacts, 50))}
    assert result.query_count == LIST_STATEMENTS


async def test_the_navigation_counts_unread_replies_of_contacts_not_archived(
    staff: GraphQLClient,
) -> None:
    # given three contacts with 1, 2 and 3 unread replies, the last one archived
    await seed(3, 1)
    ids = await replies([1, 2, 3])
    await staff.mutate("archiveContact", ARCHIVE, {"id": to_global_id("Contact", ids[2])})

    # when the navigation asks
    result = await staff.execute("{ unreadMessageCount }")

    # then it counts the replies the contacts list can lead to
    assert result.data == {"unreadMessageCount": 3}


UNREAD_CONVERSATIONS = """
{ unreadConversations(first: 10) { edges { node { lastName unreadMessageCount } } totalCount } }
"""


async def test_the_navigation_leads_to_the_contacts_who_wrote(staff: GraphQLClient) -> None:
    # given four contacts: two with unread replies, one archived with some, one all read
    await seed(4, 1)
    ids = await replies([2, 0, 1, 3])
    await staff.mutate("archiveContact", ARCHIVE, {"id": to_global_id("Contact", ids[3])})

    # when the staff open the unread conversations, then read one
    before = (await staff.execute(UNREAD_CONVERSATIONS)).data["unreadConversations"]
    read = await staff.mutate(
        "markContactMessagesRead", MARK_CONTACT_READ, {"contactId": to_global_id("Contact", ids[0])}
    )
    after = (await staff.execute(UNREAD_CONVERSATIONS)).data["unreadConversations"]

    # then they find those who wrote, by name, and the one read leaves the list
    assert [edge["node"] for edge in before["edges"]] == [
        {"lastName": "000", "unreadMessageCount": 2},
        {"lastName": "002", "unreadMessageCount": 1},
    ]
    assert before["totalCount"] == 2
    assert read["errors"] == []
    assert [edge["node"]["lastName"] for edge in after["edges"]] == ["002"]
