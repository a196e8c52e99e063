"""createContact: every field round-trips, and every bad input is an error on its field."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.contacts.helpers import (
    CREATE,
    DELETE_COMPANY,
    HUGE_COMPANY_ID,
    contact_count,
    create_company,
    create_contact,
    errors_of,
    get_contact,
)
from tests.graphql_client import GraphQLClient

LAST_NAME_REQUIRED = [(["input", "lastName"], "REQUIRED")]
EMAIL_REQUIRED = [(["input", "email"], "REQUIRED")]
EMAIL_INVALID = [(["input", "email"], "INVALID")]


async def test_every_field_round_trips(staff: GraphQLClient) -> None:
    # given
    company_id = await create_company(staff, "Acme Widgets")

    # when
    created = await create_contact(
        staff,
        title="DR",
        firstName="Ann",
        lastName="Smith",
        email="ann.smith@example.com",
        type="CLIENT",
        status="QUALIFIED",
        jobTitle="Head of Purchasing",
        companyId=company_id,
        phones=[
            {"number": "020 7946 0018", "country": "GB", "type": "OFFICE", "isPrimary": True},
            {"number": "+1 202-555-0143", "type": "MOBILE"},
        ],
        address={
            "line1": "1 High Street",
            "line2": "Flat 2",
            "city": "London",
            "region": "Greater London",
            "postalCode": "SW1A 1AA",
            "country": "gb",
        },
        preferences={"email": False, "phone": True, "post": False},
    )

    # then
    contact = await get_contact(staff, created["id"])
    assert contact == created
    assert contact["title"] == "DR"
    assert (contact["firstName"], contact["lastName"]) == ("Ann", "Smith")
    assert contact["fullName"] == "Ann Smith"
    assert contact["email"] == "ann.smith@example.com"
    assert (contact["type"], contact["status"]) == ("CLIENT", "QUALIFIED")
    assert contact["jobTitle"] == "Head of Purchasing"
    assert contact["company"] == {"id": company_id, "name": "Acme Widgets"}
    assert [(p["number"], p["country"], p["type"], p["isPrimary"]) for p in contact["phones"]] == [
        ("+442079460018", "GB", "OFFICE", True),
        ("+12025550143", "US", "MOBILE", False),
    ]
    assert contact["address"] == {
        "line1": "1 High Street",
        "line2": "Flat 2",
        "city": "London",
        "region": "Greater London",
        "postalCode": "SW1A 1AA",
        "country": "GB",
    }
    preferences = contact["preferences"]
    assert (preferences["email"], preferences["phone"], preferences["post"]) == (
        False,
        True,
        False,
    )
    assert contact["archived"] is False
    # a client with an email is invited to the portal unless the form says not to
    assert contact["portal"]["status"] == "INVITED"
    assert datetime.fromisoformat(contact["createdAt"]).utcoffset() is not None


async def test_only_last_name_is_needed_and_defaults_apply(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, lastName="Smith")

    # then
    assert contact["fullName"] == "Smith"
    assert contact["firstName"] == ""
    assert (contact["type"], contact["status"]) == ("LEAD", "NEW")
    assert contact["title"] is None
    assert contact["email"] is None
    assert contact["phones"] == []
    assert contact["address"] is None
    assert contact["company"] is None


@pytest.mark.parametrize(
    "last_name",
    [None, "", "   ", "\t\n", "\u00a0"],
    ids=["missing", "empty", "spaces", "tabs", "nbsp"],
)
async def test_last_name_is_required(staff: GraphQLClient, last_name: str | None) -> None:
    # given
    given = {"firstName": "Ann"}
    if last_name is not None:
        given["lastName"] = last_name

    # when
    payload = await staff.mutate("createContact", CREATE, given)

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == LAST_NAME_REQUIRED
    assert "Last name" in payload["errors"][0]["message"]
    assert await contact_count(staff) == 0


@pytest.mark.parametrize("contact_type", ["PROSPECT", "CLIENT"])
@pytest.mark.parametrize("email", [None, "", "  "], ids=["missing", "empty", "spaces"])
async def test_email_is_required_for_prospects_and_clients(
    staff: GraphQLClient, contact_type: str, email: str | None
) -> None:
    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "type": contact_type, "email": email}
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == EMAIL_REQUIRED
    assert await contact_count(staff) == 0


@pytest.mark.parametrize("contact_type", ["LEAD", "EMPLOYEE", "OTHER"])
async def test_email_is_optional_for_other_types(staff: GraphQLClient, contact_type: str) -> None:
    # when
    contact = await create_contact(staff, lastName="Smith", type=contact_type)

    # then
    assert contact["type"] == contact_type
    assert contact["email"] is None


@pytest.mark.parametrize(
    "email",
    [
        "ann",
        "ann@",
        "@example.com",
        "ann@@example.com",
        "ann smith@example.com",
        "ann@example",
        "ann@exam ple.com",
        "Ann <ann@example.com>",
        "ann@example..com",
        "a" * 250 + "@example.com",
    ],
)
async def test_malformed_email_is_invalid(staff: GraphQLClient, email: str) -> None:
    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "type": "CLIENT", "email": email}
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == EMAIL_INVALID
    assert await contact_count(staff) == 0


async def test_email_is_trimmed_and_its_domain_lower_cased(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, email="  Ann.Smith@EXAMPLE.com ")

    # then
    assert contact["email"] == "Ann.Smith@example.com"


@pytest.mark.parametrize("field", ["firstName", "lastName", "jobTitle"])
async def test_ten_thousand_character_text_is_invalid_and_nothing_is_saved(
    staff: GraphQLClient, field: str
) -> None:
    # given
    given = {"lastName": "Smith", field: "x" * 10_000}

    # when
    payload = await staff.mutate("createContact", CREATE, given)

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", field], "INVALID")]
    assert "100" in payload["errors"][0]["message"]
    assert await contact_count(staff) == 0


async def test_a_name_of_exactly_the_limit_is_accepted(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, firstName="a" * 100, lastName="b" * 100)

    # then
    assert contact["fullName"] == "a" * 100 + " " + "b" * 100


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Zoë", "Ångström"),
        ("太郎", "山田"),
        ("Анна", "Каренина"),
        ("محمد", "العلي"),
        ("🦄", "Rainbow 🌈"),
        ("Family", "👨\u200d👩\u200d👧"),
    ],
)
async def test_unicode_names_are_saved_intact(staff: GraphQLClient, first: str, last: str) -> None:
    # when
    created = await create_contact(staff, firstName=first, lastName=last)

    # then
    contact = await get_contact(staff, created["id"])
    assert (contact["firstName"], contact["lastName"]) == (first, last)
    assert contact["fullName"] == f"{first} {last}"


async def test_decomposed_accents_are_stored_composed(staff: GraphQLClient) -> None:
    # when: "Zoë" typed as Z o e + combining diaeresis
    contact = await create_contact(staff, firstName="Zoe\u0308", lastName="Smith")

    # then
    assert contact["firstName"] == "Zoë"


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Smith\x00", "Smith"),
        ("\x07Smith\x1b", "Smith"),
        ("Sm\x00ith", "Smith"),
        ("Van\tder\nBerg", "Van der Berg"),
        ("  Van   der  Berg  ", "Van der Berg"),
        ("Smith\x7f", "Smith"),
    ],
)
async def test_control_characters_are_stripped(
    staff: GraphQLClient, typed: str, saved: str
) -> None:
    # when
    created = await create_contact(staff, lastName=typed, jobTitle=f"Chief {typed}")

    # then
    contact = await get_contact(staff, created["id"])
    assert contact["lastName"] == saved
    assert contact["jobTitle"] == f"Chief {saved}"


async def test_a_name_of_only_control_characters_is_missing(staff: GraphQLClient) -> None:
    # when
    payload = await staff.mutate("createContact", CREATE, {"lastName": "\x00\x01\x02"})

    # then
    assert errors_of(payload) == LAST_NAME_REQUIRED
    assert await contact_count(staff) == 0


async def test_unknown_company_is_not_found(staff: GraphQLClient) -> None:
    # given: the id of a company that no longer exists
    company_id = await create_company(staff, "Gone Ltd")
    await staff.mutate("deleteCompany", DELETE_COMPANY, {"id": company_id})

    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "companyId": company_id}
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "companyId"], "NOT_FOUND")]
    assert await contact_count(staff) == 0


@pytest.mark.parametrize(
    "company_id",
    ["garbage", "", "Q29tcGFueTow", "Q29udGFjdDox"],
    ids=["garbage", "empty", "zero", "contact-id"],
)
async def test_malformed_company_id_is_not_found(staff: GraphQLClient, company_id: str) -> None:
    # given: nonsense, "Company:0" and "Contact:1" (an id of the wrong type)
    await create_contact(staff, lastName="Existing")

    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "companyId": company_id}
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "companyId"], "NOT_FOUND")]
    assert await contact_count(staff) == 1


async def test_out_of_range_company_id_is_not_found(
    staff: GraphQLClient,
) -> None:
    # when
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "companyId": HUGE_COMPANY_ID}
    )

    # then
    assert errors_of(payload) == [(["input", "companyId"], "NOT_FOUND")]
    assert await contact_count(staff) == 0


async def test_several_errors_are_reported_at_once(staff: GraphQLClient) -> None:
    # when
    payload = await staff.mutate(
        "createContact",
        CREATE,
        {
            "lastName": " ",
            "firstName": "x" * 101,
            "email": "not-an-email",
            "type": "CLIENT",
            "companyId": "garbage",
            "phones": [{"number": "12", "country": "GB"}],
            "address": {"country": "XX"},
        },
    )

    # then
    assert payload["contact"] is None
    assert sorted(errors_of(payload)) == sorted(
        [
            (["input", "firstName"], "INVALID"),
            (["input", "lastName"], "REQUIRED"),
            (["input", "email"], "INVALID"),
            (["input", "companyId"], "NOT_FOUND"),
            (["input", "phones", "0", "number"], "INVALID"),
            (["input", "address", "country"], "INVALID"),
        ]
    )
    assert all(error["message"] for error in payload["errors"])
    assert await contact_count(staff) == 0


async def test_a_failed_create_saves_nothing(staff: GraphQLClient) -> None:
    # given: valid fields, valid phones and one bad phone at the end
    given = {
        "lastName": "Smith",
        "email": "ann@example.com",
        "phones": [{"number": "020 7946 0018", "country": "GB"}, {"number": "nope"}],
    }

    # when
    payload = await staff.mutate("createContact", CREATE, given)

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "phones", "1", "number"], "INVALID")]
    assert await contact_count(staff) == 0
    # and the email is still free
    retried = await create_contact(staff, lastName="Smith", email="ann@example.com")
    assert retried["email"] == "ann@example.com"


async def test_unknown_title_is_rejected_by_the_schema(staff: GraphQLClient) -> None:
    # when
    result = await staff.execute(CREATE, {"input": {"lastName": "Smith", "title": "KING"}})

    # then
    assert result.errors
    assert result.body["data"] is None
    assert await contact_count(staff) == 0


async def test_anonymous_cannot_create(anonymous: GraphQLClient, staff: GraphQLClient) -> None:
    # when
    result = await anonymous.execute(CREATE, {"input": {"lastName": "Smith"}})

    # then
    assert result.error_codes == ["UNAUTHENTICATED"]
    assert await contact_count(staff) == 0


async def test_member_staff_can_create(member: GraphQLClient) -> None:
    # when
    contact = await create_contact(member, lastName="Smith")

    # then
    assert contact["fullName"] == "Smith"
