"""Finding duplicate contacts as they change, and the review list's rules.

Every write path calls `refresh_contacts` (the contact services) or `refresh_profiles` (the
importer, which has its rows in memory) in the transaction that changes the contacts: their
keys are replaced, the contacts sharing a key are compared with them, and their open pairs
follow (new pairs stored, pairs whose reason is gone removed). A dismissed pair is never
touched again. Nothing here compares a contact with contacts it shares no key with.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.core.bulk import insert_sql
from crm.core.errors import ErrorCode, InputError
from crm.core.text import clean
from crm.db import connection, dialect
from crm.duplicates.finding import Match, compare
from crm.duplicates.keys import KeyKind, Profile, folded_city, phone_e164
from crm.duplicates.models import DuplicateCandidate
from crm.settings import get_settings
from crm.staff.models import StaffUser

# A key shared by more contacts than this is not about one person (a switchboard number, a
# name common in one city) and brings nobody together: it would cost every lookup its size.
MAX_BLOCK = {KeyKind.EMAIL: 20, KeyKind.PHONE: 20, KeyKind.NAME: 200}
PROFILE_COLUMNS = ("id", "first_name", "last_name", "email", "company_id", "city_key")
CANDIDATE_COLUMNS = ("low_contact_id", "high_contact_id", "score", "reasons", "found_at")
# How many contacts the form's warning names at most.
MAX_POSSIBLE = 5


def now() -> datetime:
    return datetime.now(UTC)


def bigint_list(dialect_name: str, placeholder: int) -> str:
    """A subquery of the 64-bit integers bound as one value at `placeholder` (`bound`)."""
    if dialect_name == "sqlite":
        return f"(SELECT value FROM json_each(?{placeholder}))"
    return f"(SELECT unnest(${placeholder}::bigint[]))"


def bound(dialect_name: str, values: Iterable[int]) -> Any:
    return json.dumps(list(values)) if dialect_name == "sqlite" else list(values)


async def profiles_of(ids: Iterable[int]) -> dict[int, Profile]:
    """The contacts' profiles, in two set-based statements whatever their number (SQLite's
    cap on parameters does not apply)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    conn, name = connection(), dialect()
    _, contacts = await conn.execute_query(
        f"SELECT {', '.join(PROFILE_COLUMNS)} FROM contact WHERE id IN {bigint_list(name, 1)}",
        [bound(name, wanted)],
    )
    _, phone_rows = await conn.execute_query(
        f"SELECT contact_id, e164 FROM phone_number WHERE contact_id IN {bigint_list(name, 1)}",
        [bound(name, wanted)],
    )
    phones: dict[int, list[str]] = defaultdict(list)
    for contact_id, e164 in phone_rows:
        phones[contact_id].append(e164)
    return {
        row[0]: Profile(*row, phones=frozenset(phones.get(row[0], ())))  # type: ignore[misc]
        for row in contacts
    }


async def replace_keys(keyed: dict[int, set[int]], *, new: bool = False) -> None:
    """The contacts' stored keys become `keyed`'s: only the difference is written (an
    update seldom changes a key; `new` contacts have none to read)."""
    if not keyed:
        return
    wanted = {(contact_id, key) for contact_id, keys in keyed.items() for key in keys}
    stored: set[tuple[int, int]] = set()
    if not new:
        conn, name = connection(), dialect()
        _, rows = await conn.execute_query(
            f"SELECT contact_id, key FROM duplicate_key WHERE contact_id IN {bigint_list(name, 1)}",
            [bound(name, keyed)],
        )
        stored = {(row[0], row[1]) for row in rows}
    await delete_keys(list(stored - wanted))
    await insert_keys(list(wanted - stored))


async def delete_keys(rows: list[tuple[int, int]]) -> None:
    if rows:
        first, second = ("?", "?") if dialect() == "sqlite" else ("$1", "$2")
        await connection().execute_many(
            f"DELETE FROM duplicate_key WHERE contact_id = {first} AND key = {second}", rows
        )


async def insert_keys(rows: list[tuple[int, int]]) -> None:
    if not rows:
        return
    conn, name = connection(), dialect()
    if name == "postgres":
        # One statement for the whole list: far cheaper than one execution per row.
        await conn.execute_query(
            "INSERT INTO duplicate_key (contact_id, key) "
            "SELECT * FROM unnest($1::int[], $2::bigint[])",
            [[contact_id for contact_id, _ in rows], [key for _, key in rows]],
        )
    else:
        await conn.execute_many(insert_sql(name, "duplicate_key", ("contact_id", "key")), rows)


