"""Staff write to a contact: who can be messaged, what a message may hold, what it leaves."""

from __future__ import annotations

from typing import Any

import pytest

from crm.messages.models import SecureMessage
from tests.contacts.helpers import ARCHIVE, DELETE
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.messages.helpers import CONVERSATION, notices_to, problems, send
from tests.portal.helpers import invited_client

TOO_LONG = "x" * 20_001


async def can_send(staff: GraphQLClient, contact_id: str) -> bool:
    result = await staff.execute(
        "query ($id: ID!) { contact(id: $id) { canSendMessage } }", {"id": contact_id}
    )
    return result.data["contact"]["canSendMessage"]


@pytest.fixture
async def invited(staff: GraphQLClient) -> dict[str, Any]:
    """A client invited to the portal who has not accepted yet."""
    return await invited_client(staff, firstName="Mia", lastName="Sage", email="mia@example.com")


async def test_a_staff_message_reaches_the_conversation_and_counts_as_contact(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given a contact invited to the portal
    assert await can_send(staff, invited["id"]) is True

    # when a staff member writes to them
    payload = await send(staff, invited["id"], "  Your renewal is ready.\nSee you soon.  ")

    # then the message is in the conversation, stripped, from the staff member, unread
    assert payload["errors"] == []
    message = payload["message"]
    assert message["body"] == "Your renewal is ready.\nSee you soon."
    assert (message["fromStaff"], message["author"], message["readAt"]) == (True, "Sam Staff", None)
    assert payload["contact"]["lastContactedAt"] == message["sentAt"]
    conversation = await staff.execute(CONVERSATION, {"id": invited["id"]})
    messages = conversation.data["contact"]["messages"]
    assert [edge["node"] for edge in messages["edges"]] == [message]
    assert messages["totalCount"] == 1
    # and the timeline says a message was sent, not what it says
    events = await summaries_of(staff, invited["id"], ["MESSAGE"])
    assert events == [("Sam Staff", "Message sent")]


async def test_the_conversation_pages_newest_first(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given five messages to one contact
    for number in range(5):
        assert (await send(staff, invited["id"], f"Message {number}"))["errors"] == []

    # when the conversation is read two at a time
    bodies, after = [], None
    while True:
        page = await staff.execute(CONVERSATION, {"id": invited["id"], "first": 2, "after": after})
        messages = page.data["contact"]["messages"]
        bodies += [edge["node"]["body"] for edge in messages["edges"]]
        if not messages["pageInfo"]["hasNextPage"]:
            break
        after = messages["pageInfo"]["endCursor"]

    # then every message comes once, newest first
    assert bodies == [f"Message {number}" for number in range(4, -1, -1)]


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "REQUIRED"), ("  \n\t \u200b ", "REQUIRED"), (TOO_LONG, "INVALID")],
    ids=["empty", "whitespace", "20001 characters"],
)
async def test_a_body_empty_or_too_long_is_refused_and_nothing_is_sent(
    staff: GraphQLClient, invited: dict[str, Any], body: str, code: str
) -> None:
    # when a staff member sends an empty, blank or too long message
    payload = await send(staff, invited["id"], body)

    # then the body is named, and nothing is stored, emailed or recorded
    assert problems(payload) == [(["input", "body"], code)]
    assert payload["message"] is None
    assert await SecureMessage.all().count() == 0
    assert await notices_to("mia@example.com") == []
    assert await summaries_of(staff, invited["id"], ["MESSAGE"]) == []


