"""The contacts to export, read in keyset pages with their companies, phones, groups, products.

`export_pages` yields the contacts of a list view (filter + search + sort) or of an explicit
selection, one keyset page at a time, each page with its companies, phones and groups loaded
in one query apiece, so memory stays bounded by one page whatever the row count.

A million rows must stream in seconds, so nothing per row goes through the ORM: the queries
are built by tortoise (the list's own filter, search and order) but their rows come back as
the driver gives them (tuples of str/int/bool, and datetimes as text on SQLite).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from tortoise.expressions import Q
from tortoise.queryset import QuerySet, ValuesListQuery

from crm.companies.models import Company
from crm.contacts.filters import ContactFilterSpec, ContactSortField, filtered_contacts, sort_keys
from crm.contacts.models import Contact, PhoneNumber
from crm.core.pagination import SortKey
from crm.groups.models import Group, GroupMembership
from crm.products.models import CompanyProduct, ContactProduct, Product
from crm.staff.models import StaffUser

# Rows per keyset page, read with 4 queries (contacts, companies, phones, groups): large
# enough that the per-query cost is small per row, small enough for a quick first byte.
PAGE_SIZE = 2000
# A selection travels in the URL; past this, export a group or a filter instead.
MAX_SELECTED_IDS = 5000

# The contact columns read, in this order (`ContactValues`); a sort key not among them
# (sort_name) is read after them.
CONTACT_FIELDS = (
    "id",
    "title",
    "first_name",
    "last_name",
    "email",
    "type",
    "status",
    "job_title",
    "company_id",
    "is_primary_contact",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "email_opt_in",
    "sms_opt_in",
    "phone_opt_in",
    "post_opt_in",
    "portal_status",
    "archived_at",
    "created_at",
    "updated_at",
    "last_contacted_at",
    "owner_id",
)
# A row of CONTACT_FIELDS as the database driver returns it: enums as their text, booleans
# as bool (PostgreSQL) or 0/1 (SQLite), datetimes as datetime (PostgreSQL) or as the text
# tortoise stored (SQLite).
ContactValues = Sequence[Any]
_ID = CONTACT_FIELDS.index("id")
_COMPANY_ID = CONTACT_FIELDS.index("company_id")
_OWNER_ID = CONTACT_FIELDS.index("owner_id")


class ExportPhone(NamedTuple):
    type: str  # a PhoneType value
    e164: str
    is_primary: bool


class ExportRecord(NamedTuple):
    values: ContactValues
    company: str | None
    phones: list[ExportPhone]
    groups: list[str]
    products: list[str]
    owner: str | None = None  # the owner's email


@dataclass
class ExportRequest:
    """What to export: a list view, or (when `ids` is given) exactly those contacts.

    A selection ignores the filter and search (the user picked the rows) but keeps the sort.
    """

    spec: ContactFilterSpec | None = None
    search: str | None = None
    keys: list[SortKey] = field(default_factory=lambda: sort_keys(ContactSortField.NAME, False))
    ids: list[int] | None = None
    page_size: int = PAGE_SIZE


async def _driver_rows(query: ValuesListQuery[Any]) -> list[Sequence[Any]]:
    """The rows of a values_list query as the driver returns them, skipping tortoise's
    per-value conversion (enum objects, parsed datetimes): the writers need neither.

    Uses the query's internals (pinned tortoise-orm 1.1.9); the export tests cover both
    databases.
    """
    query._choose_db_if_not_chosen()
    query._make_query()
    _, rows = await query._db.execute_query(*query.query.get_parameterized_sql())
    return rows


async def export_pages(request: ExportRequest) -> AsyncIterator[list[ExportRecord]]:
    """The matching contacts, page by page in the list's order (keyset, stable under writes).

    The order is `crm.core.pagination.paginate`'s over the same queryset and keys, rows
    without a value in a nullable key last; every page but the last has `page_size` rows.
    """
    if request.ids is not None:
        if not request.ids:
            return
        queryset = Contact.filter(id__in=request.ids)
    else:
        queryset = filtered_contacts(request.spec, request.search)
    async for rows in keyset_pages(queryset, request.keys, CONTACT_FIELDS, request.page_size):
        yield await _with_relations(rows)


async def keyset_pages(
    queryset: QuerySet[Any], keys: list[SortKey], fields: Sequence[str], size: int
) -> AsyncIterator[list[Sequence[Any]]]:
    """The `fields` (then the sort columns) of `queryset`'s rows, `size` at a time in the
    order of `keys` then id (keyset, stable under writes)."""
    id_descending = keys[-1].descending if keys else False
    columns = [*fields, *(k.field for k in keys if k.field not in fields)]
    pending: list[Sequence[Any]] = []
    for run, run_keys in _runs(queryset, keys):
        async for rows in _keyset_rows(run, run_keys, id_descending, columns, size):
            pending += rows
            if len(pending) >= size:
                yield pending[:size]
                del pending[:size]
    if pending:
        yield pending


def _runs(
    queryset: QuerySet[Any], keys: list[SortKey]
) -> list[tuple[QuerySet[Any], list[SortKey]]]:
    """The list order as runs of plain column order, which the list's indexes serve as they
    are: for a nullable first key, the rows with a value, then (in either direction) the rows
    without one. `paginate` sorts by a computed null flag instead; fine for a page of 50,
    but it makes the database sort every remaining row for every page of an export."""
    if any(key.nullable for key in keys[1:]):
        raise ValueError("only the first sort key may be nullable")
    if not keys or not keys[0].nullable:
        return [(queryset, keys)]
    first = keys[0]
    return [
        (queryset.filter(**{f"{first.field}__isnull": False}), [replace(first, nullable=False)]),
        (queryset.filter(**{f"{first.field}__isnull": True}), []),
    ]


async def _keyset_rows(
    queryset: QuerySet[Any],
    keys: list[SortKey],
    id_descending: bool,
    columns: list[str],
    size: int,
) -> AsyncIterator[list[ContactValues]]:
    """The rows of `queryset` in `keys` order then id, `size` at a time (keys never null)."""
    ordering = [("-" if k.descending else "") + k.field for k in keys]
    ordering.append("-id" if id_descending else "id")
    key_fields = [queryset.model._meta.fields_map[k.field] for k in keys]
    key_positions = [columns.index(k.field) for k in keys]
    id_position = columns.index("id")
    after: list[Any] | None = None
    while True:
        page = queryset
        if after is not None:
            page = page.filter(_after(keys, id_descending, after))
        rows = await _driver_rows(page.order_by(*ordering).limit(size + 1).values_list(*columns))
        has_next = len(rows) > size
        del rows[size:]
        if rows:
            yield rows
        if not has_next:
            return
        last = rows[-1]
        # The cursor values as the ORM holds them (a datetime, not SQLite's text).
        after = [
            key_field.to_python_value(last[position])
            for key_field, position in zip(key_fields, key_positions, strict=True)
        ]
        after.append(last[id_position])


def _after(keys: list[SortKey], id_descending: bool, values: list[Any]) -> Q:
    """Rows after `values` (each key's value, then the id) in the order of the keys then id.

    The keyset condition of `paginate` (k1 > v1 OR (k1 = v1 AND k2 > v2) ...), and the same
    bound on the first column alone: the OR cannot start an index scan, the bound can, so
    each page seeks to where the last one ended instead of scanning from the list's start.
    """
    order = [*((k.field, k.descending) for k in keys), ("id", id_descending)]
    branches: list[Q] = []
    equal: dict[str, Any] = {}
    for (name, descending), value in zip(order, values, strict=True):
        branches.append(Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value}))
        equal[name] = value
    (name, descending), value = order[0], values[0]
    bound = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
    return bound & Q(*branches, join_type=Q.OR)


def ids_condition(column: str, ids: Iterable[int], postgres: bool) -> tuple[str, list[Any]]:
    """`column` among `ids`, with the values to bind. SQLite: the ids inlined as integer
    literals (a page has thousands; binding a parameter apiece costs more than the query).
    PostgreSQL: one array parameter; its prepared statement's generic plan looks the ids up in
    the index, where an IN list of thousands makes it scan the whole table for every page."""
    if postgres:
        return f"{column} = ANY($1::int[])", [list(ids)]
    return f"{column} IN ({','.join(map(str, map(int, ids)))})", []


async def _with_relations(rows: list[ContactValues]) -> list[ExportRecord]:
    db = Contact._meta.db
    postgres = db.capabilities.dialect == "postgres"
    in_page, page_ids = ids_condition('"contact_id"', [row[_ID] for row in rows], postgres)
    companies: dict[int, str] = {}
    company_ids = {row[_COMPANY_ID] for row in rows if row[_COMPANY_ID] is not None}
    if company_ids:
        condition, values = ids_condition('"id"', company_ids, postgres)
        _, found = await db.execute_query(
            f'SELECT "id", "name" FROM "{Company._meta.db_table}" WHERE {condition}', values
        )
        companies = dict(found)
    phones: dict[int, list[ExportPhone]] = {}
    _, found = await db.execute_query(
        f'SELECT "contact_id", "type", "e164", "is_primary" FROM "{PhoneNumber._meta.db_table}"'
        f' WHERE {in_page} ORDER BY "contact_id", "position", "id"',
        page_ids,
    )
    for contact_id, kind, e164, primary in found:
        phones.setdefault(contact_id, []).append(ExportPhone(kind, e164, bool(primary)))
    groups: dict[int, list[str]] = {}
    _, found = await db.execute_query(
        f'SELECT m."contact_id", g."name" FROM "{GroupMembership._meta.db_table}" m'
        f' JOIN "{Group._meta.db_table}" g ON g."id" = m."group_id" WHERE m.{in_page}',
        page_ids,
    )
    for contact_id, name in found:
        groups.setdefault(contact_id, []).append(name)
    for names in groups.values():
        names.sort(key=str.casefold)
    products = await product_names(ContactProduct, "contact_id", in_page, page_ids)
    owners = await owner_emails({row[_OWNER_ID] for row in rows} - {None}, postgres)
    no_phones: list[ExportPhone] = []
    no_groups: list[str] = []
    return [
        ExportRecord(
            row,
            companies.get(row[_COMPANY_ID]) if row[_COMPANY_ID] is not None else None,
            phones.get(row[_ID], no_phones),
            groups.get(row[_ID], no_groups),
            products.get(row[_ID], no_groups),
            owners.get(row[_OWNER_ID]),
        )
        for row in rows
    ]


async def owner_emails(staff_ids: set[int], postgres: bool) -> dict[int, str]:
    """The email of each of these staff users (a page's owners): the Owner column holds
    what an import's Owner column reads back."""
    if not staff_ids:
        return {}
    condition, values = ids_condition('"id"', staff_ids, postgres)
    _, found = await StaffUser._meta.db.execute_query(
        f'SELECT "id", "email" FROM "{StaffUser._meta.db_table}" WHERE {condition}', values
    )
    return dict(found)


async def product_names(
    link: type[ContactProduct | CompanyProduct], owner: str, in_page: str, page_ids: list[Any]
) -> dict[int, list[str]]:
    """The names of the products each row of the page uses (`in_page` an `ids_condition` on
    the link table's `owner` column), in alphabetical order."""
    products: dict[int, list[str]] = {}
    _, found = await link._meta.db.execute_query(
        f'SELECT l."{owner}", p."name" FROM "{link._meta.db_table}" l'
        f' JOIN "{Product._meta.db_table}" p ON p."id" = l."product_id" WHERE l.{in_page}',
        page_ids,
    )
    for owner_id, name in found:
        products.setdefault(owner_id, []).append(name)
    for names in products.values():
        names.sort(key=str.casefold)
    return products
