"""Pasted recipients: lines of `email, first name, last name` matched to contacts by email,
or made into new contacts (recorded as created by the campaign), all added to its audience.

New contacts go in with the importer's bulk writers (a list of 10,000 lines is one
statement per table), after the contact services' own checks on each line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crm.campaigns.models import Campaign, CampaignPart, PartKind
from crm.campaigns.services import MAX_PASTED_LINES, PastedLine, _editable, parse_pasted
from crm.contacts import services as contacts
from crm.contacts.bulk import CONTACT_COLUMNS, contact_row
from crm.contacts.models import Channel, ConsentSource, Contact, ContactType
from crm.core.bulk import ids_by_key, insert_sql, reserve_ids
from crm.core.errors import ErrorCode, ErrorCollector, FieldError, InputError
from crm.core.validation import normalize_email
from crm.db import dialect
from crm.timeline.models import TimelineKind
from crm.timeline.services import Actor, Event, record_many


@dataclass
class PasteResult:
    created: int
    matched: int
    errors: list[FieldError]


async def add_pasted_recipients(
    campaign_id: int, text: str, actor: Actor, *, consented: bool = False
) -> PasteResult:
    """Add the pasted people to the audience. `consented`: the staff member says these people
    agreed to receive email: new contacts get EMAIL consent (source STAFF); contacts that
    exist keep what they chose. Bad lines are answered by number; the good ones are added."""
    campaign = await _editable(campaign_id, "campaignId")
    lines, problems = parse_pasted(text or "")
    if len(lines) > MAX_PASTED_LINES:
        raise InputError.single(
            ("text",), f"Paste at most {MAX_PASTED_LINES:,} lines at once", ErrorCode.TOO_MANY
        )
    wanted: dict[str, Contact] = {}
    for line in lines:
        contact = _checked(line, consented, problems)
        if contact is not None:
            wanted.setdefault(contact.email_key, contact)  # type: ignore[arg-type]
    try:
        created, matched = await _save(campaign, wanted, actor)
    except IntegrityError:
        # Some of the addresses were made into contacts meanwhile (another paste, an import):
        # all of this was undone; once more, and they are matched.
        created, matched = await _save(campaign, wanted, actor)
    # In the order of the lines, as the person reading them goes down the list.
    problems.sort(key=lambda problem: int(problem.field[-1]))
    return PasteResult(created, matched, problems)


async def _save(campaign: Campaign, wanted: dict[str, Contact], actor: Actor) -> tuple[int, int]:
    """In one transaction: the contacts of the addresses no contact has, and every address's
    contact in the audience; how many were created, and how many matched."""
    async with in_transaction() as conn:
        sql_dialect = dialect()
        existing = await ids_by_key(conn, sql_dialect, "contact", "email_key", list(wanted))
        new = [contact for key, contact in wanted.items() if key not in existing]
        ids = await reserve_ids(conn, sql_dialect, "contact", len(new))
        moment = datetime.now(UTC)
        for pk, contact in zip(ids, new, strict=True):
            contact.id = pk
            contact.created_at = contact.updated_at = moment
        if new:
            rows = [contact_row(contact) for contact in new]
            await conn.execute_many(insert_sql(sql_dialect, "contact", CONTACT_COLUMNS), rows)
            details = {"campaign": campaign.name}
            events = [Event(TimelineKind.CREATED, contact_id=pk, details=details) for pk in ids]
            await record_many(actor, events)
        chosen = set(
            await CampaignPart.filter(campaign_id=campaign.id, kind=PartKind.CONTACT).values_list(
                "contact_id", flat=True
            )
        )
        parts = [
            CampaignPart(campaign_id=campaign.id, kind=PartKind.CONTACT, contact_id=pk)
            for pk in [*existing.values(), *ids]
            if pk not in chosen
        ]
        await CampaignPart.bulk_create(parts, using_db=conn)
    return len(new), len(existing)


def _checked(line: PastedLine, consented: bool, problems: list[FieldError]) -> Contact | None:
    """The line as a new contact, checked by the contact services' rules; its problems go to
    `problems`, named by line."""
    errors = ErrorCollector()
    address = normalize_email(line.email, ("email",), errors, required=True)
    if address is None:
        problems.append(_line_problem(line, errors))
        return None
    last_name = line.last_name or address.partition("@")[0]
    changes = contacts.ContactChanges(
        first_name=line.first_name, last_name=last_name, email=address, type=ContactType.LEAD
    )
    contact = contacts.new_contact(changes)
    contacts.apply_changes(contact, changes, errors)
    if errors.errors:
        problems.append(_line_problem(line, errors))
        return None
    # Consent only as the staff member says these people gave it: an email filled in is not.
    agreed = {Channel.EMAIL} if consented else set()
    contacts.derive_fields(contact, changes, ConsentSource.STAFF, set(), None, [], agreed=agreed)
    return contact


def _line_problem(line: PastedLine, errors: ErrorCollector) -> FieldError:
    reasons = "; ".join(error.message for error in errors.errors)
    return FieldError(
        ("text", str(line.number)), f"Line {line.number}: {reasons}", ErrorCode.INVALID
    )
