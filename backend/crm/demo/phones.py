"""Valid phone numbers per country, from the ranges reserved for fiction where there are any.

UK / North American / Australian / French numbers come from the ranges the regulators
reserve for fiction where phonenumbers accepts them, so a campaign run against demo data
reaches nobody; other countries vary phonenumbers' example number.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from crm.core.validation import ParsedPhone

# National significant numbers in ranges reserved for fiction ("x" = any digit), tried
# before varying phonenumbers' example number; only numbers phonenumbers accepts are kept.
_US_AREAS = ("201", "202", "212", "213", "303", "305", "312", "404", "415", "617", "646", "713")
_CA_AREAS = ("403", "416", "514", "604", "613", "780")
FICTIONAL: dict[tuple[str, str], tuple[str, ...]] = {
    ("GB", "fixed"): ("2079460xxx", "1214960xxx", "1134960xxx", "1614960xxx", "1314960xxx"),
    ("US", "mobile"): tuple(f"{a}55501xx" for a in _US_AREAS),
    ("US", "fixed"): tuple(f"{a}55501xx" for a in _US_AREAS),
    ("CA", "mobile"): tuple(f"{a}55501xx" for a in _CA_AREAS),
    ("CA", "fixed"): tuple(f"{a}55501xx" for a in _CA_AREAS),
    ("AU", "mobile"): (
        "491570006", "491570156", "491570157", "491570158", "491570159", "491570110",
        "491570313", "491570737", "491571266", "491571491", "491571804", "491572549",
        "491572665", "491572983", "491573770", "491573087", "491574118", "491574632",
        "491575254", "491575789", "491576398", "491576801", "491577426", "491577644",
        "491578957", "491578148", "491578888", "491579212", "491579760", "491579455",
    ),
    ("AU", "fixed"): ("25550xxxx", "37010xxxx", "75550xxxx", "85550xxxx"),
    ("FR", "fixed"): ("19900xxxx", "26191xxxx", "35301xxxx", "46571xxxx", "53649xxxx"),
}  # fmt: skip

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_FIXED_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _parsed(number: phonenumbers.PhoneNumber, kinds: Sequence[int]) -> ParsedPhone | None:
    """The number formatted as `crm.core.validation.parse_phone` stores it, if valid."""
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind not in kinds:
        return None
    return ParsedPhone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        country=phonenumbers.region_code_for_number(number) or "",
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        is_mobile=kind in _MOBILE_TYPES,
    )


def phone_pool(region: str, mobile: bool, size: int, rng: random.Random) -> list[ParsedPhone]:
    """Valid numbers for the region: reserved fictional ranges first, then example variants."""
    kinds = _MOBILE_TYPES if mobile else _FIXED_TYPES
    calling_code = phonenumbers.country_code_for_region(region)
    found: dict[str, ParsedPhone] = {}

    def attempt(national: str, italian_zero: bool = False) -> None:
        number = phonenumbers.PhoneNumber(
            country_code=calling_code,
            national_number=int(national),
            italian_leading_zero=italian_zero or None,
        )
        parsed = _parsed(number, kinds)
        if parsed is not None and parsed.country == region:
            found.setdefault(parsed.e164, parsed)

    templates = FICTIONAL.get((region, "mobile" if mobile else "fixed"), ())
    # A fictional range holds few numbers: stop once new draws keep repeating.
    misses = 0
    while templates and len(found) < size and misses < 50:
        template = rng.choice(templates)
        before = len(found)
        attempt("".join(rng.choice("0123456789") if ch == "x" else ch for ch in template))
        misses = 0 if len(found) > before else misses + 1
    example = phonenumbers.example_number_for_type(
        region, PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    )
    if example is not None and len(found) < min(size, 20):
        base = str(example.national_number)
        vary = max(2, min(6, len(base) - 3))
        for _ in range(size * 4):
            if len(found) >= size:
                break
            tail = "".join(rng.choice("0123456789") for _ in range(vary))
            attempt(base[:-vary] + tail, bool(example.italian_leading_zero))
    if not found:
        raise RuntimeError(f"no valid demo phone numbers for {region}")
    return list(found.values())
