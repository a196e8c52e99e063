"""Merging contacts with portal access: one account survives, the others end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from crm.contacts.models import Contact, PortalStatus
from crm.portal.models import Invitation, InvitationStatus, PortalAccount
from tests.duplicates.merge_helpers import create, merge, pk
from tests.graphql_client import GraphQLClient
from tests.messages.helpers import portal_contact
from tests.portal.helpers import ME, PASSWORD, PORTAL_LOGIN, activate, invite, latest_token


def visitor(app) -> GraphQLClient:
    return GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )


async def signed_in_as(client: GraphQLClient) -> str | None:
    me = (await client.execute(ME)).data["me"]
    return me["email"] if me else None


async def test_both_active_the_account_signed_in_to_last_survives(app, staff: GraphQLClient):
    # given Alice and her duplicate, both with portal access, the duplicate's used last
    alice, alice_browser = await portal_contact(app, staff, "alice@example.com", lastName="Adam")
    twin, twin_browser = await portal_contact(app, staff, "twin@example.com", lastName="Adam")
    long_ago = datetime.now(UTC) - timedelta(days=30)
    await Contact.filter(id=pk(alice["id"])).update(portal_last_login_at=long_ago)

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice has the duplicate's account: its browser stays signed in (as Alice), its
    # address and password sign in; Alice's old account is closed and signed out
    assert payload["errors"] == []
    kept = payload["contact"]
    assert kept["portal"]["status"] == "ACTIVE"
    assert kept["email"] == "twin@example.com"
    assert await signed_in_as(twin_browser) == "twin@example.com"
    assert await signed_in_as(alice_browser) is None
    assert await PortalAccount.filter(contact_id=pk(alice["id"])).count() == 1
    newcomer = visitor(app)
    login = await newcomer.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "twin@example.com", "password": PASSWORD}
    )
    assert login["errors"] == [] and login["user"]["email"] == "twin@example.com"
    for browser in (alice_browser, twin_browser, newcomer):
        await browser.http.aclose()


async def test_both_active_the_kept_contacts_account_survives_when_used_last(
    app, staff: GraphQLClient
):
    # given two active accounts, Alice's used last
    alice, alice_browser = await portal_contact(app, staff, "alice@example.com", lastName="Adam")
    twin, twin_browser = await portal_contact(app, staff, "twin@example.com", lastName="Adam")
    long_ago = datetime.now(UTC) - timedelta(days=30)
    await Contact.filter(id=pk(twin["id"])).update(portal_last_login_at=long_ago)

    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice keeps hers and her address; the duplicate's browser is signed out
    assert payload["errors"] == []
    assert payload["contact"]["email"] == "alice@example.com"
    assert await signed_in_as(alice_browser) == "alice@example.com"
    assert await signed_in_as(twin_browser) is None
    for browser in (alice_browser, twin_browser):
        await browser.http.aclose()


async def test_an_active_duplicate_beats_a_pending_invitation(app, staff: GraphQLClient):
    # given Alice invited (link not used yet), and her duplicate with portal access
    alice = await create(staff, "Adam", type="CLIENT", email="alice@example.com", sendInvite=True)
    alice_link = await latest_token("alice@example.com")
    twin, twin_browser = await portal_contact(app, staff, "twin@example.com", lastName="Adam")

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice is ACTIVE with the duplicate's account, and her old link no longer works
    assert payload["errors"] == []
    assert payload["contact"]["portal"]["status"] == "ACTIVE"
    assert await signed_in_as(twin_browser) == "twin@example.com"
    late = visitor(app)
    used = await activate(late, alice_link)
    assert used["errors"][0]["code"] == "INVALID"
    revoked = await Invitation.get(contact_id=pk(alice["id"]), email="alice@example.com")
    assert revoked.status == InvitationStatus.REVOKED
    for browser in (twin_browser, late):
        await browser.http.aclose()


async def test_a_pending_invitation_of_the_duplicate_still_opens_the_portal(
    app, staff: GraphQLClient
):
    # given Alice without portal access, and her duplicate invited
    alice = await create(staff, "Adam", type="CLIENT", email="alice@example.com")
    twin = await create(staff, "Adam", type="CLIENT", email="twin@example.com")
    await invite(staff, "sendInvite", twin["id"])
    link = await latest_token("twin@example.com")

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice is invited at the address the link went to, and the link activates her
    assert payload["errors"] == []
    assert payload["contact"]["portal"]["status"] == "INVITED"
    assert payload["contact"]["email"] == "twin@example.com"
    browser = visitor(app)
    activated = await activate(browser, link)
    assert activated["errors"] == []
    assert activated["contact"]["id"] == alice["id"]
    assert (await Contact.get(id=pk(alice["id"]))).portal_status == PortalStatus.ACTIVE
    await browser.http.aclose()


async def test_a_pending_invitation_follows_an_email_chosen_otherwise(app, staff: GraphQLClient):
    # given Alice without portal access, and her duplicate invited at another address
    alice = await create(staff, "Adam", type="CLIENT", email="alice@example.com")
    twin = await create(staff, "Adam", type="CLIENT", email="twin@example.com")
    await invite(staff, "sendInvite", twin["id"])
    old_link = await latest_token("twin@example.com")

    # when merged keeping Alice's address
    payload = await merge(
        staff, alice["id"], [twin["id"]], [{"field": "email", "sourceId": alice["id"]}]
    )

    # then the invitation went again, to Alice's address, and the old link is dead
    assert payload["errors"] == []
    assert payload["contact"]["portal"]["status"] == "INVITED"
    browser = visitor(app)
    assert (await activate(browser, old_link))["errors"][0]["code"] == "INVALID"
    activated = await activate(browser, await latest_token("alice@example.com"))
    assert activated["errors"] == [] and activated["contact"]["email"] == "alice@example.com"
    await browser.http.aclose()


async def test_a_portal_contact_cannot_merge(app, staff: GraphQLClient):
    # given a contact signed in to the portal, and two contacts
    pia, browser = await portal_contact(app, staff, "pia@example.com")
    alice = await create(staff, "Adam")
    # when the portal contact calls mergeContacts, then it is refused
    refused = await browser.execute(
        "mutation ($input: MergeContactsInput!) { mergeContacts(input: $input) { "
        "errors { code } } }",
        {"input": {"keepId": pia["id"], "mergeIds": [alice["id"]]}},
    )
    assert refused.error_codes == ["FORBIDDEN"]
    assert await Contact.exists(id=pk(alice["id"]))
    await browser.http.aclose()
