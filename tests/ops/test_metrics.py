"""/metrics as a Prometheus scraper and an operator see it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from tortoise.timezone import now

from crm.app import create_app
from crm.campaigns.models import Campaign, CampaignRecipient, CampaignStatus
from crm.contacts.services import ContactChanges, create_contact
from crm.imports.models import ImportJob, ImportState
from crm.mail.models import OutboxMessage
from crm.mail.services import queue_test_email
from crm.ops import metrics, scrape
from crm.ops.metrics import MAX_OPERATION_LABELS, OTHER
from crm.settings import get_settings
from crm.staff.models import StaffRole
from tests.conftest import make_staff, signed_in
from tests.graphql_client import GraphQLClient

TOKEN = "metrics-token-0123456789abcdefghijkl"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, sorted labels) → value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(autouse=True)
def no_operation_names_seen() -> None:
    """A fresh process's room for operation names (other tests may have taken it)."""
    metrics._operations.seen.clear()


@pytest.fixture
def metrics_app(db: str):
    settings = get_settings()
    object.__setattr__(settings, "metrics_token", TOKEN)  # as CRM_METRICS_TOKEN would
    try:
        yield create_app(settings, manage_db=False)
    finally:
        object.__setattr__(settings, "metrics_token", None)


@pytest_asyncio.fixture
async def http(metrics_app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=metrics_app), base_url="http://testserver"
    ) as client:
        yield client


async def scrape_metrics(http: httpx.AsyncClient) -> str:
    response = await http.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


async def test_a_queued_mail_shows_in_the_outbox_figures(http: httpx.AsyncClient) -> None:
    # given
    before = await scrape_metrics(http)
    assert value(before, "crm_outbox_messages", status="QUEUED") == 0
    assert value(before, "crm_outbox_oldest_queued_age_seconds") == 0

    # when
    message = await queue_test_email("ops@example.com", get_settings())
    await OutboxMessage.filter(id=message.id).update(created_at=now() - timedelta(minutes=5))
    after = await scrape_metrics(http)

    # then
    assert value(after, "crm_outbox_messages", status="QUEUED") == 1
    assert value(after, "crm_outbox_messages", status="FAILED") == 0
    assert ("crm_outbox_messages", (("status", "SENT"),)) not in samples(after)
    assert 300 <= value(after, "crm_outbox_oldest_queued_age_seconds") < 360
    assert value(after, "crm_database_up") == 1


async def test_graphql_requests_are_timed_by_operation_and_errors_counted_by_code(
    http: httpx.AsyncClient,
) -> None:
    # given
    client = GraphQLClient(http)
    before = await scrape_metrics(http)

    # when
    await client.execute("query OpsProbe { me { __typename } }")
    await client.execute("query OpsProbe { me { __typename } }")
    await client.execute("{ me { __typename } }")
    await client.execute("query OpsList { contacts { totalCount } }")  # anonymous: refused
    after = await scrape_metrics(http)

    # then
    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("crm_graphql_request_duration_seconds_count", operation="OpsProbe") == 2
    assert grew("crm_graphql_request_duration_seconds_count", operation=OTHER) == 1
    assert grew("crm_graphql_request_duration_seconds_count", operation="OpsList") == 1
    assert grew("crm_graphql_errors_total", code="UNAUTHENTICATED") == 1


async def test_operation_names_a_client_makes_up_share_one_label(
    http: httpx.AsyncClient,
) -> None:
    # given
    client = GraphQLClient(http)

    # when
    await client.execute("query Bad_Name_" + "x" * 80 + " { me { __typename } }")
    for number in range(MAX_OPERATION_LABELS + 5):
        await client.execute(f"query Invented{number} {{ me {{ __typename }} }}")
    text = await scrape_metrics(http)

    # then
    operations = {
        dict(labels)["operation"]
        for name, labels in samples(text)
        if name == "crm_graphql_request_duration_seconds_count"
    }
    invented = {name for name in operations if name.startswith("Invented")}
    assert len(invented) == MAX_OPERATION_LABELS
    assert f"Invented{MAX_OPERATION_LABELS}" not in operations
    assert OTHER in operations
    assert not any(name.startswith("Bad_Name_") for name in operations)


async def test_an_administrator_reads_the_metrics_and_nobody_else(metrics_app, http) -> None:
    # given
    admin = await signed_in(metrics_app, await make_staff())
    member = await signed_in(metrics_app, await make_staff("member@example.com", StaffRole.MEMBER))

    # when
    anonymous = await http.get("/metrics")
    wrong_token = await http.get("/metrics", headers={"authorization": "Bearer " + "x" * 36})
    not_bearer = await http.get("/metrics", headers={"authorization": f"Basic {TOKEN}"})
    as_member = await member.http.get("/metrics")
    as_admin = await admin.http.get("/metrics")

    # then
    for refused in (anonymous, wrong_token, not_bearer):
        assert refused.status_code == 401
        assert "crm_" not in refused.text
    assert as_member.status_code == 403
    assert "crm_" not in as_member.text
    assert as_admin.status_code == 200
    assert "crm_outbox_messages" in as_admin.text
    await admin.http.aclose()
    await member.http.aclose()


async def test_without_a_configured_token_no_bearer_is_accepted(db: str) -> None:
    # given
    app = create_app(get_settings(), manage_db=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        # when
        response = await http.get("/metrics", headers={"authorization": "Bearer "})

    # then
    assert response.status_code == 401


async def test_the_pool_and_active_work_are_reported(http: httpx.AsyncClient, db: str) -> None:
    # when
    text = await scrape_metrics(http)

    # then
    assert value(text, "crm_db_pool_max_connections") >= 1
    in_use = value(text, "crm_db_pool_connections", state="in_use")
    idle = value(text, "crm_db_pool_connections", state="idle")
    assert in_use + idle >= 1


async def test_running_imports_and_campaigns_show_their_progress(
    http: httpx.AsyncClient,
) -> None:
    # given
    job = await ImportJob.create(
        file_name="people.csv",
        stored_name="x",
        format="csv",
        state=ImportState.RUNNING,
        total_rows=1000,
        rows_done=250,
    )
    await ImportJob.create(file_name="old.csv", stored_name="y", format="csv", state="DONE")
    campaign = await Campaign.create(name="Spring", status=CampaignStatus.SENDING)
    for number, status in enumerate(["QUEUED", "QUEUED", "SENT"]):
        contact = await create_contact(ContactChanges(first_name="Ann", last_name=f"Lee{number}"))
        await CampaignRecipient.create(campaign=campaign, contact=contact, status=status)

    # when
    text = await scrape_metrics(http)

    # then
    progress = {"import_id": str(job.id), "state": "RUNNING"}
    assert value(text, "crm_import_rows_done", **progress) == 250
    assert value(text, "crm_import_rows_total", **progress) == 1000
    assert [name for name, _ in samples(text) if name == "crm_import_rows_done"] == [
        "crm_import_rows_done"
    ]
    sending = str(campaign.id)
    assert value(text, "crm_campaign_recipients", campaign_id=sending, status="QUEUED") == 2
    assert value(text, "crm_campaign_recipients", campaign_id=sending, status="SENT") == 1


async def test_a_scrape_says_when_the_database_did_not_answer(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    async def refused() -> list[object]:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(scrape, "_outbox_families", refused)

    # when
    text = await scrape_metrics(http)

    # then the process still answers, with what it counted itself
    assert value(text, "crm_database_up") == 0
    assert "crm_outbox_messages" not in text
    assert "crm_graphql_request_duration_seconds" in text
