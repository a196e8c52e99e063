"""Reading a contact's timeline through the API, as the contact page does (shared by the
group, import, portal and mail tests)."""

from __future__ import annotations

from typing import Any

from tests.graphql_client import GraphQLClient

TIMELINE = """
query ($id: ID!, $kinds: [TimelineKind!]) {
  contact(id: $id) { timeline(kinds: $kinds, first: 100) { edges { node { kind actor summary } } } }
}
"""


async def timeline_of(
    staff: GraphQLClient, contact_id: str, kinds: list[str] | None = None
) -> list[dict[str, Any]]:
    """The contact's events, newest first: `{kind, actor, summary}` each."""
    result = await staff.execute(TIMELINE, {"id": contact_id, "kinds": kinds})
    return [edge["node"] for edge in result.data["contact"]["timeline"]["edges"]]


async def summaries_of(
    staff: GraphQLClient, contact_id: str, kinds: list[str] | None = None
) -> list[tuple[str, str]]:
    """`(actor, summary)` of each of the contact's events, newest first."""
    return [(e["actor"], e["summary"]) for e in await timeline_of(staff, contact_id, kinds)]
