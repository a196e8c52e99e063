"""The review list, its count, dismissal, a contact's duplicates and the form's warning."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from crm.auth.services import SESSION_COOKIE, ClientInfo, start_session
from crm.contacts.models import Contact, PortalStatus
from crm.duplicates.models import DuplicateCandidate
from crm.graphql.relay import to_global_id
from tests.duplicates.helpers import company, person
from tests.graphql_client import GraphQLClient

LIST = """
query ($after: String) {
  duplicateCandidates(first: 2, after: $after) {
    edges { node { id score reasons contacts { id fullName phones { number } } } }
    pageInfo { hasNextPage endCursor }
  }
  duplicateCandidateCount
}
"""
PAGE = """
{ duplicateCandidates(first: 50) { edges { node { score contacts { fullName } } } } }
"""
PAGE_STATEMENTS = 3
WARNING_STATEMENTS = 5
DISMISS = """
mutation ($input: DismissDuplicateInput!) {
  dismissDuplicate(input: $input) { candidate { id dismissed } errors { field code } }
}
"""
OF_CONTACT = """
query ($id: ID!) { contact(id: $id) { duplicates { edges { node { reasons contacts { id } } } } } }
"""
POSSIBLE = """
query ($input: PossibleDuplicatesInput!) {
  possibleDuplicates(input: $input) { reasons score contact { id fullName company { name } } }
}
"""


async def _three_pairs() -> list[int]:
    """Alice and Alicia at one domain (names too far apart: no pair), Bob and Robert by
    phone (60), Carol twice by name in a city (80); returns the ids in creation order."""
    return [
        await person("Alice", "Adam", email="alice@renard.fr"),
        await person("Alicia", "Zed", email="alicia@renard.fr"),
        await person("Bob", "Brown", phones=("06 12 34 56 78",)),
        await person("Robert", "Black", phones=("+33612345678",)),
        await person("Carol", "White", city="Lyon"),
        await person("Carol", "White", city="LYON"),
    ]


async def test_the_list_is_best_first_and_pages(staff: GraphQLClient) -> None:
    # given pairs scored 80 (Carol) and 60 (Bob)
    ids = await _three_pairs()

    # when the list is read a page of two at a time
    first = await staff.execute(LIST)
    page = first.data["duplicateCandidates"]

    # then the best comes first, each with its two contacts, and the count is the badge's
    assert first.data["duplicateCandidateCount"] == 2
    nodes = [edge["node"] for edge in page["edges"]]
    assert [(n["score"], n["reasons"]) for n in nodes] == [
        (80, ["SIMILAR_NAME"]),
        (60, ["SAME_PHONE"]),
    ]
    assert [c["id"] for c in nodes[0]["contacts"]] == [
        to_global_id("Contact", ids[4]),
        to_global_id("Contact", ids[5]),
    ]
    assert nodes[1]["contacts"][1]["phones"] == [{"number": "+33612345678"}]
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("size", [2, 12])
async def test_a_page_of_pairs_costs_a_fixed_number_of_statements(
    staff: GraphQLClient, size: int
) -> None:
    # given `size` pairs, each two contacts sharing a number
    for n in range(size):
        number = f"06 12 34 56 {n:02}"
        await person(f"First{n}", f"Family{n}", phones=(number,))
        await person(f"Other{n}", f"Kin{n}", phones=(number,))

    # when the page is read with its contacts
    result = await staff.execute(PAGE)

    # then it costs the session, the page and one statement for all the contacts
    assert len(result.data["duplicateCandidates"]["edges"]) == size
    assert result.query_count == PAGE_STATEMENTS


async def test_a_dismissed_pair_leaves_the_list_and_the_count(member: GraphQLClient) -> None:
    # given two pairs, and a MEMBER (who may review duplicates as an ADMIN may)
    await _three_pairs()
    listed = await member.execute(LIST)
    best = listed.data["duplicateCandidates"]["edges"][0]["node"]

    # when the best is dismissed
    payload = await member.mutate("dismissDuplicate", DISMISS, {"id": best["id"]})

    # then it is gone from the list and the count, and kept as dismissed
    assert payload == {"candidate": {"id": best["id"], "dismissed": True}, "errors": []}
    after = await member.execute(LIST)
    assert after.data["duplicateCandidateCount"] == 1
    assert best["id"] not in [e["node"]["id"] for e in after.data["duplicateCandidates"]["edges"]]
    assert await DuplicateCandidate.filter(dismissed_at__isnull=False).count() == 1


async def test_dismissing_an_unknown_pair_says_not_found(staff: GraphQLClient) -> None:
    for bad in (to_global_id("DuplicateCandidate", 999), to_global_id("Contact", 1), "nonsense"):
        payload = await staff.mutate("dismissDuplicate", DISMISS, {"id": bad})
        assert payload["errors"] == [{"field": ["input", "id"], "code": "NOT_FOUND"}], bad


async def test_a_contacts_duplicates(staff: GraphQLClient) -> None:
    ids = await _three_pairs()
    result = await staff.execute(OF_CONTACT, {"id": to_global_id("Contact", ids[3])})
    edges = result.data["contact"]["duplicates"]["edges"]
    assert [[c["id"] for c in e["node"]["contacts"]] for e in edges] == [
        [to_global_id("Contact", ids[2]), to_global_id("Contact", ids[3])]
    ]


async def test_the_form_warns_of_a_contact_with_the_typed_phone(staff: GraphQLClient) -> None:
    # given Alice Adam at Renard Jacquot with a mobile number
    renard = await company("Renard Jacquot")
    alice = await person("Alice", "Adam", phones=("06 12 34 56 78",), company=renard)

    # when the form holds another Alice Adam and that number in international form
    typed = {
        "firstName": "Alice",
        "lastName": "ADAM",
        "phones": [{"number": "+33612345678"}],
    }
    result = await staff.execute(POSSIBLE, {"input": typed})

    # then the warning names her, her company and why
    assert result.data["possibleDuplicates"] == [
        {
            "reasons": ["SAME_PHONE", "SIMILAR_NAME"],
            "score": 92,
            "contact": {
                "id": to_global_id("Contact", alice),
                "fullName": "Alice Adam",
                "company": {"name": "Renard Jacquot"},
            },
        }
    ]
    # and editing Alice herself warns of nobody
    editing = {**typed, "contactId": to_global_id("Contact", alice)}
    assert (await staff.execute(POSSIBLE, {"input": editing})).data["possibleDuplicates"] == []


async def test_the_form_warning_ignores_what_is_not_typed_yet(staff: GraphQLClient) -> None:
    await person("Alice", "Adam", phones=("06 12 34 56 78",), city="Paris")
    for typed in (
        {},
        {"firstName": "Alice"},
        {"phones": [{"number": "06 12"}]},
        {"lastName": "x" * 10_000, "city": "Paris"},
        {"email": "not an address"},
    ):
        result = await staff.execute(POSSIBLE, {"input": typed})
        assert result.errors == [], typed
        assert result.data["possibleDuplicates"] == [], typed


@pytest_asyncio.fixture
async def portal_contact(app) -> AsyncIterator[GraphQLClient]:
    contact = await Contact.get(id=await person("Pia", "Portal", email="pia@renard.fr"))
    contact.portal_status = PortalStatus.ACTIVE
    await contact.save()
    token, _ = await start_session(ClientInfo("127.0.0.1", "pytest"), contact=contact)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        cookies={SESSION_COOKIE: token},
    ) as http:
        yield GraphQLClient(http)


async def test_a_portal_contact_reaches_no_duplicates(portal_contact: GraphQLClient) -> None:
    # given a pair
    await _three_pairs()
    candidate = await DuplicateCandidate.first()
    assert candidate is not None

    # then a portal session is refused the list, the count, the warning and dismissal
    for document, variables in (
        (LIST, {}),
        (POSSIBLE, {"input": {"lastName": "Adam"}}),
        (DISMISS, {"input": {"id": to_global_id("DuplicateCandidate", candidate.id)}}),
    ):
        result = await portal_contact.execute(document, variables)
        assert result.error_codes == ["FORBIDDEN"], document
    assert await DuplicateCandidate.filter(dismissed_at__isnull=False).count() == 0


async def test_anonymous_is_refused(anonymous: GraphQLClient) -> None:
    result = await anonymous.execute("{ duplicateCandidateCount }")
    assert result.error_codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("matching", [1, 5])
async def test_the_form_warning_costs_a_fixed_number_of_statements(
    staff: GraphQLClient, matching: int
) -> None:
    # given `matching` contacts sharing the number the form holds
    for n in range(matching):
        await person(f"First{n}", f"Family{n}", phones=("06 12 34 56 78",))

    # when the form asks while the user types
    typed = {"firstName": "Alice", "lastName": "Adam", "phones": [{"number": "+33612345678"}]}
    result = await staff.execute(
        "query ($input: PossibleDuplicatesInput!) "
        "{ possibleDuplicates(input: $input) { score contact { fullName } } }",
        {"input": typed},
    )

    # then: the session, the blocks of its keys (one indexed statement), the look-alikes'
    # names and phones, and their contacts for the answer
    assert len(result.data["possibleDuplicates"]) == matching
    assert result.query_count == WARNING_STATEMENTS
