"""Communication preferences: filling a field ticks its channel unless the user chose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.contacts.helpers import consent, create_contact, get_contact, update_contact
from tests.graphql_client import GraphQLClient

MOBILE = {"number": "+44 7400 123456", "type": "MOBILE"}
OFFICE = {"number": "020 7946 0018", "country": "GB", "type": "OFFICE"}
FAX = {"number": "020 7946 0019", "country": "GB", "type": "FAX"}
ADDRESS = {"line1": "1 High Street", "city": "London", "postalCode": "SW1A 1AA"}


def _ticked(contact: dict) -> dict[str, bool]:
    preferences = contact["preferences"]
    return {channel: preferences[channel] for channel in ("email", "sms", "phone", "post")}


def _recent(moment: str) -> bool:
    changed = datetime.fromisoformat(moment)
    return abs(datetime.now(UTC) - changed) < timedelta(minutes=1)


async def test_nothing_is_ticked_without_details(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, lastName="Smith")

    # then
    assert _ticked(contact) == {"email": False, "sms": False, "phone": False, "post": False}
    assert [c["channel"] for c in contact["preferences"]["consents"]] == [
        "EMAIL",
        "SMS",
        "PHONE",
        "POST",
    ]
    assert all(
        (c["granted"], c["changedAt"], c["source"]) == (False, None, None)
        for c in contact["preferences"]["consents"]
    )


async def test_entering_an_email_ticks_email_with_time_and_source(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, email="ann@example.com")

    # then
    assert _ticked(contact) == {"email": True, "sms": False, "phone": False, "post": False}
    email = consent(contact, "EMAIL")
    assert email["granted"] is True
    assert email["source"] == "STAFF"
    assert _recent(email["changedAt"])
    assert datetime.fromisoformat(email["changedAt"]).utcoffset() is not None


async def test_a_mobile_ticks_phone_but_not_sms_while_sms_is_disabled(
    staff: GraphQLClient,
) -> None:
    # when: CRM_SMS_ENABLED is off in the test settings
    contact = await create_contact(staff, phones=[MOBILE])

    # then
    assert _ticked(contact) == {"email": False, "sms": False, "phone": True, "post": False}
    sms = consent(contact, "SMS")
    assert (sms["granted"], sms["changedAt"], sms["source"]) == (False, None, None)


@pytest.mark.parametrize("phone_type", ["MOBILE", "OFFICE", "HOME", "OTHER"])
async def test_any_phone_ticks_phone(staff: GraphQLClient, phone_type: str) -> None:
    # when
    contact = await create_contact(staff, phones=[{**OFFICE, "type": phone_type}])

    # then
    assert contact["preferences"]["phone"] is True
    phone = consent(contact, "PHONE")
    assert phone["source"] == "STAFF"
    assert _recent(phone["changedAt"])


async def test_a_fax_number_does_not_tick_phone(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, phones=[FAX])

    # then
    assert contact["preferences"]["phone"] is False


@pytest.mark.parametrize(
    "address",
    [ADDRESS, {"line1": "1 High Street"}, {"city": "London"}, {"postalCode": "SW1A 1AA"}],
    ids=["full", "line1", "city", "postcode"],
)
async def test_an_address_ticks_post(staff: GraphQLClient, address: dict) -> None:
    # when
    contact = await create_contact(staff, address=address)

    # then
    assert contact["preferences"]["post"] is True
    assert consent(contact, "POST")["source"] == "STAFF"


async def test_a_country_alone_is_no_postal_address(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, address={"country": "GB"})

    # then
    assert contact["preferences"]["post"] is False


async def test_every_filled_field_ticks_its_channel(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, email="ann@example.com", phones=[MOBILE], address=ADDRESS)

    # then
    assert _ticked(contact) == {"email": True, "sms": False, "phone": True, "post": True}


async def test_an_explicit_false_wins_over_the_automatic_tick(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(
        staff,
        email="ann@example.com",
        phones=[MOBILE],
        address=ADDRESS,
        preferences={"email": False, "phone": False, "post": False},
    )

    # then
    assert _ticked(contact) == {"email": False, "sms": False, "phone": False, "post": False}
    email = consent(contact, "EMAIL")
    assert (email["granted"], email["source"]) == (False, "STAFF")
    assert _recent(email["changedAt"])


async def test_only_the_channels_given_are_explicit(staff: GraphQLClient) -> None:
    # when: email is refused, phone is left to the rules
    contact = await create_contact(
        staff, email="ann@example.com", phones=[OFFICE], preferences={"email": False}
    )

    # then
    assert (contact["preferences"]["email"], contact["preferences"]["phone"]) == (False, True)


async def test_sms_can_be_ticked_explicitly(staff: GraphQLClient) -> None:
    # when
    contact = await create_contact(staff, phones=[MOBILE], preferences={"sms": True})

    # then
    assert contact["preferences"]["sms"] is True
    assert consent(contact, "SMS")["source"] == "STAFF"


async def test_adding_an_email_later_ticks_email(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith")

    # when
    payload = await update_contact(staff, contact["id"], email="ann@example.com")

    # then
    assert payload["errors"] == []
    updated = await get_contact(staff, contact["id"])
    assert updated["preferences"]["email"] is True
    assert consent(updated, "EMAIL")["source"] == "STAFF"


async def test_adding_phones_and_address_later_ticks_them(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, lastName="Smith")

    # when
    await update_contact(staff, contact["id"], phones=[OFFICE], address=ADDRESS)

    # then
    updated = await get_contact(staff, contact["id"])
    assert _ticked(updated) == {"email": False, "sms": False, "phone": True, "post": True}


async def test_once_refused_adding_the_field_later_does_not_tick_it(
    staff: GraphQLClient,
) -> None:
    # given: the contact said no to email, phone and post before giving any
    contact = await create_contact(
        staff, lastName="Smith", preferences={"email": False, "phone": False, "post": False}
    )

    # when
    await update_contact(
        staff, contact["id"], email="ann@example.com", phones=[OFFICE], address=ADDRESS
    )

    # then
    updated = await get_contact(staff, contact["id"])
    assert _ticked(updated) == {"email": False, "sms": False, "phone": False, "post": False}
    assert consent(updated, "EMAIL")["changedAt"] == consent(contact, "EMAIL")["changedAt"]


async def test_unticked_later_stays_unticked_when_the_email_changes(
    staff: GraphQLClient,
) -> None:
    # given: ticked automatically, then withdrawn
    contact = await create_contact(staff, email="ann@example.com")
    await update_contact(staff, contact["id"], preferences={"email": False})

    # when
    await update_contact(staff, contact["id"], email="ann.smith@example.com")

    # then
    updated = await get_contact(staff, contact["id"])
    assert updated["preferences"]["email"] is False


async def test_a_preference_can_be_changed_on_update(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, email="ann@example.com", phones=[OFFICE])
    granted_at = consent(contact, "EMAIL")["changedAt"]

    # when
    payload = await update_contact(staff, contact["id"], preferences={"email": False})

    # then
    updated = payload["contact"]
    assert updated["preferences"]["email"] is False
    assert updated["preferences"]["phone"] is True
    withdrawn = consent(updated, "EMAIL")
    assert withdrawn["granted"] is False
    assert withdrawn["changedAt"] >= granted_at
    assert withdrawn["source"] == "STAFF"


async def test_setting_the_same_value_again_keeps_the_consent_time(
    staff: GraphQLClient,
) -> None:
    # given
    contact = await create_contact(staff, email="ann@example.com")
    granted_at = consent(contact, "EMAIL")["changedAt"]

    # when
    payload = await update_contact(staff, contact["id"], preferences={"email": True})

    # then: consent was not given again, so its time is when it was first given
    assert consent(payload["contact"], "EMAIL")["changedAt"] == granted_at


async def test_an_update_that_touches_nothing_related_keeps_the_preferences(
    staff: GraphQLClient,
) -> None:
    # given
    contact = await create_contact(staff, email="ann@example.com", phones=[OFFICE])

    # when
    payload = await update_contact(staff, contact["id"], jobTitle="Buyer")

    # then
    assert payload["contact"]["preferences"] == contact["preferences"]


async def test_removing_the_email_keeps_the_recorded_consent(staff: GraphQLClient) -> None:
    # given
    contact = await create_contact(staff, email="ann@example.com")

    # when
    await update_contact(staff, contact["id"], email=None)

    # then: consent is a fact about the person, not about the address
    updated = await get_contact(staff, contact["id"])
    assert consent(updated, "EMAIL") == consent(contact, "EMAIL")
