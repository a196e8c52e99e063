"""Filters for segments: city, industry, email, consent and date ranges, alone and combined."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crm.contacts.models import Contact
from tests.contacts.helpers import CREATE_COMPANY, create_contact, listed
from tests.graphql_client import GraphQLClient


@pytest.fixture
async def book(staff: GraphQLClient) -> None:
    bakery = await staff.mutate(
        "createCompany", CREATE_COMPANY, {"name": "Crumbs", "industry": "Food"}
    )
    forge = await staff.mutate(
        "createCompany", CREATE_COMPANY, {"name": "Anvil", "industry": "Metal work"}
    )
    await create_contact(
        staff,
        lastName="Baker",
        email="baker@example.com",
        companyId=bakery["company"]["id"],
        address={"city": "Zürich", "country": "CH"},
    )
    await create_contact(
        staff,
        lastName="Smith",
        companyId=forge["company"]["id"],
        address={"city": "zürich"},
        preferences={"post": False},
    )
    await create_contact(
        staff,
        lastName="Quiet",
        email="quiet@example.com",
        preferences={"email": False},
        phones=[{"number": "020 7946 0018"}],
    )
    # Backdate: Baker was created long ago and contacted last month; Smith contacted today.
    now = datetime.now(UTC)
    await Contact.filter(last_name="Baker").update(
        created_at=now - timedelta(days=400), last_contacted_at=now - timedelta(days=30)
    )
    await Contact.filter(last_name="Smith").update(last_contacted_at=now)


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("filter", "names"),
    [
        ({"city": "ZÜRICH"}, ["Baker", "Smith"]),
        ({"city": "Basel"}, []),
        ({"industry": "food"}, ["Baker"]),
        ({"hasEmail": True}, ["Baker", "Quiet"]),
        ({"hasEmail": False}, ["Smith"]),
        ({"consent": {"email": True}}, ["Baker"]),
        ({"consent": {"email": False}}, ["Quiet", "Smith"]),
        ({"consent": {"phone": True}}, ["Quiet"]),
        ({"consent": {"post": True}}, ["Baker"]),
        ({"consent": {"email": True, "post": True}}, ["Baker"]),
        ({"createdAt": {"to": "2026-01-01T00:00:00+00:00"}}, ["Baker"]),
        ({"lastContactedAt": {"from": "2000-01-01T00:00:00Z"}}, ["Baker", "Smith"]),
        ({"city": "zurich", "hasEmail": True, "industry": "Food"}, ["Baker"]),
    ],
)
async def test_each_filter_alone_and_combined(
    staff: GraphQLClient, filter: dict, names: list[str]
) -> None:
    found = await listed(staff, filter=filter)
    assert [name.split()[-1] for name in found] == names


@pytest.mark.usefixtures("book")
async def test_created_and_contacted_ranges_bound_both_ends(staff: GraphQLClient) -> None:
    now = datetime.now(UTC)
    recent = {
        "from": (now - timedelta(days=2)).isoformat(),
        "to": (now + timedelta(days=1)).isoformat(),
    }
    created = await listed(staff, filter={"createdAt": recent})
    assert [name.split()[-1] for name in created] == ["Quiet", "Smith"]
    last_week = {"from": (now - timedelta(days=7)).isoformat()}
    contacted = await listed(staff, filter={"lastContactedAt": last_week})
    assert [name.split()[-1] for name in contacted] == ["Smith"]


@pytest.mark.usefixtures("book")
async def test_filters_combine_with_search(staff: GraphQLClient) -> None:
    found = await listed(staff, filter={"city": "Zurich"}, search="smi")
    assert [name.split()[-1] for name in found] == ["Smith"]
