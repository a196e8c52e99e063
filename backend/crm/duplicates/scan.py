"""`crm find-duplicates`: every contact's pairs found again, with blocking keys, in bounded
memory.

1. Keys: the contacts are read in id order, a batch at a time, and their keys brought up
   to date (each batch its own transaction, so the app's writes are never held up long).
2. Blocks: the keys are read back in key order, a page at a time; each key shared by 2 to
   MAX_BLOCK contacts gives its pairs (only these are ever compared).
3. Pairs: checked a chunk at a time, with only that chunk's contacts loaded.
4. The open pairs become those found (new ones added, changed ones updated, those whose
   reason is gone removed); dismissed pairs are kept as they are, found or not.

Memory holds the pairs to check (8 bytes each in a set) and one batch; never every contact.
Running it twice finds no new pair the second time.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from tortoise.transactions import in_transaction

from crm.db import connection, dialect
from crm.duplicates.finding import Match, compare
from crm.duplicates.keys import Profile, kind_of
from crm.duplicates.models import DuplicateCandidate
from crm.duplicates.services import (
    MAX_BLOCK,
    apply_matches,
    delete_keys,
    insert_keys,
    profiles_of,
)

CONTACT_BATCH = 20_000
KEY_PAGE = 100_000
PAIR_CHUNK = 20_000
# The page cache while keys are rewritten on SQLite: the key index of a million contacts
# (~6 keys each) fits, so its random inserts stay in memory.
SQLITE_CACHE_KIB = 256 * 1024

Progress = Callable[[str, int, int], None]


@dataclass
class ScanResult:
    contacts: int
    keys: int
    compared: int
    open_pairs: int
    new_pairs: int
    seconds: float

    def summary(self) -> str:
        return (
            f"Compared {self.compared} pairs of {self.contacts} contacts ({self.keys} keys) in "
            f"{self.seconds:.1f} s: {self.open_pairs} possible duplicates to review, "
            f"{self.new_pairs} new."
        )


async def find_duplicates(progress: Progress | None = None) -> ScanResult:
    started = time.perf_counter()
    report = progress or (lambda _phase, _done, _total: None)
    async with _larger_sqlite_cache():
        contacts, keys = await rebuild_keys(report)
        pairs = await pairs_in_blocks(keys, report)
        matches = await checked(sorted(pairs), report)
        new = await _store_all(matches)
    open_pairs = await DuplicateCandidate.filter(dismissed_at__isnull=True).count()
    return ScanResult(contacts, keys, len(pairs), open_pairs, new, time.perf_counter() - started)


@contextlib.asynccontextmanager
async def _larger_sqlite_cache() -> AsyncIterator[None]:
    """Keys go into their index in random order: with SQLite's default 2 MB page cache
    nearly every insert reads pages back from disk (a 1M-contact rebuild took minutes)."""
    if dialect() != "sqlite":
        yield
        return
    conn = connection()
    _, rows = await conn.execute_query("PRAGMA cache_size")
    await conn.execute_query(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        await conn.execute_query(f"PRAGMA cache_size = {int(rows[0][0])}")


async def rebuild_keys(report: Progress) -> tuple[int, int]:
    """Every contact's keys written again; returns (contacts, keys)."""
    conn = connection()
    total = (await conn.execute_query_dict("SELECT COUNT(*) AS n FROM contact"))[0]["n"]
    done = keys = 0
    last_id = 0
    report("keys", 0, total)
    while True:
        profiles = await _contact_batch(last_id)
        if not profiles:
            break
        first_id, last_id = profiles[0].id, profiles[-1].id
        wanted = {(p.id, key) for p in profiles for key in p.blocking_keys()}
        async with in_transaction():
            stored = await _stored_keys(first_id, last_id)
            await delete_keys(list(stored - wanted))
            await insert_keys(list(wanted - stored))
        done += len(profiles)
        keys += len(wanted)
        report("keys", done, total)
    # Keys of ids beyond the last contact (deleted meanwhile, or never cascaded) go too.
    await conn.execute_query(f"DELETE FROM duplicate_key WHERE contact_id > {_mark(1)}", [last_id])
    return done, keys


async def _stored_keys(first_id: int, last_id: int) -> set[tuple[int, int]]:
    """The keys stored for a range of contacts: only what changed is written again (the
    contact services keep keys current, so a second run writes next to nothing)."""
    _, rows = await connection().execute_query(
        "SELECT contact_id, key FROM duplicate_key "
        f"WHERE contact_id BETWEEN {_mark(1)} AND {_mark(2)}",
        [first_id, last_id],
    )
    return {(row[0], row[1]) for row in rows}


