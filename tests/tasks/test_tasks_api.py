"""Tasks through the API: create, edit, reassign, complete, reopen, delete, and the lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm.staff.models import StaffRole, StaffUser
from crm.tasks.models import Task
from tests.conftest import make_staff
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import activate, invited_client, latest_token
from tests.tasks.helpers import (
    COMPLETE,
    CREATE,
    DELETE,
    REOPEN,
    TASKS,
    UPDATE,
    create_task,
    my_id,
    new_company,
    new_contact,
    titles,
)


def hours_from_now(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def codes(payload: dict) -> list[tuple[list[str], str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def test_a_task_is_mine_unless_i_say_whose(member: GraphQLClient) -> None:
    # given a colleague
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    # when a MEMBER creates one task for themselves and one for the colleague
    mine = await create_task(member, title="  Send the quote  ", notes="Line one\nLine two")
    theirs = await create_task(member, assigneeId=to_global_id("StaffUser", colleague.id))

    # then the first is theirs, the second the colleague's, both created by the MEMBER
    assert mine["title"] == "Send the quote"
    assert mine["notes"] == "Line one\nLine two"
    assert mine["kind"] == "TODO"
    assert mine["assignee"]["email"] == "member@example.com"
    assert theirs["assignee"]["email"] == "colleague@example.com"
    assert theirs["createdBy"] == mine["createdBy"] == {"id": await my_id(member)}
    assert mine["done"] is False and mine["doneBy"] is None


async def test_the_input_errors_name_their_fields(staff: GraphQLClient) -> None:
    # given a deactivated colleague
    gone = await make_staff("gone@example.com", StaffRole.MEMBER)
    await StaffUser.filter(id=gone.id).update(is_active=False)
    from crm.graphql.relay import to_global_id

    # when tasks are created with a blank title, too long notes, a deactivated assignee, and
    # a contact and a company that do not exist
    blank = await staff.mutate("createTask", CREATE, {"title": "   "})
    too_long = await staff.mutate("createTask", CREATE, {"title": "x" * 201, "notes": "y" * 20_001})
    wrong = await staff.mutate(
        "createTask",
        CREATE,
        {
            "title": "Call",
            "assigneeId": to_global_id("StaffUser", gone.id),
            "contactId": to_global_id("Contact", 999),
            "companyId": "not an id",
        },
    )

    # then each says what is wrong with which field, and nothing was created
    assert codes(blank) == [(["input", "title"], "REQUIRED")]
    assert codes(too_long) == [(["input", "title"], "INVALID"), (["input", "notes"], "INVALID")]
    assert "at most 200 characters" in too_long["errors"][0]["message"]
    assert codes(wrong) == [
        (["input", "assigneeId"], "NOT_ALLOWED"),
        (["input", "contactId"], "NOT_FOUND"),
        (["input", "companyId"], "NOT_FOUND"),
    ]
    assert "deactivated" in wrong["errors"][0]["message"]
    assert await Task.all().count() == 0


async def test_a_task_is_edited_and_reassigned(staff: GraphQLClient) -> None:
    # given a task about a contact
    contact = await new_contact(staff)
    company = await new_company(staff)
    task = await create_task(staff, contactId=contact, dueAt=hours_from_now(2))
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    # when it is retitled, moved to the company, given a new time and a colleague
    payload = await staff.mutate(
        "updateTask",
        UPDATE,
        {
            "id": task["id"],
            "title": "Visit them",
            "kind": "MEETING",
            "contactId": None,
            "companyId": company,
            "dueAt": "2031-05-01T09:00:00+00:00",
            "assigneeId": to_global_id("StaffUser", colleague.id),
        },
    )

    # then the task says so, and what was not given stays as it was
    assert payload["errors"] == []
    updated = payload["task"]
    assert (updated["title"], updated["kind"], updated["dueAt"]) == (
        "Visit them",
        "MEETING",
        "2031-05-01T09:00:00+00:00",
    )
    assert updated["contact"] is None and updated["company"]["id"] == company
    assert updated["assignee"]["email"] == "colleague@example.com"
    assert updated["notes"] is None


async def test_an_edit_cannot_leave_a_task_without_a_title_or_an_assignee(
    staff: GraphQLClient,
) -> None:
    task = await create_task(staff)
    payload = await staff.mutate(
        "updateTask", UPDATE, {"id": task["id"], "title": None, "assigneeId": None}
    )
    assert codes(payload) == [
        (["input", "title"], "REQUIRED"),
        (["input", "assigneeId"], "REQUIRED"),
    ]
    assert (await Task.get()).title == "Call back"


async def test_a_task_keeps_its_deactivated_assignee_until_reassigned(
    staff: GraphQLClient,
) -> None:
    # given a task of a colleague who was then deactivated
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    colleague_id = to_global_id("StaffUser", colleague.id)
    task = await create_task(staff, assigneeId=colleague_id)
    await StaffUser.filter(id=colleague.id).update(is_active=False)

    # when it is edited naming the same assignee
    payload = await staff.mutate(
        "updateTask",
        UPDATE,
        {"id": task["id"], "title": "Still theirs", "assigneeId": colleague_id},
    )

    # then that is allowed: the task is still theirs
    assert payload["errors"] == []
    assert payload["task"]["assignee"]["email"] == "colleague@example.com"


async def test_completing_records_who_and_when_and_reopening_clears_it(
    staff: GraphQLClient, member: GraphQLClient
) -> None:
    # given a task of the ADMIN
    task = await create_task(staff)

    # when the MEMBER completes it, then the ADMIN completes it again
    before = datetime.now(UTC)
    done = await member.mutate("completeTask", COMPLETE, {"id": task["id"]})
    again = await staff.mutate("completeTask", COMPLETE, {"id": task["id"]})

    # then the MEMBER did it, when they did, and the second completion changed nothing
    assert done["errors"] == []
    assert done["task"]["done"] is True
    assert done["task"]["doneBy"]["email"] == "member@example.com"
    assert datetime.fromisoformat(done["task"]["doneAt"]) >= before
    assert again["task"]["doneBy"] == done["task"]["doneBy"]
    assert again["task"]["doneAt"] == done["task"]["doneAt"]

    # when it is reopened, it is open again, nobody's done
    reopened = await staff.mutate("reopenTask", REOPEN, {"id": task["id"]})
    assert reopened["errors"] == []
    assert (reopened["task"]["done"], reopened["task"]["doneAt"], reopened["task"]["doneBy"]) == (
        False,
        None,
        None,
    )


async def test_a_task_is_deleted(staff: GraphQLClient) -> None:
    task = await create_task(staff)
    payload = await staff.mutate("deleteTask", DELETE, {"id": task["id"]})
    assert payload == {"deletedId": task["id"], "errors": []}
    assert await Task.all().count() == 0
    missing = await staff.mutate("deleteTask", DELETE, {"id": task["id"]})
    assert codes(missing) == [(["input", "id"], "NOT_FOUND")]


async def test_completing_a_call_can_log_it_as_a_note_on_the_contact(
    staff: GraphQLClient,
) -> None:
    # given a call to make to a contact never contacted
    contact = await new_contact(staff)
    call = await create_task(staff, kind="CALL", contactId=contact, notes="Ask about renewal")

    # when it is completed and logged as a note
    payload = await staff.mutate("completeTask", COMPLETE, {"id": call["id"], "logAsNote": True})

    # then the contact was contacted now, and the call is a note on their timeline
    assert payload["errors"] == []
    assert payload["task"]["contact"]["lastContactedAt"] is not None
    timeline = await staff.execute(
        """query ($id: ID!) { contact(id: $id) {
             timeline { edges { node { kind note { kind body } } } } } }""",
        {"id": contact},
    )
    events = [edge["node"] for edge in timeline.data["contact"]["timeline"]["edges"]]
    assert {"kind": "NOTE", "note": {"kind": "CALL", "body": "Call back\n\nAsk about renewal"}} in (
        events
    )


async def test_only_a_way_of_being_in_touch_about_someone_is_logged_as_a_note(
    staff: GraphQLClient,
) -> None:
    # given a to-do about a contact, and a meeting about nobody
    contact = await new_contact(staff)
    todo = await create_task(staff, contactId=contact)
    meeting = await create_task(staff, kind="MEETING")

    # when each is completed as a note
    first = await staff.mutate("completeTask", COMPLETE, {"id": todo["id"], "logAsNote": True})
    second = await staff.mutate("completeTask", COMPLETE, {"id": meeting["id"], "logAsNote": True})

    # then both are refused on logAsNote and stay open
    assert codes(first) == [(["input", "logAsNote"], "NOT_ALLOWED")]
    assert codes(second) == [(["input", "logAsNote"], "NOT_ALLOWED")]
    assert await Task.filter(done_at__isnull=True).count() == 2


async def test_the_filters_and_the_order_of_the_lists(staff: GraphQLClient) -> None:
    # given my tasks: overdue, due later, due whenever, done; a colleague's; one on a contact
    contact = await new_contact(staff)
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    await create_task(staff, title="later", dueAt=hours_from_now(48))
    await create_task(staff, title="whenever")
    await create_task(staff, title="overdue", dueAt=hours_from_now(-2))
    await create_task(staff, title="soon", dueAt=hours_from_now(1), contactId=contact)
    first_done = await create_task(staff, title="done first")
    last_done = await create_task(staff, title="done last", dueAt=hours_from_now(-5))
    await create_task(
        staff,
        title="theirs",
        dueAt=hours_from_now(3),
        assigneeId=to_global_id("StaffUser", colleague.id),
    )
    for task in (first_done, last_done):
        await staff.mutate("completeTask", COMPLETE, {"id": task["id"]})
    me = await my_id(staff)

    # when the lists are read, then open ones come by due time (none last), done ones most
    # recently done first, and each filter keeps only its own
    assert await titles(staff, assigneeId=me, done=False) == [
        "overdue",
        "soon",
        "later",
        "whenever",
    ]
    assert await titles(staff, done=True) == ["done last", "done first"]
    assert await titles(staff, overdue=True) == ["overdue"]
    # (open tasks with no due time are never overdue)
    not_overdue = ["done last", "soon", "theirs", "later", "whenever", "done first"]
    assert await titles(staff, overdue=False) == not_overdue
    assert await titles(staff, contactId=contact) == ["soon"]
    assert await titles(staff, assigneeId=to_global_id("StaffUser", colleague.id)) == ["theirs"]
    assert await titles(staff, assigneeId="not an id") == []
    overdue = await staff.execute(
        "{ tasks(filter: {overdue: true}) { edges { node { overdue } } } }"
    )
    assert overdue.data["tasks"]["edges"] == [{"node": {"overdue": True}}]


async def test_the_list_pages_with_cursors(staff: GraphQLClient) -> None:
    for hour in range(5):
        await create_task(staff, title=f"task {hour}", dueAt=hours_from_now(hour + 1))
    await create_task(staff, title="no time")
    seen: list[str] = []
    after = None
    while True:
        result = await staff.execute(TASKS, {"first": 2, "after": after})
        page = result.data["tasks"]
        seen += [edge["node"]["title"] for edge in page["edges"]]
        assert page["totalCount"] == 6
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [*(f"task {hour}" for hour in range(5)), "no time"]


async def test_contact_and_company_pages_list_their_tasks(staff: GraphQLClient) -> None:
    # given tasks about a contact and about a company, one of each done
    contact = await new_contact(staff)
    company = await new_company(staff)
    await create_task(staff, title="call Joe", contactId=contact)
    done = await create_task(staff, title="called Joe", contactId=contact)
    await staff.mutate("completeTask", COMPLETE, {"id": done["id"]})
    await create_task(staff, title="visit Acme", companyId=company)

    # when the pages read their tasks, open ones and done ones
    result = await staff.execute(
        """query ($contact: ID!, $company: ID!) {
             contact(id: $contact) {
               open: tasks(done: false) { edges { node { title } } }
               done: tasks(done: true) { edges { node { title } } }
             }
             company(id: $company) { tasks { edges { node { title } } totalCount } }
           }""",
        {"contact": contact, "company": company},
    )

    # then each lists its own
    data = result.data
    assert [edge["node"]["title"] for edge in data["contact"]["open"]["edges"]] == ["call Joe"]
    assert [edge["node"]["title"] for edge in data["contact"]["done"]["edges"]] == ["called Joe"]
    assert data["company"]["tasks"]["totalCount"] == 1


async def test_a_task_is_found_by_its_id(staff: GraphQLClient) -> None:
    task = await create_task(staff)
    one = await staff.execute("query ($id: ID!) { task(id: $id) { title } }", {"id": task["id"]})
    node = await staff.execute(
        "query ($id: ID!) { node(id: $id) { ... on Task { title } } }", {"id": task["id"]}
    )
    assert one.data["task"] == node.data["node"] == {"title": "Call back"}


async def test_my_due_task_count_is_my_open_tasks_due_by_now(staff: GraphQLClient) -> None:
    # given my tasks: overdue, due later, done overdue; and a colleague's overdue one
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    await create_task(staff, dueAt=hours_from_now(-1))
    await create_task(staff, dueAt=hours_from_now(1))
    done = await create_task(staff, dueAt=hours_from_now(-3))
    await staff.mutate("completeTask", COMPLETE, {"id": done["id"]})
    await create_task(
        staff, dueAt=hours_from_now(-1), assigneeId=to_global_id("StaffUser", colleague.id)
    )

    # when the badge is read, then it counts the one overdue open task that is mine
    result = await staff.execute("{ myDueTaskCount }")
    assert result.data["myDueTaskCount"] == 1


TASK_PAGE = """
{
  tasks(first: 50) {
    edges { node { title overdue assignee { name } doneBy { name } createdBy { name }
                   contact { fullName } company { name } } }
  }
}
"""
# The session lookup, the page of tasks, their staff users (assignees, completers and
# creators together), their contacts, their companies.
TASK_PAGE_STATEMENTS = 5


@pytest.mark.parametrize("count", [3, 60])
async def test_a_page_of_tasks_costs_a_fixed_number_of_statements(
    staff: GraphQLClient, count: int
) -> None:
    # given tasks of several assignees, about several contacts and companies, some done
    people = [await make_staff(f"person{n}@example.com", StaffRole.MEMBER) for n in range(3)]
    contacts = [await new_contact(staff, f"Contact {n}") for n in range(4)]
    companies = [await new_company(staff, f"Company {n}") for n in range(4)]
    from crm.graphql.relay import from_global_id

    await Task.bulk_create(
        [
            Task(
                title=f"task {n}",
                assignee_id=people[n % 3].id,
                created_by_id=people[0].id,
                contact_id=from_global_id(contacts[n % 4])[1],  # type: ignore[index]
                company_id=from_global_id(companies[n % 4])[1],  # type: ignore[index]
                done_at=datetime.now(UTC) if n % 2 else None,
                done_by_id=people[1].id if n % 2 else None,
            )
            for n in range(count)
        ]
    )

    # when a page of them is read with everyone and everything they name
    result = await staff.execute(TASK_PAGE)

    # then it costs the same few statements whatever the size of the page
    edges = result.data["tasks"]["edges"]
    assert len(edges) == min(count, 50)
    assert all(edge["node"]["assignee"] and edge["node"]["contact"] for edge in edges)
    assert result.query_count == TASK_PAGE_STATEMENTS


async def test_the_due_range_picks_todays_tasks(staff: GraphQLClient) -> None:
    # given tasks due yesterday, in an hour, tomorrow, and whenever
    await create_task(staff, title="yesterday", dueAt=hours_from_now(-24))
    await create_task(staff, title="in an hour", dueAt=hours_from_now(1))
    await create_task(staff, title="tomorrow", dueAt=hours_from_now(30))
    await create_task(staff, title="whenever")

    # when the tasks due from now until a day from now are asked for
    due = {"from": hours_from_now(0), "to": hours_from_now(24)}

    # then only the one in an hour is
    assert await titles(staff, due=due, done=False) == ["in an hour"]


TASK_DOCUMENTS = [
    ("{ tasks { totalCount } }", "tasks"),
    ("{ myDueTaskCount }", "myDueTaskCount"),
    ('{ task(id: "VGFzazox") { title } }', "task"),
    ('mutation { createTask(input: {title: "Spy"}) { task { id } } }', "createTask"),
    ('mutation { completeTask(input: {id: "VGFzazox"}) { task { id } } }', "completeTask"),
    ('mutation { deleteTask(input: {id: "VGFzazox"}) { deletedId } }', "deleteTask"),
]


@pytest.mark.parametrize(("document", "name"), TASK_DOCUMENTS)
async def test_tasks_are_staff_only(
    staff: GraphQLClient, anonymous: GraphQLClient, document: str, name: str
) -> None:
    # given a task, and a contact signed in to the portal (on the anonymous client)
    await create_task(staff, title="Internal: chase payment")
    await invited_client(staff, firstName="Pia", lastName="Portal", email="pia@example.com")
    signed_out = await anonymous.execute(document)
    payload = await activate(anonymous, await latest_token("pia@example.com"))
    assert payload["errors"] == []

    # when each asks for tasks or changes one
    portal = await anonymous.execute(document)

    # then the contact is refused, the anonymous caller asked to sign in, and nothing changed
    assert portal.error_codes == ["FORBIDDEN"], portal.body
    assert signed_out.error_codes == ["UNAUTHENTICATED"], signed_out.body
    for result in (portal, signed_out):
        assert (result.body.get("data") or {}).get(name) is None
    assert [task.title for task in await Task.all()] == ["Internal: chase payment"]
