"""Someone leaves: their contacts and companies stay theirs until an ADMIN gives them to a
colleague, all at once."""

from __future__ import annotations

from pathlib import Path

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.staff.models import StaffUser
from crm.staff.ownership import reassign_by_email, reassign_owned_records
from crm.timeline.models import TimelineEvent, TimelineKind
from tests.contacts.test_owner import colleague, staff_id
from tests.graphql_client import GraphQLClient, Result
from tests.test_cli import migrated, run_crm

__all__ = ["migrated"]  # the fixture, for the command-line test below

REASSIGN = """
mutation ($input: ReassignOwnedRecordsInput!) {
  reassignOwnedRecords(input: $input) { contacts companies errors { field code message } }
}
"""
DIRECTORY = """
query ($deactivated: Boolean!) {
  staffDirectory(includeDeactivated: $deactivated) { edges { node { name status } } }
}
"""


async def own(user: StaffUser, contacts: int, companies: int = 0) -> None:
    await Contact.bulk_create(
        [Contact(last_name=f"C{n}", sort_name=f"c{n}", owner_id=user.id) for n in range(contacts)]
    )
    await Company.bulk_create(
        [Company(name=f"Co{n}", sort_name=f"co{n}", owner_id=user.id) for n in range(companies)]
    )


async def test_an_admin_gives_a_deactivated_users_records_to_a_colleague(
    staff: GraphQLClient, db: str
) -> None:
    # given a deactivated user who owns contacts and a company, and a colleague
    leaver = await colleague("leaver@example.com", active=False)
    heir = await colleague("heir@example.com")
    await own(leaver, contacts=3, companies=1)

    # when an ADMIN reassigns the leaver's records to the colleague
    result = await staff.mutate(
        "reassignOwnedRecords",
        REASSIGN,
        {"fromStaffUserId": staff_id(leaver), "toStaffUserId": staff_id(heir)},
    )

    # then every record is the colleague's, and each says so on its timeline
    assert result == {"contacts": 3, "companies": 1, "errors": []}
    assert await Contact.filter(owner_id=heir.id).count() == 3
    assert await Company.filter(owner_id=heir.id).count() == 1
    events = await TimelineEvent.filter(kind=TimelineKind.UPDATED)
    assert len(events) == 4
    assert all(
        event.changes == [{"field": "Owner", "before": "Leaver", "after": "Heir"}]
        for event in events
    )


async def test_records_cannot_go_to_a_deactivated_user_nor_back_to_their_owner(
    staff: GraphQLClient, db: str
) -> None:
    # given two deactivated users, one owning a contact
    leaver = await colleague("leaver@example.com", active=False)
    gone = await colleague("gone@example.com", active=False)
    await own(leaver, contacts=1)

    # when the contact is given to the other deactivated user, then to its own owner
    to_gone = await staff.mutate(
        "reassignOwnedRecords",
        REASSIGN,
        {"fromStaffUserId": staff_id(leaver), "toStaffUserId": staff_id(gone)},
    )
    to_self = await staff.mutate(
        "reassignOwnedRecords",
        REASSIGN,
        {"fromStaffUserId": staff_id(leaver), "toStaffUserId": staff_id(leaver)},
    )

    # then both are refused on toStaffUserId and nothing moves
    assert [(e["field"], e["code"]) for e in to_gone["errors"]] == [
        (["input", "toStaffUserId"], "NOT_ALLOWED")
    ]
    assert [(e["field"], e["code"]) for e in to_self["errors"]] == [
        (["input", "toStaffUserId"], "INVALID")
    ]
    assert await Contact.filter(owner_id=leaver.id).count() == 1


async def test_a_member_cannot_reassign_records(member: GraphQLClient, db: str) -> None:
    # given a deactivated user's contact
    leaver = await colleague("leaver@example.com", active=False)
    heir = await colleague("heir@example.com")
    await own(leaver, contacts=1)

    # when a MEMBER tries to reassign it
    result = await member.execute(
        REASSIGN,
        {"input": {"fromStaffUserId": staff_id(leaver), "toStaffUserId": staff_id(heir)}},
    )

    # then it is forbidden and the contact stays with the leaver
    assert result.error_codes == ["FORBIDDEN"]
    assert await Contact.filter(owner_id=leaver.id).count() == 1


async def test_reassigning_goes_in_batches_and_leaves_others_records_alone(db: str) -> None:
    # given a leaver with more contacts than a batch, and a colleague with their own
    leaver = await colleague("leaver@example.com", active=False)
    heir = await colleague("heir@example.com")
    other = await colleague("other@example.com")
    await own(leaver, contacts=7)
    await own(other, contacts=2)

    # when the service reassigns them three at a time (as the command line would)
    moved = await reassign_owned_records(leaver.id, heir.id, batch_size=3)

    # then all seven moved and the other colleague's stayed theirs
    assert (moved.contacts, moved.companies) == (7, 0)
    assert await Contact.filter(owner_id=heir.id).count() == 7
    assert await Contact.filter(owner_id=other.id).count() == 2


async def test_a_member_sees_the_colleagues_a_record_can_be_given_to(
    member: GraphQLClient, db: str
) -> None:
    # given an active and a deactivated colleague
    await colleague("ann@example.com")
    await colleague("zed@example.com", active=False)

    # when a MEMBER lists the staff directory, with and without the deactivated
    active = await member.execute(DIRECTORY, {"deactivated": False})
    everyone = await member.execute(DIRECTORY, {"deactivated": True})

    # then the deactivated colleague is listed only when asked for
    def names(result: Result) -> list[str]:
        return [edge["node"]["name"] for edge in result.data["staffDirectory"]["edges"]]

    assert names(active) == ["Ann", "Sam Staff"]
    assert names(everyone) == ["Ann", "Sam Staff", "Zed"]


async def test_the_service_takes_staff_emails_as_the_command_line_gives_them(db: str) -> None:
    # given a leaver's contacts and a colleague
    leaver = await colleague("leaver@example.com", active=False)
    await colleague("heir@example.com")
    await own(leaver, contacts=2, companies=1)

    # when they are reassigned by email (any case)
    moved = await reassign_by_email("Leaver@example.com", "heir@example.com")

    # then everything moved
    assert (moved.contacts, moved.companies) == (2, 1)
    assert await Contact.filter(owner__email="heir@example.com").count() == 2


def test_the_command_refuses_an_email_no_staff_user_has(migrated: Path) -> None:
    # when `crm reassign-owner` names nobody
    result = run_crm(
        migrated, "reassign-owner", "--from", "gone@example.com", "--to", "nobody@example.com"
    )

    # then it stops, saying which emails are unknown
    assert result.returncode != 0
    assert "No staff user has the email 'gone@example.com'" in result.stderr
    assert "'nobody@example.com'" in result.stderr
