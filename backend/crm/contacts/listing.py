"""Contact lists in the API: a `ContactFilter` as the services' spec, an order as sort keys,
and a page of contacts with the relations the query asks for fetched per page.

Used by every field that lists contacts (`contacts`, `Company.contacts`, `Group.members`,
`Segment.contacts`) and by the export, which takes the same filter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from tortoise import connections
from tortoise.queryset import QuerySet

from crm.companies.models import Company
from crm.contacts.filters import (
    ContactFilterSpec,
    ContactSortField,
    filtered_contacts,
    listed_contacts,
    sort_keys,
)
from crm.contacts.loaders import PhoneRow
from crm.contacts.models import Contact, PhoneType
from crm.contacts.types import (
    CONTACT_COLUMNS,
    ContactFilter,
    ContactNode,
    ContactOrder,
    ContactRow,
    Preloaded,
    preload,
)
from crm.core.pagination import Page, PageRequest, SortKey, paginate
from crm.core.rows import Row, columns_for
from crm.db import dialect
from crm.graphql.connection import Connection
from crm.graphql.context import Info
from crm.graphql.relay import SortDirection, optional_pk, selected_fields


def filter_spec(given: ContactFilter | None) -> ContactFilterSpec:
    if given is None:
        return ContactFilterSpec()
    consent = given.consent
    created = given.created_at
    contacted = given.last_contacted_at
    return ContactFilterSpec(
        types=given.type,
        statuses=given.status,
        company_id=optional_pk(given.company_id, "Company"),
        group_id=optional_pk(given.group_id, "Group"),
        product_id=optional_pk(given.product_id, "Product"),
        portal_statuses=given.portal_status,
        archived=given.archived,
        country=given.country,
        city=given.city,
        industry=given.industry,
        has_email=given.has_email,
        consent={channel: wanted for channel, wanted in vars(consent).items() if wanted is not None}
        if consent is not None
        else {},
        created_from=created.from_ if created else None,
        created_to=created.to if created else None,
        last_contacted_from=contacted.from_ if contacted else None,
        last_contacted_to=contacted.to if contacted else None,
        owner_id=optional_pk(given.owner_id, "StaffUser"),
        has_owner=given.has_owner,
    )


def order_keys(order: ContactOrder | None) -> list[SortKey]:
    order = order or ContactOrder()
    return sort_keys(ContactSortField(order.field), order.direction == SortDirection.DESC)


Scope = Callable[[Any, ContactFilterSpec], None]


def contact_list_field(
    *,
    description: str | None = None,
    scope: Scope | None = None,
    default_order: list[SortKey] | None = None,
    permission_classes: list[type[BasePermission]] | None = None,
) -> Any:
    """A field listing contacts with the contact filter, search, order and paging
    (`Query.contacts`, `Company.contacts`, `Group.members`). `scope(parent, spec)` narrows
    the filter to the parent object; `default_order` applies when no `orderBy` is given."""

    async def contacts(
        root: Any,
        info: Info,
        filter: ContactFilter | None = None,
        search: str | None = None,
        order_by: ContactOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ContactNode]:
        spec = filter_spec(filter)
        if scope is not None:
            scope(root, spec)
        keys = order_keys(order_by)
        if order_by is None and default_order is not None:
            keys = default_order
        page = PageRequest(first, after, last, before)
        return await contact_connection(spec, search, keys, page, info)

    return strawberry.field(
        resolver=contacts, description=description, permission_classes=permission_classes or []
    )


async def contact_connection(
    spec: ContactFilterSpec,
    search: str | None,
    keys: list[SortKey],
    request: PageRequest,
    info: Info,
) -> Connection[ContactNode]:
    """A page of contacts and the relations its selection asks for. A selection this code
    knows (`PagePlan`) reads plain values of only the columns needed, the companies joined,
    then the page's phones and groups in one more statement; otherwise whole rows, and the
    relations one batch each."""
    wanted = selected_fields(info, "edges", "node")
    listed = await listed_contacts(spec, search)
    queryset = listed.contacts
    plan = PagePlan.of(wanted, info)
    if plan is None:
        page, companies = await _models_page(queryset, keys, request, wanted)
        extras = await preload(page.items, wanted, info.context.loaders, companies=companies)
    else:
        page, extras = await _plain_page(queryset, keys, request, plan, wanted, info)
    nodes = [
        ContactNode.from_model(row, extra) for row, extra in zip(page.items, extras, strict=True)
    ]
    if listed.estimated_count is not None:
        estimate = listed.estimated_count

        async def count() -> int:
            return estimate

        return Connection.of(page, nodes, count, count_is_estimate=True)
    return Connection.of(page, nodes, filtered_contacts(spec, search).count)


# Group fields a list can read from the page's own query (text columns only: no datetimes
# to convert); a selection of others reads the groups through their loader.
_GROUP_FIELDS = ("id", "name", "description", "colour")
_PHONE_FIELDS = ("id", "type", "e164", "national", "international", "country", "is_primary")


@dataclass(frozen=True)
class PagePlan:
    """What the page's one query reads: contact columns, company columns (None: no company
    asked for), and whether phones and groups come with it."""

    columns: list[str]
    company_columns: list[str] | None
    phones: bool
    groups: bool

    @classmethod
    def of(cls, wanted: set[str], info: Info) -> PagePlan | None:
        from crm.companies.types import COMPANY_COLUMNS

        columns = columns_for(wanted, CONTACT_COLUMNS)
        if columns is None:
            return None
        company_columns = None
        if "company" in wanted:
            company_fields = selected_fields(info, "edges", "node", "company")
            company_columns = columns_for(company_fields, COMPANY_COLUMNS)
            if company_columns is None:
                return None
        groups = "groups" in wanted and selected_fields(info, "edges", "node", "groups") <= {
            "__typename",
            *_GROUP_FIELDS,
        }
        return cls(columns, company_columns, "phones" in wanted, groups)


def _relations_sql(plan: PagePlan, postgres: bool) -> str:
    """One statement for the page's phones and groups: a JSON array of each per contact id.

    Its own statement, not subqueries in the page's: SQLite computes those for every matching
    row before sorting a search's matches, not for the page alone. The ids come as one
    parameter (an array; SQLite a JSON text), so the text is the same for every page."""
    columns = ["c.id"]
    if plan.phones:
        values = ", ".join(f"p.{column}" for column in _PHONE_FIELDS)
        columns.append(
            f"(SELECT coalesce(json_agg(json_build_array({values}) ORDER BY p.position), '[]') "
            "FROM phone_number p WHERE p.contact_id = c.id)"
            if postgres
            else f"(SELECT json_group_array(json_array({values})) FROM (SELECT * FROM "
            "phone_number WHERE contact_id = c.id ORDER BY position) p)"
        )
    if plan.groups:
        values = ", ".join(f"g.{column}" for column in _GROUP_FIELDS)
        join = (
            "FROM group_membership gm JOIN contact_group g ON g.id = gm.group_id "
            "WHERE gm.contact_id = c.id"
        )
        columns.append(
            f"(SELECT coalesce(json_agg(json_build_array({values}) ORDER BY g.name_key), '[]') "
            f"{join})"
            if postgres
            else f"(SELECT json_group_array(json_array({values})) FROM (SELECT g.* {join} "
            "ORDER BY g.name_key) g)"
        )
    ids = "c.id = ANY($1::int[])" if postgres else "c.id IN (SELECT value FROM json_each(?))"
    return f"SELECT {', '.join(columns)} FROM contact c WHERE {ids}"


async def _relations(plan: PagePlan, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Each contact's phones and groups arrays (in that order, those the plan reads)."""
    if not ids:
        return {}
    postgres = dialect() == "postgres"
    _, rows = await connections.get("default").execute_query(
        _relations_sql(plan, postgres), [ids if postgres else json.dumps(ids)]
    )
    return {row[0]: tuple(row)[1:] for row in rows}


