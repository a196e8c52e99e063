"""The rules of bulk operations: what a selection is, what each action needs and leaves
alone, the preview's counts, starting and cancelling. No GraphQL here.

An operation is queued here and run by `crm.bulk.runner`, a batch at a time; each action's
rules, per batch, are in `crm.bulk.actions`. A selection is either ids (at most
MAX_SELECTED_IDS) or a list view: its filter (stored as a segment's filter is), its search
and the contacts left out of it, evaluated batch by batch in id order as the work runs, up
to the last contact that existed when it started (contacts added meanwhile are left out,
so a confirmed count stays true).
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from crm.bulk.actions import ACTIONS, ActionParams, choice_label
from crm.bulk.models import BulkAction, BulkOperation, BulkState
from crm.companies.models import Company
from crm.contacts.filters import ContactFilterSpec, filtered_contacts
from crm.contacts.models import Contact, ContactStatus, ContactType
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.groups.models import Group
from crm.jobs.wake import wake
from crm.products.models import Product
from crm.segments.services import spec_from_json, spec_to_json
from crm.staff.models import StaffUser
from crm.staff.ownership import check_owner, owner_label

KIND = "bulk-operations"
MAX_SELECTED_IDS = 10_000
ACTIVE_STATES = (BulkState.QUEUED, BulkState.RUNNING)
_LIVE = RawSQL('CASE WHEN "contact"."archived_at" IS NULL THEN 1 ELSE 0 END')


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Selection:
    """Which contacts: `ids`, or a view (`spec`, `search`, less `except_ids`), up to
    `up_to_id` once started."""

    ids: list[int] | None = None
    spec: ContactFilterSpec | None = None
    search: str | None = None
    except_ids: list[int] = field(default_factory=list)
    up_to_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        if self.ids is not None:
            return {"ids": self.ids, "up_to_id": self.up_to_id}
        return {
            "filter": spec_to_json(self.spec or ContactFilterSpec()),
            "search": self.search,
            "except_ids": self.except_ids,
            "up_to_id": self.up_to_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        if "ids" in data:
            return cls(ids=list(data["ids"]), up_to_id=data.get("up_to_id"))
        return cls(
            spec=spec_from_json(data.get("filter") or {}),
            search=data.get("search"),
            except_ids=list(data.get("except_ids") or []),
            up_to_id=data.get("up_to_id"),
        )

    def contacts(self) -> QuerySet[Contact]:
        """Every contact of the selection now."""
        if self.ids is not None:
            return self._narrowed(Contact.filter(id__in=self.ids))
        return self._narrowed(filtered_contacts(self.spec, self.search))

    def view_batch(self, after: int, size: int) -> QuerySet[Contact]:
        """A view's next batch, walked along the primary key. Its archived filter is written
        so no index serves it: SQLite (no statistics) would otherwise read every live
        contact through the archived index and sort them, for each batch (60 ms a batch at
        100,000 contacts, 3 ms along the primary key)."""
        spec = self.spec or ContactFilterSpec()
        queryset = filtered_contacts(replace(spec, archived=None), self.search)
        if spec.archived is not None:
            queryset = queryset.annotate(_live=_LIVE).filter(_live=0 if spec.archived else 1)
        return self._narrowed(queryset).filter(id__gt=after).order_by("id").limit(size)

    def _narrowed(self, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        """Less the contacts left out, and those added since the start."""
        if self.except_ids:
            queryset = queryset.exclude(id__in=self.except_ids)
        return queryset.filter(id__lte=self.up_to_id) if self.up_to_id is not None else queryset

    async def next_batch(
        self, after: int, size: int, conn: BaseDBAsyncClient
    ) -> tuple[list[int], int | None]:
        """The ids of the next contacts after `after` in id order (at most `size`), and
        where the batch ends (None: nothing is left)."""
        if self.ids is not None:
            wanted = [pk for pk in self.ids if pk > after][:size]
            if not wanted:
                return [], None
            found = await Contact.filter(id__in=wanted).using_db(conn).values_list("id", flat=True)
            return sorted(found), wanted[-1]  # type: ignore[arg-type]
        found = await self.view_batch(after, size).using_db(conn).values_list("id", flat=True)
        ids: list[int] = list(found)  # type: ignore[arg-type]
        return ids, (ids[-1] if ids else None)


@dataclass
class BulkRequest:
    """An operation as asked: the action, its selection and what it sets or names."""

    action: BulkAction
    selection: Selection
    params: ActionParams = field(default_factory=ActionParams)
    confirm_count: int | None = None


@dataclass(frozen=True)
class Preview:
    matching: int
    will_change: int
    skipped: dict[str, int]


def check_selection(
    ids: Sized | None, view: bool, except_ids: Sized | None, errors: ErrorCollector
) -> None:
    """Exactly one of ids or a view; at most MAX_SELECTED_IDS ids given (either kind)."""
    if view == (ids is not None):
        errors.add(
            ("selection",),
            "Give either contactIds or view: true (the whole list view)",
            ErrorCode.INVALID,
        )
    for name, given in (("contactIds", ids), ("exceptIds", except_ids)):
        if given is not None and len(given) > MAX_SELECTED_IDS:
            errors.add(
                ("selection", name),
                f"Give at most {MAX_SELECTED_IDS:,} ids; select the whole view instead",
                ErrorCode.TOO_MANY,
            )


async def checked_params(action: BulkAction, given: ActionParams) -> dict[str, Any]:
    """What the action sets or names, checked, as stored on the operation (with the names
    its description shows); an `InputError` names the field at fault."""
    errors = ErrorCollector()
    params: dict[str, Any] = {}
    if action in (BulkAction.ADD_TO_GROUP, BulkAction.REMOVE_FROM_GROUP):
        group = await _required(Group, given.group_id, "groupId", "group", errors)
        if group is not None:
            params = {"group_id": group.id, "group": group.name}
    elif action == BulkAction.ADD_PRODUCT:
        product = await _required(Product, given.product_id, "productId", "product", errors)
        if product is not None and product.archived:
            errors.add(("productId",), "An archived product cannot be chosen", ErrorCode.INVALID)
        elif product is not None:
            params = {"product_id": product.id, "product": product.name}
    elif action == BulkAction.SET_TYPE:
        _require(given.type, "type", errors)
        params = {"type": given.type.value if given.type else None}
    elif action == BulkAction.SET_STATUS:
        _require(given.status, "status", errors)
        params = {"status": given.status.value if given.status else None}
    elif action == BulkAction.SET_COMPANY:
        params = await _company_params(given.company_id, errors)
    elif action == BulkAction.SET_OWNER:
        await check_owner(given.owner_id, errors)
        owner = await StaffUser.get_or_none(id=given.owner_id) if given.owner_id else None
        params = {"owner_id": given.owner_id, "owner": owner_label(owner)}
    errors.raise_if_any()
    return params


def _require(value: object, name: str, errors: ErrorCollector) -> None:
    if value is None:
        errors.add((name,), f"Choose the {name} to set", ErrorCode.REQUIRED)


async def _required(
    model: Any, pk: int | None, name: str, label: str, errors: ErrorCollector
) -> Any:
    if pk is None:
        errors.add((name,), f"Choose the {label}", ErrorCode.REQUIRED)
        return None
    row = await model.get_or_none(id=pk)
    if row is None:
        errors.add((name,), f"No {label} has this id", ErrorCode.NOT_FOUND)
    return row


async def _company_params(company_id: int | None, errors: ErrorCollector) -> dict[str, Any]:
    if company_id is None:
        return {"company_id": None, "company": ""}
    company = await Company.get_or_none(id=company_id)
    if company is None:
        errors.add(("companyId",), "No company has this id", ErrorCode.NOT_FOUND)
        return {}
    return {"company_id": company.id, "company": company.name}


async def preview(request: BulkRequest) -> Preview:
    """How many contacts match, how many the action would change, and why the others would
    be left as they are: a COUNT for the selection and one per reason."""
    params = await checked_params(request.action, request.params)
    contacts = request.selection.contacts()
    matching = await contacts.count()
    skipped: dict[str, int] = {}
    rest = contacts
    for rule in ACTIONS[request.action].skip_rules(params):
        # A contact is counted under the first reason that holds for it, as the run does.
        counted = await rest.filter(rule.condition).count()
        if counted:
            skipped[rule.reason] = counted
        rest = rest.exclude(rule.condition)
    return Preview(matching, matching - sum(skipped.values()), skipped)


async def start_operation(request: BulkRequest, created_by: StaffUser | None) -> BulkOperation:
    """Queue the operation for the runner, counting what matches now; DELETE is refused
    unless `confirm_count` is that number (the typed confirmation)."""
    params = await checked_params(request.action, request.params)
    selection = request.selection
    top = await Contact.all().order_by("-id").first().values_list("id", flat=True)
    selection.up_to_id = int(top or 0)  # type: ignore[call-overload]
    total = await selection.contacts().count()
    if request.action == BulkAction.DELETE and request.confirm_count != total:
        raise InputError.single(
            ("confirmCount",),
            f"{total:,} contacts match now: type {total} to delete them",
            ErrorCode.INVALID,
        )
    operation = await BulkOperation.create(
        action=request.action,
        params=params,
        selection=selection.to_json(),
        total=total,
        created_by=created_by,
    )
    wake(KIND)
    return operation


async def get_operation(operation_id: int, field: str = "id") -> BulkOperation:
    operation = await BulkOperation.get_or_none(id=operation_id)
    if operation is None:
        raise InputError.single((field,), "No bulk operation has this id", ErrorCode.NOT_FOUND)
    return operation


async def cancel_operation(operation_id: int) -> BulkOperation:
    """Stop a queued or running operation after the batch in hand: what was done stays."""
    operation = await get_operation(operation_id)
    # Conditional on the state: an operation that finished meanwhile stays as it ended.
    cancelled = await BulkOperation.filter(id=operation.id, state__in=ACTIVE_STATES).update(
        state=BulkState.CANCELLED, finished_at=now(), lease_until=None
    )
    if not cancelled and operation.state != BulkState.CANCELLED:
        raise InputError.single(
            ("id",), f"This operation is {operation.state.value.lower()}", ErrorCode.NOT_ALLOWED
        )
    return await get_operation(operation.id)


def describe(operation: BulkOperation) -> str:
    """What the operation does, as a person reads it: "Set status to Contacted"."""
    params = operation.params or {}
    match operation.action:
        case BulkAction.ADD_TO_GROUP:
            return f"Add to group {params.get('group', '')}"
        case BulkAction.REMOVE_FROM_GROUP:
            return f"Remove from group {params.get('group', '')}"
        case BulkAction.SET_TYPE:
            return f"Set type to {choice_label(ContactType(params['type']))}"
        case BulkAction.SET_STATUS:
            return f"Set status to {choice_label(ContactStatus(params['status']))}"
        case BulkAction.SET_OWNER:
            return f"Set owner to {params['owner']}" if params.get("owner") else "Remove owner"
        case BulkAction.SET_COMPANY:
            company = params.get("company")
            return f"Move to company {company}" if company else "Remove from company"
        case BulkAction.ADD_PRODUCT:
            return f"Add product {params.get('product', '')}"
        case BulkAction.INVITE:
            return "Invite to the portal"
        case BulkAction.ARCHIVE:
            return "Archive"
        case BulkAction.RESTORE:
            return "Restore"
        case BulkAction.DELETE:
            return "Delete"