async def members(keys: Iterable[int], *, least: int = 2) -> dict[int, list[int]]:
    """`{key: contact ids}` for the keys shared by `least` to MAX_BLOCK contacts, in one
    statement: the blocks are sized on the index first, so a huge block costs one number
    and a key nobody else has (most of them) costs nothing more."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    conn, name = connection(), dialect()
    caps = " ".join(f"WHEN {int(kind)} THEN {cap}" for kind, cap in MAX_BLOCK.items())
    least_mark = "?" if name == "sqlite" else "$2"
    rows = await conn.execute_query(
        "SELECT key, contact_id FROM duplicate_key WHERE key IN ("
        f"SELECT key FROM duplicate_key WHERE key IN {bigint_list(name, 1)} GROUP BY key "
        f"HAVING COUNT(*) >= {least_mark} AND COUNT(*) <= CASE key & 3 {caps} END)",
        [bound(name, wanted), least],
    )
    found: dict[int, list[int]] = defaultdict(list)
    for key, contact_id in rows[1]:
        found[key].append(contact_id)
    return found


async def refresh_contacts(contact_ids: Sequence[int]) -> None:
    """Find the pairs of these (just saved) contacts again, from the database."""
    await refresh_profiles(list((await profiles_of(contact_ids)).values()))


def profile_of(
    contact: Contact,
    phones: Iterable[str],
    *,
    contact_id: int | None = None,
    company_id: int | None = None,
) -> Profile:
    """The profile of a contact in memory, with the E.164 forms of its phone numbers (an
    unsaved one given an id and its company's)."""
    return Profile(
        contact.id if contact_id is None else contact_id,
        contact.first_name,
        contact.last_name,
        contact.email,
        contact.company_id if company_id is None else company_id,  # type: ignore[attr-defined]
        contact.city_key,
        frozenset(phones),
    )


async def refresh_imported(new_rows: Sequence[Any], updated: Sequence[tuple[Any, Any]]) -> None:
    """`refresh_profiles` for an import batch's rows, from the rows in memory: new rows with
    their parsed phones, updated rows with theirs or (when the file left them) the stored."""
    profiles = [
        profile_of(row.contact, (parsed.e164 for _, parsed in row.phones or ())) for row in new_rows
    ]
    for row, stored_phones in updated:
        phones = (
            (parsed.e164 for _, parsed in row.phones)
            if row.phones is not None
            else (phone.e164 for phone in stored_phones)
        )
        profiles.append(profile_of(row.contact, phones))
    await refresh_profiles(profiles, new_ids={row.contact.id for row in new_rows})


async def refresh_profiles(profiles: Sequence[Profile], new_ids: Collection[int] = ()) -> None:
    """Store the contacts' keys, compare each with the contacts sharing one, and bring their
    open pairs up to date. Call it in the transaction that wrote the contacts; `new_ids`:
    those just created (no keys or pairs to read)."""
    if not profiles:
        return
    keyed = {p.id: p.blocking_keys() for p in profiles}
    await replace_keys({i: keys for i, keys in keyed.items() if i in new_ids}, new=True)
    await replace_keys({i: keys for i, keys in keyed.items() if i not in new_ids})
    matches = await matches_for(profiles, keyed)
    await store_matches([p.id for p in profiles], matches)


async def matches_for(profiles: Sequence[Profile], keyed: dict[int, set[int]]) -> list[Match]:
    """The pairs each profile (its keys in `keyed`) makes with the stored contacts and the
    others of `profiles`."""
    blocks = await members(key for keys in keyed.values() for key in keys)
    others = {other for keys in keyed.values() for key in keys for other in blocks.get(key, ())}
    known = {p.id: p for p in profiles}
    known.update(await profiles_of([i for i in others if i not in known]))
    found: dict[tuple[int, int], Match] = {}
    for profile in profiles:
        near = {other for key in keyed[profile.id] for other in blocks.get(key, ())}
        for other_id in near - {profile.id}:
            other = known.get(other_id)
            match = compare(profile, other) if other is not None else None
            if match is not None:
                found[match.pair] = match
    return list(found.values())


async def store_matches(contact_ids: Sequence[int], matches: list[Match]) -> int:
    """Make the open pairs of `contact_ids` be `matches`; returns how many pairs are new.
    Dismissed pairs stay as they are, found again or not."""
    ids = list(set(contact_ids))
    existing: dict[tuple[int, int], tuple[int, int, str, datetime | None]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = await DuplicateCandidate.filter(
            Q(low_contact_id__in=chunk) | Q(high_contact_id__in=chunk)
        ).values_list("id", "low_contact_id", "high_contact_id", "score", "reasons", "dismissed_at")
        for pk, low, high, score, reasons, dismissed_at in rows:
            existing[(low, high)] = (pk, score, reasons, dismissed_at)
    return await apply_matches(existing, matches)


async def apply_matches(
    existing: dict[tuple[int, int], tuple[int, int, str, datetime | None]],
    matches: list[Match],
) -> int:
    """Insert the new pairs, update the changed, delete the open pairs not matched."""
    new = [m for m in matches if m.pair not in existing]
    changed = [
        (existing[m.pair][0], m)
        for m in matches
        if m.pair in existing
        and existing[m.pair][3] is None
        and existing[m.pair][1:3] != (m.score, m.reasons_text)
    ]
    matched = {m.pair for m in matches}
    gone = [row[0] for pair, row in existing.items() if pair not in matched and row[3] is None]
    conn, name = connection(), dialect()
    if new:
        moment = now()
        await conn.execute_many(
            insert_sql(name, "duplicate_candidate", CANDIDATE_COLUMNS, ignore_conflicts=True),
            [(m.low_id, m.high_id, m.score, m.reasons_text, moment) for m in new],
        )
    for pk, match in changed:
        await DuplicateCandidate.filter(id=pk).update(score=match.score, reasons=match.reasons_text)
    for start in range(0, len(gone), 5000):
        await DuplicateCandidate.filter(id__in=gone[start : start + 5000]).delete()
    return len(new)


# The review list.


def open_candidates() -> QuerySet[DuplicateCandidate]:
    return DuplicateCandidate.filter(dismissed_at__isnull=True)


async def open_count() -> int:
    return await open_candidates().count()


def candidates_of(contact_id: int) -> QuerySet[DuplicateCandidate]:
    return open_candidates().filter(Q(low_contact_id=contact_id) | Q(high_contact_id=contact_id))


async def dismiss(candidate_id: int, staff: StaffUser | None) -> DuplicateCandidate:
    """The pair is not one person: it leaves the list and is never suggested again."""
    candidate = await DuplicateCandidate.get_or_none(id=candidate_id)
    if candidate is None:
        raise InputError.single(("id",), "No duplicate candidate has this id", ErrorCode.NOT_FOUND)
    if candidate.dismissed_at is None:
        candidate.dismissed_at = now()
        candidate.dismissed_by = staff
        await candidate.save(update_fields=["dismissed_at", "dismissed_by_id"])
    return candidate


# Possible duplicates of contacts not saved yet: the new-contact form, the import preview.


# As many numbers as a contact can have (crm.contacts.services.MAX_PHONES).
MAX_PHONES = 20
# Longer values are not names, addresses or numbers a form holds: left out of the lookup.
_MAX_TYPED = 254


def _typed(value: str | None) -> str | None:
    text = clean(value)
    return text if text and len(text) <= _MAX_TYPED else None


def draft_profile(
    *,
    first_name: str | None,
    last_name: str | None,
    email: str | None,
    phones: Sequence[tuple[str, str | None]],
    company_id: int | None,
    city: str | None,
) -> Profile:
    """A profile of what a form holds so far (id 0): numbers that do not parse yet are left
    out, as are values too long to be real."""
    default_country = get_settings().default_country
    numbers = (
        phone_e164(_typed(number), country or default_country)
        for number, country in phones[:MAX_PHONES]
    )
    city_text = _typed(city)
    return Profile(
        0,
        _typed(first_name) or "",
        _typed(last_name) or "",
        _typed(email),
        company_id,
        folded_city(city_text),
        frozenset(number for number in numbers if number),
    )


@dataclass(frozen=True)
class PossibleDuplicate:
    contact_id: int
    match: Match
    index: int = 0  # which of the drafts it is about


async def possible_duplicates(drafts: Sequence[Profile]) -> list[PossibleDuplicate]:
    """Stored contacts each unsaved draft (id 0 or negative) looks like, best first per
    draft; only indexed lookups: the drafts' keys, then the contacts sharing them."""
    keyed = [draft.blocking_keys() for draft in drafts]
    blocks = await members((key for keys in keyed for key in keys), least=1)
    stored = await profiles_of(
        list({other for keys in keyed for key in keys for other in blocks.get(key, ())})
    )
    found: list[PossibleDuplicate] = []
    for index, (draft, keys) in enumerate(zip(drafts, keyed, strict=True)):
        near = {other for key in keys for other in blocks.get(key, ())}
        for other_id in near:
            other = stored.get(other_id)
            match = compare(draft, other) if other is not None else None
            if match is not None:
                found.append(PossibleDuplicate(other_id, match, index))
    found.sort(key=lambda p: (p.index, -p.match.score, p.contact_id))
    return found


async def rows_like_saved_contacts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """For each import row that would create a contact: the saved contact it looks like
    most, even with another email (the preview lists them): `{row, name, email, contact_id,
    reasons, score}` (the row's name and email as the file gives them), in the rows' order."""
    from crm.companies.services import sort_name_for as company_sort_name

    names = {company_sort_name(row.company_name) for row in rows if row.company_name}
    company_ids = dict(
        await Company.filter(sort_name__in=list(names)).values_list("sort_name", "id")
    )
    drafts = [
        profile_of(
            row.contact,
            (parsed.e164 for _, parsed in row.phones or ()),
            contact_id=-row.number,
            company_id=company_ids.get(company_sort_name(row.company_name))
            if row.company_name
            else None,
        )
        for row in rows
    ]
    found: dict[int, dict[str, Any]] = {}
    for item in await possible_duplicates(drafts):
        row = rows[item.index]
        if row.number not in found:  # the best, as they come best first per draft
            found[row.number] = {
                "row": row.number,
                **row.who(),
                "contact_id": item.contact_id,
                "reasons": list(item.match.reasons),
                "score": item.match.score,
            }
    return list(found.values())
