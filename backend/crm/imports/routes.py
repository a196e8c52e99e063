"""Import over HTTP: the sample templates, the upload, and the failed rows as CSV.

`POST /import/upload` takes `multipart/form-data` with one `file` field and the CSRF
header (a cross-site form cannot set it). The size cap (CRM_MAX_UPLOAD_BYTES) is enforced
by `RequestGuard` while the body streams in, so an oversize file is refused before it is
read whole. Everything else about a job goes through GraphQL (`importJob`, `previewImport`,
`startImport`, `cancelImport`).
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from crm.auth.http import error_response, staff_or_refusal
from crm.core.spreadsheet import escape_formula
from crm.graphql.relay import pk_of, to_global_id
from crm.graphql.view import CSRF_HEADER
from crm.imports import reading, services, templates, uploads
from crm.imports.mapping import ImportTarget
from crm.imports.models import ImportJob

UPLOAD_PATH = "/import/upload"
COPY_CHUNK = 1024 * 1024


_TEMPLATES = {
    "template": templates.CONTACTS_TEMPLATE,
    "companies-template": templates.COMPANIES_TEMPLATE,
}


def _template(request: Request) -> templates.Template:
    return _TEMPLATES[request.url.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]]


async def template_csv(request: Request) -> Response:
    refusal = await staff_or_refusal(request, "download the import template")
    if isinstance(refusal, Response):
        return refusal
    template = _template(request)
    return Response(
        templates.template_csv(template),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(f"{template.name}-import-template.csv"),
    )


async def template_xlsx(request: Request) -> Response:
    refusal = await staff_or_refusal(request, "download the import template")
    if isinstance(refusal, Response):
        return refusal
    template = _template(request)
    return Response(
        await asyncio.to_thread(templates.template_xlsx, template),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(f"{template.name}-import-template.xlsx"),
    )


def _attachment(name: str) -> dict[str, str]:
    return {
        "content-disposition": f'attachment; filename="{name}"',
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
    }


async def upload(request: Request) -> Response:
    user = await staff_or_refusal(request, "import contacts")
    if isinstance(user, Response):
        return user
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data" or not request.headers.get(CSRF_HEADER):
        return error_response(
            f"Upload the file as multipart/form-data with an {CSRF_HEADER} header",
            "CSRF",
            415,
        )
    form = await request.form(max_files=1, max_fields=4)
    try:
        given = form.get("file")
        if not isinstance(given, UploadFile) or not given.filename:
            return error_response("Choose a CSV or Excel file", "REQUIRED", 400, "file")
        kind = form.get("target") or ImportTarget.CONTACTS.value
        if kind not in ImportTarget.__members__:
            return error_response("Import CONTACTS or COMPANIES", "INVALID", 400, "target")
        target = uploads.new_incoming_path()
        await asyncio.to_thread(_copy, given, target)
    finally:
        await form.close()
    if target.stat().st_size == 0:
        target.unlink()
        return error_response("The file is empty", "INVALID", 400, "file")
    try:
        job = await services.create_job(target, given.filename, user, ImportTarget(kind))
    except reading.FileProblem as problem:
        target.unlink(missing_ok=True)
        return error_response(str(problem), "INVALID", 400, "file")
    return JSONResponse({"id": to_global_id("ImportJob", job.id)}, status_code=201)


def _copy(given: UploadFile, target: Path) -> None:
    given.file.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(given.file, out, COPY_CHUNK)


async def failed_rows_csv(request: Request) -> Response:
    refusal = await staff_or_refusal(request, "download failed rows")
    if isinstance(refusal, Response):
        return refusal
    job = await ImportJob.get_or_none(id=pk_of(request.path_params["job_id"], "ImportJob"))
    if job is None or not (job.failed_count or job.partial_count):
        return error_response("This import has no failed rows", "NOT_FOUND", 404)
    return StreamingResponse(
        _failed_chunks(job),
        media_type="text/csv; charset=utf-8",
        headers=_attachment(f"import-{job.id}-failed-rows.csv"),
    )


async def _failed_chunks(job: ImportJob) -> AsyncIterator[bytes]:
    """The failed rows as they were in the file, plus an Error column; re-importable."""
    from crm.imports.models import ImportFailedRow

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    width = len(job.headers)
    writer.writerow([*job.headers, "Error"])
    yield ("\ufeff" + buffer.getvalue()).encode()
    last = -1
    while True:
        rows = await ImportFailedRow.filter(job_id=job.id, id__gt=last).order_by("id").limit(1000)
        if not rows:
            return
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            cells = (list(row.cells) + [""] * width)[:width]
            problems = "; ".join(_problem(error) for error in row.errors)
            writer.writerow([*(escape_formula(c) for c in cells), problems])
        yield buffer.getvalue().encode()
        last = rows[-1].id


def _problem(error: dict[str, Any]) -> str:
    """ "Title: 'Sir' is not a title...", or "Imported without Title: ..." for a field the
    row was imported without (DROP_FIELD)."""
    column = error.get("column")
    text = f"{column}: {error['message']}" if column else error["message"]
    return f"Imported without {text}" if error.get("dropped") else text


routes = [
    Route("/import/template.csv", template_csv, methods=["GET"]),
    Route("/import/template.xlsx", template_xlsx, methods=["GET"]),
    Route("/import/companies-template.csv", template_csv, methods=["GET"]),
    Route("/import/companies-template.xlsx", template_xlsx, methods=["GET"]),
    Route(UPLOAD_PATH, upload, methods=["POST"]),
    Route("/import/{job_id}/failed.csv", failed_rows_csv, methods=["GET"]),
]
