"""The contact tallies the home page counts with follow every way contacts are written."""

from __future__ import annotations

import asyncio
from collections import Counter

from tortoise import connections

from crm.contacts.models import Contact
from crm.demo import create_demo_data
from crm.home import tallies
from crm.home.models import ContactTallyChange
from crm.home.tallies import Tally, contact_tallies, fold_changes
from crm.jobs.workers import background_runners
from crm.settings import get_settings
from tests.contacts.helpers import ARCHIVE, CREATE, DELETE, UPDATE

Key = tuple[str, str, str, bool]


async def counted() -> Counter[Key]:
    """The contacts counted one by one, the slow way the tallies replace."""
    rows = await Contact.all().values_list("type", "status", "portal_status", "archived_at")
    return Counter((t, s, p, archived is not None) for t, s, p, archived in rows)


def as_counter(tallies: list[Tally]) -> Counter[Key]:
    return Counter({(t.type, t.status, t.portal_status, t.archived): t.count for t in tallies})


async def test_tallies_follow_creates_edits_archives_deletes_and_bulk_writes(staff) -> None:
    # given contacts written by the API (created, edited, archived, deleted) ...
    ids = []
    for n, (type_, status) in enumerate(
        [("LEAD", "NEW"), ("LEAD", "CONTACTED"), ("CLIENT", "CONVERTED"), ("LEAD", "NEW")]
    ):
        created = await staff.mutate(
            "createContact",
            CREATE,
            {
                "lastName": f"Tally{n}",
                "email": f"t{n}@example.com",
                "type": type_,
                "status": status,
            },
        )
        assert created["errors"] == []
        ids.append(created["contact"]["id"])
    edited = await staff.mutate("updateContact", UPDATE, {"id": ids[0], "status": "QUALIFIED"})
    assert edited["errors"] == []
    renamed = await staff.mutate("updateContact", UPDATE, {"id": ids[1], "lastName": "Same"})
    assert renamed["errors"] == []
    assert (await staff.mutate("archiveContact", ARCHIVE, {"id": ids[2]}))["errors"] == []
    assert (await staff.mutate("deleteContact", DELETE, {"id": ids[3]}))["errors"] == []
    # ... and by the bulk writer of the demo data
    await create_demo_data(120, seed=5)

    # then the tallies say what counting every contact says
    expected = await counted()
    assert as_counter(await contact_tallies()) == expected
    assert sum(expected.values()) == 123

    # and after folding the changes, still, with one row per combination
    await fold_changes()
    assert as_counter(await contact_tallies()) == expected
    assert await ContactTallyChange.all().count() == len(expected)


async def test_a_status_change_written_by_raw_sql_is_tallied(staff) -> None:
    # given a contact (tallied), then moved by an UPDATE that no service wrote
    created = await staff.mutate("createContact", CREATE, {"lastName": "Raw", "type": "LEAD"})
    assert created["errors"] == []
    await connections.get("default").execute_script(
        "UPDATE contact SET status = 'UNQUALIFIED', portal_status = 'INVITED'"
    )
    # an update that moves nothing records nothing
    changes = await ContactTallyChange.all().count()
    await connections.get("default").execute_script("UPDATE contact SET job_title = 'Chef'")
    assert await ContactTallyChange.all().count() == changes

    # then the tallies follow it
    assert as_counter(await contact_tallies()) == Counter(
        {("LEAD", "UNQUALIFIED", "INVITED", False): 1}
    )


async def test_folding_with_nothing_recorded_is_harmless(db) -> None:
    await fold_changes()
    assert await contact_tallies() == []


async def test_the_background_runner_folds_the_changes(staff) -> None:
    # given changes recorded by several writes
    for n in range(5):
        created = await staff.mutate("createContact", CREATE, {"lastName": f"Run{n}"})
        assert created["errors"] == []
    assert await ContactTallyChange.all().count() == 5

    # when a round of the worker's tally runner runs
    runner = next(r for r in background_runners(get_settings()) if r.kind == tallies.KIND)
    assert await runner.run_once(asyncio.Event()) == 0

    # then one row says it all
    assert await ContactTallyChange.all().values_list("change", flat=True) == [5]
