"""Phone numbers: parsed per country, stored as E.164, shown national and international."""

from __future__ import annotations

import pytest

from tests.contacts.helpers import (
    CREATE,
    contact_count,
    create_contact,
    errors_of,
    get_contact,
    update_contact,
)
from tests.graphql_client import GraphQLClient

LONDON = "+442079460018"


def _phone_input(number: str, country: str | None = None, **extra: object) -> dict:
    given: dict = {"number": number, **extra}
    if country is not None:
        given["country"] = country
    return given


async def _create_with_phones(staff: GraphQLClient, *phones: dict) -> dict:
    return await staff.mutate(
        "createContact", CREATE, {"lastName": "Smith", "phones": list(phones)}
    )


@pytest.mark.parametrize(
    ("number", "country", "e164", "national", "international", "detected"),
    [
        ("020 7946 0018", "GB", LONDON, "020 7946 0018", "+44 20 7946 0018", "GB"),
        ("02079460018", "gb", LONDON, "020 7946 0018", "+44 20 7946 0018", "GB"),
        ("(202) 555-0143", "US", "+12025550143", "(202) 555-0143", "+1 202-555-0143", "US"),
        ("202.555.0143", "US", "+12025550143", "(202) 555-0143", "+1 202-555-0143", "US"),
        ("030 12345678", "DE", "+493012345678", "030 12345678", "+49 30 12345678", "DE"),
        ("06 12 34 56 78", "FR", "+33612345678", "06 12 34 56 78", "+33 6 12 34 56 78", "FR"),
        ("(02) 9876 5432", "AU", "+61298765432", "(02) 9876 5432", "+61 2 9876 5432", "AU"),
    ],
)
async def test_national_formats_with_their_country(
    staff: GraphQLClient,
    number: str,
    country: str,
    e164: str,
    national: str,
    international: str,
    detected: str,
) -> None:
    # when
    payload = await _create_with_phones(staff, _phone_input(number, country))

    # then
    assert payload["errors"] == []
    phone = (await get_contact(staff, payload["contact"]["id"]))["phones"][0]
    assert phone["number"] == e164
    assert phone["national"] == national
    assert phone["international"] == international
    assert phone["country"] == detected


@pytest.mark.parametrize(
    ("number", "e164", "detected"),
    [
        ("+44 20 7946 0018", LONDON, "GB"),
        ("+442079460018", LONDON, "GB"),
        ("0044 20 7946 0018", LONDON, "GB"),
        ("+1 (202) 555-0143", "+12025550143", "US"),
        ("+49 30 12345678", "+493012345678", "DE"),
        ("+33 6 12 34 56 78", "+33612345678", "FR"),
        ("+81 3-1234-5678", "+81312345678", "JP"),
    ],
)
async def test_international_numbers_need_no_country(
    staff: GraphQLClient, number: str, e164: str, detected: str
) -> None:
    # when
    payload = await _create_with_phones(staff, _phone_input(number))

    # then
    assert payload["errors"] == []
    phone = payload["contact"]["phones"][0]
    assert (phone["number"], phone["country"]) == (e164, detected)


async def test_an_international_number_wins_over_the_country_given(staff: GraphQLClient) -> None:
    # when: a UK number typed with +44 while the form still says US
    payload = await _create_with_phones(staff, _phone_input("+44 20 7946 0018", "US"))

    # then
    assert payload["errors"] == []
    phone = payload["contact"]["phones"][0]
    assert (phone["number"], phone["country"]) == (LONDON, "GB")


async def test_national_numbers_without_country_use_the_default_country(
    staff: GraphQLClient,
) -> None:
    # when: the test settings make GB the default country
    payload = await _create_with_phones(staff, _phone_input("020 7946 0018"))

    # then
    assert payload["errors"] == []
    assert payload["contact"]["phones"][0]["number"] == LONDON


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("12345", "GB"),
        ("999", "GB"),
        ("hello", "GB"),
        ("+44 20 7946", None),
        ("+1 555", None),
        ("+44 20 7946 0018 0018", None),
        ("+999 1234 5678", None),
        ("1" * 41, "GB"),
    ],
)
async def test_invalid_numbers_are_errors_on_their_field(
    staff: GraphQLClient, number: str, country: str | None
) -> None:
    # when: the invalid number comes second
    payload = await _create_with_phones(
        staff, _phone_input("020 7946 0018", "GB"), _phone_input(number, country)
    )

    # then
    assert payload["contact"] is None
    assert errors_of(payload) == [(["input", "phones", "1", "number"], "INVALID")]
    assert await contact_count(staff) == 0


