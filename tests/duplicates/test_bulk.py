"""Merging at once the contacts that share an email: the plan, the count, the outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm.contacts.models import Contact, PortalStatus
from crm.core.errors import ErrorCode, InputError
from crm.duplicates import bulk
from crm.duplicates.models import DuplicateCandidate
from crm.duplicates.services import dismiss
from crm.graphql.relay import to_global_id
from tests.duplicates.helpers import full_width, pairs, person
from tests.duplicates.merge_helpers import contact, kinds, note
from tests.graphql_client import GraphQLClient

COUNT = "{ sameEmailDuplicateCount duplicateCandidateCount }"
MERGE_ALL = """
mutation ($input: MergeSameEmailDuplicatesInput) {
  mergeSameEmailDuplicates(input: $input) { merged remaining errors { field message code } }
}
"""


def gid(contact_id: int) -> str:
    return to_global_id("Contact", contact_id)


async def merge_all(client: GraphQLClient, **input: int) -> dict:
    result = await client.execute(MERGE_ALL, {"input": input or None})
    return result.data["mergeSameEmailDuplicates"]


async def one_address_three_times() -> list[int]:
    """Alice's address typed three ways (full-width, Turkish capital İ), and Bob and Robert
    who share only a phone number."""
    return [
        await person("Alice", "Adam", email="alice@renard.fr"),
        await person("A.", "Adam", email=full_width("alice") + "@renard.fr"),
        await person("Alice", "Adam-Smith", email="ALİCE@renard.fr"),
        await person("Bob", "Brown", phones=("06 12 34 56 78",)),
        await person("Robert", "Black", phones=("+33612345678",)),
    ]


async def test_the_count_is_how_many_contacts_would_be_merged(staff: GraphQLClient) -> None:
    # given one address three times (three pairs) and a pair by phone only
    await one_address_three_times()

    # when the count is asked for
    counts = (await staff.execute(COUNT)).data

    # then the three records of one address make two merges; the phone pair is not certain
    assert counts == {"sameEmailDuplicateCount": 2, "duplicateCandidateCount": 4}


async def test_everything_moves_to_the_contact_with_portal_access(member: GraphQLClient) -> None:
    # given one address three times, the youngest with portal access and each with a note,
    # and a MEMBER (who may merge as an ADMIN may)
    ids = await one_address_three_times()
    await Contact.filter(id=ids[2]).update(
        portal_status=PortalStatus.ACTIVE, portal_activated_at=datetime.now(UTC)
    )
    for contact_id in ids[:3]:
        await note(gid(contact_id), f"Note of {contact_id}")

    # when every contact sharing an email is merged
    outcome = await merge_all(member)

    # then the one with portal access is kept with all three notes, the others are gone,
    # and only the pair by phone is left to review
    assert outcome == {"merged": 2, "remaining": 0, "errors": []}
    assert not await Contact.exists(id__in=ids[:2])
    kept = await contact(member, gid(ids[2]))
    assert kept is not None
    assert kept["fullName"] == "Alice Adam-Smith"  # its own values
    assert kinds(kept).count("NOTE") == 3
    assert kinds(kept).count("MERGED") == 1
    assert list((await pairs()).values()) == [["SAME_PHONE"]]
    assert (await member.execute(COUNT)).data["sameEmailDuplicateCount"] == 0


async def test_the_oldest_is_kept_and_a_dismissed_pair_is_not_merged(
    staff: GraphQLClient,
) -> None:
    # given one address three times, none with portal access, the third created first, and
    # the user said the first and the third are not one person
    ids = await one_address_three_times()
    long_ago = datetime.now(UTC) - timedelta(days=400)
    await Contact.filter(id=ids[2]).update(created_at=long_ago)
    dismissed = await DuplicateCandidate.get(low_contact_id=ids[0], high_contact_id=ids[2])
    await dismiss(dismissed.id, None)

    # when every contact sharing an email is merged
    outcome = await merge_all(staff)

    # then the oldest is kept and takes the second; the first stays, its "no" still holds
    assert outcome == {"merged": 1, "remaining": 0, "errors": []}
    assert set(await Contact.all().values_list("id", flat=True)) == {ids[0], ids[2], *ids[3:]}
    still = await DuplicateCandidate.get(low_contact_id=ids[0], high_contact_id=ids[2])
    assert still.dismissed_at is not None
    assert (await staff.execute(COUNT)).data["sameEmailDuplicateCount"] == 0


async def test_a_long_run_goes_a_batch_at_a_time(staff: GraphQLClient) -> None:
    # given three addresses each typed twice
    for name in ("anna", "bruno", "chloe"):
        await person(name.title(), "Martin", email=f"{name}@renard.fr")
        await person(name.title(), "Martin", email=full_width(name) + "@renard.fr")

    # when they are merged two groups at a time
    first = await merge_all(staff, limit=2)
    second = await merge_all(staff, limit=2)

    # then each call says how many remain, until none do
    assert first == {"merged": 2, "remaining": 1, "errors": []}
    assert second == {"merged": 1, "remaining": 0, "errors": []}
    assert await Contact.all().count() == 3


@pytest.mark.parametrize("limit", [0, bulk.MAX_BATCH + 1])
async def test_a_batch_out_of_range_is_refused(staff: GraphQLClient, limit: int) -> None:
    await one_address_three_times()
    outcome = await merge_all(staff, limit=limit)
    assert [(e["field"], e["code"]) for e in outcome["errors"]] == [(["input", "limit"], "INVALID")]
    assert outcome["merged"] == 0
    assert await Contact.all().count() == 5


async def test_a_group_that_fails_is_reported_and_the_others_merge(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given two addresses each typed twice, and the first group's merge refused (as when
    # one of its contacts changed meanwhile)
    first = await person("Anna", "Martin", email="anna@renard.fr")
    await person("Anna", "Martin", email=full_width("anna") + "@renard.fr")
    await person("Bruno", "Martin", email="bruno@renard.fr")
    await person("Bruno", "Martin", email=full_width("bruno") + "@renard.fr")
    merge = bulk.merge_contacts

    async def refusing(keep_id: int, merge_ids, **kwargs):  # type: ignore[no-untyped-def]
        if keep_id == first:
            raise InputError.single(None, "These contacts changed meanwhile", ErrorCode.CONFLICT)
        return await merge(keep_id, merge_ids, **kwargs)

    monkeypatch.setattr(bulk, "merge_contacts", refusing)

    # when every contact sharing an email is merged
    outcome = await merge_all(staff)

    # then the other group merged, and the refused one is named, left as it was
    assert outcome["merged"] == 1
    assert outcome["remaining"] == 1
    assert outcome["errors"] == [
        {
            "field": None,
            "message": "Anna Martin and their duplicates were not merged: "
            "These contacts changed meanwhile",
            "code": "CONFLICT",
        }
    ]
    assert await Contact.all().count() == 3
