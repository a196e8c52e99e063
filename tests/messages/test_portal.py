"""The contact's side: the portal inbox, replies, read marks, and nobody else's messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry

from crm.contacts.models import Contact
from crm.core.errors import InputError
from crm.graphql.context import Context
from crm.graphql.permissions import guard_object_types
from crm.messages import services
from crm.messages.models import SecureMessage
from crm.messages.types import MessageNode
from crm.staff.models import StaffRole
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.messages.helpers import (
    CONVERSATION,
    MARK_CONTACT_READ,
    MARK_READ,
    MY_MESSAGES,
    SEND_MINE,
    notices_to,
    portal_contact,
    problems,
    send,
)
from tests.portal.helpers import invite

Pair = tuple[dict[str, Any], GraphQLClient]
ADD_NOTE = """
mutation ($input: AddNoteInput!) { addNote(input: $input) { note { id } errors { code } } }
"""
DELETE_NOTE = """
mutation ($input: DeleteNoteInput!) { deleteNote(input: $input) { errors { code } } }
"""


@pytest.fixture
async def mia(app: Any, staff: GraphQLClient) -> AsyncIterator[Pair]:
    """Mia Sage, signed in to the portal."""
    contact, client = await portal_contact(
        app, staff, "mia@example.com", firstName="Mia", lastName="Sage"
    )
    yield contact, client
    await client.http.aclose()


@pytest.fixture
async def bob(app: Any, staff: GraphQLClient) -> AsyncIterator[Pair]:
    """Bob Other, signed in to the portal in another browser."""
    contact, client = await portal_contact(
        app, staff, "bob@example.com", firstName="Bob", lastName="Other"
    )
    yield contact, client
    await client.http.aclose()


async def test_the_contact_reads_and_replies_and_the_staff_see_the_reply(
    staff: GraphQLClient, mia: Pair
) -> None:
    contact, portal = mia
    # given a message from the staff
    sent = await send(staff, contact["id"], "Your documents are ready.")
    contacted_at = sent["contact"]["lastContactedAt"]

    # when the contact opens the inbox
    inbox = (await portal.execute(MY_MESSAGES)).data

    # then the message is there, unread
    assert inbox["myUnreadMessageCount"] == 1
    (shown,) = [edge["node"] for edge in inbox["myMessages"]["edges"]]
    assert (shown["body"], shown["fromStaff"], shown["author"]) == (
        "Your documents are ready.",
        True,
        "Sam Staff",
    )

    # when they mark it read and reply
    marked = await portal.mutate("markMessagesRead", MARK_READ, {})
    reply = await portal.mutate("sendMyMessage", SEND_MINE, {"body": " Thank you! "})

    # then the badge is clear, the staff see it read and the reply unread
    assert marked == {"unreadMessageCount": 0, "errors": []}
    assert reply["errors"] == []
    assert (reply["message"]["fromStaff"], reply["message"]["author"]) == (False, "Mia Sage")
    staff_view = (await staff.execute(CONVERSATION, {"id": contact["id"]})).data["contact"]
    newest, oldest = [edge["node"] for edge in staff_view["messages"]["edges"]]
    assert (newest["body"], newest["readAt"]) == ("Thank you!", None)
    assert oldest["readAt"] is not None
    assert staff_view["unreadMessageCount"] == 1
    assert (await staff.execute("{ unreadMessageCount }")).data == {"unreadMessageCount": 1}

    # and the reply emails nobody, leaves lastContactedAt alone, and is on the timeline
    assert len(await notices_to("mia@example.com")) == 1
    listed = await staff.execute(
        "query ($id: ID!) { contact(id: $id) { lastContactedAt } }", {"id": contact["id"]}
    )
    assert listed.data["contact"]["lastContactedAt"] == contacted_at
    assert await summaries_of(staff, contact["id"], ["MESSAGE"]) == [
        ("Portal", "Message received"),
        ("Sam Staff", "Message sent"),
    ]

    # when a staff member opens the conversation and marks it read
    read = await staff.mutate(
        "markContactMessagesRead", MARK_CONTACT_READ, {"contactId": contact["id"]}
    )

    # then the badges are clear
    assert read == {"contact": {"id": contact["id"], "unreadMessageCount": 0}, "errors": []}
    assert (await staff.execute("{ unreadMessageCount }")).data == {"unreadMessageCount": 0}


async def test_a_reply_never_counts_as_the_staff_being_in_touch(
    staff: GraphQLClient, mia: Pair
) -> None:
    contact, portal = mia
    # given a staff message, then the contact's reply
    sent = await send(staff, contact["id"], "How are you?")
    await portal.mutate("sendMyMessage", SEND_MINE, {"body": "Fine, thanks"})

    # when a note is logged and deleted, so "last contacted" is worked out again
    note = await staff.mutate(
        "addNote", ADD_NOTE, {"contactId": contact["id"], "kind": "OTHER", "body": "Aside"}
    )
    await staff.mutate("deleteNote", DELETE_NOTE, {"id": note["note"]["id"]})

    # then it is still the staff's message, not the reply
    listed = await staff.execute(
        "query ($id: ID!) { contact(id: $id) { lastContactedAt } }", {"id": contact["id"]}
    )
    assert listed.data["contact"]["lastContactedAt"] == sent["contact"]["lastContactedAt"]


async def test_a_message_that_arrives_after_the_inbox_was_shown_stays_unread(
    staff: GraphQLClient, mia: Pair
) -> None:
    contact, portal = mia
    # given the inbox shown with one message, then a second arriving
    await send(staff, contact["id"], "First")
    shown = (await portal.execute(MY_MESSAGES)).data["myMessages"]["edges"][0]["node"]
    await send(staff, contact["id"], "Second")

    # when the contact marks read what was shown
    marked = await portal.mutate("markMessagesRead", MARK_READ, {"upTo": shown["id"]})

    # then the second is still unread
    assert marked == {"unreadMessageCount": 1, "errors": []}


@pytest.mark.parametrize(
    ("body", "code"), [("", "REQUIRED"), (" \n ", "REQUIRED"), ("y" * 20_001, "INVALID")]
)
async def test_a_reply_empty_or_too_long_is_refused(mia: Pair, body: str, code: str) -> None:
    _contact, portal = mia
    payload = await portal.mutate("sendMyMessage", SEND_MINE, {"body": body})
    assert problems(payload) == [(["input", "body"], code)]
    assert await SecureMessage.all().count() == 0


async def test_a_portal_contact_reaches_no_one_elses_messages_by_any_id(
    staff: GraphQLClient, mia: Pair, bob: Pair
) -> None:
    (mia_contact, mia_portal), (bob_contact, bob_portal) = mia, bob
    # given a conversation with Bob, unread on both sides
    to_bob = await send(staff, bob_contact["id"], "Bob's secret")
    bob_message = to_bob["message"]["id"]
    await bob_portal.mutate("sendMyMessage", SEND_MINE, {"body": "Bob's reply"})
    await send(staff, mia_contact["id"], "For Mia")

    # when Mia asks for Bob's conversation, message and contact by every id she could try
    attempts = [
        await mia_portal.execute(CONVERSATION, {"id": bob_contact["id"]}),
        await mia_portal.execute(
            "query ($id: ID!) { node(id: $id) { ... on Message { body } } }", {"id": bob_message}
        ),
        await mia_portal.execute(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Message { body } } }",
            {"ids": [bob_message]},
        ),
        await mia_portal.execute(
            "mutation ($input: SendMessageInput!) {"
            " sendMessage(input: $input) { errors { code } } }",
            {"input": {"contactId": bob_contact["id"], "body": "Hi Bob"}},
        ),
        await mia_portal.execute(
            "mutation ($input: MarkContactMessagesReadInput!) {"
            " markContactMessagesRead(input: $input) { errors { code } } }",
            {"input": {"contactId": bob_contact["id"]}},
        ),
        await mia_portal.execute("{ unreadMessageCount }"),
    ]
    marked = await mia_portal.mutate("markMessagesRead", MARK_READ, {"upTo": bob_message})
    mine = (await mia_portal.execute(MY_MESSAGES)).data

    # then each is refused, she sees only her own, and Bob's messages are untouched
    for attempt in attempts:
        assert attempt.error_codes == ["FORBIDDEN"], attempt.body
        assert "Bob" not in str(attempt.body.get("data"))
    assert [edge["node"]["body"] for edge in mine["myMessages"]["edges"]] == ["For Mia"]
    assert marked["errors"] == []
    bob_inbox = (await bob_portal.execute(MY_MESSAGES)).data
    assert bob_inbox["myUnreadMessageCount"] == 1
    staff_view = (await staff.execute(CONVERSATION, {"id": bob_contact["id"]})).data["contact"]
    assert staff_view["unreadMessageCount"] == 1
    assert await SecureMessage.filter(body="Hi Bob").count() == 0


async def test_staff_cannot_use_the_portal_inbox(staff: GraphQLClient, mia: Pair) -> None:
    results = [
        await staff.execute(MY_MESSAGES),
        await staff.execute(SEND_MINE, {"input": {"body": "As staff"}}),
        await staff.execute(MARK_READ, {"input": {}}),
    ]
    assert [result.error_codes for result in results] == [["FORBIDDEN"]] * 3


async def test_a_contact_whose_access_was_revoked_cannot_send(
    staff: GraphQLClient, mia: Pair
) -> None:
    contact, portal = mia
    # given the contact as their browser still knows them, then their access revoked
    row = await Contact.get(email="mia@example.com")
    revoked = await invite(staff, "revokeInvite", contact["id"])
    assert revoked["errors"] == []

    # when their browser sends a message, and when a request already under way does
    by_browser = await portal.execute(SEND_MINE, {"input": {"body": "Still there?"}})
    with pytest.raises(InputError) as under_way:
        await services.send_my_message(row, "Still there?")

    # then the session is gone and the request under way is not allowed
    assert by_browser.error_codes == ["UNAUTHENTICATED"]
    assert [error.code for error in under_way.value.errors] == ["NOT_ALLOWED"]
    assert await SecureMessage.all().count() == 0
    # and the staff can no longer message them either
    assert problems(await send(staff, contact["id"], "Hello?")) == [
        (["input", "contactId"], "NOT_ALLOWED")
    ]


# --- the guard where a message is resolved ---------------------------------------------------


def _schema_answering(owner: int) -> strawberry.Schema:
    """A schema with a field that returns a message of contact `owner`, with no permission."""

    @strawberry.type
    class Query:
        @strawberry.field
        def message(self) -> MessageNode:
            return MessageNode.from_model(
                SecureMessage(
                    id=1, contact_id=owner, body="secret", from_staff=True, author_name=""
                )
            )

    leaky = strawberry.Schema(query=Query)
    guard_object_types(leaky._schema)
    return leaky


def _context(*, staff: object = None, contact: object = None) -> Context:
    session = SimpleNamespace(
        staff_user=staff,
        staff_user_id=1 if staff else None,
        contact=contact,
        contact_id=contact.id if contact else None,  # type: ignore[attr-defined]
    )
    return Context(request=None, response=None, settings=None, session=session, base_settings=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("viewer", "owner", "seen"),
    [
        ({"contact": Contact(id=1)}, 1, True),
        ({"contact": Contact(id=1)}, 2, False),
        ({"staff": SimpleNamespace(role=StaffRole.MEMBER)}, 2, True),
    ],
    ids=["its contact", "another contact", "staff"],
)
async def test_a_message_is_shown_to_staff_and_its_contact_whatever_field_returns_it(
    viewer: dict[str, Any], owner: int, seen: bool
) -> None:
    result = await _schema_answering(owner).execute(
        "{ message { body } }", context_value=_context(**viewer)
    )
    if seen:
        assert result.errors is None
        assert result.data == {"message": {"body": "secret"}}
    else:
        assert result.data is None
        assert [type(error.original_error).__name__ for error in result.errors or []] == [
            "Forbidden"
        ]
