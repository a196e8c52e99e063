"""Reminders: at its due time a task's assignee is emailed once, through the outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from crm.jobs.runner import running
from crm.mail.models import MessageKind, OutboxMessage
from crm.staff.models import StaffRole, StaffUser
from crm.tasks.models import Task
from crm.tasks.reminders import ReminderRunner, send_due_reminders
from tests.conftest import make_staff
from tests.graphql_client import GraphQLClient
from tests.tasks.helpers import COMPLETE, REOPEN, UPDATE, create_task, new_contact


def seconds_from_now(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def reminders() -> list[OutboxMessage]:
    return await OutboxMessage.filter(kind=MessageKind.TASK_REMINDER).order_by("id")


async def come_due(*task_ids: str) -> None:
    """Time passes: the tasks' due times (set while still to come) are now behind us."""
    from crm.graphql.relay import from_global_id

    pks = [from_global_id(task_id)[1] for task_id in task_ids]  # type: ignore[index]
    await Task.filter(id__in=pks).update(due_at=datetime.now(UTC) - timedelta(seconds=1))


async def test_the_assignee_is_emailed_once_at_the_due_time(staff: GraphQLClient) -> None:
    # given a call due soon, about a contact
    contact = await new_contact(staff)
    task = await create_task(
        staff, title="Call Joe about the renewal", contactId=contact, dueAt=seconds_from_now(60)
    )

    # when reminders are looked for before and after its due time, and again later
    before = await send_due_reminders()
    await come_due(task["id"])
    at_due_time = await send_due_reminders()
    later = await send_due_reminders()

    # then one email went, at the due time, to the assignee, leading to the contact's page
    assert (before, at_due_time, later) == (0, 1, 0)
    (email,) = await reminders()
    assert email.to_address == "staff@example.com"
    assert email.subject == "Task due: Call Joe about the renewal"
    assert "It is about Joe Bloggs." in email.text_body
    assert f"http://127.0.0.1:8000/contacts/{contact.replace('=', '%3D')}" in email.text_body
    assert email.priority == 0  # someone waits for it: before any campaign mail
    assert (await Task.get()).reminded_at is not None


async def test_a_task_about_nobody_leads_to_the_tasks_page(staff: GraphQLClient) -> None:
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await come_due(task["id"])
    await send_due_reminders()
    (email,) = await reminders()
    assert "http://127.0.0.1:8000/tasks\n" in email.text_body


async def test_no_reminder_for_a_task_done_before_its_due_time(staff: GraphQLClient) -> None:
    # given a task due soon, completed before then
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await staff.mutate("completeTask", COMPLETE, {"id": task["id"]})

    # when its due time passes
    await come_due(task["id"])
    handled = await send_due_reminders()

    # then no email goes
    assert handled == 0
    assert await reminders() == []


async def test_no_reminder_for_a_deactivated_assignee(staff: GraphQLClient) -> None:
    # given a colleague's task, and the colleague deactivated before it is due
    colleague = await make_staff("colleague@example.com", StaffRole.MEMBER)
    from crm.graphql.relay import to_global_id

    task = await create_task(
        staff, assigneeId=to_global_id("StaffUser", colleague.id), dueAt=seconds_from_now(60)
    )
    await StaffUser.filter(id=colleague.id).update(is_active=False)

    # when it comes due
    await come_due(task["id"])
    await send_due_reminders()

    # then nobody is emailed, and it is not looked at again
    assert await reminders() == []
    assert await send_due_reminders() == 0


async def test_no_reminder_for_a_due_time_already_past_when_set(staff: GraphQLClient) -> None:
    # given a task entered late, its due time an hour ago
    await create_task(staff, dueAt=seconds_from_now(-3600))

    # when reminders are looked for, then none goes: the task shows as overdue instead
    assert await send_due_reminders() == 0
    assert await reminders() == []


async def test_a_new_due_time_brings_a_new_reminder(staff: GraphQLClient) -> None:
    # given a task whose reminder was sent
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await come_due(task["id"])
    await send_due_reminders()

    # when it is put off to later, and that time comes; and then only its title changes
    await staff.mutate("updateTask", UPDATE, {"id": task["id"], "dueAt": seconds_from_now(60)})
    await come_due(task["id"])
    await send_due_reminders()
    await staff.mutate("updateTask", UPDATE, {"id": task["id"], "title": "Renamed"})
    await send_due_reminders()

    # then it was reminded again at the new time, and not for the new title
    assert len(await reminders()) == 2


