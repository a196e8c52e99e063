"""Contact lists in the API: a `ContactFilter` as the services' spec, an order as sort keys,
and a page of contacts with the relations the query asks for fetched per page.

Used by every field that lists contacts (`contacts`, `Company.contacts`, `Group.members`,
`Segment.contacts`) and by the export, which takes the same filter.
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from crm.companies.models import Company
from crm.contacts.filters import (
    ContactFilterSpec,
    ContactSortField,
    filtered_contacts,
    listed_contacts,
    sort_keys,
)
from crm.contacts.models import Contact
from crm.contacts.types import (
    CONTACT_COLUMNS,
    ContactFilter,
    ContactNode,
    ContactOrder,
    ContactRow,
    preload,
)
from crm.core.pagination import Page, PageRequest, SortKey, paginate
from crm.core.rows import Row, columns_for
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
    """A page of contacts, read as plain values of only the columns the selection needs (its
    companies' too, in the same query); the other relations it asks for come for the whole
    page at once. A selection this code does not know reads whole rows."""
    wanted = selected_fields(info, "edges", "node")
    queryset = await listed_contacts(spec, search)
    columns = _columns_to_read(wanted, info)
    if columns is None:
        page, companies = await _models_page(queryset, keys, request, wanted)
    else:
        page, companies = await _plain_page(queryset, keys, request, *columns)
    extras = await preload(page.items, wanted, info.context.loaders, companies=companies)
    nodes = [
        ContactNode.from_model(row, extra) for row, extra in zip(page.items, extras, strict=True)
    ]
    return Connection.of(page, nodes, filtered_contacts(spec, search).count)


Companies = list[Row | Company | None] | None


def _columns_to_read(wanted: set[str], info: Info) -> tuple[list[str], list[str] | None] | None:
    """The contact columns and the company columns (None: no company asked for) to read."""
    from crm.companies.types import COMPANY_COLUMNS

    columns = columns_for(wanted, CONTACT_COLUMNS)
    if "company" not in wanted:
        return (columns, None) if columns is not None else None
    company_columns = columns_for(
        selected_fields(info, "edges", "node", "company"), COMPANY_COLUMNS
    )
    if columns is None or company_columns is None:
        return None
    return columns, company_columns


async def _plain_page(
    queryset: QuerySet[Contact],
    keys: list[SortKey],
    request: PageRequest,
    columns: list[str],
    company_columns: list[str] | None,
) -> tuple[Page[ContactRow], Companies]:
    joined = [f"company__{column}" for column in company_columns or ()]
    page = await paginate(queryset, keys, request, columns=[*columns, *joined])
    page.items = [ContactRow(row.values) for row in page.items]
    if company_columns is None:
        return page, None
    companies: Companies = [
        Row({column: row.values[f"company__{column}"] for column in company_columns})
        if row.company_id is not None
        else None
        for row in page.items
    ]
    return page, companies


async def _models_page(
    queryset: QuerySet[Contact], keys: list[SortKey], request: PageRequest, wanted: set[str]
) -> tuple[Page[Contact], Companies]:
    if "company" not in wanted:
        return await paginate(queryset, keys, request), None
    page = await paginate(queryset.select_related("company"), keys, request)
    return page, [row.company if row.company_id else None for row in page.items]
