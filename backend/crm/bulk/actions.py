"""Each bulk action's rules: which contacts it leaves as they are (and why), and how it
changes a batch of the others, with the same rules as the single-contact services.

Field changes (status, type, owner, company, archive, restore) are one UPDATE per batch and
their timeline events one INSERT; group and product membership one INSERT or DELETE that
names the contacts it changed. Invitations and deletions go through the per-contact
services, each contact in a savepoint, so one that fails leaves the rest of the batch done.
A reason is counted under the first rule that holds for a contact, in the preview's COUNTs
(`condition`) and in the run (`holds`) alike.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from crm.auth.models import Session
from crm.bulk.models import BulkAction
from crm.companies.models import Company
from crm.contacts.models import Contact, ContactStatus, ContactType, PortalStatus
from crm.contacts.services import TYPES_NEEDING_EMAIL, delete_contact
from crm.core.bulk import id_list, id_table
from crm.core.errors import InputError
from crm.duplicates.services import refresh_contacts
from crm.groups.models import GroupMembership
from crm.groups.services import add_contacts, remove_contacts
from crm.portal.services import INVITABLE_TYPES, resend_invite, send_invite
from crm.products.models import ContactProduct
from crm.staff.ownership import OWNER_LABEL, owner_labels
from crm.timeline.bulk import record_changes_for_contacts, record_for_contacts
from crm.timeline.models import TimelineKind
from crm.timeline.services import Actor

log = logging.getLogger("crm.bulk")

Row = dict[str, Any]
# What a batch reads of each contact, locked, before changing it.
ROW_COLUMNS = (
    "id",
    "type",
    "status",
    "email",
    "owner_id",
    "company_id",
    "archived_at",
    "portal_status",
)


@dataclass
class ActionParams:
    """What an action sets or names, as given (ids decoded); None where not given."""

    group_id: int | None = None
    product_id: int | None = None
    company_id: int | None = None
    owner_id: int | None = None
    type: ContactType | None = None
    status: ContactStatus | None = None


@dataclass(frozen=True)
class SkipRule:
    """Contacts the action leaves as they are, and why. `holds` None: the write itself
    tells (a membership that already exists)."""

    reason: str
    condition: Q
    holds: Callable[[Row], bool] | None = None


@dataclass
class Batch:
    conn: BaseDBAsyncClient
    actor: Actor
    params: dict[str, Any]
    moment: datetime
    rows: list[Row]


@dataclass
class Outcome:
    changed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: int = 0


def choice_label(value: StrEnum | str) -> str:
    """A type or status as the app shows it: "Contacted", "Unqualified"."""
    return str(value).replace("_", " ").capitalize()


def _split(rules: list[SkipRule], rows: list[Row], outcome: Outcome) -> list[Row]:
    """The rows no rule leaves alone; the others counted under their first reason."""
    kept = []
    for row in rows:
        reason = next((rule.reason for rule in rules if rule.holds and rule.holds(row)), None)
        if reason is None:
            kept.append(row)
        else:
            outcome.skipped[reason] += 1
    return kept


class Action:
    # Contacts a batch takes at most: fewer for per-contact work, so that a batch's
    # transaction (and SQLite's write lock) stays short.
    batch_size = 500

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        return []

    async def apply(self, batch: Batch) -> Outcome:
        outcome = Outcome()
        rows = _split(self.skip_rules(batch.params), batch.rows, outcome)
        if rows:
            await self.change(batch, rows, outcome)
        return outcome

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        raise NotImplementedError


Labels = Callable[[Iterable[Any]], Awaitable[dict[Any, str]]]


async def _choice_labels(values: Iterable[Any]) -> dict[Any, str]:
    return {value: choice_label(value) for value in values if value is not None}


async def _company_names(ids: Iterable[Any]) -> dict[Any, str]:
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return dict(await Company.filter(id__in=wanted).values_list("id", "name"))  # type: ignore[arg-type]


@dataclass
class SetField(Action):
    """One column set to one value on every contact that has another; an UPDATED event on
    each says what it was and what it is."""

    column: str  # also the key of its value in the operation's params
    label: str
    labels: Labels
    same_reason: str
    enum: type[StrEnum] | None = None
    # Further columns the same UPDATE sets (a contact moved off a company is no longer its
    # primary contact, as `update_contact` does).
    also: dict[str, Any] = field(default_factory=dict)

    def value(self, params: dict[str, Any]) -> Any:
        given = params.get(self.column)
        return self.enum(given) if self.enum is not None and given is not None else given

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        value = self.value(params)
        same = {f"{self.column}__isnull": True} if value is None else {self.column: value}
        condition = Q(**same)
        return [SkipRule(self.same_reason, condition, lambda row: row[self.column] == value)]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        value = self.value(batch.params)
        ids = [row["id"] for row in rows]
        await (
            Contact.filter(id__in=ids)
            .using_db(batch.conn)
            .update(**{self.column: value, "updated_at": batch.moment, **self.also})
        )
        labels = await self.labels({value, *(row[self.column] for row in rows)})
        after = labels.get(value, "")
        changes = {
            row["id"]: [
                {"field": self.label, "before": labels.get(row[self.column], ""), "after": after}
            ]
            for row in rows
        }
        await record_changes_for_contacts(
            batch.actor, TimelineKind.UPDATED, changes, conn=batch.conn, moment=batch.moment
        )
        outcome.changed += len(ids)


class SetType(SetField):
    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        rules = super().skip_rules(params)
        wanted = self.value(params)
        if wanted in TYPES_NEEDING_EMAIL:
            reason = f"{choice_label(wanted)}s need an email address"
            no_email = Q(email__isnull=True) | Q(email="")
            rules.append(SkipRule(reason, no_email, lambda row: not row["email"]))
        return rules


class SetCompany(SetField):
    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        (same,) = super().skip_rules(params)
        if params.get(self.column) is None:
            return [SkipRule("Already without a company", same.condition, same.holds)]
        return [same]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        await super().change(batch, rows, outcome)
        # The duplicates' blocking keys include the company.
        await refresh_contacts([row["id"] for row in rows])


def _members(model: Any, scope: str, pk: Any) -> Q:
    return Q(id__in=Subquery(model.filter(**{scope: pk}).values("contact_id")))


@dataclass
class Membership(Action):
    """A group's members, through the group services (which record the changes)."""

    adding: bool

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        members = _members(GroupMembership, "group_id", params["group_id"])
        if self.adding:
            return [SkipRule("Already in the group", members)]
        return [SkipRule("Not in the group", ~members)]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        change = add_contacts if self.adding else remove_contacts
        result = await change(batch.params["group_id"], [row["id"] for row in rows], batch.actor)
        outcome.changed += result.changed
        reason = self.skip_rules(batch.params)[0].reason
        if len(rows) > result.changed:
            outcome.skipped[reason] += len(rows) - result.changed


