"""/healthz (the process is up) and /readyz (it can serve), as a load balancer sees them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from tortoise.migrations.recorder import MigrationRecorder

from crm.db import connection
from crm.ops import health
from tests.logs import records_of


@pytest_asyncio.fixture
async def http(app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


class UnreachableDatabase:
    async def execute_query(self, *_args: object) -> None:
        raise ConnectionRefusedError("connection refused")


async def test_healthz_says_up_without_asking_the_database(http: httpx.AsyncClient) -> None:
    # when (the saved settings are due to be read again: the db fixture forgot them)
    with records_of("tortoise.db_client") as statements:
        response = await http.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.text == "up"
    assert [record.getMessage() for record in statements] == []


async def test_healthz_still_says_up_when_the_database_is_gone(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setattr(health, "connection", UnreachableDatabase)

    # when
    up = await http.get("/healthz")
    ready = await http.get("/readyz")

    # then
    assert up.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "not ready",
        "reason": "database not reachable (ConnectionRefusedError)",
    }


async def test_readyz_is_ready_when_the_database_has_every_migration(
    http: httpx.AsyncClient,
) -> None:
    # when
    response = await http.get("/readyz")

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_is_not_ready_while_a_migration_is_not_applied(
    http: httpx.AsyncClient,
) -> None:
    # given the latest migration is not recorded as applied
    recorder = MigrationRecorder(connection())
    latest = max(await recorder.applied_migrations(), key=lambda key: key.name)
    await recorder.record_unapplied(latest.app_label, latest.name)
    try:
        # when
        response = await http.get("/readyz")
    finally:
        await recorder.record_applied(latest.app_label, latest.name)

    # then
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "reason": "1 migration(s) not applied: run `crm migrate`",
    }
    assert (await http.get("/readyz")).status_code == 200


async def test_readyz_gives_up_on_a_database_that_does_not_answer(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    class HangingDatabase:
        async def execute_query(self, *_args: object) -> None:
            await asyncio.sleep(60)

    monkeypatch.setattr(health, "connection", HangingDatabase)
    monkeypatch.setattr(health, "READY_TIMEOUT_SECONDS", 0.1)

    # when
    response = await http.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json()["reason"] == "database did not answer in time"
