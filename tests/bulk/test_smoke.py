from crm.bulk.runner import run_pending_operations
from crm.contacts.models import Contact, ContactStatus
from crm.timeline.models import TimelineKind
from tests.bulk.helpers import by_ids, events, new_contact, operation, started


async def test_smoke(staff) -> None:
    ann = await new_contact("Ann")
    bob = await new_contact("Bob", status=ContactStatus.CONTACTED)
    op = await started(staff, "SET_STATUS", by_ids(ann, bob), status="CONTACTED")
    assert op["state"] == "QUEUED"
    assert await run_pending_operations() == 1
    done = await operation(staff, op["id"])
    assert done["state"] == "DONE", done
    assert (await Contact.get(id=ann.id)).status == ContactStatus.CONTACTED
    (event,) = await events(TimelineKind.UPDATED)
    assert event.changes == [{"field": "Status", "before": "New", "after": "Contacted"}]
    assert done["changed"] == 1
