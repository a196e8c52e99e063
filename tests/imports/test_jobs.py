"""Import jobs: preview, duplicates, groups, failed rows, cancel, failure, resume, round trip."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from crm.contacts.models import Contact, PhoneNumber
from crm.graphql.relay import decode_id
from crm.groups.models import Group, GroupMembership
from crm.imports import batch, jobs, uploads
from crm.imports.models import ImportJob, ImportState, ImportUploadChunk
from crm.imports.runner import ImportRunner, run_pending_jobs
from tests.contacts.helpers import create_contact
from tests.imports.helpers import (
    CANCEL,
    PREVIEW,
    START,
    csv_bytes,
    import_file,
    job,
    preview,
    proposed_columns,
    uploaded_job,
)

SEARCH = "query ($search: String) { contacts(search: $search) { totalCount } }"
HEADER = ["First name", "Last name", "Email", "Mobile", "Type", "Company", "Country"]


async def first_batch_written(runner: asyncio.Task) -> None:
    for _ in range(5000):
        if (await ImportJob.get(id=1)).rows_done or runner.done():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the runner wrote nothing")


def pk(job_data: dict) -> int:
    return decode_id(job_data["id"], "ImportJob", ("id",))


def people(count: int, start: int = 0) -> list[list[str]]:
    return [
        [f"First{n}", f"Last{n}", f"person{n}@example.com", "", "", "", ""]
        for n in range(start, start + count)
    ]


async def test_preview_counts_and_lists_errors_by_row_and_column(staff) -> None:
    # given an existing contact and a file with good, bad and repeated rows
    await create_contact(staff, lastName="Known", email="known@example.com")
    content = csv_bytes(
        [
            HEADER,
            ["Ada", "Lovelace", "ada@example.com", "07400 123456", "Client", "", "GB"],
            ["", "", "no-name@example.com", "", "", "", ""],
            ["Bob", "Jones", "not-an-email", "12", "Wizard", "", "Narnia"],
            ["Ada", "Again", "ADA@example.com", "", "", "", ""],
            ["K", "Known", "Known@Example.com", "", "", "", ""],
            ["", "", "", "", "", "", ""],
            ["Pro", "Spect", "", "", "Prospect", "", ""],
        ]
    )
    job_data = await uploaded_job(staff, content)
    # when previewed
    previewed = await preview(staff, job_data)
    # then nothing is written and every problem names its row and column
    assert previewed["state"] == "PREVIEWED"
    assert previewed["preview"] | {"errors": None} == {
        "totalRows": 6,
        "validRows": 2,
        "invalidRows": 4,
        "newRows": 1,
        "existingRows": 1,
        "inFileDuplicateRows": 1,
        "partialRows": 0,
        "errors": None,
    }
    problems = {(e["row"], e["column"], e["code"]) for e in previewed["preview"]["errors"]}
    assert problems == {
        (3, "Last name", "REQUIRED"),
        (4, "Email", "INVALID"),
        (4, "Mobile", "INVALID"),
        (4, "Type", "INVALID"),
        (4, "Country", "INVALID"),
        (5, "Email", "DUPLICATE"),
        (8, "Email", "REQUIRED"),
    }
    assert await Contact.all().count() == 1


@pytest.mark.parametrize("mode", ["SKIP", "UPDATE", "ERROR"])
async def test_duplicate_modes(staff, mode) -> None:
    # given a contact the file also holds (its email in another case)
    existing = await create_contact(
        staff,
        firstName="Old",
        lastName="Name",
        email="dup@example.com",
        jobTitle="Keeps",
        phones=[{"number": "020 7946 0018", "type": "OFFICE"}],
    )
    content = csv_bytes(
        [
            ["First name", "Last name", "Email", "Mobile", "Job title"],
            ["New", "Person", "new@example.com", "", ""],
            ["Updated", "Name", "DUP@example.com", "07400 123456", ""],
        ]
    )
    done = await import_file(staff, content, {"duplicateMode": mode})
    contact = await Contact.get(email_key="dup@example.com").prefetch_related("phones")
    phones = sorted((p.type, p.e164) for p in contact.phones)
    assert done["createdCount"] == 1
    if mode == "SKIP":
        assert (done["skippedCount"], done["failedCount"], done["updatedCount"]) == (1, 0, 0)
        assert contact.first_name == "Old"
    elif mode == "ERROR":
        assert (done["skippedCount"], done["failedCount"]) == (0, 1)
        assert done["errors"][0]["row"] == 3 and done["errors"][0]["code"] == "DUPLICATE"
        assert contact.first_name == "Old"
    else:
        assert done["updatedCount"] == 1
        # only mapped, non-empty cells change; the office number stays beside the new mobile
        assert (contact.first_name, contact.job_title) == ("Updated", "Keeps")
        assert phones == [("MOBILE", "+447400123456"), ("OFFICE", "+442079460018")]
        assert existing["id"]


async def test_update_mode_needs_only_the_columns_it_changes(staff) -> None:
    # given a contact, and a file of emails and job titles only (no name column)
    await create_contact(staff, firstName="Ann", lastName="Lee", email="ann@example.com")
    content = csv_bytes(
        [
            ["Email", "Job title"],
            ["ANN@example.com", "Buyer"],
            ["stranger@example.com", "Chef"],
        ]
    )
    # when imported in UPDATE mode
    done = await import_file(staff, content, {"duplicateMode": "UPDATE"})
    # then the known contact is updated; only the unknown row needs the name it lacks
    assert (done["updatedCount"], done["createdCount"], done["failedCount"]) == (1, 0, 1)
    assert [(e["row"], e["code"]) for e in done["errors"]] == [(3, "REQUIRED")]
    ann = await Contact.get(email_key="ann@example.com")
    assert (ann.last_name, ann.job_title) == ("Lee", "Buyer")


async def test_emails_equal_once_normalised_are_the_same_contact(staff) -> None:
    # given a contact "josé@..." and a file with the same address in decomposed Unicode
    # (as some Mac exports write it), twice
    await create_contact(staff, lastName="Known", email="josé@example.com")
    decomposed = "jose\u0301@example.com"
    content = csv_bytes(
        [
            ["Last name", "Email"],
            ["Again", decomposed],
            ["Twice", decomposed.upper()],
            ["Other", "zoe\u0308@example.com"],
            ["Other again", "zoë@example.com"],
        ]
    )
    # when imported (skipping contacts that exist)
    done = await import_file(staff, content, {"duplicateMode": "SKIP"})
    # then the first is the known contact, the repeats are reported, nothing is doubled
    assert (done["createdCount"], done["skippedCount"], done["failedCount"]) == (1, 1, 2)
    assert sorted((e["row"], e["code"]) for e in done["errors"]) == [
        (3, "DUPLICATE"),
        (5, "DUPLICATE"),
    ]
    assert await Contact.all().count() == 2


async def test_groups_column_and_target_group(staff) -> None:
    vip = await Group.create(name="VIP", name_key="vip")
    content = csv_bytes(
        [
            ["Last name", "Groups"],
            ["One", "vip; Newsletter"],
            ["Two", ""],
        ]
    )
    done = await import_file(staff, content, {"newGroupName": "Imported in November"})
    assert done["options"]["group"]["name"] == "Imported in November"
    imported = await Group.get(name="Imported in November")
    assert await GroupMembership.filter(group_id=imported.id).count() == 2
    assert await GroupMembership.filter(group_id=vip.id).count() == 1
    assert await Group.filter(name="Newsletter").exists()


async def test_plan_errors_name_the_field(staff) -> None:
    job_data = await uploaded_job(staff, csv_bytes([["First name", "Email"], ["A", "a@x.example"]]))
    payload = await staff.mutate(
        "startImport",
        START,
        {"jobId": job_data["id"], "columns": proposed_columns(job_data)},
    )
    assert payload["errors"][0]["field"] == ["input", "columns"]
    payload = await staff.mutate(
        "startImport",
        START,
        {
            "jobId": job_data["id"],
            "columns": [{"index": 0, "field": "LAST_NAME"}, {"index": 7, "field": "EMAIL"}],
            "options": {"groupId": "R3JvdXA6OTk=", "newGroupName": "x" * 101},
        },
    )
    fields = {tuple(e["field"]) for e in payload["errors"]}
    assert fields == {
        ("input", "columns", "1", "index"),
        ("input", "options", "groupId"),
        ("input", "options", "newGroupName"),
    }
    payload = await staff.mutate(
        "startImport",
        START,
        {
            "jobId": job_data["id"],
            "columns": [{"index": 0, "field": "LAST_NAME"}, {"index": 1, "field": "LAST_NAME"}],
        },
    )
    [twice] = payload["errors"]
    assert twice["field"] == ["input", "columns", "1", "field"]
    assert twice["message"].startswith("Last name is already filled from the column ")
    assert (await job(staff, job_data["id"]))["state"] == "UPLOADED"


async def test_starting_twice_is_refused(staff) -> None:
    job_data = await uploaded_job(staff, csv_bytes([["Last name"], ["Once"]]))
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    first, second = await asyncio.gather(
        staff.mutate("startImport", START, request), staff.mutate("startImport", START, request)
    )
    assert sorted(len(p["errors"]) for p in (first, second)) == [0, 1]
    await run_pending_jobs()
    assert await Contact.filter(last_name="Once").count() == 1


async def test_failed_rows_download_is_ready_to_fix_and_reimport(staff) -> None:
    content = csv_bytes(
        [
            ["Last name", "Email", "Notes"],
            ["Good", "good@example.com", "fine"],
            ["Bad", "bad@", '=HYPERLINK("http://evil.example")'],
        ]
    )
    done = await import_file(staff, content)
    assert (done["createdCount"], done["failedCount"]) == (1, 1)
    response = await staff.http.get(done["failedRowsUrl"])
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Last name", "Email", "Notes", "Error"]
    assert rows[1][:3] == ["Bad", "bad@", '\'=HYPERLINK("http://evil.example")']
    assert rows[1][3].startswith("Email: This is not a valid email address")
    # fixed and imported again, the row goes in (the Error column is not mapped)
    rows[1][1] = "bad@example.com"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    again = await import_file(staff, buffer.getvalue().encode())
    assert (again["createdCount"], again["failedCount"]) == (1, 0)
    assert await Contact.filter(email="bad@example.com").exists()


async def test_formula_escaped_cells_come_back_clean(staff) -> None:
    content = csv_bytes(
        [["Last name", "Mobile", "Job title"], ["Escaped", "'+447400123456", "'-minus-"]]
    )
    done = await import_file(staff, content)
    assert done["createdCount"] == 1
    contact = await Contact.get(last_name="Escaped").prefetch_related("phones")
    assert contact.job_title == "-minus-"
    assert [p.e164 for p in contact.phones] == ["+447400123456"]


async def test_cancel_halfway_keeps_what_was_imported(staff) -> None:
    content = csv_bytes([HEADER, *people(4 * batch.BATCH_ROWS)])
    job_data = await uploaded_job(staff, content)
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("startImport", START, request))["errors"] == []
    runner = asyncio.create_task(run_pending_jobs())
    await first_batch_written(runner)
    cancelled = await staff.mutate("cancelImport", CANCEL, {"jobId": job_data["id"]})
    await runner
    final = await job(staff, job_data["id"])
    assert cancelled["errors"] == [] and final["state"] == "CANCELLED"
    imported = await Contact.all().count()
    assert 0 < imported < 4 * batch.BATCH_ROWS
    assert final["createdCount"] == imported
    assert final["rowsDone"] == imported


async def test_a_failure_midway_keeps_earlier_batches_and_says_where(staff) -> None:
    # (a long unmapped column puts the bad row beyond the part read at upload)
    rows = [[*HEADER, "Notes"], *([*row, "n" * 100] for row in people(3 * batch.BATCH_ROWS))]
    content = bytearray(csv_bytes(rows))
    # a byte that is not UTF-8 far into the file makes it unreadable from there on
    at = content.index(f"person{2 * batch.BATCH_ROWS + 500}@".encode())
    content[at:at] = b"\xff"
    done = await import_file(staff, bytes(content))
    assert done["state"] == "FAILED"
    assert done["createdCount"] == 2 * batch.BATCH_ROWS
    assert await Contact.all().count() == 2 * batch.BATCH_ROWS
    assert f"after row {1 + 2 * batch.BATCH_ROWS}" in done["errorMessage"]
    assert "Rows before it were imported" in done["errorMessage"]
    # and the upload, of no further use, is gone
    assert not await ImportUploadChunk.exists(job_id=pk(done))
    assert not uploads.local_path(await ImportJob.get(id=pk(done))).exists()


async def test_uploads_never_started_are_forgotten_after_a_week(staff) -> None:
    content = csv_bytes([HEADER, *people(3)])
    old, recent, started = [await uploaded_job(staff, content) for _ in range(3)]
    await staff.mutate(
        "startImport", START, {"jobId": started["id"], "columns": proposed_columns(started)}
    )
    week_ago = datetime.now(UTC) - jobs.UNSTARTED_KEPT - timedelta(minutes=1)
    await ImportJob.filter(id__in=[pk(old), pk(started)]).update(created_at=week_ago)

    assert await jobs.forget_unstarted_jobs() == 1

    assert not await ImportJob.exists(id=pk(old))
    assert not await ImportUploadChunk.exists(job_id=pk(old))
    assert await ImportUploadChunk.exists(job_id=pk(recent))
    await run_pending_jobs()  # the started one still runs
    assert (await job(staff, started["id"]))["createdCount"] == 3


async def test_a_job_whose_runner_died_is_resumed_after_its_lease(staff) -> None:
    content = csv_bytes([HEADER, *people(batch.BATCH_ROWS + 10)])
    job_data = await uploaded_job(staff, content)
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("startImport", START, request))["errors"] == []
    # a runner wrote the first batch, then its process stopped
    runner = asyncio.create_task(run_pending_jobs())
    await first_batch_written(runner)
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    stopped = await ImportJob.get(id=1)
    assert stopped.state == ImportState.RUNNING and stopped.rows_done == batch.BATCH_ROWS
    assert await run_pending_jobs() == 0  # the lease is still held
    await ImportJob.filter(id=1).update(lease_until=datetime.now(UTC) - timedelta(1))
    assert await run_pending_jobs() == 1
    final = await job(staff, job_data["id"])
    assert (final["state"], final["createdCount"]) == ("DONE", batch.BATCH_ROWS + 10)
    assert await Contact.all().count() == batch.BATCH_ROWS + 10


async def test_imported_contacts_are_searchable(staff) -> None:
    content = csv_bytes(
        [
            ["First name", "Last name", "Email", "Mobile"],
            ["Zoë", "Quixote", "zq@example.com", "07400 123456"],
        ]
    )
    await import_file(staff, content)
    for query in ("zoe", "quix", "zq@example.com", "7400123456"):
        result = await staff.execute(SEARCH, {"search": query})
        assert result.data["contacts"]["totalCount"] == 1, query


async def test_round_trip_export_then_import_gives_the_same_contacts(staff) -> None:
    from crm.demo import create_demo_data

    await create_demo_data(60, seed=7)
    await Contact.filter(archived_at__not_isnull=True).delete()
    before = await snapshot()
    export = await staff.http.get("/export/contacts.csv")
    assert export.status_code == 200
    await Contact.all().delete()
    await Group.all().delete()
    done = await import_file(staff, export.content)
    assert (done["failedCount"], done["createdCount"]) == (0, len(before)), done["errors"]
    assert await snapshot() == before


async def snapshot() -> dict[str, tuple]:
    result = {}
    for contact in await Contact.all().prefetch_related("company", "phones", "memberships__group"):
        result[contact.email_key or contact.sort_name] = (
            contact.title,
            contact.first_name,
            contact.last_name,
            contact.email,
            contact.type,
            contact.status,
            contact.job_title,
            contact.company.name if contact.company else None,
            sorted((p.type, p.e164, p.is_primary) for p in contact.phones),
            (contact.address_line1, contact.address_line2, contact.city, contact.region),
            (contact.postal_code, contact.country),
            sorted(m.group.name for m in contact.memberships),
            (contact.email_opt_in, contact.sms_opt_in, contact.phone_opt_in, contact.post_opt_in),
        )
    return result


async def test_fifty_thousand_rows_through_http(staff) -> None:
    rows = [HEADER]
    for n in range(50_000):
        rows.append(
            [f"F{n}", f"L{n}", f"p{n}@example.com", f"07400 {n:06d}", "Lead", f"Co{n % 500}", "GB"]
        )
    content = csv_bytes(rows)
    job_data = await uploaded_job(staff, content)
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("startImport", START, request))["errors"] == []
    await run_pending_jobs()
    done = await job(staff, job_data["id"])
    assert (done["state"], done["createdCount"], done["rowsDone"]) == ("DONE", 50_000, 50_000)
    assert await Contact.all().count() == 50_000
    assert await PhoneNumber.all().count() == 50_000
    assert await Contact.filter(company__name="Co499").count() == 100


async def test_a_preview_whose_runner_died_is_resumed_from_the_top(staff, monkeypatch) -> None:
    # given a preview in small batches whose first batch holds an invalid email
    monkeypatch.setattr(batch, "BATCH_ROWS", 5)
    rows = people(12)
    rows[1][2] = "not-an-email"
    job_data = await uploaded_job(staff, csv_bytes([HEADER, *rows]))
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("previewImport", PREVIEW, request))["errors"] == []
    # and a runner that checked the first batch, then died before the second
    second_batch = asyncio.Event()
    real_existing = batch.CONTACTS.existing
    calls = 0

    async def existing(*args):
        nonlocal calls
        calls += 1
        if calls == 2:
            second_batch.set()
            await asyncio.Event().wait()
        return await real_existing(*args)

    monkeypatch.setattr(batch, "CONTACTS", replace(batch.CONTACTS, existing=existing))
    runner = asyncio.create_task(run_pending_jobs())
    await asyncio.wait_for(second_batch.wait(), timeout=10)
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    monkeypatch.setattr(batch, "CONTACTS", replace(batch.CONTACTS, existing=real_existing))
    # when another runner takes the job once the lease ran out
    await ImportJob.filter(id=pk(job_data)).update(lease_until=datetime.now(UTC) - timedelta(1))
    await run_pending_jobs()
    # then the preview counts every row of the file
    final = (await job(staff, job_data["id"]))["preview"]
    assert (final["totalRows"], final["validRows"], final["invalidRows"]) == (12, 11, 1)


async def test_a_runner_that_lost_its_lease_writes_nothing_more(staff, monkeypatch) -> None:
    # given an import of 12 names (no email to notice a row written twice), 5 rows a batch
    monkeypatch.setattr(batch, "BATCH_ROWS", 5)
    names = [["Last name"], *([f"Name {n}"] for n in range(12))]
    job_data = await uploaded_job(staff, csv_bytes(names))
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("startImport", START, request))["errors"] == []
    # and runners that, after their first batch, wait to be let go
    real_batch = batch._import_batch
    gates: dict[asyncio.Task, tuple[asyncio.Event, asyncio.Event]] = {}
    written: Counter[asyncio.Task] = Counter()

    async def paced(*args):
        task = asyncio.current_task()
        if written[task] == 1:
            paused, go = gates[task]
            paused.set()
            await go.wait()
        await real_batch(*args)
        written[task] += 1

    monkeypatch.setattr(batch, "_import_batch", paced)

    def runner() -> tuple[asyncio.Task, asyncio.Event, asyncio.Event]:
        task = asyncio.create_task(run_pending_jobs())
        gates[task] = (asyncio.Event(), asyncio.Event())
        return task, *gates[task]

    # a first runner writes its first batch, then stalls longer than its lease
    first, first_paused, first_go = runner()
    await asyncio.wait_for(first_paused.wait(), timeout=10)
    await ImportJob.filter(id=pk(job_data)).update(lease_until=datetime.now(UTC) - timedelta(1))
    # and a second runner takes the job over and writes the next batch
    second, second_paused, second_go = runner()
    await asyncio.wait_for(second_paused.wait(), timeout=10)
    # when the first wakes up, then the second goes on
    first_go.set()
    await asyncio.wait_for(first, timeout=10)
    second_go.set()
    await asyncio.wait_for(second, timeout=10)
    # then every row was imported once
    final = await job(staff, job_data["id"])
    assert (final["state"], final["createdCount"], final["rowsDone"]) == ("DONE", 12, 12)
    assert await Contact.all().count() == 12


async def test_a_stopped_runner_hands_its_job_back_after_the_batch_in_hand(
    staff, monkeypatch
) -> None:
    # given an import of 12 rows in batches of 5
    monkeypatch.setattr(batch, "BATCH_ROWS", 5)
    job_data = await uploaded_job(staff, csv_bytes([HEADER, *people(12)]))
    request = {"jobId": job_data["id"], "columns": proposed_columns(job_data)}
    assert (await staff.mutate("startImport", START, request))["errors"] == []
    # when its runner is told to stop while it writes the first batch
    stop = asyncio.Event()
    real_batch = batch._import_batch

    async def stopped_meanwhile(*args):
        stop.set()
        await real_batch(*args)

    monkeypatch.setattr(batch, "_import_batch", stopped_meanwhile)
    assert await ImportRunner().run_once(stop) == 1
    # then that batch is written and the job is free for another runner at once
    handed_back = await ImportJob.get(id=pk(job_data))
    assert (handed_back.state, handed_back.rows_done) == (ImportState.RUNNING, 5)
    assert (handed_back.claimed_by, handed_back.lease_until) == (None, None)
    monkeypatch.setattr(batch, "_import_batch", real_batch)
    assert await run_pending_jobs() == 1
    final = await job(staff, job_data["id"])
    assert (final["state"], final["createdCount"], final["rowsDone"]) == ("DONE", 12, 12)
    assert await Contact.all().count() == 12
