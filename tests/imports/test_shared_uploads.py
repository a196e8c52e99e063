"""An upload lives in the database: a runner on another app server, with its own data
directory, imports it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm.contacts.models import Contact
from crm.imports import uploads
from crm.imports.models import ImportJob, ImportUploadChunk
from crm.imports.runner import run_pending_jobs
from crm.settings import reset_settings
from tests.imports.helpers import START, csv_bytes, job, proposed_columns, uploaded_job
from tests.imports.test_jobs import HEADER, people, pk


@pytest.fixture
def another_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """From here on the code runs as a second app server with a data directory of its own."""
    data_dir = tmp_path / "second-server"
    data_dir.mkdir()
    monkeypatch.setenv("CRM_DATA_DIR", str(data_dir))
    reset_settings()
    yield data_dir
    monkeypatch.undo()
    reset_settings()


async def start(staff, job_data: dict) -> None:
    columns = proposed_columns(job_data)
    answer = await staff.mutate("startImport", START, {"jobId": job_data["id"], "columns": columns})
    assert answer["errors"] == []


async def test_an_upload_is_imported_by_a_server_that_never_saw_the_file(
    staff, request: pytest.FixtureRequest
) -> None:
    # given a file of 2,500 people (several pieces of the stored upload) uploaded to one server
    content = csv_bytes([HEADER, *people(2500)])
    uploads_before = set(uploads.upload_dir().iterdir())
    uploaded = await uploaded_job(staff, content)
    await start(staff, uploaded)
    # which keeps nothing of it on its own disk
    assert set(uploads.upload_dir().iterdir()) == uploads_before

    # when the runner of another server, with its own data directory, takes the job
    second = request.getfixturevalue("another_server")
    await run_pending_jobs()

    # then every row is imported, and neither the database nor that server keeps the file
    done = await job(staff, uploaded["id"])
    assert done["state"] == "DONE" and done["createdCount"] == 2500
    assert await Contact.all().count() == 2500
    assert not await ImportUploadChunk.exists(job_id=pk(uploaded))
    assert list((second / "imports").iterdir()) == []


async def test_the_stored_upload_is_the_file_byte_for_byte(staff) -> None:
    # given a file larger than one stored piece, with non-ASCII names
    rows = [HEADER[:3], *([f"Zoë{n}", "Ångström", f"z{n}@example.com"] for n in range(40_000))]
    content = csv_bytes(rows)
    assert len(content) > uploads.CHUNK_BYTES

    # when it is uploaded
    uploaded = await uploaded_job(staff, content)

    # then the pieces in the database are the file, in order
    pieces = (
        await ImportUploadChunk.filter(job_id=pk(uploaded))
        .order_by("position")
        .values_list("data", flat=True)
    )
    assert len(pieces) > 1
    assert b"".join(bytes(piece) for piece in pieces) == content


async def test_a_job_whose_stored_upload_is_gone_fails_saying_so(staff) -> None:
    # given a started import whose stored file was removed behind the app's back
    uploaded = await uploaded_job(staff, csv_bytes([HEADER, *people(3)]))
    await start(staff, uploaded)
    await ImportUploadChunk.filter(job_id=pk(uploaded)).delete()

    # when a runner takes it
    await run_pending_jobs()

    # then it fails with a reason a user can read, and nothing is imported
    failed = await job(staff, uploaded["id"])
    assert failed["state"] == "FAILED"
    assert "no longer kept" in failed["errorMessage"]
    assert await Contact.all().count() == 0
    assert (await ImportJob.get(id=pk(uploaded))).finished_at is not None
