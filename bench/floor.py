"""The framework floor of the contact list: the API's own types over a prebuilt page.

`bench/list_contacts.py` executes the list's selection against `floor_schema(...)`, whose
`contacts` field returns the first page already built (contacts with their company, groups
and phones attached): what strawberry and graphql-core cost for that answer with no HTTP, no
database and no loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from crm.companies.models import Company
from crm.companies.types import CompanyNode
from crm.contacts.loaders import PhoneRow
from crm.contacts.models import Contact, ContactStatus, ContactType, PhoneType
from crm.contacts.types import ContactNode, ContactOrder, Phone, Preloaded
from crm.core.pagination import Page
from crm.graphql.connection import Connection
from crm.groups.models import Group
from crm.groups.types import GroupNode

Query = Callable[[str], list[tuple[Any, ...]]]
_page: list[Connection[ContactNode]] = []


@strawberry.type
class FloorQuery:
    @strawberry.field
    def contacts(
        self,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        order_by: ContactOrder | None = None,
    ) -> Connection[ContactNode]:
        return _page[0]


def _phones(query: Query, ids: str) -> dict[int, list[Phone]]:
    phones: dict[int, list[Phone]] = {}
    for phone in query(
        "SELECT id, contact_id, type, e164, national, international, country, is_primary "
        f"FROM phone_number WHERE contact_id IN ({ids}) ORDER BY contact_id, position"
    ):
        row = PhoneRow(phone[0], phone[1], PhoneType(phone[2]), *phone[3:7], bool(phone[7]))
        phones.setdefault(row.contact_id, []).append(Phone.from_model(row))
    return phones


def _groups(query: Query, ids: str) -> dict[int, list[GroupNode]]:
    groups: dict[int, list[GroupNode]] = {}
    for contact_id, group_id, name in query(
        "SELECT gm.contact_id, g.id, g.name FROM group_membership gm "
        f"JOIN contact_group g ON g.id = gm.group_id WHERE gm.contact_id IN ({ids})"
    ):
        group = GroupNode.from_model(Group(id=group_id, name=name, name_key=name.lower()))
        groups.setdefault(contact_id, []).append(group)
    return groups


def floor_schema(rows: list[tuple[Any, ...]], query: Query) -> strawberry.Schema:
    """`rows`: (id, first name, last name, email, type, status, company id, company name)."""
    ids = ",".join(str(row[0]) for row in rows)
    phones, groups = _phones(query, ids), _groups(query, ids)
    nodes = []
    for row in rows:
        contact = Contact(
            id=row[0],
            first_name=row[1],
            last_name=row[2],
            email=row[3],
            type=ContactType(row[4]),
            status=ContactStatus(row[5]),
        )
        contact.company_id = row[6]
        company = CompanyNode.from_model(Company(id=row[6], name=row[7])) if row[6] else None
        extra = Preloaded(
            phones=phones.get(row[0], []),
            groups=groups.get(row[0], []),
            company=company,
            has_company=True,
        )
        nodes.append(ContactNode.from_model(contact, extra))

    async def no_count() -> int:
        return 0

    page = Page(nodes, [str(row[0]) for row in rows], True, False)
    _page[:] = [Connection.of(page, nodes, no_count)]
    return strawberry.Schema(
        query=FloorQuery,
        extensions=[lambda: ParserCache(maxsize=16), lambda: ValidationCache(maxsize=16)],
    )
