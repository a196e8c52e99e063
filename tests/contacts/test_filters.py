"""Filters: type, status, company, portal status, archived and country, with search."""

from __future__ import annotations

import pytest

from crm.contacts.models import Contact, PortalStatus
from tests.contacts.helpers import ARCHIVE, create_company, create_contact, listed
from tests.graphql_client import GraphQLClient


@pytest.fixture
async def book(staff: GraphQLClient) -> dict[str, str]:
    """Contacts of every kind; returns the company ids by name."""
    acme = await create_company(staff, "Acme")
    globex = await create_company(staff, "Globex")
    await create_contact(
        staff,
        firstName="Ann",
        lastName="Lead",
        type="LEAD",
        status="NEW",
        companyId=acme,
        address={"city": "London", "country": "GB"},
    )
    await create_contact(
        staff,
        firstName="Pat",
        lastName="Prospect",
        type="PROSPECT",
        status="CONTACTED",
        email="pat@example.com",
        companyId=acme,
        address={"city": "Paris", "country": "FR"},
    )
    await create_contact(
        staff,
        firstName="Cat",
        lastName="Client",
        type="CLIENT",
        status="CONVERTED",
        email="cat@example.com",
        companyId=globex,
        address={"city": "Leeds", "country": "gb"},
    )
    await create_contact(
        staff, firstName="Eve", lastName="Employee", type="EMPLOYEE", status="QUALIFIED"
    )
    await create_contact(
        staff, firstName="Ann", lastName="Other", type="OTHER", status="UNQUALIFIED"
    )
    archived = await create_contact(
        staff,
        firstName="Arch",
        lastName="Client",
        type="CLIENT",
        email="arch@example.com",
        companyId=acme,
        address={"country": "GB"},
    )
    await staff.mutate("archiveContact", ARCHIVE, {"id": archived["id"]})
    return {"Acme": acme, "Globex": globex}


ALL_ACTIVE = ["Ann Lead", "Ann Other", "Cat Client", "Eve Employee", "Pat Prospect"]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("types", "found"),
    [
        (["LEAD"], ["Ann Lead"]),
        (["CLIENT"], ["Cat Client"]),
        (["PROSPECT", "CLIENT"], ["Cat Client", "Pat Prospect"]),
        (["EMPLOYEE", "OTHER", "LEAD"], ["Ann Lead", "Ann Other", "Eve Employee"]),
        ([], ALL_ACTIVE),
        (None, ALL_ACTIVE),
    ],
)
async def test_type(staff: GraphQLClient, types: list[str] | None, found: list[str]) -> None:
    # when
    names = await listed(staff, filter={"type": types})

    # then
    assert names == found


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("statuses", "found"),
    [
        (["NEW"], ["Ann Lead"]),
        (["CONVERTED", "UNQUALIFIED"], ["Ann Other", "Cat Client"]),
        (["QUALIFIED"], ["Eve Employee"]),
    ],
)
async def test_status(staff: GraphQLClient, statuses: list[str], found: list[str]) -> None:
    # when
    names = await listed(staff, filter={"status": statuses})

    # then
    assert names == found


async def test_company(staff: GraphQLClient, book: dict[str, str]) -> None:
    # when
    acme = await listed(staff, filter={"companyId": book["Acme"]})
    globex = await listed(staff, filter={"companyId": book["Globex"]})
    acme_all = await listed(staff, filter={"companyId": book["Acme"], "archived": None})

    # then
    assert acme == ["Ann Lead", "Pat Prospect"]
    assert globex == ["Cat Client"]
    assert acme_all == ["Ann Lead", "Arch Client", "Pat Prospect"]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize("company_id", ["garbage", "Q29tcGFueTo5OTk=", "Q29udGFjdDox"])
async def test_an_unknown_company_matches_nobody(staff: GraphQLClient, company_id: str) -> None:
    # when: nonsense, "Company:999" and "Contact:1"
    names = await listed(staff, filter={"companyId": company_id})

    # then
    assert names == []


