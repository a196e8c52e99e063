"""The timeline, notes and lead conversion in the browser, against a real server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import PHONE, GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact

ADD_NOTE = """
mutation($input: AddNoteInput!) {
  addNote(input: $input) { note { id } errors { field message } }
}"""


async def add_note(gql: GraphQL, **fields: object) -> None:
    payload = (await gql(ADD_NOTE, input=fields))["addNote"]
    assert payload["errors"] == []


def timeline(page: Page) -> Locator:
    return page.get_by_role("region", name="Timeline")


def entries(page: Page) -> Locator:
    return timeline(page).get_by_role("list", name=re.compile("^Activity")).locator("> li.tl-entry")


def entry(page: Page, text: str) -> Locator:
    return entries(page).filter(has_text=text)


def field_error(root: Locator, label: str) -> Locator:
    """The error shown beside the control labelled `label` inside `root`."""
    page = root.page
    control = page.get_by_label(label, exact=True).or_(page.get_by_role("textbox", name=label))
    return root.locator(".field", has=control).locator(".field-error")


def medium_date(moment: datetime) -> re.Pattern[str]:
    """The day as the app writes it in en-GB ("28 Nov 2026"; September may be "Sept")."""
    return re.compile(rf"^{moment.day} {moment:%b}\w* {moment.year}$")


async def open_actions(page: Page, item: str) -> None:
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name=item).click()


async def test_log_a_call_and_see_last_contacted_change_in_the_list(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact nobody has called, as the list shows it
    contact = await create_contact(gql, firstName="Cal", lastName=token)
    await page.goto(f"/contacts?q={token}")
    last_contacted = page.get_by_role("row", name=re.compile(token)).locator(
        'td[data-label="Last contacted"]'
    )
    await expect(last_contacted).to_have_text("—")

    # when a call made three days ago is logged from the contact's Actions menu
    await page.get_by_role("link", name=contact["fullName"]).click()
    await open_actions(page, "Log a call")
    composer = page.get_by_role("form", name="New note")
    await expect(composer.get_by_role("textbox", name="Note")).to_be_focused()
    await expect(composer.get_by_role("radio", name="Call")).to_be_checked()
    await page.keyboard.type("Called about the spring order.\nWants a quote by Friday.")
    await composer.get_by_role("button", name="Change time").click()
    called = (datetime.now() - timedelta(days=3)).replace(hour=10, minute=30)
    await composer.get_by_label("When").fill(called.strftime("%Y-%m-%dT%H:%M"))
    await shoot(page, "note-composer")
    await composer.get_by_role("button", name="Log call").click()

    # then the call is on the timeline, the composer is ready for the next note
    await expect(timeline(page).get_by_role("status")).to_have_text("Call logged.")
    call = entry(page, "Call logged")
    await expect(call).to_contain_text("Wants a quote by Friday.")
    await expect(call.locator("time")).to_have_text(re.compile("^[23] days ago$"))
    await expect(call.locator("time")).to_have_attribute("title", re.compile("10:30"))
    await expect(composer.get_by_role("textbox", name="Note")).to_have_value("")
    await expect(composer.get_by_role("radio", name="Other")).to_be_checked()

    # and the list, back where it was, shows the new "Last contacted"
    await page.go_back()
    await expect(last_contacted).to_have_text(medium_date(called))


async def test_edit_a_field_and_read_the_diff_on_the_timeline(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a buyer
    contact = await create_contact(gql, firstName="Dee", lastName=token, jobTitle="Buyer")
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=contact["fullName"]).click()
    await expect(entry(page, "Added to the CRM")).to_be_visible()

    # when their job title is changed in the form
    await open_actions(page, "Edit")
    await page.get_by_label("Job title", exact=True).fill("Head buyer")
    await page.get_by_role("button", name="Save changes").click()

    # then the timeline says what changed, as a person reads it, newest first
    await expect(entries(page).first).to_contain_text("Changed job title")
    await expect(entries(page).first).to_contain_text("Job title: Buyer → Head buyer")
    await expect(entries(page).last).to_contain_text("Added to the CRM")
    await shoot(page, "contact-timeline")

    # and the chips narrow it by kind
    chips = timeline(page).get_by_role("group", name="Show in the timeline")
    await chips.get_by_role("button", name="Notes").click()
    await expect(chips.get_by_role("button", name="Notes")).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(timeline(page).get_by_text("No notes yet.")).to_be_visible()
    await expect(entries(page)).to_have_count(0)
    await chips.get_by_role("button", name="Changes").click()
    await expect(entries(page)).to_have_count(2)
    await chips.get_by_role("button", name="All").click()
    await expect(entries(page)).to_have_count(2)


async def test_convert_a_lead_asking_for_the_email(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a lead with no email
    lead = await create_contact(gql, firstName="Lia", lastName=token, type="LEAD")
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=lead["fullName"]).click()

    # when it is converted without an email, then the server's error is beside the field
    await open_actions(page, "Convert to client…")
    dialog = page.get_by_role("dialog", name=f"Convert {lead['fullName']}")
    await expect(dialog.get_by_role("radio", name="Client")).to_be_checked()
    await dialog.get_by_role("button", name="Convert to client").click()
    await expect(field_error(dialog, "Email")).to_contain_text("required")
    await dialog.get_by_label("Email").fill("not an email")
    await dialog.get_by_role("button", name="Convert to client").click()
    await expect(field_error(dialog, "Email")).to_contain_text("not a valid email")
    await shoot(page, "convert-lead-dialog")

    # when the email is given, then the lead is a converted client, on the timeline too
    await dialog.get_by_label("Email").fill(f"{token.lower()}@example.com")
    await dialog.get_by_role("button", name="Convert to client").click()
    await expect(dialog).to_have_count(0)
    await expect(page.get_by_text(f"{lead['fullName']} is now a client.")).to_be_visible()
    details = page.get_by_role("region", name="Details")
    await expect(details).to_contain_text("Client")
    await expect(details).to_contain_text("Converted")
    converted = entry(page, "Converted from lead to client")
    await expect(converted).to_contain_text("Type: Lead → Client")
    await expect(converted).to_contain_text(f"Email: none → {token.lower()}@example.com")
    await page.get_by_role("button", name="Actions").click()
    await expect(page.get_by_role("menuitem", name="Log a call")).to_be_visible()
    await expect(page.get_by_role("menuitem", name=re.compile("^Convert"))).to_have_count(0)
    await page.keyboard.press("Escape")


async def test_convert_a_lead_with_an_email_to_a_prospect(
    page: Page, gql: GraphQL, token: str
) -> None:
    lead = await create_contact(
        gql, firstName="Pat", lastName=token, type="LEAD", email=f"{token.lower()}@example.com"
    )
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=lead["fullName"]).click()
    await open_actions(page, "Convert to client…")
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_label("Email")).to_have_count(0)
    await dialog.get_by_role("radio", name="Prospect").check()
    await dialog.get_by_role("button", name="Convert to prospect").click()
    await expect(page.get_by_text(f"{lead['fullName']} is now a prospect.")).to_be_visible()
    await expect(entry(page, "Converted from lead to prospect")).to_contain_text(
        "Type: Lead → Prospect"
    )


async def test_note_errors_edit_and_delete(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    contact = await create_contact(gql, firstName="Ned", lastName=token)
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=contact["fullName"]).click()
    composer = page.get_by_role("form", name="New note")

    # when a blank note is saved, then the server's error is beside the text
    await composer.get_by_role("button", name="Add note").click()
    await expect(field_error(composer, "Note")).to_contain_text("required")
    await expect(composer.get_by_role("textbox", name="Note")).to_have_attribute(
        "aria-invalid", "true"
    )

    # given a note
    await composer.get_by_role("textbox", name="Note").fill("First draft")
    await composer.get_by_role("button", name="Add note").click()
    note = entry(page, "First draft")
    await expect(note).to_contain_text("Note logged")

    # when its editor opens and Escape is pressed, then it closes, the focus back on Edit
    edit = note.get_by_role("button", name=re.compile("^Edit note"))
    await edit.click()
    editor = page.get_by_role("form", name=re.compile("^Edit note"))
    await expect(editor.get_by_role("textbox", name="Note")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(editor).to_have_count(0)
    await expect(edit).to_be_focused()

    # when it is edited to a meeting far ahead, then the server refuses the time beside it
    await page.keyboard.press("Enter")
    await expect(editor.get_by_role("textbox", name="Note")).to_be_focused()
    await editor.get_by_role("textbox", name="Note").fill("Second draft\nwith two lines")
    await editor.get_by_role("radio", name="Meeting").check()
    await editor.get_by_label("When").fill("2100-01-01T09:00")
    await editor.get_by_role("button", name="Save").click()
    await expect(field_error(editor, "When")).to_contain_text("more than a day ahead")
    await shoot(page, "note-editing")

    # when it happened now after all, then it is saved
    await editor.get_by_role("button", name="Now").click()
    await editor.get_by_role("button", name="Save").click()
    await expect(editor).to_have_count(0)
    meeting = entry(page, "Second draft")
    await expect(meeting).to_contain_text("Meeting logged")
    await expect(meeting).to_contain_text("with two lines")
    await expect(meeting.get_by_role("button", name=re.compile("^Edit meeting"))).to_be_focused()
    await expect(entry(page, "First draft")).to_have_count(0)

    # when it is deleted, a confirmation first
    await meeting.get_by_role("button", name=re.compile("^Delete meeting")).click()
    confirm = page.get_by_role("dialog", name="Delete this meeting?")
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(meeting).to_be_visible()
    await meeting.get_by_role("button", name=re.compile("^Delete meeting")).click()
    await confirm.get_by_role("button", name="Delete meeting").click()
    await expect(page.get_by_text("The meeting was deleted.")).to_be_visible()
    await expect(entry(page, "Second draft")).to_have_count(0)
    await expect(entries(page)).to_have_count(1)


async def test_company_timeline_marks_a_contacts_note_with_their_name(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a company whose contact had a call, and a meeting noted on the company itself
    company = await create_company(gql, f"{token} Traders")
    contact = await create_contact(gql, firstName="Cora", lastName=token, companyId=company["id"])
    await add_note(gql, contactId=contact["id"], kind="CALL", body="Asked for the catalogue.")
    await page.goto(f"/companies?q={token}")
    await page.get_by_role("link", name=company["name"]).click()
    composer = page.get_by_role("form", name="New note")
    await composer.get_by_role("radio", name="Meeting").check()
    await composer.get_by_role("textbox", name="Note").fill("Annual review at their office.")
    await composer.get_by_role("button", name="Log meeting").click()

    # then both are on the company's timeline, the contact's marked with their name
    await expect(entries(page).first).to_contain_text("Annual review at their office.")
    await expect(entries(page).first).to_contain_text("Meeting logged")
    call = entry(page, "Asked for the catalogue.")
    await expect(call).to_contain_text(f"Call with {contact['fullName']}")
    await shoot(page, "company-timeline")

    # and the name leads to the contact
    await call.get_by_role("link", name=contact["fullName"]).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(contact["fullName"])
    await expect(entry(page, "Asked for the catalogue.")).to_contain_text("Call logged")


async def test_more_events_load_as_you_scroll_or_press_show_more(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a contact with 45 notes and its creation: 46 events, 20 a page
    contact = await create_contact(gql, firstName="Many", lastName=token)
    for number in range(45):
        await add_note(gql, contactId=contact["id"], body=f"Note number {number:02d}")
    await page.set_viewport_size(PHONE)
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=contact["fullName"]).click()
    await expect(entries(page)).to_have_count(20)
    await expect(entries(page).first).to_contain_text("Note number 44")

    # when the end of the list scrolls into view, then the next page follows
    await timeline(page).get_by_role("button", name="Show more").scroll_into_view_if_needed()
    await expect(entries(page)).to_have_count(40)
    await expect(entries(page).nth(20)).to_contain_text("Note number 24")

    # given a browser that cannot watch the scrolling
    await page.add_init_script("window.IntersectionObserver = undefined")
    await page.reload()
    await expect(entries(page)).to_have_count(20)

    # when "Show more" is pressed from the keyboard, then the next page follows each time
    show_more = timeline(page).get_by_role("button", name="Show more")
    await show_more.focus()
    await page.keyboard.press("Enter")
    await expect(entries(page)).to_have_count(40)
    await expect(show_more).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(entries(page)).to_have_count(46)
    await expect(entries(page).last).to_contain_text("Added to the CRM")
    await expect(show_more).to_have_count(0)
