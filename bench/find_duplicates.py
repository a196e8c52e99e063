"""Benchmark `crm find-duplicates` on demo data with planted duplicates.

    python bench/find_duplicates.py --contacts 1000000 [--database-url postgres://...]
        [--workdir DIR] [--copy-from FILE.sqlite3 | --reuse] [--share 0.01]

Builds the demo database (SQLite in the work directory by default; for a PostgreSQL URL
the public schema is dropped and recreated first: point it at a throwaway database), or
copies a SQLite demo database built before (`--copy-from`, never changed), migrates it, and
plants duplicates of `share` of the contacts (seeded), written behind the services as
old data would be:

- EMAIL: the same address in another Unicode form (full-width local part), another name;
- TYPO: one letter of the first or last name changed, the same city;
- ACCENTS: the name in capitals without accents, the same company (or city);
- PHONE: the same name and a personal mobile both have (demo numbers come from small
  pools shared by hundreds of contacts, which no duplicate finder may trust: so the pair
  gets a number of its own), no city.

Then runs `crm find-duplicates` twice in a child process and reports its time and peak
memory (the child's maximum resident set), the pairs found, recall and precision against
the planted pairs (a found pair that was not planted is counted against precision, even
when it is two demo people with one name in one city), that the second run found no new
pair, and what the importer's hook costs per `--hook-rows` contacts against that database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
KINDS = ("EMAIL", "TYPO", "ACCENTS", "PHONE")
# Columns the planted copy sets itself; every other column is copied from the original.
SET_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "email_key",
    "city",
    "city_key",
    "company_id",
    "is_primary_contact",
)


def run_crm(env: dict[str, str], *args: str) -> tuple[str, float, int]:
    """Run `crm args`; returns its output, wall seconds and peak memory (KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "crm", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"crm {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result.stdout.strip(), seconds, peak if peak > before else before


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def typo(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name + name[-1]
    at = rng.randrange(1, len(name) - 1)
    return name[:at] + rng.choice("aeioulnrst") + name[at + 1 :]


def stripped(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def variant(kind: str, row: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The planted copy's own columns, from the original's."""
    copy = {column: row[column] for column in SET_COLUMNS}
    copy["email"] = copy["email_key"] = None
    copy["is_primary_contact"] = False  # one primary contact per company
    if kind == "EMAIL" and row["email"]:
        local, _, domain = row["email"].partition("@")
        copy["email"] = f"{full_width(local)}@{domain}"
        copy["email_key"] = copy["email"].casefold()
        copy["first_name"], copy["last_name"] = "Someone", f"Else{rng.randrange(10**6)}"
        copy["city"] = copy["city_key"] = copy["company_id"] = None
    elif kind == "TYPO":
        if rng.random() < 0.5:
            copy["first_name"] = typo(row["first_name"], rng)
        else:
            copy["last_name"] = typo(row["last_name"], rng)
        copy["company_id"] = None
    elif kind == "ACCENTS":
        copy["first_name"] = stripped(row["first_name"])
        copy["last_name"] = stripped(row["last_name"])
        if row["company_id"] is not None:
            copy["city"] = copy["city_key"] = None
    else:  # PHONE
        copy["city"] = copy["city_key"] = copy["company_id"] = None
    return copy


async def plant(database_url: str, share: float, seed: int) -> list[tuple[int, int, str]]:
    """Plant the copies; returns (original id, copy id, kind) for each."""
    from tortoise import connections

    from crm.db import close_db, init_db
    from crm.settings import get_settings, reset_settings

    os.environ["CRM_DATABASE_URL"] = database_url
    reset_settings()
    await init_db(get_settings())
    try:
        conn = connections.get("default")
        postgres = conn.capabilities.dialect == "postgres"

        def marks(count: int, start: int = 1) -> list[str]:
            return [f"${n}" for n in range(start, start + count)] if postgres else ["?"] * count

        _, ids = await conn.execute_query("SELECT id FROM contact ORDER BY id")
        all_ids = [row[0] for row in ids]
        rng = random.Random(seed)
        chosen = sorted(rng.sample(all_ids, int(len(all_ids) * share)))
        columns = await _contact_columns(conn, postgres)
        rest = [c for c in columns if c not in SET_COLUMNS and c != "id"]
        rows = []
        for start in range(0, len(chosen), 900):
            part = chosen[start : start + 900]
            _, found = await conn.execute_query(
                f"SELECT id, {', '.join(SET_COLUMNS)} FROM contact "
                f"WHERE id IN ({', '.join(marks(len(part)))})",
                part,
            )
            rows += [dict(zip(("id", *SET_COLUMNS), row, strict=True)) for row in found]
        rows.sort(key=lambda row: row["id"])
        kinds = [KINDS[index % len(KINDS)] for index in range(len(rows))]
        rng.shuffle(kinds)
        # A contact without an email cannot have it copied: its copy gets a typo instead.
        kinds = [
            "TYPO" if kind == "EMAIL" and not row["email"] else kind
            for row, kind in zip(rows, kinds, strict=True)
        ]
        _, top = await conn.execute_query("SELECT COALESCE(MAX(id), 0) FROM contact")
        first_new = top[0][0] + 1
        insert = (
            f"INSERT INTO contact ({', '.join([*SET_COLUMNS, *rest])}) "
            f"SELECT {', '.join(marks(len(SET_COLUMNS)))}, {', '.join(rest)} FROM contact "
            f"WHERE id = {marks(1, len(SET_COLUMNS) + 1)[0]}"
        )
        values = []
        for row, kind in zip(rows, kinds, strict=True):
            copy = variant(kind, row, rng)
            values.append([*(copy[c] for c in SET_COLUMNS), row["id"]])
        await conn.execute_many(insert, values)
        planted = [
            (row["id"], first_new + index, kind)
            for index, (row, kind) in enumerate(zip(rows, kinds, strict=True))
        ]
        phone_insert = (
            "INSERT INTO phone_number (contact_id, type, e164, country, national, "
            f"international, is_primary, position) VALUES ({', '.join(marks(8))})"
        )
        phones = []
        for index, (original, copy_id, kind) in enumerate(planted):
            if kind == "PHONE":
                e164 = f"+3361{index:07d}"
                for contact_id in (original, copy_id):
                    phones.append([contact_id, "MOBILE", e164, "FR", e164, e164, False, 9])
        if phones:
            await conn.execute_many(phone_insert, phones)
        return planted
    finally:
        await close_db()


async def _contact_columns(conn: Any, postgres: bool) -> list[str]:
    if postgres:
        _, rows = await conn.execute_query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'contact'"
        )
    else:
        _, rows = await conn.execute_query("SELECT name FROM pragma_table_info('contact')")
    return [row[0] for row in rows]


async def found_pairs(database_url: str) -> dict[tuple[int, int], str]:
    from tortoise import connections

    from crm.db import close_db, init_db
    from crm.settings import get_settings, reset_settings

    os.environ["CRM_DATABASE_URL"] = database_url
    reset_settings()
    await init_db(get_settings())
    try:
        _, rows = await connections.get("default").execute_query(
            "SELECT low_contact_id, high_contact_id, reasons FROM duplicate_candidate "
            "WHERE dismissed_at IS NULL"
        )
        return {(row[0], row[1]): row[2] for row in rows}
    finally:
        await close_db()


class _RollBack(Exception):
    pass


async def measure_hook(database_url: str, rows: int, seed: int) -> tuple[float, float]:
    """What the importer's hook (`refresh_profiles`) costs for `rows` contacts of the
    database, in batches as the importer writes them (BATCH_ROWS): wall and CPU seconds.
    Rolled back: the database is left as it was."""
    from tortoise import connections
    from tortoise.transactions import in_transaction

    from crm.db import close_db, init_db
    from crm.duplicates.services import profiles_of, refresh_profiles
    from crm.imports.batch import BATCH_ROWS
    from crm.settings import get_settings, reset_settings

    os.environ["CRM_DATABASE_URL"] = database_url
    reset_settings()
    await init_db(get_settings())
    try:
        _, found = await connections.get("default").execute_query("SELECT id FROM contact")
        ids = random.Random(seed).sample([row[0] for row in found], rows)
        wall = cpu = 0.0
        try:
            async with in_transaction():
                for start in range(0, rows, BATCH_ROWS):
                    profiles = list((await profiles_of(ids[start : start + BATCH_ROWS])).values())
                    began, began_cpu = time.perf_counter(), time.process_time()
                    await refresh_profiles(profiles)
                    wall += time.perf_counter() - began
                    cpu += time.process_time() - began_cpu
                raise _RollBack
        except _RollBack:
            pass
        return wall, cpu
    finally:
        await close_db()


async def reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--copy-from", help="a SQLite demo database to copy (left as it is)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the demo database at --database-url as it is (migrated; duplicates are "
        "planted in it: a copy, e.g. CREATE DATABASE ... TEMPLATE ...)",
    )
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--hook-rows",
        type=int,
        default=10_000,
        help="then time the importer's hook for this many contacts (0: skip)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "backend"))

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-duplicates-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite://{workdir}/duplicates.sqlite3"
    env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_DATA_DIR": str(workdir)}
    env["PYTHONPATH"] = str(REPO / "backend")
    build_started = time.perf_counter()
    if args.reuse:
        run_crm(env, "migrate")
    elif args.copy_from:
        target = Path(database_url.removeprefix("sqlite://"))
        shutil.copyfile(args.copy_from, target)
        target.chmod(0o600)
        run_crm(env, "migrate")
    else:
        if database_url.startswith("postgres"):
            asyncio.run(reset_postgres(database_url))
        run_crm(env, "migrate")
        print(run_crm(env, "demo-data", "--contacts", str(args.contacts))[0])
    planted = asyncio.run(plant(database_url, args.share, args.seed))
    print(
        f"Database ready in {time.perf_counter() - build_started:.0f} s; planted "
        f"{len(planted)} duplicates ({dict(Counter(kind for *_, kind in planted))})."
    )

    summary, seconds, peak = run_crm(env, "find-duplicates")
    print(f"find-duplicates: {seconds:.1f} s, peak memory {peak / 1024:.0f} MiB\n  {summary}")
    again, seconds_again, _ = run_crm(env, "find-duplicates")
    print(f"again: {seconds_again:.1f} s\n  {again}")

    found = asyncio.run(found_pairs(database_url))
    wanted = {(min(a, b), max(a, b)): kind for a, b, kind in planted}
    hits = [pair for pair in wanted if pair in found]
    missed = Counter(kind for pair, kind in wanted.items() if pair not in found)
    extra = Counter(reasons for pair, reasons in found.items() if pair not in wanted)
    recall = len(hits) / len(wanted) if wanted else 1.0
    precision = len(hits) / len(found) if found else 1.0
    print(
        f"pairs found {len(found)}, planted {len(wanted)}: recall {recall:.3f}, precision "
        f"{precision:.3f}\n  missed by kind {dict(missed)}\n  not planted, by reasons "
        f"{dict(extra.most_common(6))}"
    )
    hook = (0.0, 0.0)
    if args.hook_rows:
        hook = asyncio.run(measure_hook(database_url, args.hook_rows, args.seed))
        print(
            f"importer hook for {args.hook_rows} contacts: {hook[0]:.2f} s "
            f"({hook[1]:.2f} s CPU) against {args.contacts} contacts"
        )
    (workdir / "find-duplicates.json").write_text(
        json.dumps(
            {
                "database": database_url.split("://")[0],
                "contacts": args.contacts,
                "planted": len(wanted),
                "seconds": seconds,
                "seconds_again": seconds_again,
                "peak_mib": peak / 1024,
                "found": len(found),
                "recall": recall,
                "precision": precision,
                "hook_seconds": hook[0],
                "hook_cpu_seconds": hook[1],
            }
        )
    )


if __name__ == "__main__":
    main()
