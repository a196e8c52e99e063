"""An import's upload, kept in the database until its job ends.

Any app server's runner may take a job, so the file cannot live on the disk of the server
that received it. It is stored in pieces of CHUNK_BYTES (`import_upload_chunk`); a run
copies it to a local file (the child process that parses it reads a path) and deletes that
copy when the run ends. Memory stays bounded by one piece either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from crm.imports.models import ImportJob, ImportUploadChunk
from crm.settings import get_settings

CHUNK_BYTES = 1 << 20


def upload_dir() -> Path:
    """Where uploads arrive and runs keep their local copies (this machine's data directory)."""
    path = get_settings().data_dir / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_path(job: ImportJob) -> Path:
    return upload_dir() / job.stored_name


def new_incoming_path() -> Path:
    return upload_dir() / f"incoming-{secrets.token_hex(16)}"


async def store(job: ImportJob, source: Path) -> None:
    """Save the file at `source` as `job`'s upload (in the transaction that creates the job,
    so that a job never lacks its file)."""
    with source.open("rb") as file:
        position = 0
        while piece := await asyncio.to_thread(file.read, CHUNK_BYTES):
            await ImportUploadChunk.create(job_id=job.id, position=position, data=piece)
            position += 1


async def _fetch(job: ImportJob) -> Path:
    """The job's upload written to a local file from the database (a whole file or none)."""
    target = local_path(job)
    partial = new_incoming_path()
    positions = (
        await ImportUploadChunk.filter(job_id=job.id)
        .order_by("position")
        .values_list("position", flat=True)
    )
    if not positions:
        raise FileNotFoundError("The uploaded file is no longer kept")
    try:
        with partial.open("wb") as out:
            for position in positions:
                piece = await ImportUploadChunk.get(job_id=job.id, position=position).values_list(
                    "data", flat=True
                )
                await asyncio.to_thread(out.write, piece)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


@contextlib.asynccontextmanager
async def local_copy(job: ImportJob) -> AsyncIterator[Path]:
    """The upload as a local file for the length of a run, deleted after it."""
    path = await _fetch(job)
    try:
        yield path
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


async def discard(job: ImportJob) -> None:
    """Forget the upload of a job that has ended: nothing will read it again."""
    await ImportUploadChunk.filter(job_id=job.id).delete()
    await asyncio.to_thread(local_path(job).unlink, missing_ok=True)
