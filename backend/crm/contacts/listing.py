"""Contact lists in the API: a `ContactFilter` as the services' spec, an order as sort keys,
and a page of contacts with the relations the query asks for fetched per page.

Used by every field that lists contacts (`contacts`, `Company.contacts`, `Group.members`,
`Segment.contacts`) and by the export, which takes the same filter.
"""

from __future__ import annotations

from crm.contacts.filters import (
    ContactFilterSpec,
    ContactSortField,
    filtered_contacts,
    listed_contacts,
    sort_keys,
)
from crm.contacts.types import ContactFilter, ContactNode, ContactOrder, preload
from crm.core.pagination import PageRequest, SortKey, paginate
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
    """A page of contacts; the relations its nodes ask for come for the whole page at once
    (the companies in the page's own query)."""
    wanted = selected_fields(info, "edges", "node")
    queryset = await listed_contacts(spec, search)
    join_company = "company" in wanted
    if join_company:
        queryset = queryset.select_related("company")
    page = await paginate(queryset, keys, request)
    extras = await preload(page.items, wanted, info.context.loaders, company_joined=join_company)
    nodes = [
        ContactNode.from_model(row, extra) for row, extra in zip(page.items, extras, strict=True)
    ]
    return Connection.of(page, nodes, filtered_contacts(spec, search).count)
