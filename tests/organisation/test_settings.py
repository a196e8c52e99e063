"""Settings an administrator changes in the app: validated, saved, in effect at once."""

from __future__ import annotations

import asyncio

from crm.mail.worker import DeliveryWorker
from crm.organisation import services
from crm.organisation.services import refresh_stored_settings
from crm.settings import get_settings, use_stored_settings
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, queue, worker_settings
from tests.portal.helpers import invited_client, messages_to

SETTINGS_FIELDS = """
  organisationName defaultCountry inviteExpiryDays smsEnabled mailFromName mailFromAddress
  mailConfigured mailServer fromEnvironment
"""
SETTINGS = f"{{ settings {{ {SETTINGS_FIELDS} }} }}"
UPDATE = f"""
mutation ($input: UpdateSettingsInput!) {{
  updateSettings(input: $input) {{
    settings {{ {SETTINGS_FIELDS} }} errors {{ field message code }}
  }}
}}
"""


async def test_settings_start_from_the_environment(staff: GraphQLClient) -> None:
    settings = (await staff.execute(SETTINGS)).data["settings"]
    assert settings["organisationName"] == get_settings().organisation_name
    assert settings["mailConfigured"] is False and settings["mailServer"] is None
    assert len(settings["fromEnvironment"]) == 6


async def test_an_admin_changes_the_organisation_and_the_app_follows_at_once(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # when an admin renames the organisation and sets the default country
    payload = await staff.mutate(
        "updateSettings", UPDATE, {"organisationName": "Acme Ltd", "defaultCountry": "fr"}
    )
    # then the settings say so, and are no longer the environment's
    assert payload["errors"] == []
    assert payload["settings"]["organisationName"] == "Acme Ltd"
    assert payload["settings"]["defaultCountry"] == "FR"
    assert "organisationName" not in payload["settings"]["fromEnvironment"]
    # and the app, the portal's pages and the rules use them on the next request
    app = await staff.execute("{ appSettings { organisationName defaultCountry } }")
    assert app.data["appSettings"] == {"organisationName": "Acme Ltd", "defaultCountry": "FR"}
    portal = await anonymous.execute("{ portalInfo { organisationName } }")
    assert portal.data["portalInfo"]["organisationName"] == "Acme Ltd"
    # and a phone typed without + is read as French
    created = await staff.execute(
        'mutation { createContact(input: {lastName: "Dupont", phones: [{number: "01 42 68 53 00"}]'
        "}) { contact { phones { number } } errors { field } } }"
    )
    assert created.data["createContact"]["contact"]["phones"][0]["number"] == "+33142685300"


async def test_the_next_invitation_email_carries_the_new_name(staff: GraphQLClient) -> None:
    await staff.mutate("updateSettings", UPDATE, {"organisationName": "Zebra & Co"})
    await invited_client(staff, lastName="Nu", email="nu@example.com")
    [message] = await messages_to("nu@example.com")
    assert "Zebra & Co" in message.subject + message.text_body


async def test_bad_settings_are_refused_field_by_field_and_nothing_is_saved(
    staff: GraphQLClient,
) -> None:
    payload = await staff.mutate(
        "updateSettings",
        UPDATE,
        {
            "organisationName": "  ",
            "defaultCountry": "XX",
            "inviteExpiryDays": 91,
            "mailFromAddress": "not an address",
        },
    )
    assert {(error["field"][-1], error["code"]) for error in payload["errors"]} == {
        ("organisationName", "REQUIRED"),
        ("defaultCountry", "INVALID"),
        ("inviteExpiryDays", "INVALID"),
        ("mailFromAddress", "INVALID"),
    }
    settings = (await staff.execute(SETTINGS)).data["settings"]
    assert len(settings["fromEnvironment"]) == 6
    zero = await staff.mutate("updateSettings", UPDATE, {"inviteExpiryDays": 0})
    assert zero["errors"][0]["code"] == "INVALID"


async def test_null_puts_a_setting_back_to_the_environment(staff: GraphQLClient) -> None:
    await staff.mutate("updateSettings", UPDATE, {"inviteExpiryDays": 30})
    payload = await staff.mutate("updateSettings", UPDATE, {"inviteExpiryDays": None})
    assert payload["settings"]["inviteExpiryDays"] == get_settings().invite_expiry_days == 7
    assert "inviteExpiryDays" in payload["settings"]["fromEnvironment"]


async def test_mail_goes_out_from_the_sender_set_in_the_app(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a sender set by an admin
    sender = {"mailFromName": "Acme Support", "mailFromAddress": "hi@acme-support.com"}
    assert (await staff.mutate("updateSettings", UPDATE, sender))["errors"] == []
    # when a worker (started with the environment's settings) sends the next email
    await queue(1, to="someone@example.com")
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    # then it comes from that sender
    [received] = smtp_server.handler.messages
    assert received["From"] == "Acme Support <hi@acme-support.com>"


async def test_two_admins_changing_different_fields_at_once_both_keep_their_change(
    staff: GraphQLClient,
) -> None:
    await asyncio.gather(
        staff.mutate("updateSettings", UPDATE, {"organisationName": "Both Kept"}),
        staff.mutate("updateSettings", UPDATE, {"inviteExpiryDays": 12}),
    )
    settings = (await staff.execute(SETTINGS)).data["settings"]
    assert (settings["organisationName"], settings["inviteExpiryDays"]) == ("Both Kept", 12)


async def test_another_process_sees_a_change_at_its_next_refresh(staff: GraphQLClient) -> None:
    # given a change saved by an admin
    await staff.mutate("updateSettings", UPDATE, {"organisationName": "Elsewhere"})
    # when another process, still on the environment's settings, refreshes
    use_stored_settings({})
    assert get_settings().organisation_name != "Elsewhere"
    services._read_at = float("-inf")  # its last read is older than REFRESH_SECONDS
    await refresh_stored_settings()
    # then it uses the saved one
    assert get_settings().organisation_name == "Elsewhere"


async def test_members_and_anonymous_reach_no_settings(
    member: GraphQLClient, anonymous: GraphQLClient
) -> None:
    for client, refusal in ((member, "FORBIDDEN"), (anonymous, "UNAUTHENTICATED")):
        read = await client.execute(SETTINGS)
        assert read.error_codes == [refusal], read.body
        write = await client.execute(UPDATE, {"input": {"organisationName": "Hijacked"}})
        assert write.error_codes == [refusal], write.body
    assert get_settings().organisation_name != "Hijacked"
