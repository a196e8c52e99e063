"""Each staff user's choice of list columns, kept on their account."""

from __future__ import annotations

import pytest

from crm.staff.columns import COLUMNS, ListName
from crm.staff.models import StaffUser
from tests.conftest import make_staff, signed_in
from tests.graphql_client import GraphQLClient

COLUMNS_OF_ME = """
query ($list: ListName!) { me { ... on StaffUser { listColumns(list: $list) } } }
"""
SET_COLUMNS = """
mutation ($input: SetListColumnsInput!) {
  setListColumns(input: $input) {
    columns
    user { email listColumns(list: CONTACTS) }
    errors { field message code }
  }
}
"""
STAFF_COLUMNS = """
{ staffUsers { edges { node { email listColumns(list: CONTACTS) } } } }
"""


async def _shown(client: GraphQLClient, list_name: str = "CONTACTS") -> list[str]:
    result = await client.execute(COLUMNS_OF_ME, {"list": list_name})
    return result.data["me"]["listColumns"]


async def _set(client: GraphQLClient, list_name: str, columns: list[str] | None) -> dict:
    result = await client.execute(SET_COLUMNS, {"input": {"list": list_name, "columns": columns}})
    return result.data["setListColumns"]


async def test_a_new_user_sees_each_lists_default_columns(staff: GraphQLClient) -> None:
    # given a staff user who never chose columns

    # when they ask for each list's columns
    contacts = await _shown(staff, "CONTACTS")
    companies = await _shown(staff, "COMPANIES")

    # then they get the defaults
    assert contacts == list(COLUMNS[ListName.CONTACTS].default)
    assert companies == list(COLUMNS[ListName.COMPANIES].default)


async def test_the_chosen_columns_and_order_follow_the_user_to_another_browser(
    app, staff: GraphQLClient
) -> None:
    # given a user who hides the email column and puts Last contacted first
    chosen = ["lastContacted", "company", "status", "portal", "city"]
    payload = await _set(staff, "CONTACTS", chosen)
    assert payload["errors"] == []
    assert payload["columns"] == chosen
    assert payload["user"]["listColumns"] == chosen

    # when the same user signs in from another browser
    other_browser = await signed_in(app, await StaffUser.get(email="staff@example.com"))

    # then the contacts list has their choice, and the companies list its defaults
    assert await _shown(other_browser, "CONTACTS") == chosen
    assert await _shown(other_browser, "COMPANIES") == list(COLUMNS[ListName.COMPANIES].default)
    await other_browser.http.aclose()


async def test_choosing_one_lists_columns_keeps_the_others(staff: GraphQLClient) -> None:
    # given a choice for the companies list
    await _set(staff, "COMPANIES", ["website", "industry"])

    # when the contacts list's columns are chosen, then reset to the defaults
    await _set(staff, "CONTACTS", ["email"])
    reset = await _set(staff, "CONTACTS", None)

    # then the contacts list is back to its defaults and the companies choice stays
    assert reset["columns"] == list(COLUMNS[ListName.CONTACTS].default)
    assert await _shown(staff, "COMPANIES") == ["website", "industry"]


async def test_no_columns_leaves_only_the_name(staff: GraphQLClient) -> None:
    # when every optional column is hidden
    payload = await _set(staff, "CONTACTS", [])

    # then none is kept (the name column always shows)
    assert payload["errors"] == []
    assert await _shown(staff) == []


@pytest.mark.parametrize(
    ("columns", "code"),
    [
        (["email", "salary"], "INVALID"),
        (["email", "email"], "DUPLICATE"),
        (["website"], "INVALID"),  # a companies column, not a contacts one
        (["email"] * 500, "TOO_MANY"),
    ],
)
async def test_unknown_repeated_or_too_many_columns_are_refused(
    staff: GraphQLClient, columns: list[str], code: str
) -> None:
    # given a user with a choice already kept
    await _set(staff, "CONTACTS", ["email", "status"])

    # when they send columns the list does not have, one twice, or far too many
    payload = await _set(staff, "CONTACTS", columns)

    # then the columns field is refused and the kept choice is unchanged
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "columns"], code)]
    assert payload["columns"] is None
    assert await _shown(staff) == ["email", "status"]


async def test_nobody_reads_another_users_columns(
    staff: GraphQLClient, member: GraphQLClient
) -> None:
    # given a member who chose columns
    await _set(member, "CONTACTS", ["email"])

    # when an administrator lists the staff accounts with their columns
    result = await staff.execute(STAFF_COLUMNS)

    # then only the administrator's own columns are there
    by_email = {
        e["node"]["email"]: e["node"]["listColumns"] for e in result.data["staffUsers"]["edges"]
    }
    assert by_email["member@example.com"] is None
    assert by_email["staff@example.com"] == list(COLUMNS[ListName.CONTACTS].default)


async def test_a_column_the_app_no_longer_has_is_left_out(staff: GraphQLClient) -> None:
    # given a choice kept before a column was removed from the app
    user = await StaffUser.get(email="staff@example.com")
    user.preferences = {"listColumns": {"CONTACTS": ["fax", "email"]}, "theme": "dark"}
    await user.save(update_fields=["preferences"])

    # when the list's columns are read, and another list's are chosen
    shown = await _shown(staff)
    await _set(staff, "COMPANIES", ["industry"])

    # then the removed column is left out and the other preferences are kept
    assert shown == ["email"]
    await user.refresh_from_db()
    assert user.preferences["theme"] == "dark"


async def test_portal_contacts_and_anonymous_callers_cannot_set_columns(
    anonymous: GraphQLClient,
) -> None:
    # when an anonymous caller tries
    result = await anonymous.execute(
        SET_COLUMNS, {"input": {"list": "CONTACTS", "columns": ["email"]}}
    )

    # then it is refused
    assert result.error_codes == ["UNAUTHENTICATED"]


async def test_each_user_reads_their_own_choice(app) -> None:
    # given two users with their own choices
    first = await signed_in(app, await make_staff("one@example.com"))
    second = await signed_in(app, await make_staff("two@example.com"))
    await _set(first, "CONTACTS", ["email"])
    await _set(second, "CONTACTS", ["status"])

    # then each reads their own
    assert await _shown(first) == ["email"]
    assert await _shown(second) == ["status"]
    await first.http.aclose()
    await second.http.aclose()
