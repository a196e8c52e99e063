"""Home and tasks in the browser: where sign-in lands, my tasks, tasks on a contact's page,
"Follow up" from a note, completing a call that logs a note, the navigation's badge."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact, field_error

ADD_NOTE = """
mutation($input: AddNoteInput!) { addNote(input: $input) { note { id } errors { message } } }"""
CREATE_TASK = """
mutation($input: CreateTaskInput!) {
  createTask(input: $input) { task { id title } errors { field message } }
}"""
CREATE_STAFF = """
mutation($input: CreateStaffUserInput!) {
  createStaffUser(input: $input) { user { id name } errors { message } }
}"""
TASK = """query($id: ID!) { task(id: $id) { done assignee { name } } }"""
DUE_COUNT = "{ myDueTaskCount }"
LAST_CONTACTED = "query($id: ID!) { contact(id: $id) { lastContactedAt } }"


async def create_task(gql: GraphQL, **fields: object) -> dict[str, str]:
    payload = (await gql(CREATE_TASK, input=fields))["createTask"]
    assert payload["errors"] == []
    return payload["task"]


def hours_from_now(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def notice(page: Page, text: str) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


def task_item(scope: Page | Locator, title: str) -> Locator:
    return scope.get_by_role("listitem").filter(has_text=title)


def detail(page: Page, term: str) -> Locator:
    """The value beside `term` in a page's details."""
    return page.locator(f"dt:text-is('{term}') + dd")


async def fits_the_phone(page: Page) -> None:
    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def test_sign_in_lands_on_home_first_in_the_navigation(anon_page: Page) -> None:
    # given someone signed out who opens the app's address
    page = anon_page
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/sign-in$"))

    # when they sign in
    await page.get_by_role("textbox", name="Email", exact=True).fill(ADMIN_EMAIL)
    await page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()

    # then they are on Home, the first entry of the navigation, and Contacts still opens
    await expect(page).to_have_url(re.compile(r"/home$"))
    await expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    await expect(main_nav(page).get_by_role("link").first).to_have_text("Home")
    await expect(main_nav(page).get_by_role("link", name="Home")).to_have_attribute(
        "aria-current", "page"
    )
    await main_nav(page).get_by_role("link", name="Contacts").click()
    await expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()