@pytest.mark.usefixtures("book")
async def test_portal_status(staff: GraphQLClient) -> None:
    # given: invitations are sent elsewhere; here one client has accepted and one is invited
    await Contact.filter(email="cat@example.com").update(portal_status=PortalStatus.ACTIVE)
    await Contact.filter(email="pat@example.com").update(portal_status=PortalStatus.INVITED)

    # when
    active = await listed(staff, filter={"portalStatus": ["ACTIVE"]})
    invited_or_active = await listed(staff, filter={"portalStatus": ["INVITED", "ACTIVE"]})
    not_invited = await listed(staff, filter={"portalStatus": ["NOT_INVITED"]})

    # then
    assert active == ["Cat Client"]
    assert invited_or_active == ["Cat Client", "Pat Prospect"]
    assert not_invited == ["Ann Lead", "Ann Other", "Eve Employee"]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("archived", "found"),
    [
        (False, ALL_ACTIVE),
        (True, ["Arch Client"]),
        (None, sorted([*ALL_ACTIVE, "Arch Client"])),
    ],
)
async def test_archived(staff: GraphQLClient, archived: bool | None, found: list[str]) -> None:
    # when
    names = await listed(staff, filter={"archived": archived})

    # then
    assert names == found


@pytest.mark.usefixtures("book")
async def test_archived_defaults_to_false_with_other_filters(staff: GraphQLClient) -> None:
    # when: a filter that does not mention `archived`
    names = await listed(staff, filter={"type": ["CLIENT"]})

    # then
    assert names == ["Cat Client"]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("country", "found"),
    [
        ("GB", ["Ann Lead", "Cat Client"]),
        ("gb", ["Ann Lead", "Cat Client"]),
        (" gb ", ["Ann Lead", "Cat Client"]),
        ("FR", ["Pat Prospect"]),
        ("DE", []),
        ("GBR", []),
        ("United Kingdom", []),
        ("G", []),
        ("", ALL_ACTIVE),
        ("  ", ALL_ACTIVE),
    ],
)
async def test_country(staff: GraphQLClient, country: str, found: list[str]) -> None:
    # when
    names = await listed(staff, filter={"country": country})

    # then
    assert names == found


async def test_filters_combine(staff: GraphQLClient, book: dict[str, str]) -> None:
    # when
    names = await listed(
        staff,
        filter={
            "type": ["LEAD", "PROSPECT", "CLIENT"],
            "companyId": book["Acme"],
            "country": "GB",
            "status": ["NEW", "CONTACTED"],
        },
    )

    # then
    assert names == ["Ann Lead"]


@pytest.mark.usefixtures("book")
@pytest.mark.parametrize(
    ("filter", "search", "found"),
    [
        ({"type": ["LEAD", "OTHER"]}, "ann", ["Ann Lead", "Ann Other"]),
        ({"type": ["OTHER"]}, "ann", ["Ann Other"]),
        ({"country": "GB"}, "ann", ["Ann Lead"]),
        ({"archived": True}, "client", ["Arch Client"]),
        ({"archived": None}, "client", ["Arch Client", "Cat Client"]),
        ({"status": ["CONVERTED"]}, "cat@example.com", ["Cat Client"]),
        ({"type": ["LEAD"]}, "acme", ["Ann Lead"]),
        ({"type": ["LEAD"]}, "globex", []),
    ],
)
async def test_filters_combine_with_search(
    staff: GraphQLClient, filter: dict, search: str, found: list[str]
) -> None:
    # when
    names = await listed(staff, filter=filter, search=search)

    # then
    assert names == found


async def test_filter_by_company_with_search(staff: GraphQLClient, book: dict[str, str]) -> None:
    # when
    names = await listed(staff, filter={"companyId": book["Acme"]}, search="pat")

    # then
    assert names == ["Pat Prospect"]


@pytest.mark.usefixtures("book")
async def test_an_unknown_type_is_rejected_by_the_schema(staff: GraphQLClient) -> None:
    # when
    result = await staff.execute("{ contacts(filter: {type: [KING]}) { totalCount } }")

    # then
    assert result.errors
    assert result.body.get("data") is None