async def _plain_page(
    queryset: QuerySet[Contact],
    keys: list[SortKey],
    request: PageRequest,
    plan: PagePlan,
    wanted: set[str],
    info: Info,
) -> tuple[Page[ContactRow], list[Preloaded]]:
    joined = [f"company__{column}" for column in plan.company_columns or ()]
    page = await paginate(queryset, keys, request, columns=[*plan.columns, *joined])
    page.items = [ContactRow(row.values) for row in page.items]
    companies = None
    if plan.company_columns is not None:
        companies = [
            Row({column: row.values[f"company__{column}"] for column in plan.company_columns})
            if row.company_id is not None
            else None
            for row in page.items
        ]
    phones = groups = None
    if plan.phones or plan.groups:
        arrays = await _relations(plan, [row.id for row in page.items])
        columns = iter(range(2))
        if plan.phones:
            at = next(columns)
            phones = [_phone_rows(row.id, arrays[row.id][at]) for row in page.items]
        if plan.groups:
            at = next(columns)
            groups = [_group_rows(arrays[row.id][at]) for row in page.items]
    extras = await preload(
        page.items,
        wanted,
        info.context.loaders,
        companies=companies,
        phones=phones,
        groups=groups,
    )
    return page, extras


def _group_rows(array: str | list[list[Any]]) -> list[Row]:
    return [Row(dict(zip(_GROUP_FIELDS, values, strict=True))) for values in _array(array)]


def _array(value: str | list[list[Any]]) -> list[list[Any]]:
    """A JSON array as the database driver hands it: text (SQLite, asyncpg's json)."""
    return json.loads(value) if isinstance(value, str) else value


def _phone_rows(contact_id: int, array: str | list[list[Any]]) -> list[PhoneRow]:
    return [
        PhoneRow(
            id, contact_id, PhoneType(type), e164, national, international, country, bool(primary)
        )
        for id, type, e164, national, international, country, primary in _array(array)
    ]


async def _models_page(
    queryset: QuerySet[Contact], keys: list[SortKey], request: PageRequest, wanted: set[str]
) -> tuple[Page[Contact], Companies]:
    if "company" not in wanted:
        return await paginate(queryset, keys, request), None
    page = await paginate(queryset.select_related("company"), keys, request)
    return page, [row.company if row.company_id else None for row in page.items]


Companies = list[Row | Company | None] | None
