"""After an import, PostgreSQL plans with statistics of the rows just written: without them,
a search right after a big import was planned as a nested loop over every contact."""

from __future__ import annotations

import pytest
from tortoise import connections

from crm.imports.runner import run_pending_jobs
from tests.imports.helpers import START, csv_bytes, job, proposed_columns, uploaded_job
from tests.imports.test_jobs import HEADER, people


async def test_an_import_leaves_the_planner_statistics_up_to_date(staff, db) -> None:
    if db != "postgres":
        pytest.skip("SQLite plans without gathered statistics here")
    # given an import of 300 people
    uploaded = await uploaded_job(staff, csv_bytes([HEADER, *people(300)]))
    columns = proposed_columns(uploaded)
    started = await staff.mutate(
        "startImport", START, {"jobId": uploaded["id"], "columns": columns}
    )
    assert started["errors"] == []

    # when it runs to its end
    await run_pending_jobs()
    assert (await job(staff, uploaded["id"]))["state"] == "DONE"

    # then the planner knows how many contacts there are (ANALYZE ran; autovacuum would take
    # up to a minute)
    rows = await connections.get("default").execute_query_dict(
        "SELECT reltuples FROM pg_class WHERE relname = 'contact'"
    )
    assert rows[0]["reltuples"] == 300
