"""Every bulk action: what it changes, what it leaves alone and why, and the timeline."""

from __future__ import annotations

from crm.auth.models import Session
from crm.auth.services import ClientInfo, start_session
from crm.bulk.runner import run_pending_operations
from crm.companies.models import Company
from crm.contacts.models import Contact, ContactStatus, ContactType, PortalStatus
from crm.contacts.services import set_primary_contact
from crm.graphql.relay import to_global_id
from crm.groups.models import Group, GroupMembership
from crm.mail.models import OutboxMessage
from crm.portal.models import Invitation
from crm.products.models import ContactProduct, Product
from crm.staff.models import StaffUser
from crm.timeline.models import TimelineKind
from tests.bulk.helpers import by_ids, events, new_contact, operation, skipped, started
from tests.conftest import make_staff
from tests.graphql_client import GraphQLClient


async def run(client: GraphQLClient, op: dict) -> dict:
    await run_pending_operations()
    return await operation(client, op["id"])


async def test_set_status_changes_those_with_another_and_says_what_it_was(
    staff: GraphQLClient,
) -> None:
    # given a new contact, a qualified one and one already contacted
    ann = await new_contact("Ann")
    bob = await new_contact("Bob", status=ContactStatus.QUALIFIED)
    cat = await new_contact("Cat", status=ContactStatus.CONTACTED)

    # when all three are set to Contacted
    op = await started(staff, "SET_STATUS", by_ids(ann, bob, cat), status="CONTACTED")
    done = await run(staff, op)

    # then two changed, each with its own "before" on its timeline; the third is left alone
    assert done["description"] == "Set status to Contacted"
    assert (done["state"], done["total"], done["processed"], done["changed"]) == (
        "DONE", 3, 3, 2
    )  # fmt: skip
    assert skipped(done) == {"Already has this status": 1}
    assert done["createdBy"]["email"] == "staff@example.com"
    assert {c.status for c in await Contact.all()} == {ContactStatus.CONTACTED}
    changes = {e.contact_id: e.changes for e in await events(TimelineKind.UPDATED)}  # type: ignore[attr-defined]
    assert changes == {
        ann.id: [{"field": "Status", "before": "New", "after": "Contacted"}],
        bob.id: [{"field": "Status", "before": "Qualified", "after": "Contacted"}],
    }
    (event, _) = await events(TimelineKind.UPDATED)
    assert event.actor_name == "Sam Staff"


async def test_set_type_client_skips_those_without_an_email(staff: GraphQLClient) -> None:
    # given a lead with an email, one without, and a client
    ann = await new_contact("Ann", "ann@example.com")
    bob = await new_contact("Bob")
    cat = await new_contact("Cat", "cat@example.com", type=ContactType.CLIENT)

    # when all are made clients
    done = await run(staff, await started(staff, "SET_TYPE", by_ids(ann, bob, cat), type="CLIENT"))

    # then only Ann changed; Bob has no email, Cat already was one
    assert done["changed"] == 1
    assert skipped(done) == {"Clients need an email address": 1, "Already of this type": 1}
    assert (await Contact.get(id=ann.id)).type == ContactType.CLIENT
    assert (await Contact.get(id=bob.id)).type == ContactType.LEAD


async def test_set_owner_to_a_colleague_and_to_nobody(staff: GraphQLClient) -> None:
    # given two contacts owned by nobody and a colleague
    colleague = await make_staff("kim@example.com")
    await StaffUser.filter(id=colleague.id).update(name="Kim")
    ann, bob = await new_contact("Ann"), await new_contact("Bob")

    # when the colleague is made their owner, then nobody
    owner_id = to_global_id("StaffUser", colleague.id)
    given = await run(staff, await started(staff, "SET_OWNER", by_ids(ann, bob), ownerId=owner_id))
    removed = await run(staff, await started(staff, "SET_OWNER", by_ids(ann), ownerId=None))

    # then both were the colleague's, and Ann is nobody's again, each on the timeline
    assert (given["description"], given["changed"]) == ("Set owner to Kim", 2)
    assert (removed["description"], removed["changed"]) == ("Remove owner", 1)
    assert (await Contact.get(id=ann.id)).owner_id is None  # type: ignore[attr-defined]
    assert (await Contact.get(id=bob.id)).owner_id == colleague.id  # type: ignore[attr-defined]
    changes = [e.changes for e in await events(TimelineKind.UPDATED, ann)]
    assert changes == [
        [{"field": "Owner", "before": "", "after": "Kim"}],
        [{"field": "Owner", "before": "Kim", "after": ""}],
    ]


