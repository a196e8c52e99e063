"""GraphQL types for companies."""

from __future__ import annotations

from datetime import datetime

import phonenumbers
import strawberry

from crm.companies import models
from crm.companies.filters import CompanySortField
from crm.contacts.listing import contact_list_field
from crm.contacts.types import ADDRESS_COLUMNS, Address, AddressInput, ContactNode
from crm.core.pagination import SortKey
from crm.core.rows import Row
from crm.graphql.context import Info
from crm.graphql.relay import Node, SortDirection, to_global_id
from crm.products.types import ProductNode
from crm.staff.owner_field import owner_field
from crm.tasks.types import company_tasks_field
from crm.timeline.types import company_scope, timeline_field

PRIMARY_FIRST = [SortKey("is_primary_contact", descending=True), SortKey("sort_name")]


@strawberry.type
class CompanyPhone:
    number: str
    national: str
    international: str
    country: str


def _phone(row: models.Company | Row) -> CompanyPhone | None:
    if not row.phone:
        return None
    parsed = phonenumbers.parse(row.phone)
    return CompanyPhone(
        number=row.phone,
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        ),
        country=row.phone_country or "",
    )


# The columns each field of `Company` reads (`crm.core.rows.columns_for`).
COMPANY_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (),
    "name": ("name",),
    "website": ("website",),
    "industry": ("industry",),
    "notes": ("notes",),
    "address": ADDRESS_COLUMNS,
    "createdAt": ("created_at",),
    "updatedAt": ("updated_at",),
    "phone": ("phone", "phone_country"),
    "primaryContact": (),
    "contactCount": (),
    "products": (),
    "contacts": (),
    "timeline": (),
    "tasks": (),
    "owner": ("owner_id",),
}


@strawberry.type(name="Company")
class CompanyNode(Node):
    id: strawberry.ID
    name: str
    website: str | None
    industry: str | None
    notes: str | None
    address: Address | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Company | Row]

    @classmethod
    def from_model(cls, row: models.Company | Row) -> CompanyNode:
        return cls(
            id=to_global_id("Company", row.id),
            name=row.name,
            website=row.website,
            industry=row.industry,
            notes=row.notes,
            address=Address.of(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field
    def phone(self) -> CompanyPhone | None:
        return _phone(self.row)

    @strawberry.field
    async def primary_contact(self, info: Info) -> ContactNode | None:
        contact = await info.context.loaders.contacts.primary_of_company.load(self.row.id)
        return ContactNode.from_model(contact) if contact is not None else None

    @strawberry.field(description="The products and services the company uses, by name.")
    async def products(self, info: Info) -> list[ProductNode]:
        rows = await info.context.loaders.products.of_company.load(self.row.id)
        return [ProductNode.from_model(row) for row in rows]

    @strawberry.field(description="Active contacts of this company.")
    async def contact_count(self, info: Info) -> int:
        return await info.context.loaders.companies.contact_count.load(self.row.id)

    timeline = timeline_field(
        company_scope,
        on_company=True,
        description="What happened to the company, and its contacts' notes, newest first.",
    )
    tasks = company_tasks_field()
    owner = owner_field()
    contacts = contact_list_field(
        description="The company's contacts; the primary contact comes first.",
        scope=lambda company, spec: setattr(spec, "company_id", company.row.id),
        default_order=PRIMARY_FIRST,
    )


CompanyOrderField = strawberry.enum(CompanySortField, name="CompanyOrderField")


@strawberry.input
class CompanyOrder:
    field: CompanyOrderField = CompanyOrderField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class CompanyFilter:
    industry: str | None = None
    country: str | None = None
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Companies that use this product."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Companies this staff user owns (pass your own id: mine)."
    )
    has_owner: bool | None = strawberry.field(
        default=None, description="false: companies nobody owns; true: companies someone owns."
    )


@strawberry.input
class CompanyAddressInput(AddressInput):
    """A company's address: the same fields as a contact's."""


@strawberry.input
class CreateCompanyInput:
    name: str | None = None
    website: str | None = None
    industry: str | None = None
    phone: str | None = None
    phone_country: str | None = None
    notes: str | None = None
    address: CompanyAddressInput | None = None
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The products and services the company uses."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="An active or invited staff user; null: nobody. Left out: whoever creates it.",
    )


@strawberry.input(description="Only the fields given change; null clears a field.")
class UpdateCompanyInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    phone_country: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    address: CompanyAddressInput | None = strawberry.UNSET
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the company's products."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="An active or invited staff user; null: nobody. A company keeps a "
        "deactivated owner until given another.",
    )