@pytest.mark.parametrize(
    ("number", "wrong_country"),
    [
        ("(202) 555-0143", "GB"),
        ("020 7946 0018", "FR"),
        ("020 7946 0018", "DE"),
        ("06 12 34 56 78", "GB"),
    ],
)
async def test_a_foreign_number_with_the_wrong_country_is_invalid(
    staff: GraphQLClient, number: str, wrong_country: str
) -> None:
    # when
    payload = await _create_with_phones(staff, _phone_input(number, wrong_country))

    # then
    assert errors_of(payload) == [(["input", "phones", "0", "number"], "INVALID")]
    assert wrong_country in payload["errors"][0]["message"]
    assert await contact_count(staff) == 0


@pytest.mark.parametrize("number", ["", "   "])
async def test_an_empty_number_is_required(staff: GraphQLClient, number: str) -> None:
    # when
    payload = await _create_with_phones(staff, _phone_input(number, "GB"))

    # then
    assert errors_of(payload) == [(["input", "phones", "0", "number"], "REQUIRED")]


async def test_an_unknown_country_is_invalid(staff: GraphQLClient) -> None:
    # when
    payload = await _create_with_phones(staff, _phone_input("020 7946 0018", "XX"))

    # then
    assert (["input", "phones", "0", "country"], "INVALID") in errors_of(payload)
    assert await contact_count(staff) == 0


async def test_an_extension_is_never_silently_dropped(staff: GraphQLClient) -> None:
    # when: E.164 has no room for an extension
    payload = await _create_with_phones(staff, _phone_input("020 7946 0018 ext. 123", "GB"))

    # then: the user is told, instead of the extension vanishing
    assert errors_of(payload) == [(["input", "phones", "0", "number"], "INVALID")]
    assert "extension" in payload["errors"][0]["message"].lower()
    assert await contact_count(staff) == 0


async def test_a_number_of_no_country_is_saved(staff: GraphQLClient) -> None:
    # when: an international freephone number belongs to no country
    payload = await _create_with_phones(staff, _phone_input("+800 1234 5678"))

    # then
    assert payload["errors"] == []
    phone = (await get_contact(staff, payload["contact"]["id"]))["phones"][0]
    assert phone["number"] == "+80012345678"
    assert phone["national"] == phone["international"] == "+800 1234 5678"
    assert phone["country"] == ""


async def test_the_first_phone_becomes_primary_when_none_is_marked(staff: GraphQLClient) -> None:
    # when
    payload = await _create_with_phones(
        staff,
        _phone_input("020 7946 0018", "GB", type="OFFICE"),
        _phone_input("+1 202-555-0143", type="MOBILE"),
    )

    # then
    phones = payload["contact"]["phones"]
    assert [p["isPrimary"] for p in phones] == [True, False]


async def test_the_phone_marked_primary_is_the_only_primary(staff: GraphQLClient) -> None:
    # when
    payload = await _create_with_phones(
        staff,
        _phone_input("020 7946 0018", "GB"),
        _phone_input("+1 202-555-0143", isPrimary=True),
        _phone_input("+33 6 12 34 56 78"),
    )

    # then: the list keeps the order typed
    phones = payload["contact"]["phones"]
    assert [p["number"] for p in phones] == [LONDON, "+12025550143", "+33612345678"]
    assert [p["isPrimary"] for p in phones] == [False, True, False]


async def test_two_primary_phones_are_invalid(staff: GraphQLClient) -> None:
    # when
    payload = await _create_with_phones(
        staff,
        _phone_input("020 7946 0018", "GB", isPrimary=True),
        _phone_input("+1 202-555-0143", isPrimary=True),
    )

    # then
    assert errors_of(payload) == [(["input", "phones", "1", "isPrimary"], "INVALID")]
    assert await contact_count(staff) == 0


