"""The quick paths of the field checks give exactly what the libraries behind them give."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email

from crm.core.errors import ErrorCollector
from crm.core.text import clean, fold
from crm.core.validation import normalize_email, parse_phone


def _library_email(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _generated_addresses(count: int) -> list[str]:
    """Plain-looking addresses with the edge cases the quick path must leave to the library."""
    rng = random.Random(7)

    def atom(chars: str, longest: int) -> str:
        return "".join(rng.choice(chars) for _ in range(rng.randrange(1, longest)))

    tlds = ["com", "C", "co", "UK", "test", "local", "arpa", "x1", "onion", "xn--p1ai", "a" * 64]
    addresses = []
    for _ in range(count):
        local = ".".join(
            atom("aZ09_+-", rng.choice([3, 8, 70])) for _ in range(rng.randrange(1, 4))
        )
        labels = [atom("aZ09-", rng.choice([4, 10, 66])) for _ in range(rng.randrange(1, 4))]
        addresses.append(f"{local}@{'.'.join([*labels, rng.choice(tlds)])}")
    return addresses


@pytest.mark.parametrize(
    "address",
    [
        "Ann.Lee+crm@Example.COM",
        "a@b.co",
        "a..b@example.com",
        ".a@example.com",
        "a@example",
        "a@-x.com",
        "a@x-.com",
        "a@ab--cd.com",
        "a@x.test",
        "a@x.123",
        "josé@example.com",
        "o'brien@example.com",
        "a@bücher.de",
        f"{'a' * 65}@example.com",
    ],
)
def test_an_address_is_accepted_and_normalised_as_email_validator_does(address) -> None:
    errors = ErrorCollector()
    assert normalize_email(address, ("email",), errors) == _library_email(address)
    assert bool(errors.errors) == (_library_email(address) is None)


def test_generated_addresses_are_judged_as_email_validator_judges_them() -> None:
    addresses = _generated_addresses(5000)
    judged = [(normalize_email(a, ("email",), ErrorCollector()), a) for a in addresses]
    assert [(got, a) for got, a in judged if got != _library_email(a)] == []
    accepted = sum(got is not None for got, _ in judged)
    assert 500 < accepted < len(addresses) - 500  # both outcomes well covered


def test_a_phone_number_is_valid_exactly_when_phonenumbers_says_so() -> None:
    rng = random.Random(11)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    checked = valid = 0
    for _ in range(4000):
        region = rng.choice([*regions, *["GB", "US", "FR", "DE", "AU"] * 20])
        example = phonenumbers.example_number(region)
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        number = e164[: rng.randrange(4, len(e164) + 1)] + str(rng.randrange(100))
        try:
            expected = phonenumbers.is_valid_number(phonenumbers.parse(number, region))
        except phonenumbers.NumberParseException:
            continue
        parsed = parse_phone(number, region, ("phone",), ErrorCollector())
        assert (parsed is not None) == expected, number
        checked += 1
        valid += expected
    assert checked > 3000 and 300 < valid < checked - 300  # both outcomes well covered


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Ann LEE", "ann lee"), ("Zoë Ångström", "zoe angstrom"), ("Straße", "strasse")],
)
def test_fold(text, folded) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("  Ann   Lee ", "Ann Lee"),
        ("Ann\tLee\x00", "Ann Lee"),
        ("Zoe\u0308\u00a0Lee", "Zoë Lee"),
        ("line\nbreak\r\nand\u2028more", "line break and more"),
    ],
)
def test_clean(text, cleaned) -> None:
    assert clean(text) == cleaned
