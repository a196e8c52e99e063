"""One suite, two databases: every test that takes `db` runs on SQLite and on PostgreSQL.

PostgreSQL comes from CRM_TEST_POSTGRES_URL (scripts/test.sh starts a throwaway server).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from graphlib import TopologicalSorter
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from crm.app import create_app
from crm.auth.passwords import _hasher
from crm.auth.services import SESSION_COOKIE, ClientInfo, start_session
from crm.db import close_db, init_db, migrate
from crm.organisation.services import forget_stored_settings
from crm.settings import get_settings, reset_settings
from crm.staff.models import StaffRole, StaffUser
from tests.graphql_client import GraphQLClient

BACKENDS = ["sqlite", "postgres"]
STAFF_PASSWORD = "correct horse battery staple"
_STAFF_HASH = _hasher.hash(STAFF_PASSWORD)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL's row locking")


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not os.environ.get("CRM_TEST_POSTGRES_URL"):
        if os.environ.get("CRM_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("CRM_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("PostgreSQL tests need CRM_TEST_POSTGRES_URL (scripts/test.sh sets it)")
    return request.param


@pytest_asyncio.fixture(scope="session")
async def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    data_dir = tmp_path_factory.mktemp(f"data-{backend}")
    if backend == "postgres":
        url = os.environ["CRM_TEST_POSTGRES_URL"]
        await _reset_postgres(url)
    else:
        url = f"sqlite://{data_dir}/test.sqlite3"
    os.environ.update(
        CRM_ENV="test",
        CRM_DATABASE_URL=url,
        CRM_DATA_DIR=str(data_dir),
        CRM_SECRET_KEY="test-secret-key-0123456789abcdefghijklmnop",
        CRM_EXPOSE_QUERY_COUNT="1",
        CRM_DEFAULT_COUNTRY="GB",
        CRM_FRONTEND_DIR=str(data_dir / "no-frontend"),
    )
    reset_settings()
    # Tortoise caches INSERT statements per connection name; the dialect changes here.
    EXECUTOR_CACHE.clear()
    await migrate(get_settings())
    await init_db(get_settings())
    yield backend
    await close_db()
    reset_settings()


def model_tables() -> list[str]:
    """Every model's table (and many-to-many table), each before the tables it references:
    SQLite's DELETE checks foreign keys, so a referenced row must go after those pointing at it.
    """
    referencing: dict[str, set[str]] = {}  # a table -> the tables whose rows point at it
    for model in Tortoise.apps.get_models_iterable():
        meta = model._meta
        referencing.setdefault(meta.db_table, set())
        for name in meta.fk_fields | meta.o2o_fields:
            target = meta.fields_map[name].related_model._meta.db_table
            if target != meta.db_table:  # a self-reference is checked once the DELETE is done
                referencing.setdefault(target, set()).add(meta.db_table)
        for name in meta.m2m_fields:
            referencing[meta.db_table].add(meta.fields_map[name].through)
    return list(TopologicalSorter(referencing).static_order())


async def empty_tables(dialect: str) -> None:
    """Rows of every model gone and ids restarted. The SQLite full-text tables of migration
    0009 follow their tables through triggers, so they need no statement of their own."""
    connection = connections.get("default")
    tables = model_tables()
    if dialect == "postgres":
        await connection.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            await connection.execute_script(f'DELETE FROM "{table}"')
        # Deleting the contacts recorded their going (migration 0029's triggers).
        await connection.execute_script("DELETE FROM contact_tally_change")
        await connection.execute_script("DELETE FROM sqlite_sequence")


@pytest_asyncio.fixture
async def db(database: str) -> str:
    """A database with every table empty (and so no settings saved in the app)."""
    await empty_tables(database)
    forget_stored_settings()
    return database


@pytest.fixture
def app(db: str):
    return create_app(get_settings(), manage_db=False)


@pytest_asyncio.fixture
async def anonymous(app) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield GraphQLClient(http)


async def make_staff(
    email: str = "staff@example.com", role: StaffRole = StaffRole.ADMIN
) -> StaffUser:
    return await StaffUser.create(
        email=email, name="Sam Staff", password_hash=_STAFF_HASH, role=role
    )


async def signed_in(app, user: StaffUser) -> GraphQLClient:
    token, _ = await start_session(ClientInfo("127.0.0.1", "pytest"), staff_user=user)
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        cookies={SESSION_COOKIE: token},
    )
    return GraphQLClient(http)


@pytest_asyncio.fixture
async def staff(app) -> AsyncIterator[GraphQLClient]:
    """A client signed in as an ADMIN staff user."""
    client = await signed_in(app, await make_staff())
    yield client
    await client.http.aclose()


@pytest_asyncio.fixture
async def member(app) -> AsyncIterator[GraphQLClient]:
    """A client signed in as a MEMBER staff user."""
    client = await signed_in(app, await make_staff("member@example.com", StaffRole.MEMBER))
    yield client
    await client.http.aclose()


REPO_ROOT = Path(__file__).resolve().parents[1]