async def test_twenty_thousand_characters_of_any_script_are_kept_as_written(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given the longest message allowed, and one in several scripts with emoji and markup
    longest = "é" * 20_000
    mixed = "Ça va ? 👋🏽\n\u05e9\u05dc\u05d5\u05dd — 你好 <b>not bold</b> & `code`"

    # when both are sent
    sent = [await send(staff, invited["id"], body) for body in (longest, mixed)]

    # then both are kept exactly, as plain text
    assert [payload["errors"] for payload in sent] == [[], []]
    assert [payload["message"]["body"] for payload in sent] == [longest, mixed]


async def test_a_contact_never_invited_cannot_be_messaged(staff: GraphQLClient) -> None:
    # given a client who was not invited to the portal
    contact = await invited_client(staff, email="ned@example.com", sendInvite=False)
    assert contact["portal"]["status"] == "NOT_INVITED"

    # when a staff member writes to them
    payload = await send(staff, contact["id"], "Hello")

    # then it is not allowed, and says why, and nothing is sent; the app knew beforehand
    assert problems(payload) == [(["input", "contactId"], "NOT_ALLOWED")]
    assert "invite" in payload["errors"][0]["message"]
    assert await can_send(staff, contact["id"]) is False
    assert await SecureMessage.all().count() == 0
    assert await notices_to("ned@example.com") == []


async def test_an_archived_contact_cannot_be_messaged(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given an invited contact since archived
    archived = await staff.mutate("archiveContact", ARCHIVE, {"id": invited["id"]})
    assert archived["errors"] == []

    # when a staff member writes to them
    payload = await send(staff, invited["id"], "Hello")

    # then it is not allowed
    assert problems(payload) == [(["input", "contactId"], "NOT_ALLOWED")]
    assert "archived" in payload["errors"][0]["message"]
    assert await can_send(staff, invited["id"]) is False
    assert await SecureMessage.all().count() == 0


async def test_both_problems_are_reported_at_once(staff: GraphQLClient) -> None:
    contact = await invited_client(staff, email="ned@example.com", sendInvite=False)
    payload = await send(staff, contact["id"], " ")
    assert problems(payload) == [
        (["input", "body"], "REQUIRED"),
        (["input", "contactId"], "NOT_ALLOWED"),
    ]


@pytest.mark.parametrize(
    "contact_id",
    ["Q29udGFjdDo5OTk5OTk=", "not an id", "Q29tcGFueTox"],
    ids=["unknown contact", "garbage", "a company's id"],
)
async def test_an_id_that_names_no_contact_is_not_found(
    staff: GraphQLClient, contact_id: str
) -> None:
    # given a company with id 1, so its id names something, just not a contact
    await staff.execute('mutation { createCompany(input: {name: "Acme"}) { errors { code } } }')

    # when a message is sent to an id that is not a contact's
    payload = await send(staff, contact_id, "Hello")

    # then it is not found
    assert problems(payload) == [(["input", "contactId"], "NOT_FOUND")]


async def test_a_member_may_message_a_contact(
    member: GraphQLClient, invited: dict[str, Any]
) -> None:
    payload = await send(member, invited["id"], "Hello from a member")
    assert payload["errors"] == []
    assert payload["message"]["author"] == "Sam Staff"


async def test_anonymous_callers_cannot_send_or_read(
    anonymous: GraphQLClient, staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # when someone with no session sends a message or reads a conversation
    sent = await anonymous.execute(
        "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }",
        {"input": {"contactId": invited["id"], "body": "Hello"}},
    )
    read = await anonymous.execute(CONVERSATION, {"id": invited["id"]})
    counted = await anonymous.execute("{ unreadMessageCount }")

    # then each is refused as unauthenticated and nothing was sent
    assert [sent.error_codes, read.error_codes, counted.error_codes] == [["UNAUTHENTICATED"]] * 3
    assert await SecureMessage.all().count() == 0


async def test_erasing_the_contact_erases_the_conversation(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given a conversation with a contact, and another contact's
    other = await invited_client(staff, email="other@example.com")
    await send(staff, invited["id"], "For Mia")
    await send(staff, other["id"], "For the other one")

    # when the contact is erased
    deleted = await staff.mutate("deleteContact", DELETE, {"id": invited["id"]})

    # then their messages are gone, the other conversation stays
    assert deleted["errors"] == []
    assert await SecureMessage.all().values_list("body", flat=True) == ["For the other one"]