class AddProduct(Action):
    REASON = "Already uses this product"

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        return [SkipRule(self.REASON, _members(ContactProduct, "product_id", params["product_id"]))]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        dialect = batch.conn.capabilities.dialect
        product = "?1" if dialect == "sqlite" else "$1::int"
        linked = await batch.conn.execute_query_dict(
            # WHERE true: SQLite would otherwise read ON CONFLICT as the ON of a join.
            f"INSERT INTO contact_product (contact_id, product_id) SELECT id, {product} "
            f"FROM {id_table(dialect, 2)} WHERE true ON CONFLICT DO NOTHING "
            "RETURNING contact_id",
            [batch.params["product_id"], id_list(dialect, [row["id"] for row in rows])],
        )
        change = [{"field": "Products", "before": "", "after": f"{batch.params['product']} added"}]
        await record_changes_for_contacts(
            batch.actor,
            TimelineKind.UPDATED,
            {row["contact_id"]: change for row in linked},
            conn=batch.conn,
            moment=batch.moment,
        )
        outcome.changed += len(linked)
        if len(rows) > len(linked):
            outcome.skipped[self.REASON] += len(rows) - len(linked)


class Archive(Action):
    """As `archive_contact`: no longer a primary contact (the company loses it), signed out
    of the portal for good, an ARCHIVED event."""

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        return [
            SkipRule(
                "Already archived",
                Q(archived_at__isnull=False),
                lambda row: row["archived_at"] is not None,
            )
        ]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        ids = [row["id"] for row in rows]
        await (
            Contact.filter(id__in=ids)
            .using_db(batch.conn)
            .update(archived_at=batch.moment, is_primary_contact=False, updated_at=batch.moment)
        )
        await Session.filter(contact_id__in=ids).using_db(batch.conn).delete()
        await record_for_contacts(
            batch.actor, TimelineKind.ARCHIVED, ids, conn=batch.conn, moment=batch.moment
        )
        outcome.changed += len(ids)


