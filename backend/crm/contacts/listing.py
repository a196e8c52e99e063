"""Contact lists in the API: a `ContactFilter` as the services' spec, an order as sort keys,
and a page of contacts with the relations the query asks for fetched per page.

Used by every field that lists contacts (`contacts`, `Company.contacts`, `Group.members`,
`Segment.contacts`) and by the export, which takes the same filter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import RawSQL
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
    )


def order_keys(order: ContactOrder | None) -> list[SortKey]:
    order = order or ContactOrder()
    return sort_keys(ContactSortField(order.field), order.direction == SortDirection.DESC)


async def contact_connection(
    spec: ContactFilterSpec,
    search: str | None,
    keys: list[SortKey],
    request: PageRequest,
    info: Info,
) -> Connection[ContactNode]:
    """A page of contacts and the relations its selection asks for, in one query when the
    selection is one this code knows (`PagePlan`): plain values of only the columns needed,
    the companies joined, phones and groups as JSON arrays per row. Otherwise whole rows,
    and the relations one batch each."""
    wanted = selected_fields(info, "edges", "node")
    queryset = await listed_contacts(spec, search)
    plan = PagePlan.of(wanted, info)
    if plan is None:
        page, companies = await _models_page(queryset, keys, request, wanted)
        extras = await preload(page.items, wanted, info.context.loaders, companies=companies)
    else:
        page, extras = await _plain_page(queryset, keys, request, plan, wanted, info)
    nodes = [
        ContactNode.from_model(row, extra) for row, extra in zip(page.items, extras, strict=True)
    ]
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


def _relation_arrays(plan: PagePlan) -> dict[str, RawSQL]:
    """Each row's phones and groups as one JSON array each, in the page's own query."""
    arrays = {}
    postgres = dialect() == "postgres"
    if plan.phones:
        values = ", ".join(f"p.{column}" for column in _PHONE_FIELDS)
        arrays["phones_json"] = RawSQL(
            f"(SELECT coalesce(json_agg(json_build_array({values}) ORDER BY p.position), "
            '\'[]\') FROM phone_number p WHERE p.contact_id = "contact"."id")'
            if postgres
            else f"(SELECT json_group_array(json_array({values})) FROM (SELECT * FROM "
            'phone_number WHERE contact_id = "contact"."id" ORDER BY position) p)'
        )
    if plan.groups:
        values = ", ".join(f"g.{column}" for column in _GROUP_FIELDS)
        join = (
            "FROM group_membership gm JOIN contact_group g ON g.id = gm.group_id "
            'WHERE gm.contact_id = "contact"."id"'
        )
        arrays["groups_json"] = RawSQL(
            f"(SELECT coalesce(json_agg(json_build_array({values}) ORDER BY g.name_key), '[]') "
            f"{join})"
            if postgres
            else f"(SELECT json_group_array(json_array({values})) FROM (SELECT g.* {join} "
            "ORDER BY g.name_key) g)"
        )
    return arrays


async def _plain_page(
    queryset: QuerySet[Contact],
    keys: list[SortKey],
    request: PageRequest,
    plan: PagePlan,
    wanted: set[str],
    info: Info,
) -> tuple[Page[ContactRow], list[Preloaded]]:
    joined = [f"company__{column}" for column in plan.company_columns or ()]
    arrays = _relation_arrays(plan)
    page = await paginate(
        queryset.annotate(**arrays), keys, request, columns=[*plan.columns, *joined, *arrays]
    )
    page.items = [ContactRow(row.values) for row in page.items]
    companies = None
    if plan.company_columns is not None:
        companies = [
            Row({column: row.values[f"company__{column}"] for column in plan.company_columns})
            if row.company_id is not None
            else None
            for row in page.items
        ]
    phones = [_phone_rows(row) for row in page.items] if plan.phones else None
    groups = [_group_rows(row) for row in page.items] if plan.groups else None
    extras = await preload(
        page.items,
        wanted,
        info.context.loaders,
        companies=companies,
        phones=phones,
        groups=groups,
    )
    return page, extras


def _group_rows(row: ContactRow) -> list[Row]:
    return [
        Row(dict(zip(_GROUP_FIELDS, values, strict=True))) for values in _array(row.groups_json)
    ]


def _array(value: str | list[list[Any]]) -> list[list[Any]]:
    """A JSON array as the database driver hands it: text (SQLite, asyncpg's json)."""
    return json.loads(value) if isinstance(value, str) else value


def _phone_rows(row: ContactRow) -> list[PhoneRow]:
    return [
        PhoneRow(id, row.id, PhoneType(type), e164, national, international, country, bool(primary))
        for id, type, e164, national, international, country, primary in _array(row.phones_json)
    ]


async def _models_page(
    queryset: QuerySet[Contact], keys: list[SortKey], request: PageRequest, wanted: set[str]
) -> tuple[Page[Contact], Companies]:
    if "company" not in wanted:
        return await paginate(queryset, keys, request), None
    page = await paginate(queryset.select_related("company"), keys, request)
    return page, [row.company if row.company_id else None for row in page.items]


Companies = list[Row | Company | None] | None