async def test_follow_up_a_note_then_find_the_task_upcoming(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact with a call logged on their timeline
    contact = await create_contact(
        gql, firstName="Noor", lastName=f"Haddad {token}", type="LEAD", sendInvite=False
    )
    note = f"Asked for the {token} price list before Friday"
    await gql(ADD_NOTE, input={"contactId": contact["id"], "kind": "CALL", "body": note})
    await page.goto(f"/contacts/{contact['id']}")
    tasks = page.get_by_role("region", name=re.compile("^Tasks"))
    await expect(tasks).to_contain_text("No open tasks.")

    # when "Follow up" is chosen on the note
    timeline = page.get_by_role("region", name="Timeline")
    await timeline.get_by_role("button", name=re.compile("^Follow up on the call")).click()

    # then the new task's form has the contact, in 3 days at 09:00, a title from the note
    dialog = page.get_by_role("dialog", name="New task")
    title = f"Follow up: {note}"
    await expect(dialog.get_by_label("Title")).to_have_value(title)
    await expect(dialog.get_by_label("Due", exact=True)).to_have_value("in3days")
    in_3_days = datetime.now().astimezone() + timedelta(days=3)
    await expect(dialog).to_contain_text(f"{in_3_days.day} {in_3_days:%b}")
    await expect(dialog).to_contain_text("09:00")
    await expect(dialog.get_by_label("About", exact=True)).to_have_value(contact["id"])
    await expect(dialog.get_by_label("Assigned to")).to_contain_text("Me")
    await shoot(page, "task-follow-up")

    # when it is added
    await dialog.get_by_role("button", name="Add task").click()
    await expect(dialog).to_be_hidden()

    # then the contact's Tasks lists it, due in 3 days
    # (as en-GB writes it; ICU puts a comma after the weekday only beside a year)
    await expect(task_item(tasks, title)).to_contain_text(
        re.compile(rf"Due {in_3_days:%a},? {in_3_days.day} {in_3_days:%b}, 09:00")
    )
    await expect(tasks.get_by_role("heading")).to_contain_text("1 open")

    # and My tasks shows it under Upcoming, about the contact
    await main_nav(page).get_by_role("link", name=re.compile("^Tasks")).click()
    await expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    upcoming = page.get_by_role("region", name=re.compile("^Upcoming"))
    item = task_item(upcoming, title)
    await expect(item.get_by_role("link", name=contact["fullName"])).to_be_visible()
    today = page.get_by_role("region", name=re.compile("^Today"))
    await expect(task_item(today, title)).to_have_count(0)


async def test_overdue_call_completed_on_home_logs_a_note(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact never contacted, and a call about them overdue by two hours
    contact = await create_contact(
        gql,
        firstName="Rosa",
        lastName=f"Lindqvist {token}",
        email=f"rosa.{token.lower()}@example.com",
        type="CLIENT",
        sendInvite=False,
    )
    title = f"Call Rosa about the renewal {token}"
    await create_task(
        gql, title=title, kind="CALL", dueAt=hours_from_now(-2), contactId=contact["id"]
    )
    await page.goto(f"/contacts/{contact['id']}")
    await expect(detail(page, "Last contacted")).to_have_text("—")

    # when Home is opened
    await main_nav(page).get_by_role("link", name="Home").click()
    due = page.get_by_role("region", name="My tasks for today")
    item = task_item(due, title)

    # then the task says it is overdue in words, and the contact is among the recently viewed
    await expect(item).to_contain_text("Overdue: was due")
    viewed = page.get_by_role("region", name="Recently viewed")
    await expect(viewed.get_by_role("link").first).to_have_text(contact["fullName"])
    await shoot(page, "home")
    await fits_the_phone(page)

    # when it is ticked done there, logging the call as a note
    await page.set_viewport_size({"width": 1280, "height": 800})
    await item.get_by_role("checkbox", name=f"Mark done: {title}").click()
    dialog = page.get_by_role("dialog", name="Complete the task")
    log = dialog.get_by_role("checkbox", name="Log it as a note")
    await expect(log).to_be_checked()
    await expect(dialog).to_contain_text(f"A call note on {contact['fullName']}")
    await dialog.get_by_role("button", name="Complete").click()

    # then it leaves Home, and the contact was contacted today, by that call
    await expect(notice(page, f"Done: {title}")).to_contain_text("Logged as a call note.")
    await expect(item).to_have_count(0)
    assert (await gql(LAST_CONTACTED, id=contact["id"]))["contact"]["lastContactedAt"]
    await viewed.get_by_role("link", name=contact["fullName"]).click()
    today = datetime.now().astimezone()
    await expect(detail(page, "Last contacted")).to_contain_text(
        f"{today.day} {today:%b} {today.year}"
    )
    timeline = page.get_by_role("region", name="Timeline")
    await expect(timeline).to_contain_text(title)


async def test_the_navigation_counts_my_tasks_due(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given two tasks of mine past their due time and one due tomorrow
    first = f"Send the {token} quote"
    await create_task(gql, title=first, dueAt=hours_from_now(-1))
    await create_task(gql, title=f"Book the {token} venue", dueAt=hours_from_now(-26))
    await create_task(gql, title=f"Prepare the {token} agenda", dueAt=hours_from_now(24))
    count = (await gql(DUE_COUNT))["myDueTaskCount"]
    assert count >= 2

    # when any page is open
    await page.goto("/contacts")

    # then Tasks in the navigation, and Menu on a phone, say how many are due
    tasks_link = main_nav(page).get_by_role("link", name=re.compile("^Tasks"))
    await expect(tasks_link).to_contain_text(f"{count} tasks due")
    await page.set_viewport_size(PHONE)
    await expect(page.get_by_role("button", name="Open menu")).to_contain_text(f"{count} tasks due")
    await page.set_viewport_size({"width": 1280, "height": 800})

    # when one is done on My tasks, the count follows
    await tasks_link.click()
    overdue = page.get_by_role("region", name=re.compile("^Overdue"))
    await expect(task_item(overdue, first)).to_contain_text("Overdue")
    await task_item(overdue, first).get_by_role("checkbox").click()
    await expect(tasks_link).to_contain_text(f"{count - 1} task")
    done = page.get_by_role("region", name=re.compile("^Done"))
    await expect(task_item(done, first)).to_be_visible()
    await shoot(page, "tasks")
    await fits_the_phone(page)


async def test_add_edit_reassign_reopen_and_delete_on_my_tasks(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a colleague, and My tasks open
    colleague = (
        await gql(
            CREATE_STAFF,
            input={
                "email": f"sam.{token.lower()}@example.com",
                "password": "a long and correct password",
                "name": f"Sam Colleague {token}",
            },
        )
    )["createStaffUser"]["user"]
    await page.goto("/tasks")

    # when a task is added with no title
    await page.get_by_role("button", name="Add task").click()
    dialog = page.get_by_role("dialog", name="New task")
    await dialog.get_by_label("Kind").select_option("MEETING")
    await dialog.get_by_label("Due", exact=True).select_option("custom")
    await dialog.get_by_label("Due date and time").fill("2031-03-14T15:30")
    await dialog.get_by_role("button", name="Add task").click()

    # then the form says so under the title, and keeps what was typed
    await expect(field_error(page, "Title")).not_to_be_empty()
    await expect(dialog.get_by_label("Kind")).to_have_value("MEETING")

    # when it gets a title
    title = f"Quarterly review {token}"
    await dialog.get_by_label("Title").fill(title)
    await dialog.get_by_label("Notes").fill("Bring the figures.")
    await dialog.get_by_role("button", name="Add task").click()
    await expect(dialog).to_be_hidden()

    # then it is upcoming, on the day chosen, in the reader's locale
    upcoming = page.get_by_role("region", name=re.compile("^Upcoming"))
    item = task_item(upcoming, title)
    await expect(item).to_contain_text("Fri, 14 Mar 2031, 15:30")
    await expect(item).to_contain_text("Bring the figures.")

    # when it is given to the colleague
    await page.get_by_role("button", name=f"Options for {title}").click()
    await page.get_by_role("menuitem", name="Edit…").click()
    edit = page.get_by_role("dialog", name="Edit task")
    await expect(edit.get_by_label("Due date and time")).to_have_value("2031-03-14T15:30")
    await edit.get_by_label("Assigned to").select_option(label=colleague["name"])
    await edit.get_by_role("button", name="Save").click()
    await expect(edit).to_be_hidden()

    # then it is no longer mine
    await expect(item).to_have_count(0)
    task_id = await created_task_id(gql, title)
    assert (await gql(TASK, id=task_id))["task"]["assignee"]["name"] == colleague["name"]

    # when a task of mine is done, then reopened from Done
    mine = f"Order {token} brochures"
    await create_task(gql, title=mine)
    await page.reload()
    await (
        task_item(page.get_by_role("region", name=re.compile("^Upcoming")), mine)
        .get_by_role("checkbox")
        .click()
    )
    done = page.get_by_role("region", name=re.compile("^Done"))
    await done.get_by_role("checkbox", name=re.compile(f"^Done: {mine}")).click()
    await expect(notice(page, f"Reopened: {mine}.")).to_be_visible()
    assert (await gql(TASK, id=await created_task_id(gql, mine)))["task"]["done"] is False

    # when it is deleted, after a confirmation
    await page.get_by_role("button", name=f"Options for {mine}").click()
    await page.get_by_role("menuitem", name="Delete…").click()
    confirm = page.get_by_role("dialog", name="Delete this task?")
    await expect(confirm).to_contain_text(mine)
    await confirm.get_by_role("button", name="Delete task").click()

    # then it is gone
    await expect(notice(page, f"Task deleted: {mine}.")).to_be_visible()
    await expect(page.get_by_role("listitem").filter(has_text=mine)).to_have_count(0)


TASKS_BY_TITLE = """
query { tasks(first: 100) { edges { node { id title } } } }"""


async def created_task_id(gql: GraphQL, title: str) -> str:
    edges = (await gql(TASKS_BY_TITLE))["tasks"]["edges"]
    return next(edge["node"]["id"] for edge in edges if edge["node"]["title"] == title)


async def test_add_a_task_from_a_company_page(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a company with no tasks
    company = await create_company(gql, f"{token} Harbour Supplies")
    await page.goto(f"/companies/{company['id']}")
    tasks = page.get_by_role("region", name=re.compile("^Tasks"))
    await expect(tasks).to_contain_text("No open tasks.")

    # when a task is added from its Tasks section
    await tasks.get_by_role("button", name="Add task").click()
    dialog = page.get_by_role("dialog", name="New task")

    # then the form is about the company, due tomorrow
    await expect(dialog.get_by_label("About", exact=True)).to_have_value(company["id"])
    await expect(dialog.get_by_label("Due", exact=True)).to_have_value("tomorrow")
    title = f"Send {token} the new price list"
    await dialog.get_by_label("Title").fill(title)
    await dialog.get_by_label("Kind").select_option("EMAIL")
    await dialog.get_by_role("button", name="Add task").click()

    # and the company's open tasks list it, due tomorrow
    await expect(task_item(tasks, title)).to_contain_text("Due tomorrow, 09:00")
    await expect(tasks.get_by_role("heading")).to_contain_text("1 open")
    await shoot(page, "company-tasks")
    await fits_the_phone(page)