@pytest.mark.parametrize(
    "second", ["+44 20 7946 0018", "020 7946 0018", "02079460018", "0044 (0)20 7946 0018"]
)
async def test_the_same_number_twice_is_a_duplicate(staff: GraphQLClient, second: str) -> None:
    # when: the same number in another format
    payload = await _create_with_phones(
        staff, _phone_input("020 7946 0018", "GB"), _phone_input(second, "GB")
    )

    # then
    assert errors_of(payload) == [(["input", "phones", "1", "number"], "DUPLICATE")]
    assert await contact_count(staff) == 0


async def test_twenty_phones_are_allowed(staff: GraphQLClient) -> None:
    # given
    phones = [_phone_input(f"020 7946 00{i:02d}", "GB") for i in range(20)]

    # when
    payload = await _create_with_phones(staff, *phones)

    # then
    assert payload["errors"] == []
    assert len(payload["contact"]["phones"]) == 20


async def test_more_than_twenty_phones_is_too_many(staff: GraphQLClient) -> None:
    # given
    phones = [_phone_input(f"020 7946 00{i:02d}", "GB") for i in range(21)]

    # when
    payload = await _create_with_phones(staff, *phones)

    # then
    assert errors_of(payload) == [(["input", "phones"], "TOO_MANY")]
    assert "20" in payload["errors"][0]["message"]
    assert await contact_count(staff) == 0


async def test_update_replaces_the_whole_list(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(
        staff,
        phones=[
            _phone_input("020 7946 0018", "GB", isPrimary=True),
            _phone_input("+1 202-555-0143"),
        ],
    )

    # when
    payload = await update_contact(
        staff,
        contact["id"],
        phones=[_phone_input("+33 6 12 34 56 78", type="HOME"), _phone_input("+1 202-555-0143")],
    )

    # then
    assert payload["errors"] == []
    phones = (await get_contact(staff, contact["id"]))["phones"]
    assert [(p["number"], p["type"], p["isPrimary"]) for p in phones] == [
        ("+33612345678", "HOME", True),
        ("+12025550143", "MOBILE", False),
    ]


async def test_update_without_phones_keeps_them(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, phones=[_phone_input("020 7946 0018", "GB")])

    # when
    await update_contact(staff, contact["id"], jobTitle="Buyer")

    # then
    phones = (await get_contact(staff, contact["id"]))["phones"]
    assert [p["number"] for p in phones] == [LONDON]
    assert phones == contact["phones"]


async def test_an_invalid_phone_on_update_keeps_the_old_list(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, phones=[_phone_input("020 7946 0018", "GB")])

    # when
    payload = await update_contact(
        staff, contact["id"], phones=[_phone_input("+1 202-555-0143"), _phone_input("12")]
    )

    # then
    assert errors_of(payload) == [(["input", "phones", "1", "number"], "INVALID")]
    assert (await get_contact(staff, contact["id"]))["phones"] == contact["phones"]


async def test_two_phones_in_different_countries_are_both_formatted(
    staff: GraphQLClient,
) -> None:
    # when
    contact = await create_contact(
        staff,
        phones=[
            _phone_input("020 7946 0018", "GB", type="OFFICE"),
            _phone_input("(202) 555-0143", "US", type="MOBILE"),
        ],
    )

    # then
    phones = (await get_contact(staff, contact["id"]))["phones"]
    assert [(p["country"], p["national"], p["international"]) for p in phones] == [
        ("GB", "020 7946 0018", "+44 20 7946 0018"),
        ("US", "(202) 555-0143", "+1 202-555-0143"),
    ]
    assert [p["type"] for p in phones] == ["OFFICE", "MOBILE"]
    assert len({p["id"] for p in phones}) == 2


async def test_the_same_number_may_belong_to_two_contacts(staff: GraphQLClient) -> None:
    # given: a shared office switchboard
    first = await create_contact(staff, lastName="Smith", phones=[_phone_input(LONDON)])

    # when
    second = await create_contact(staff, lastName="Jones", phones=[_phone_input(LONDON)])

    # then
    assert first["phones"][0]["number"] == second["phones"][0]["number"] == LONDON
