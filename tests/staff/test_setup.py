"""The first run: the setup link creates the first administrator, once."""

from __future__ import annotations

from crm.organisation.services import stored_settings
from crm.staff.models import StaffUser
from crm.staff.setup import issue_setup_link
from tests.conftest import make_staff
from tests.graphql_client import GraphQLClient

FIRST_RUN = "query ($token: String) { firstRun(token: $token) { needed tokenValid } }"
COMPLETE = """
mutation ($input: CompleteSetupInput!) {
  completeSetup(input: $input) { user { email name role } errors { field message code } }
}
"""
ME = "{ me { ... on StaffUser { email role } } }"
PASSWORD = "the very first admin password"


def form(token: str, **changes: str) -> dict[str, str]:
    return {
        "token": token,
        "organisationName": "Acme Ltd",
        "defaultCountry": "FR",
        "name": "Ada Admin",
        "email": "ada@example.com",
        "password": PASSWORD,
        **changes,
    }


def token_of(link: str | None) -> str:
    assert link is not None and "/setup?token=" in link
    return link.rsplit("=", 1)[1]


async def test_the_setup_link_creates_the_first_admin_and_names_the_organisation(
    anonymous: GraphQLClient,
) -> None:
    # given a fresh installation: nobody has an account, and serve printed a link
    token = token_of(await issue_setup_link())
    state = await anonymous.execute(FIRST_RUN, {"token": token})
    assert state.data["firstRun"] == {"needed": True, "tokenValid": True}

    # when the newcomer fills in the setup page
    payload = await anonymous.mutate("completeSetup", COMPLETE, form(token))

    # then they are the signed-in administrator, and the organisation is named
    assert payload["errors"] == []
    assert payload["user"] == {"email": "ada@example.com", "name": "Ada Admin", "role": "ADMIN"}
    assert (await anonymous.execute(ME)).data["me"] == {"email": "ada@example.com", "role": "ADMIN"}
    saved = await stored_settings()
    assert (saved.organisation_name, saved.default_country) == ("Acme Ltd", "FR")
    app = await anonymous.execute("{ appSettings { organisationName } }")
    assert app.data["appSettings"]["organisationName"] == "Acme Ltd"

    # and the link works no more, nor is a new one issued
    assert (await anonymous.execute(FIRST_RUN, {"token": token})).data["firstRun"] == {
        "needed": False,
        "tokenValid": False,
    }
    replay = await anonymous.mutate("completeSetup", COMPLETE, form(token, email="eve@example.com"))
    assert replay["errors"][0]["field"] == ["input", "token"]
    assert await issue_setup_link() is None
    assert await StaffUser.all().count() == 1


async def test_a_bad_form_is_answered_field_by_field_and_the_link_still_works(
    anonymous: GraphQLClient,
) -> None:
    token = token_of(await issue_setup_link())
    payload = await anonymous.mutate(
        "completeSetup",
        COMPLETE,
        form(token, organisationName="", defaultCountry="ZZ", name="", email="x", password="1"),
    )
    fields = {error["field"][-1] for error in payload["errors"]}
    assert fields == {"organisationName", "defaultCountry", "name", "email", "password"}
    assert await StaffUser.all().count() == 0
    assert (await anonymous.execute(FIRST_RUN, {"token": token})).data["firstRun"]["tokenValid"]


async def test_a_setup_link_is_useless_once_an_admin_exists(anonymous: GraphQLClient) -> None:
    # given a link printed before someone ran `crm create-admin`
    token = token_of(await issue_setup_link())
    await make_staff("scripted@example.com")
    # then the link creates nobody
    payload = await anonymous.mutate("completeSetup", COMPLETE, form(token))
    assert payload["errors"][0]["code"] == "INVALID"
    assert await StaffUser.filter(email="ada@example.com").count() == 0


async def test_a_new_link_ends_the_earlier_one(anonymous: GraphQLClient) -> None:
    first = token_of(await issue_setup_link())
    second = token_of(await issue_setup_link())
    assert (await anonymous.mutate("completeSetup", COMPLETE, form(first)))["errors"]
    assert (await anonymous.mutate("completeSetup", COMPLETE, form(second)))["errors"] == []
