"""The home page: my tasks due, recently viewed and changed contacts, counts, last imports,
in a fixed handful of statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.campaigns.models import Campaign, CampaignStatus
from crm.companies.models import Company
from crm.contacts.models import Contact, PortalStatus
from crm.graphql.relay import to_global_id
from crm.home.models import RecentView
from crm.home.services import KEPT_VIEWS, Day
from crm.staff.models import StaffUser
from crm.tasks.models import Task
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

HOME = """
query ($timeZone: String!) {
  home(timeZone: $timeZone) {
    tasksDue { title overdue contact { fullName } company { name } }
    recentlyViewed { fullName }
    recentlyChanged { fullName }
    counts {
      contacts archived newLeadsThisWeek invitationsWaiting campaignsSending
      byStatus { status count }
    }
    lastImports { fileName state }
  }
}
"""
VIEWED = """
mutation ($input: RecordContactViewInput!) {
  recordContactView(input: $input) { errors { field message code } }
}
"""


async def contact(staff: GraphQLClient, last_name: str, **fields: object) -> str:
    created = await staff.mutate("createContact", CREATE, {"lastName": last_name, **fields})
    assert created["errors"] == [], created
    return created["contact"]["id"]


async def home(client: GraphQLClient, time_zone: str = "UTC") -> dict:
    return (await client.execute(HOME, {"timeZone": time_zone})).data["home"]


async def viewed(staff: GraphQLClient, contact_id: str) -> dict:
    return await staff.mutate("recordContactView", VIEWED, {"contactId": contact_id})


async def test_home_shows_my_tasks_due_today_and_overdue_only(staff) -> None:
    # given my tasks: overdue, due later today, tomorrow, done; and a colleague's
    me = await StaffUser.get(email="staff@example.com")
    colleague = await StaffUser.create(email="c@example.com", password_hash="x")
    now = datetime.now(UTC)
    day = Day.of("UTC", now)
    acme = await Company.create(name="Acme", sort_name="acme")
    ada = await Contact.create(first_name="Ada", last_name="Lovelace", sort_name="lovelace ada")
    await Task.create(
        title="Overdue call", assignee=me, due_at=now - timedelta(days=2), contact=ada
    )
    await Task.create(
        title="Later today", assignee=me, due_at=day.end - timedelta(seconds=1), company=acme
    )
    await Task.create(title="Tomorrow", assignee=me, due_at=day.end + timedelta(hours=1))
    await Task.create(title="Done", assignee=me, due_at=now - timedelta(hours=1), done_at=now)
    await Task.create(title="Theirs", assignee=colleague, due_at=now - timedelta(hours=1))

    # when I open the home page
    tasks = (await home(staff))["tasksDue"]

    # then I see mine that are due by the end of today, the most overdue first
    assert [t["title"] for t in tasks] == ["Overdue call", "Later today"]
    assert tasks[0]["overdue"] is True and tasks[0]["contact"]["fullName"] == "Ada Lovelace"
    assert tasks[1]["company"]["name"] == "Acme"


async def test_counts_follow_the_contacts(staff) -> None:
    # given leads and clients in several statuses, one invited, one archived, an old lead
    await contact(staff, "New lead", type="LEAD")
    await contact(staff, "Contacted", type="LEAD", status="CONTACTED")
    invited = await contact(
        staff, "Client", type="CLIENT", status="CONVERTED", email="c@example.com"
    )
    archived = await contact(staff, "Gone", type="LEAD")
    old = await contact(staff, "Old lead", type="LEAD")
    await Contact.filter(last_name="Client").update(portal_status=PortalStatus.INVITED)
    await Contact.filter(last_name="Gone").update(archived_at=datetime.now(UTC))
    last_month = datetime.now(UTC) - timedelta(days=40)
    await Contact.filter(last_name="Old lead").update(created_at=last_month)
    assert invited and archived and old
    await Campaign.create(name="Sending", subject="s", body="b", status=CampaignStatus.SENDING)

    # when the home page counts
    counts = (await home(staff))["counts"]

    # then
    assert counts["contacts"] == 4 and counts["archived"] == 1
    assert counts["newLeadsThisWeek"] == 2  # not the archived one, nor last month's
    assert counts["invitationsWaiting"] == 1
    assert counts["campaignsSending"] == 1
    by_status = {row["status"]: row["count"] for row in counts["byStatus"]}
    assert by_status == {"NEW": 2, "CONTACTED": 1, "QUALIFIED": 0, "CONVERTED": 1, "UNQUALIFIED": 0}
    assert sum(by_status.values()) == 4


async def test_recently_viewed_is_mine_most_recent_first_and_changed_is_everyones(
    staff, member
) -> None:
    # given three contacts, opened by me in an order, and one by a colleague
    ids = [await contact(staff, name) for name in ("Alpha", "Beta", "Gamma")]
    for contact_id in (ids[0], ids[1], ids[0]):
        assert (await viewed(staff, contact_id))["errors"] == []
    assert (await viewed(member, ids[2]))["errors"] == []

    # when each of us opens the home page
    mine, theirs = await home(staff), await home(member)

    # then each sees what they opened, the most recent first, once each
    assert [c["fullName"] for c in mine["recentlyViewed"]] == ["Alpha", "Beta"]
    assert [c["fullName"] for c in theirs["recentlyViewed"]] == ["Gamma"]
    # and both see the contacts changed last
    assert [c["fullName"] for c in mine["recentlyChanged"]][:3] == ["Gamma", "Beta", "Alpha"]


async def test_only_the_last_views_are_kept(staff) -> None:
    ids = [await contact(staff, f"Seen{n}") for n in range(KEPT_VIEWS + 5)]
    for contact_id in ids:
        assert (await viewed(staff, contact_id))["errors"] == []
    assert await RecentView.all().count() == KEPT_VIEWS
    shown = [c["fullName"] for c in (await home(staff))["recentlyViewed"]]
    assert shown[0] == f"Seen{KEPT_VIEWS + 4}"


async def test_recording_a_view_of_nothing_names_the_field(staff) -> None:
    missing = to_global_id("Contact", 999_999)
    answer = await viewed(staff, missing)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [
        (["input", "contactId"], "NOT_FOUND")
    ]
    wrong_kind = await viewed(staff, to_global_id("Company", 1))
    assert wrong_kind["errors"][0]["code"] == "NOT_FOUND"


async def test_an_unknown_time_zone_is_refused_by_name(staff) -> None:
    result = await staff.execute(HOME, {"timeZone": "Mars/Olympus"})
    assert result.errors and "time zone" in result.errors[0]["message"].lower()


async def test_today_and_this_week_are_the_callers(db) -> None:
    # 23:30 UTC on a Sunday is already Monday in Auckland
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    auckland = Day.of("Pacific/Auckland", sunday_night)
    london = Day.of("Europe/London", sunday_night)
    assert london.week_start.date().isoformat() == "2026-11-23"
    assert auckland.week_start.date().isoformat() == "2026-11-30"
    assert london.end == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


async def test_the_whole_page_is_six_statements(staff) -> None:
    # given plenty of everything
    me = await StaffUser.get(email="staff@example.com")
    now = datetime.now(UTC)
    for n in range(12):
        company = await Company.create(name=f"Co{n}", sort_name=f"co{n}")
        person = await Contact.create(last_name=f"P{n}", sort_name=f"p{n}", company=company)
        await Task.create(title=f"T{n}", assignee=me, due_at=now, contact=person, company=company)
        assert (await viewed(staff, to_global_id("Contact", person.id)))["errors"] == []

    # when the home page asks for everything it shows
    result = await staff.execute(HOME, {"timeZone": "Europe/Paris"})

    # then it costs the session's statement and one per part
    assert len(result.data["home"]["tasksDue"]) == 12
    assert result.query_count == 6


async def test_home_is_for_staff_only(anonymous) -> None:
    result = await anonymous.execute(HOME, {"timeZone": "UTC"})
    assert result.error_codes == ["UNAUTHENTICATED"]