async def _contact_batch(after_id: int) -> list[Profile]:
    conn = connection()
    rows = await conn.execute_query(
        "SELECT id, first_name, last_name, email, company_id, city_key FROM contact "
        f"WHERE id > {_mark(1)} ORDER BY id LIMIT {CONTACT_BATCH}",
        [after_id],
    )
    contacts = [tuple(row) for row in rows[1]]
    if not contacts:
        return []
    phones = await _phones_between(contacts[0][0], contacts[-1][0])
    return [Profile(*row, phones=frozenset(phones.get(row[0], ()))) for row in contacts]  # type: ignore[misc]


async def _phones_between(first_id: int, last_id: int) -> dict[int, list[str]]:
    rows = await connection().execute_query(
        "SELECT contact_id, e164 FROM phone_number "
        f"WHERE contact_id BETWEEN {_mark(1)} AND {_mark(2)}",
        [first_id, last_id],
    )
    phones: dict[int, list[str]] = defaultdict(list)
    for contact_id, e164 in rows[1]:
        phones[contact_id].append(e164)
    return phones


async def pairs_in_blocks(total_keys: int, report: Progress) -> set[int]:
    """Each pair sharing a key whose block is small enough, packed as low << 32 | high."""
    pairs: set[int] = set()
    conn = connection()
    last: tuple[int, int] | None = None
    block_key: int | None = None
    block: list[int] = []
    seen = 0
    report("blocks", 0, total_keys)
    while True:
        if last is None:
            where, params = "", []
        else:
            where, params = f"WHERE (key, contact_id) > ({_mark(1)}, {_mark(2)}) ", list(last)
        _, rows = await conn.execute_query(
            f"SELECT key, contact_id FROM duplicate_key {where}"
            f"ORDER BY key, contact_id LIMIT {KEY_PAGE}",
            params,
        )
        if not rows:
            break
        for key, contact_id in rows:
            if key != block_key:
                _add_pairs(pairs, block_key, block)
                block_key, block = key, []
            block.append(contact_id)
        seen += len(rows)
        last = (rows[-1][0], rows[-1][1])
        report("blocks", seen, max(total_keys, seen))
    _add_pairs(pairs, block_key, block)
    return pairs


def _add_pairs(pairs: set[int], key: int | None, block: list[int]) -> None:
    if key is None or not 2 <= len(block) <= MAX_BLOCK[kind_of(key)]:
        return
    ordered = sorted(block)
    for index, low in enumerate(ordered):
        for high in ordered[index + 1 :]:
            pairs.add(low << 32 | high)


async def checked(pairs: Sequence[int], report: Progress) -> list[Match]:
    """The pairs that match, a chunk at a time (only a chunk's contacts in memory)."""
    matches: list[Match] = []
    report("pairs", 0, len(pairs))
    for start in range(0, len(pairs), PAIR_CHUNK):
        chunk = [(pair >> 32, pair & 0xFFFFFFFF) for pair in pairs[start : start + PAIR_CHUNK]]
        profiles = await profiles_of(contact_id for pair in chunk for contact_id in pair)
        for low, high in chunk:
            if low in profiles and high in profiles:
                match = compare(profiles[low], profiles[high])
                if match is not None:
                    matches.append(match)
        report("pairs", min(start + PAIR_CHUNK, len(pairs)), len(pairs))
    return matches


async def _store_all(matches: list[Match]) -> int:
    """The open pairs become `matches`, in one transaction; returns how many are new."""
    async with in_transaction():
        existing: dict[tuple[int, int], tuple[int, int, str, datetime | None]] = {}
        rows = await DuplicateCandidate.all().values_list(
            "id", "low_contact_id", "high_contact_id", "score", "reasons", "dismissed_at"
        )
        for pk, low, high, score, reasons, dismissed_at in rows:
            existing[(low, high)] = (pk, score, reasons, dismissed_at)
        return await apply_matches(existing, matches)


def _mark(number: int) -> str:
    return "?" if dialect() == "sqlite" else f"${number}"


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most every `interval` seconds."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 0.5) -> None:
        self.stream = stream
        self.interval = interval
        self.drawn_at = 0.0
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        moment = time.monotonic()
        finished = done >= total
        if phase == self.phase and not finished and moment - self.drawn_at < self.interval:
            return
        if phase != self.phase and self.phase:
            self.stream.write("\n")
        self.phase, self.drawn_at = phase, moment
        share = done / total if total else 1.0
        filled = int(share * 30)
        self.stream.write(
            f"\r{phase:<6} [{'#' * filled}{'.' * (30 - filled)}] {share:6.1%} {done}/{total}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.phase:
            self.stream.write("\n")
            self.stream.flush()
