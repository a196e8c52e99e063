"""The rules for segments: a named, saved contact filter and search, evaluated when asked."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from crm.companies.models import Company
from crm.contacts.filters import ContactFilterSpec
from crm.contacts.models import ContactStatus, ContactType, PortalStatus
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import MAX_SEARCH_LENGTH, clean, fold
from crm.core.unique import save_named
from crm.core.validation import text_field
from crm.groups.models import Group
from crm.products.models import Product
from crm.segments.models import Segment
from crm.staff.models import StaffUser

_ENUM_LISTS = {"types": ContactType, "statuses": ContactStatus, "portal_statuses": PortalStatus}
_DATES = ("created_from", "created_to", "last_contacted_from", "last_contacted_to")


@dataclass
class SegmentChanges:
    name: Maybe[str | None] = UNSET
    spec: Maybe[ContactFilterSpec] = UNSET
    search: Maybe[str | None] = UNSET


def spec_to_json(spec: ContactFilterSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in fields(spec):
        value = getattr(spec, field.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif field.name in _ENUM_LISTS and value is not None:
            value = [item.value for item in value]
        data[field.name] = value
    return data


def spec_from_json(data: dict[str, Any]) -> ContactFilterSpec:
    spec = ContactFilterSpec()
    known = {field.name for field in fields(spec)}
    for name, value in data.items():
        if name not in known:
            continue
        if name in _ENUM_LISTS and value is not None:
            value = [_ENUM_LISTS[name](item) for item in value]
        elif name in _DATES and value is not None:
            value = datetime.fromisoformat(value)
        setattr(spec, name, value)
    return spec


async def warnings(spec: ContactFilterSpec) -> list[str]:
    """What no longer exists of what the filter names: the segment still loads, and says so."""
    found: list[str] = []
    if spec.company_id is not None and not await Company.exists(id=spec.company_id):
        found.append("The company this segment filters on has been deleted: it matches no one.")
    if spec.group_id is not None and not await Group.exists(id=spec.group_id):
        found.append("The group this segment filters on has been deleted: it matches no one.")
    if spec.product_id is not None and not await Product.exists(id=spec.product_id):
        found.append("The product this segment filters on has been deleted: it matches no one.")
    if spec.owner_id is not None and not await StaffUser.exists(id=spec.owner_id):
        found.append("The owner this segment filters on has been deleted: it matches no one.")
    return found


async def get_segment(segment_id: int) -> Segment:
    segment = await Segment.get_or_none(id=segment_id)
    if segment is None:
        raise InputError.single(("id",), "No segment has this id", ErrorCode.NOT_FOUND)
    return segment


async def _apply(segment: Segment, changes: SegmentChanges) -> None:
    errors = ErrorCollector()
    if is_set(changes.name):
        name = text_field(
            changes.name, ("name",), errors, label="Name", max_length=100, required=True
        )
        if name is not None:
            segment.name = name
            segment.name_key = fold(name)
    if is_set(changes.search):
        search = clean(changes.search)
        if len(search) > MAX_SEARCH_LENGTH:
            errors.add(
                ("search",),
                f"Search must be at most {MAX_SEARCH_LENGTH} characters",
                ErrorCode.INVALID,
            )
        segment.search = search or None
    if is_set(changes.spec):
        spec = changes.spec
        if spec.company_id is not None and not await Company.exists(id=spec.company_id):
            errors.add(("filter", "companyId"), "No company has this id", ErrorCode.NOT_FOUND)
        if spec.group_id is not None and not await Group.exists(id=spec.group_id):
            errors.add(("filter", "groupId"), "No group has this id", ErrorCode.NOT_FOUND)
        if spec.product_id is not None and not await Product.exists(id=spec.product_id):
            errors.add(("filter", "productId"), "No product has this id", ErrorCode.NOT_FOUND)
        if spec.owner_id is not None and not await StaffUser.exists(id=spec.owner_id):
            errors.add(("filter", "ownerId"), "No staff user has this id", ErrorCode.NOT_FOUND)
        segment.filter_json = spec_to_json(spec)
    errors.raise_if_any()


async def create_segment(changes: SegmentChanges) -> Segment:
    segment = Segment(name="", name_key="", filter_json=spec_to_json(ContactFilterSpec()))
    if not is_set(changes.name):
        changes.name = None
    await _apply(segment, changes)
    return await save_named(segment, "segment")


async def update_segment(segment_id: int, changes: SegmentChanges) -> Segment:
    segment = await get_segment(segment_id)
    await _apply(segment, changes)
    return await save_named(segment, "segment")


async def delete_segment(segment_id: int) -> int:
    segment = await get_segment(segment_id)
    await segment.delete()
    return segment_id