async def test_a_reminder_due_while_nothing_ran_is_sent_at_start_up_once(
    staff: GraphQLClient,
) -> None:
    # given a task that came due while the server was down
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await come_due(task["id"])

    # when the background runners start, run a moment, stop, and start again
    for _ in range(2):
        async with running([ReminderRunner().runner()]):
            for _ in range(100):
                if await reminders():
                    break
                await asyncio.sleep(0.02)

    # then the reminder went out once
    assert len(await reminders()) == 1


async def test_two_runners_send_each_reminder_once_on_postgres(
    db: str, staff: GraphQLClient
) -> None:
    if db != "postgres":
        pytest.skip("row locking (SKIP LOCKED) is PostgreSQL's; SQLite serialises writes")
    # given 200 tasks of two people come due at once
    people = [await make_staff(f"person{n}@example.com", StaffRole.MEMBER) for n in range(2)]
    moment = datetime.now(UTC) - timedelta(seconds=1)
    await Task.bulk_create(
        [Task(title=f"task {n}", assignee_id=people[n % 2].id, due_at=moment) for n in range(200)]
    )

    # when two runners (as in two app processes) look for reminders at the same time
    async def drain(runner: ReminderRunner) -> int:
        handled = 0
        while claimed := await runner.run_once():
            handled += claimed
        return handled

    first, second = await asyncio.gather(
        drain(ReminderRunner("runner-1", batch=10)), drain(ReminderRunner("runner-2", batch=10))
    )

    # then each task was reminded once, and both runners took part
    emails = await reminders()
    assert len(emails) == 200
    assert len({email.subject for email in emails}) == 200
    assert first + second == 200 and first > 0 and second > 0
    assert await Task.filter(reminded_at__isnull=True).count() == 0


async def test_a_task_completed_while_its_reminder_is_claimed_is_not_reminded(
    staff: GraphQLClient,
) -> None:
    # given a due task claimed by a runner
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await come_due(task["id"])
    runner = ReminderRunner("runner-1")
    claimed = await runner.lease.claim(10)
    assert len(claimed) == 1

    # when it is completed before the runner queues the email
    await staff.mutate("completeTask", COMPLETE, {"id": task["id"]})
    held = await runner.lease.renew([claimed[0]["id"]])

    # then the runner no longer holds it, and no email goes
    assert held == set()
    assert await send_due_reminders() == 0
    assert await reminders() == []


async def test_the_reminder_shows_the_title_as_text(staff: GraphQLClient) -> None:
    # given a task whose title and company name look like HTML
    from crm.companies.models import Company
    from crm.graphql.relay import to_global_id

    company = await Company.create(name="Smith & <Sons>", sort_name="smith")
    task = await create_task(
        staff,
        title="Quote for <b>Bold</b>",
        companyId=to_global_id("Company", company.id),
        dueAt=seconds_from_now(60),
    )

    # when its reminder goes
    await come_due(task["id"])
    await send_due_reminders()

    # then the text part says it as typed, the HTML part escapes it, and it leads to the
    # company's page
    (email,) = await reminders()
    assert "Quote for <b>Bold</b>" in email.text_body
    assert "It is about Smith & <Sons>." in email.text_body
    assert "Quote for &lt;b&gt;Bold&lt;/b&gt;" in email.html_body
    assert "<b>Bold</b>" not in email.html_body
    assert "Smith &amp; &lt;Sons&gt;" in email.html_body
    assert "/companies/" in email.text_body


async def test_a_task_reopened_before_its_due_time_is_reminded_after_all(
    staff: GraphQLClient,
) -> None:
    # given a task due soon, completed, then reopened before its due time
    task = await create_task(staff, dueAt=seconds_from_now(60))
    await staff.mutate("completeTask", COMPLETE, {"id": task["id"]})
    await staff.mutate("reopenTask", REOPEN, {"id": task["id"]})

    # when its due time comes
    await come_due(task["id"])
    await send_due_reminders()

    # then its assignee is reminded
    assert len(await reminders()) == 1
