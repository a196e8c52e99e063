"""Pairs are found as contacts are created and updated, by every reason, and only then."""

from __future__ import annotations

import pytest

from crm.contacts.services import AddressInput, ContactChanges, PhoneInput, update_contact
from crm.duplicates.models import DuplicateCandidate, DuplicateReason
from crm.duplicates.services import dismiss, refresh_contacts
from tests.duplicates.helpers import company, full_width, pairs, person

pytestmark = pytest.mark.usefixtures("db")


async def test_same_phone_typed_another_way_makes_a_pair() -> None:
    # given Alice Adam with a mobile number
    first = await person("Alice", "Adam", phones=("06 12 34 56 78",))

    # when another Alice Adam is created with that number in international form
    second = await person("Alice", "Adam", phones=("+33 6 12 34 56 78",))

    # then the two are a candidate pair, for the phone and the name the phone backs up
    assert await pairs() == {
        (first, second): [DuplicateReason.SAME_PHONE, DuplicateReason.SIMILAR_NAME]
    }
    candidate = await DuplicateCandidate.get()
    assert candidate.score == 92


async def test_same_email_in_another_unicode_form_makes_a_pair() -> None:
    # given a contact whose address has full-width letters (a pasted form)
    first = await person("Alice", "Adam", email=full_width("alice") + "@renard.fr")

    # when a contact with the plain address is created
    second = await person("Bob", "Brown", email="alice@renard.fr")

    # then they are a pair by email alone
    assert await pairs() == {(first, second): [DuplicateReason.SAME_EMAIL]}


async def test_similar_names_in_one_city_make_a_pair() -> None:
    first = await person("Catherine", "Dupont", city="Zürich")
    second = await person("Katherine", "DUPONT", city="ZURICH")
    assert await pairs() == {(first, second): [DuplicateReason.SIMILAR_NAME]}


async def test_similar_names_at_one_company_have_the_company_as_support() -> None:
    renard = await company("Renard Jacquot")
    first = await person("Jon", "Smith", company=renard)
    second = await person("John", "Smith", company=renard)
    assert await pairs() == {
        (first, second): [DuplicateReason.SIMILAR_NAME, DuplicateReason.SAME_COMPANY]
    }


async def test_similar_names_with_one_email_domain_make_a_pair() -> None:
    first = await person("Amélie", "Poulain", email="amelie@renard.fr")
    second = await person("Amelie", "Poulain", email="a.poulain@renard.fr")
    assert await pairs() == {(first, second): [DuplicateReason.SIMILAR_NAME]}


async def test_what_is_not_a_pair() -> None:
    # given contacts sharing a name but nothing else, family members in one city (one with a
    # long family name), one company's colleagues, and people sharing a public mail domain
    renard = await company("Renard Jacquot")
    await person("Alice", "Adam", city="Lyon")
    await person("Alice", "Adam", city="Paris")
    await person("John", "Smith", city="Paris")
    await person("Jane", "Smith", city="Paris")
    await person("Eric", "Edvardsson", city="Västerås")
    await person("Eva", "Edvardsson", city="Västerås")
    await person("Bob", "Brown", company=renard)
    await person("Carol", "White", company=renard)
    await person("Dan", "Green", email="dan@gmail.com")
    await person("Dan", "Greene", email="dgreene@gmail.com")

    # then nobody is a candidate
    assert await pairs() == {}


async def test_an_update_finds_a_pair_and_one_that_is_gone_leaves() -> None:
    # given two contacts with nothing in common
    first = await person("Alice", "Adam", phones=("06 12 34 56 78",))
    second = await person("Bob", "Brown", phones=("06 98 76 54 32",))
    assert await pairs() == {}

    # when the second is given the first's number
    await update_contact(second, ContactChanges(phones=[PhoneInput("0612345678", "FR")]))

    # then they are a pair
    assert await pairs() == {(first, second): [DuplicateReason.SAME_PHONE]}

    # and when the number is corrected, the pair is gone
    await update_contact(second, ContactChanges(phones=[PhoneInput("0698765432", "FR")]))
    assert await pairs() == {}


async def test_a_dismissed_pair_stays_dismissed_after_updates() -> None:
    # given a pair, dismissed
    first = await person("Alice", "Adam", phones=("06 12 34 56 78",))
    second = await person("Alice", "Adam", phones=("06 12 34 56 78",))
    candidate = await DuplicateCandidate.get()
    await dismiss(candidate.id, None)

    # when either contact changes, still matching (or the pair is looked for again)
    await update_contact(second, ContactChanges(address=AddressInput(city="Paris")))
    await update_contact(first, ContactChanges(address=AddressInput(city="Paris")))
    await refresh_contacts([first, second])

    # then the pair is still the one dismissed row, and nothing is open
    assert await pairs() == {}
    rows = await DuplicateCandidate.all()
    assert [(row.id, row.dismissed_at is not None) for row in rows] == [(candidate.id, True)]


async def test_erasing_a_contact_takes_its_pairs() -> None:
    from crm.contacts.services import delete_contact

    await person("Alice", "Adam", phones=("06 12 34 56 78",))
    second = await person("Alice", "Adam", phones=("06 12 34 56 78",))
    await delete_contact(second)
    assert await DuplicateCandidate.all().count() == 0


async def test_a_number_many_contacts_share_brings_nobody_together() -> None:
    # given 21 contacts with one switchboard number (more than MAX_BLOCK for phones)
    for n in range(21):
        await person(f"Person{n}", f"Family{n}", phones=("01 23 45 67 89",))

    # then the shared number alone makes no pairs beyond the first 20's
    found = await pairs()
    assert len(found) == 20 * 19 // 2
    before = set(found)
    await person("Alice", "Adam", phones=("01 23 45 67 89",))
    assert set(await pairs()) == before
