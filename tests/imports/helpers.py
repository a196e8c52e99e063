"""Upload files and drive import jobs the way the app does: HTTP upload, GraphQL, runner."""

from __future__ import annotations

import csv
import io
from typing import Any

from crm.imports.runner import run_pending_jobs
from tests.graphql_client import GraphQLClient

JOB_FIELDS = """
id target fileName format encoding delimiter state totalRows rowsDone
createdCount updatedCount skippedCount failedCount partialCount errorMessage failedRowsUrl
columns { index header field samples }
options { duplicateMode newGroupName defaultType defaultStatus consents
          unknownProducts invalidValues group { id name } }
preview { totalRows validRows invalidRows newRows existingRows inFileDuplicateRows
          partialRows errors { row column field message code name email dropped } }
errors { row column field message code name email dropped }
"""
JOB = f"query ($id: ID!) {{ importJob(id: $id) {{ {JOB_FIELDS} }} }}"
PREVIEW = f"""
mutation ($input: PreviewImportInput!) {{
  previewImport(input: $input) {{ job {{ {JOB_FIELDS} }} errors {{ field message code }} }}
}}
"""
START = f"""
mutation ($input: StartImportInput!) {{
  startImport(input: $input) {{ job {{ {JOB_FIELDS} }} errors {{ field message code }} }}
}}
"""
CANCEL = f"""
mutation ($input: CancelImportInput!) {{
  cancelImport(input: $input) {{ job {{ {JOB_FIELDS} }} errors {{ field message code }} }}
}}
"""
CSRF = {"X-CRM-CSRF": "1"}


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


async def upload(
    client: GraphQLClient, content: bytes, name: str = "contacts.csv", headers: Any = CSRF
) -> Any:
    return await client.http.post(
        "/import/upload", files={"file": (name, content)}, headers=headers
    )


async def uploaded_job(client: GraphQLClient, content: bytes, name: str = "contacts.csv") -> dict:
    response = await upload(client, content, name)
    assert response.status_code == 201, response.text
    return await job(client, response.json()["id"])


async def job(client: GraphQLClient, job_id: str) -> dict:
    return (await client.execute(JOB, {"id": job_id})).data["importJob"]


def proposed_columns(job_data: dict) -> list[dict[str, Any]]:
    return [{"index": c["index"], "field": c["field"]} for c in job_data["columns"]]


async def _plan(
    client: GraphQLClient,
    mutation: str,
    document: str,
    job_data: dict,
    options: dict | None,
    columns: Any,
) -> dict:
    """Send the job's plan with `mutation`, run what the runner has, and return the job."""
    payload = await client.mutate(
        mutation,
        document,
        {
            "jobId": job_data["id"],
            "columns": columns if columns is not None else proposed_columns(job_data),
            "options": options or {},
        },
    )
    assert payload["errors"] == [], payload["errors"]
    await run_pending_jobs()
    return await job(client, job_data["id"])


async def preview(
    client: GraphQLClient, job_data: dict, options: dict | None = None, columns: Any = None
) -> dict:
    return await _plan(client, "previewImport", PREVIEW, job_data, options, columns)


async def run_import(
    client: GraphQLClient, job_data: dict, options: dict | None = None, columns: Any = None
) -> dict:
    return await _plan(client, "startImport", START, job_data, options, columns)


async def import_file(
    client: GraphQLClient, content: bytes, options: dict | None = None, name: str = "contacts.csv"
) -> dict:
    return await run_import(client, await uploaded_job(client, content, name), options)
