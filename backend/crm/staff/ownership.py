"""Who owns a contact or a company: which staff users may be chosen as owner, and handing
someone's records to a colleague in bulk (deactivating a user leaves their records with them
until then).

The API, the importer and the command line all go through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.models import Model
from tortoise.transactions import in_transaction

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector
from crm.staff.models import StaffUser
from crm.timeline.models import TimelineKind
from crm.timeline.services import SYSTEM, Actor, Event, record_many

# Records reassigned per transaction: each batch locks only its rows, briefly, and a batch's
# timeline events are written in one statement.
REASSIGN_BATCH_SIZE = 1000
OWNER_LABEL = "Owner"


def owner_label(user: StaffUser | None) -> str:
    """How the timeline and the exports name an owner: their name, else their email."""
    if user is None:
        return ""
    return user.name or user.email


async def owner_labels(staff_ids: Iterable[int | None]) -> dict[int, str]:
    """`owner_label` of each of these staff users, in one statement."""
    wanted = {staff_id for staff_id in staff_ids if staff_id is not None}
    if not wanted:
        return {}
    rows = await StaffUser.filter(id__in=wanted).values_list("id", "name", "email")
    return {staff_id: name or email for staff_id, name, email in rows}


async def owners_by_email() -> dict[str, tuple[int, bool]]:
    """Every staff user by lower-case email: their id, and whether they may be given new
    records (an import's Owner column names them by email)."""
    rows = await StaffUser.all().values_list("email", "id", "is_active")
    return {email.lower(): (staff_id, bool(active)) for email, staff_id, active in rows}


async def check_owner(
    owner_id: int | None,
    errors: ErrorCollector,
    *,
    current_owner_id: int | None = None,
    field: tuple[str, ...] = ("ownerId",),
) -> None:
    """An owner (of a record, or a task's assignee) is an active or invited staff user. A
    deactivated one is refused when newly chosen, but a record keeps the deactivated owner it
    has (`current_owner_id`)."""
    if owner_id is None or owner_id == current_owner_id:
        return
    active = await StaffUser.filter(id=owner_id).first().values_list("is_active", flat=True)
    if active is None:
        errors.add(field, "No staff user has this id", ErrorCode.NOT_FOUND)
    elif not active:
        errors.add(
            field,
            "This staff user is deactivated: choose someone who can still sign in",
            ErrorCode.NOT_ALLOWED,
        )


@dataclass(frozen=True)
class Reassigned:
    contacts: int
    companies: int


async def reassign_owned_records(
    from_staff_user_id: int,
    to_staff_user_id: int | None,
    *,
    actor: Actor = SYSTEM,
    batch_size: int = REASSIGN_BATCH_SIZE,
) -> Reassigned:
    """Every contact and company `from` owns becomes `to`'s (None: nobody's), in batches,
    each change on the record's timeline. `to` must be a user who may own records."""
    errors = ErrorCollector()
    giver = await StaffUser.get_or_none(id=from_staff_user_id)
    if giver is None:
        errors.add(("fromStaffUserId",), "No staff user has this id", ErrorCode.NOT_FOUND)
    if to_staff_user_id == from_staff_user_id:
        errors.add(
            ("toStaffUserId",), "Choose someone else than the current owner", ErrorCode.INVALID
        )
    else:
        await check_owner(to_staff_user_id, errors, field=("toStaffUserId",))
    errors.raise_if_any()
    receiver = await StaffUser.get_or_none(id=to_staff_user_id) if to_staff_user_id else None
    change = {"field": OWNER_LABEL, "before": owner_label(giver), "after": owner_label(receiver)}
    moved: dict[type[Model], int] = {}
    for model, scope in ((Contact, "contact_id"), (Company, "company_id")):
        moved[model] = await _reassign(
            model, scope, from_staff_user_id, to_staff_user_id, change, actor, batch_size
        )
    return Reassigned(contacts=moved[Contact], companies=moved[Company])


async def reassign_by_email(
    from_email: str, to_email: str, *, batch_size: int = REASSIGN_BATCH_SIZE
) -> Reassigned:
    """`reassign_owned_records` between the staff users with these emails (the command line)."""
    errors = ErrorCollector()
    ids = []
    for field, email in (("from", from_email), ("to", to_email)):
        found = await StaffUser.get_or_none(email=email.strip().lower())
        if found is None:
            errors.add((field,), f"No staff user has the email {email!r}", ErrorCode.NOT_FOUND)
        ids.append(found.id if found else 0)
    errors.raise_if_any()
    return await reassign_owned_records(ids[0], ids[1], batch_size=batch_size)


async def _reassign(
    model: type[Model],
    scope: str,
    from_id: int,
    to_id: int | None,
    change: dict[str, str],
    actor: Actor,
    batch_size: int,
) -> int:
    """Reassign `model`'s rows owned by `from_id`, `batch_size` at a time; how many moved."""
    moved = 0
    while True:
        async with in_transaction():
            ids = list(
                await model.filter(owner_id=from_id)
                .order_by("id")
                .limit(batch_size)
                .select_for_update()
                .values_list("id", flat=True)
            )
            if not ids:
                return moved
            await model.filter(id__in=ids).update(owner_id=to_id, updated_at=datetime.now(UTC))
            events = (
                Event(TimelineKind.UPDATED, changes=[change], **{scope: record_id})
                for record_id in ids
            )
            await record_many(actor, events)
        moved += len(ids)