async def test_a_deactivated_owner_is_refused(staff: GraphQLClient) -> None:
    from tests.bulk.helpers import start

    gone = await make_staff("gone@example.com")
    await StaffUser.filter(id=gone.id).update(is_active=False)
    ann = await new_contact("Ann")
    payload = await start(
        staff, "SET_OWNER", by_ids(ann), ownerId=to_global_id("StaffUser", gone.id)
    )
    assert payload["operation"] is None
    assert payload["errors"][0]["field"] == ["input", "ownerId"]
    assert payload["errors"][0]["code"] == "NOT_ALLOWED"


async def test_set_company_moves_contacts_and_a_primary_contact_stops_being_one(
    staff: GraphQLClient,
) -> None:
    # given Ann, the primary contact of Acme, and Bob of no company
    acme = await Company.create(name="Acme", sort_name="acme")
    globex = await Company.create(name="Globex", sort_name="globex")
    ann = await new_contact("Ann", company_id=acme.id)
    await set_primary_contact(ann.id)
    bob = await new_contact("Bob")

    # when both are moved to Globex, then Bob to no company
    company = to_global_id("Company", globex.id)
    moved = await run(
        staff, await started(staff, "SET_COMPANY", by_ids(ann, bob), companyId=company)
    )
    freed = await run(staff, await started(staff, "SET_COMPANY", by_ids(bob), companyId=None))

    # then Ann is Globex's and no longer anyone's primary contact; Bob has no company
    assert (moved["description"], moved["changed"]) == ("Move to company Globex", 2)
    assert (freed["description"], freed["changed"]) == ("Remove from company", 1)
    ann_now = await Contact.get(id=ann.id)
    assert (ann_now.company_id, ann_now.is_primary_contact) == (globex.id, False)  # type: ignore[attr-defined]
    assert (await Contact.get(id=bob.id)).company_id is None  # type: ignore[attr-defined]
    (event,) = await events(TimelineKind.UPDATED, ann)
    assert event.changes == [{"field": "Company", "before": "Acme", "after": "Globex"}]


async def test_add_to_and_remove_from_a_group(staff: GraphQLClient) -> None:
    # given a group with Ann in it, and Bob outside
    group = await Group.create(name="VIP", name_key="vip")
    ann, bob = await new_contact("Ann"), await new_contact("Bob")
    await GroupMembership.create(group_id=group.id, contact_id=ann.id)
    group_id = to_global_id("Group", group.id)

    # when both are added, then both removed
    added = await run(
        staff, await started(staff, "ADD_TO_GROUP", by_ids(ann, bob), groupId=group_id)
    )
    added_members = await GroupMembership.filter(group_id=group.id).count()
    removed = await run(
        staff, await started(staff, "REMOVE_FROM_GROUP", by_ids(ann, bob), groupId=group_id)
    )

    # then Bob joined (Ann already was a member), then both left; each change on a timeline
    assert (added["description"], added["changed"], skipped(added)) == (
        "Add to group VIP", 1, {"Already in the group": 1}
    )  # fmt: skip
    assert added_members == 2
    assert (removed["changed"], skipped(removed)) == (2, {})
    assert await GroupMembership.filter(group_id=group.id).count() == 0
    assert [e.contact_id for e in await events(TimelineKind.ADDED_TO_GROUP)] == [bob.id]  # type: ignore[attr-defined]
    assert len(await events(TimelineKind.REMOVED_FROM_GROUP)) == 2


async def test_add_product(staff: GraphQLClient) -> None:
    # given a product Ann already uses
    product = await Product.create(name="Support", name_key="support")
    ann, bob = await new_contact("Ann"), await new_contact("Bob")
    await ContactProduct.create(contact_id=ann.id, product_id=product.id)

    # when it is added to both
    product_id = to_global_id("Product", product.id)
    done = await run(
        staff, await started(staff, "ADD_PRODUCT", by_ids(ann, bob), productId=product_id)
    )

    # then Bob uses it too, which his timeline says
    assert (done["changed"], skipped(done)) == (1, {"Already uses this product": 1})
    assert await ContactProduct.filter(product_id=product.id).count() == 2
    (event,) = await events(TimelineKind.UPDATED)
    assert (event.contact_id, event.changes) == (  # type: ignore[attr-defined]
        bob.id, [{"field": "Products", "before": "", "after": "Support added"}]
    )  # fmt: skip