class Restore(Action):
    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        return [
            SkipRule(
                "Not archived", Q(archived_at__isnull=True), lambda row: row["archived_at"] is None
            )
        ]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        ids = [row["id"] for row in rows]
        await (
            Contact.filter(id__in=ids)
            .using_db(batch.conn)
            .update(archived_at=None, updated_at=batch.moment)
        )
        await record_for_contacts(
            batch.actor, TimelineKind.RESTORED, ids, conn=batch.conn, moment=batch.moment
        )
        outcome.changed += len(ids)


async def _each(rows: list[Row], outcome: Outcome, act: Callable[[int], Awaitable[object]]) -> None:
    """`act` on each contact in its own savepoint: a refusal is a skip (its reason), an
    unexpected error a failure; the rest of the batch goes on either way."""
    for row in rows:
        try:
            async with in_transaction():
                await act(row["id"])
        except InputError as refusal:
            outcome.skipped[refusal.errors[0].message] += 1
        except Exception:
            log.exception("bulk action on contact %s failed", row["id"])
            outcome.failed += 1
        else:
            outcome.changed += 1


class Invite(Action):
    """A first invitation, or the pending one sent again, through the portal services."""

    batch_size = 100

    def skip_rules(self, params: dict[str, Any]) -> list[SkipRule]:
        invitable = [kind.value for kind in INVITABLE_TYPES]
        return [
            SkipRule(
                "Already active in the portal",
                Q(portal_status=PortalStatus.ACTIVE),
                lambda row: row["portal_status"] == PortalStatus.ACTIVE,
            ),
            SkipRule(
                "Archived",
                Q(archived_at__isnull=False),
                lambda row: row["archived_at"] is not None,
            ),
            SkipRule(
                "Only prospects and clients can be invited",
                ~Q(type__in=invitable),
                lambda row: row["type"] not in invitable,
            ),
            SkipRule(
                "No email address",
                Q(email__isnull=True) | Q(email=""),
                lambda row: not row["email"],
            ),
        ]

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        invited = {row["id"] for row in rows if row["portal_status"] == PortalStatus.INVITED}

        async def invite(contact_id: int) -> None:
            again = contact_id in invited
            await (resend_invite if again else send_invite)(contact_id, batch.actor)

        await _each(rows, outcome, invite)


class Delete(Action):
    batch_size = 100

    async def change(self, batch: Batch, rows: list[Row], outcome: Outcome) -> None:
        await _each(rows, outcome, delete_contact)


ACTIONS: dict[BulkAction, Action] = {
    BulkAction.SET_STATUS: SetField(
        column="status",
        label="Status",
        labels=_choice_labels,
        same_reason="Already has this status",
        enum=ContactStatus,
    ),
    BulkAction.SET_TYPE: SetType(
        column="type",
        label="Type",
        labels=_choice_labels,
        same_reason="Already of this type",
        enum=ContactType,
    ),
    BulkAction.SET_OWNER: SetField(
        column="owner_id",
        label=OWNER_LABEL,
        labels=owner_labels,
        same_reason="Already has this owner",
    ),
    BulkAction.SET_COMPANY: SetCompany(
        column="company_id",
        label="Company",
        labels=_company_names,
        same_reason="Already at this company",
        also={"is_primary_contact": False},
    ),
    BulkAction.ADD_TO_GROUP: Membership(adding=True),
    BulkAction.REMOVE_FROM_GROUP: Membership(adding=False),
    BulkAction.ADD_PRODUCT: AddProduct(),
    BulkAction.INVITE: Invite(),
    BulkAction.ARCHIVE: Archive(),
    BulkAction.RESTORE: Restore(),
    BulkAction.DELETE: Delete(),
}
