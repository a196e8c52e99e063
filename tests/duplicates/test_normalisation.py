"""What counts as the same email, phone and name (no database)."""

from __future__ import annotations

import unicodedata

import pytest

from crm.duplicates.keys import (
    Profile,
    email_domain,
    email_match_key,
    name_words,
    phone_e164,
)
from tests.duplicates.helpers import full_width


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ALİCE@renard.fr", "alice@renard.fr"),  # Turkish capital dotted I
        (full_width("alice") + "@renard.fr", "alice@renard.fr"),  # full-width letters
        (unicodedata.normalize("NFD", "amélie@renard.fr"), "amélie@renard.fr"),  # NFD accent
        ("Amélie@Renard.FR", "amélie@renard.fr"),
        ("ﬁona@renard.fr", "fiona@renard.fr"),  # a ligature
    ],
)
def test_emails_equal_after_normalisation(typed: str, stored: str) -> None:
    assert email_match_key(typed) == email_match_key(stored)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("alice.adam@renard.fr", "aliceadam@renard.fr"),  # dots are kept
        ("alice+crm@renard.fr", "alice@renard.fr"),  # plus tags are kept
        ("amélie@renard.fr", "amelie@renard.fr"),  # accents are letters of their own
        ("al\u0131ce@renard.fr", "alice@renard.fr"),  # the dotless i is another letter
    ],
)
def test_other_mailboxes_stay_apart(one: str, other: str) -> None:
    assert email_match_key(one) != email_match_key(other)


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("06 12 34 56 78", "FR"),
        ("+33 6 12 34 56 78", None),
        ("0033612345678", "FR"),
        ("+33 (0)6 12-34-56-78", "GB"),
    ],
)
def test_phone_numbers_typed_national_or_international_are_one(
    number: str, country: str | None
) -> None:
    assert phone_e164(number, country) == "+33612345678"


def test_names_fold_accents_case_and_width() -> None:
    assert name_words("İLKNUR", "Öztürk") == name_words("ilknur", "ozturk")
    assert name_words(unicodedata.normalize("NFD", "Zoë"), "ÅNGSTRÖM") == ["zoe", "angstrom"]
    assert name_words(full_width("Alice"), full_width("ADAM")) == ["alice", "adam"]


def test_public_mail_domains_are_no_context() -> None:
    assert email_domain("alice@gmail.com") is None
    assert email_domain("alice@mail.example") is None
    assert email_domain("Alice@RENARD-JACQUOT.fr") == "renard-jacquot.fr"


def test_name_keys_meet_across_accents_and_order() -> None:
    # given the same person typed twice, accents and name order differing, in one city
    one = Profile(1, "Zoë", "Ångström", None, None, "paris")
    other = Profile(2, "ANGSTROM", "zoe", None, None, "paris")

    # then they share blocking keys
    assert one.blocking_keys() & other.blocking_keys()