async def test_invite_sends_or_resends_to_those_who_can_be_invited(staff: GraphQLClient) -> None:
    # given a client never invited, one invited, one active, one archived, a prospect with
    # no email and a lead
    new = await new_contact("New", "new@example.com", type=ContactType.CLIENT)
    invited = await new_contact("Invited", "invited@example.com", type=ContactType.CLIENT)
    await run(staff, await started(staff, "INVITE", by_ids(invited)))
    active = await new_contact("Active", "active@example.com", type=ContactType.CLIENT)
    await Contact.filter(id=active.id).update(portal_status=PortalStatus.ACTIVE)
    archived = await new_contact("Gone", "gone@example.com", type=ContactType.CLIENT)
    await Contact.filter(id=archived.id).update(archived_at=archived.created_at)
    no_email = await new_contact("Nomail", type=ContactType.OTHER)
    lead = await new_contact("Lead", "lead@example.com")
    everyone = by_ids(new, invited, active, archived, no_email, lead)

    # when they are all invited
    done = await run(staff, await started(staff, "INVITE", everyone))

    # then the first gets an invitation, the second a new one, the others none, each said why
    assert done["changed"] == 2
    assert skipped(done) == {
        "Already active in the portal": 1,
        "Archived": 1,
        "Only prospects and clients can be invited": 2,
    }
    assert [e.contact_id for e in await events(TimelineKind.INVITED)] == [invited.id, new.id]  # type: ignore[attr-defined]
    assert [e.contact_id for e in await events(TimelineKind.INVITE_RESENT)] == [invited.id]  # type: ignore[attr-defined]
    assert await Invitation.filter(contact_id=invited.id).count() == 2
    assert await OutboxMessage.filter(kind="INVITATION").count() == 3


async def test_invite_says_who_has_no_email(staff: GraphQLClient) -> None:
    prospect = await new_contact("Pat", "pat@example.com", type=ContactType.PROSPECT)
    await Contact.filter(id=prospect.id).update(email=None, email_key=None)
    done = await run(staff, await started(staff, "INVITE", by_ids(prospect)))
    assert (done["changed"], skipped(done)) == (0, {"No email address": 1})


async def test_archive_and_restore(staff: GraphQLClient) -> None:
    # given Ann, Acme's primary contact signed in to the portal, and Bob, already archived
    acme = await Company.create(name="Acme", sort_name="acme")
    ann = await new_contact("Ann", company_id=acme.id)
    await set_primary_contact(ann.id)
    await start_session(ClientInfo("127.0.0.1", "test"), contact=ann)
    bob = await new_contact("Bob")
    await Contact.filter(id=bob.id).update(archived_at=bob.created_at)

    # when both are archived, then both restored
    archived = await run(staff, await started(staff, "ARCHIVE", by_ids(ann, bob)))
    ann_archived = await Contact.get(id=ann.id)
    restored = await run(staff, await started(staff, "RESTORE", by_ids(ann, bob)))

    # then Ann was archived (Acme lost its primary contact, her session ended), Bob left as
    # he was; then both came back
    assert (archived["changed"], skipped(archived)) == (1, {"Already archived": 1})
    assert ann_archived.archived_at is not None
    assert ann_archived.is_primary_contact is False
    assert await Session.filter(contact_id=ann.id).count() == 0
    assert (restored["changed"], skipped(restored)) == (2, {})
    assert await Contact.filter(archived_at__isnull=False).count() == 0
    assert [e.contact_id for e in await events(TimelineKind.ARCHIVED)] == [ann.id]  # type: ignore[attr-defined]
    assert len(await events(TimelineKind.RESTORED)) == 2


async def test_delete_erases_the_contacts(staff: GraphQLClient) -> None:
    # given three contacts
    ann, bob, cat = await new_contact("Ann"), await new_contact("Bob"), await new_contact("Cat")

    # when two are deleted, confirming their number
    done = await run(staff, await started(staff, "DELETE", by_ids(ann, bob), confirmCount=2))

    # then only Cat is left
    assert (done["description"], done["changed"]) == ("Delete", 2)
    assert [c.id for c in await Contact.all()] == [cat.id]
