"""A word in very many contacts is found by walking the list in order, not through the index:
same contacts, same order, and the choice costs a statement only the first time."""

from __future__ import annotations

import random

import pytest

from crm.contacts import filters
from crm.contacts.filters import filtered_contacts, is_common, single_indexed_word
from crm.contacts.models import Contact
from crm.demo import create_demo_data
from tests.graphql_client import GraphQLClient

SEARCH = """
query ($search: String) {
  contacts(search: $search, first: 20) {
    totalCount
    edges { node { fullName company { name } } }
  }
}
"""


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "_commonness", {})


@pytest.mark.parametrize(
    ("search", "word"),
    [
        ("smith", " smith"),
        ("  Smith ", " smith"),
        ("@acme.example", " acme.example"),
        ("sm", " sm"),
        ("s", None),  # too short for the index
        ("ann smith", None),  # two words: the index intersects them
        ("020 7946 0018", None),  # phone digits
        ("", None),
        (None, None),
    ],
)
def test_which_searches_can_be_walked(search: str | None, word: str | None) -> None:
    assert single_indexed_word(search) == word


@pytest.mark.usefixtures("fresh_cache")
async def test_a_common_word_finds_what_the_index_finds_in_the_same_order(db: str) -> None:
    # given demo contacts and words taken from them
    await create_demo_data(300, seed=3)
    rng = random.Random(8)
    terms: set[str] = set()
    for text in rng.sample(await Contact.all().values_list("search_text", flat=True), 30):
        word = rng.choice(text.split())
        terms.update(word[:n] for n in (3, 4, 6) if len(word) >= n)

    for term in sorted(terms):
        # when the word is walked in list order
        walked = (
            await filtered_contacts(None, term, common_search=True)
            .order_by("sort_name", "id")
            .values_list("id", flat=True)
        )
        # then it finds exactly what the index finds, in the same order
        found = (
            await filtered_contacts(None, term)
            .order_by("sort_name", "id")
            .values_list("id", flat=True)
        )
        assert walked == found, term


@pytest.mark.usefixtures("fresh_cache")
async def test_commonness_is_measured_once_then_remembered(
    db: str, staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given demo contacts and a threshold every word is above
    await create_demo_data(100, seed=4)
    monkeypatch.setattr(filters, "SAMPLE_ROWS", 10)
    monkeypatch.setattr(filters, "MIN_COMMON_SHARE", 0.0)
    word = (await Contact.first().values_list("last_name", flat=True)).lower()  # type: ignore[union-attr]

    # when the same word is searched twice
    first = await staff.execute(SEARCH, {"search": word})
    second = await staff.execute(SEARCH, {"search": word})

    # then it is common, the first search paid one statement to find out, and the answers agree
    assert await is_common(f" {word}")
    assert first.data == second.data
    assert first.data["contacts"]["totalCount"] >= 1
    assert first.query_count == second.query_count + 1


@pytest.mark.usefixtures("fresh_cache")
async def test_a_common_search_answers_like_the_index(
    db: str, staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given demo contacts, searched for a word both as rare and as common
    await create_demo_data(200, seed=5)
    names = await Contact.filter(archived_at__isnull=True).values_list("last_name", flat=True)
    words = sorted({name.lower()[:4] for name in names if len(name) >= 4})[:8]
    rare = {w: (await staff.execute(SEARCH, {"search": w})).data for w in words}

    # when every word counts as common
    monkeypatch.setattr(filters, "SAMPLE_ROWS", 10)
    monkeypatch.setattr(filters, "MIN_COMMON_SHARE", 0.0)
    monkeypatch.setattr(filters, "_commonness", {})
    common = {w: (await staff.execute(SEARCH, {"search": w})).data for w in words}

    # then the pages are the same
    assert common == rare


COUNTED = """
query ($search: String) {
  contacts(search: $search, first: 5) { totalCount totalCountIsEstimate edges { cursor } }
}
"""


@pytest.mark.usefixtures("fresh_cache")
async def test_a_word_most_contacts_share_is_walked_and_its_count_estimated(
    db: str, staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given enough contacts that the sample is a part of them, all with example addresses
    await create_demo_data(600, seed=6)
    monkeypatch.setattr(filters, "SAMPLE_ROWS", 200)
    monkeypatch.setattr(filters, "_contacts_counted", [])
    live = await Contact.filter(archived_at__isnull=True).count()
    with_example = await filtered_contacts(None, "example").count()
    rare = (await Contact.filter(archived_at__isnull=True).order_by("-id").first()).last_name  # type: ignore[union-attr]

    # when a word nearly all of them share, and a rare one, are searched
    common = (await staff.execute(COUNTED, {"search": "example"})).data["contacts"]
    exact = (await staff.execute(COUNTED, {"search": rare})).data["contacts"]

    # then the common word is walked (on both databases alike) and its count is an estimate
    # close to the truth; the rare word is counted exactly
    assert await is_common(" example")
    assert with_example > 0.9 * live
    assert common["totalCountIsEstimate"] is True
    assert abs(common["totalCount"] - with_example) <= 0.1 * with_example
    assert len(common["edges"]) == 5
    assert not await is_common(f" {rare.lower()}")
    assert exact["totalCountIsEstimate"] is False
    assert exact["totalCount"] == await filtered_contacts(None, rare).count()
