"""`crm find-duplicates`: the whole database, by blocking keys, idempotent, dismissals kept."""

from __future__ import annotations

import io

import pytest

from crm.contacts.models import Contact, PhoneNumber
from crm.duplicates.models import DuplicateCandidate, DuplicateKey, DuplicateReason
from crm.duplicates.scan import ProgressBar, find_duplicates
from crm.duplicates.services import dismiss
from tests.duplicates.helpers import pairs

pytestmark = pytest.mark.usefixtures("db")


async def _written_behind_the_services() -> list[int]:
    """Contacts written as the demo data and old databases have them: with no keys. Two
    Alice Adams sharing a phone, two Dupont in Lyon, two strangers; returns their ids."""
    people = [
        ("Alice", "Adam", None),
        ("alice", "ADAM", None),
        ("Catherine", "Dupont", "lyon"),
        ("Katherine", "Dupont", "lyon"),
        ("Bob", "Brown", "paris"),
        ("Carol", "White", "paris"),
    ]
    await Contact.bulk_create(
        [
            Contact(first_name=first, last_name=last, city_key=city, sort_name=f"{last} {first}")
            for first, last, city in people
        ]
    )
    ids = list(await Contact.all().order_by("id").values_list("id", flat=True))
    await PhoneNumber.bulk_create(
        [
            PhoneNumber(
                contact_id=contact_id,
                e164="+33612345678",
                country="FR",
                national="-",
                international="-",
            )
            for contact_id in ids[:2]
        ]
    )
    return ids


async def test_finds_the_pairs_of_contacts_written_without_keys() -> None:
    # given contacts that never went through the services
    ids = await _written_behind_the_services()
    assert await DuplicateKey.all().count() == 0

    # when duplicates are looked for over the whole database
    result = await find_duplicates()

    # then both pairs are found, and only they
    assert await pairs() == {
        (ids[0], ids[1]): [DuplicateReason.SAME_PHONE, DuplicateReason.SIMILAR_NAME],
        (ids[2], ids[3]): [DuplicateReason.SIMILAR_NAME],
    }
    assert (result.contacts, result.new_pairs, result.open_pairs) == (6, 2, 2)


async def test_running_twice_finds_nothing_new_and_keeps_dismissals() -> None:
    # given a first run, and one of its pairs dismissed
    ids = await _written_behind_the_services()
    await find_duplicates()
    dismissed = await DuplicateCandidate.get(low_contact_id=ids[0])
    await dismiss(dismissed.id, None)

    # when it runs again
    again = await find_duplicates()

    # then nothing is new, the dismissed pair is still dismissed, the other still open
    assert again.new_pairs == 0
    assert await pairs() == {(ids[2], ids[3]): [DuplicateReason.SIMILAR_NAME]}
    assert (await DuplicateCandidate.get(id=dismissed.id)).dismissed_at is not None
    assert await DuplicateCandidate.all().count() == 2


async def test_a_pair_whose_reason_is_gone_leaves() -> None:
    ids = await _written_behind_the_services()
    await find_duplicates()
    await Contact.filter(id=ids[3]).update(city_key="nice")
    await find_duplicates()
    assert set(await pairs()) == {(ids[0], ids[1])}


async def test_progress_goes_to_the_bar() -> None:
    await _written_behind_the_services()
    stream = io.StringIO()
    bar = ProgressBar(stream)
    await find_duplicates(bar)
    bar.close()
    lines = stream.getvalue().split("\n")
    assert [line.rsplit("\r", 1)[-1].split()[0] for line in lines if line] == [
        "keys",
        "blocks",
        "pairs",
    ]
    assert "100.0% 6/6" in lines[0]
