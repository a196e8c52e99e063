"""A merge is all or nothing, and two merges of the same contact never both happen."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.duplicates import merge as merging
from crm.groups.models import GroupMembership
from crm.notes.models import Note
from crm.timeline.models import TimelineEvent
from tests.duplicates.merge_helpers import MERGE, create, group, merge, note, pk, problems
from tests.graphql_client import GraphQLClient

MOBILE = "+44 7400 123456"


async def snapshot(*contact_ids: str) -> dict[str, Any]:
    """What a user would see of these contacts, to compare before and after."""
    ids = [pk(contact_id) for contact_id in contact_ids]
    return {
        "contacts": await Contact.filter(id__in=ids)
        .order_by("id")
        .values("id", "email", "first_name", "job_title", "is_primary_contact", "search_text"),
        "notes": await Note.filter(contact_id__in=ids).order_by("id").values("id", "contact_id"),
        "events": await TimelineEvent.filter(contact_id__in=ids).count(),
        "groups": await GroupMembership.filter(contact_id__in=ids)
        .order_by("id")
        .values("group_id", "contact_id"),
    }


async def two_with_history(staff: GraphQLClient) -> tuple[dict[str, Any], dict[str, Any]]:
    alice = await create(staff, "Adam", firstName="Alice", email="alice@example.com")
    twin = await create(
        staff, "Adam", firstName="Al", email="twin@example.com", jobTitle="Buyer",
        phones=[{"number": MOBILE}],
    )  # fmt: skip
    await group("VIP", twin["id"])
    await note(twin["id"], "Called the twin")
    return alice, twin


async def test_a_failure_midway_leaves_both_contacts_as_they_were(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
):
    # given two contacts with history, and a merge that fails after moving everything
    alice, twin = await two_with_history(staff)
    before = await snapshot(alice["id"], twin["id"])

    async def broken(*args: Any) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(merging, "_record_merge", broken)

    # when the merge is attempted
    result = await staff.execute(
        MERGE,
        {
            "input": {
                "keepId": alice["id"],
                "mergeIds": [twin["id"]],
                "fields": [{"field": "email", "sourceId": twin["id"]}],
            }
        },
    )

    # then it failed, and nothing moved: the duplicate still has its email, note and group
    assert result.error_codes == ["INTERNAL"]
    assert await snapshot(alice["id"], twin["id"]) == before


async def test_a_unique_violation_is_a_conflict_and_changes_nothing(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
):
    # given Alice and her duplicate at Acme, whose primary contact is someone else, and a
    # fault that makes the merge claim the role anyway (the one-primary index refuses it)
    company = await Company.create(name="Acme", sort_name="acme")
    alice, twin = await two_with_history(staff)
    boss = await create(staff, "Boss")
    await Contact.filter(id__in=[pk(alice["id"]), pk(twin["id"])]).update(company_id=company.id)
    await Contact.filter(id=pk(boss["id"])).update(company_id=company.id, is_primary_contact=True)
    before = await snapshot(alice["id"], twin["id"], boss["id"])

    def claim_the_role(kept: Contact, merged: list[Contact]) -> None:
        kept.is_primary_contact = True

    monkeypatch.setattr(merging, "_take_primary_role", claim_the_role)

    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then it is reported as a conflict, and all three are as they were
    assert problems(payload) == [(None, "CONFLICT")]
    assert await snapshot(alice["id"], twin["id"], boss["id"]) == before


async def test_two_merges_of_the_same_duplicate_at_once_one_wins(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
):
    # given a duplicate with a note, that two people merge at once into two different contacts
    # (both requests past their checks before either takes its locks)
    alice, twin = await two_with_history(staff)
    other = await create(staff, "Adam", firstName="Alicia")
    checked = 0
    both_checked = asyncio.Event()
    check_exist = merging._check_exist

    async def together(*args: Any) -> None:
        nonlocal checked
        await check_exist(*args)
        checked += 1
        if checked == 2:
            both_checked.set()
        await asyncio.wait_for(both_checked.wait(), timeout=10)

    monkeypatch.setattr(merging, "_check_exist", together)

    # when both merges run
    results = await asyncio.gather(
        merge(staff, alice["id"], [twin["id"]]),
        merge(staff, other["id"], [twin["id"]]),
    )

    # then one merged it and the other was told it changed meanwhile; the note is on the
    # winner, once, and the loser's contact is untouched
    outcomes = sorted(problems(payload) for payload in results)
    assert outcomes == [[], [(["input", "mergeIds", "0"], "CONFLICT")]]
    winner, loser = (alice, other) if results[0]["errors"] == [] else (other, alice)
    notes = await Note.filter(body="Called the twin").values_list("contact_id", flat=True)
    assert notes == [pk(winner["id"])]
    assert not await Contact.exists(id=pk(twin["id"]))
    untouched = await Contact.get(id=pk(loser["id"]))
    assert untouched.job_title is None
    assert not await TimelineEvent.exists(contact_id=untouched.id, kind="MERGED")


async def test_merges_that_share_only_the_kept_contact_both_happen(
    staff: GraphQLClient,
):
    # given Alice and two duplicates, merged into her by two requests at once
    alice, twin = await two_with_history(staff)
    third = await create(staff, "Adam", firstName="A.")
    await note(third["id"], "Called the third")

    # when both run
    results = await asyncio.gather(
        merge(staff, alice["id"], [twin["id"]]),
        merge(staff, alice["id"], [third["id"]]),
    )

    # then both went through, one after the other, and Alice has both notes
    assert [payload["errors"] for payload in results] == [[], []]
    bodies = await Note.filter(contact_id=pk(alice["id"])).values_list("body", flat=True)
    assert sorted(bodies) == ["Called the third", "Called the twin"]
    assert await TimelineEvent.filter(contact_id=pk(alice["id"]), kind="MERGED").count() == 2
