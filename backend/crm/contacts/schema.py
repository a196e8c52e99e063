"""Contact queries and mutations: thin resolvers over `crm.contacts.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from crm.contacts import services
from crm.contacts.inputs import address_input, phone_inputs, preferences_input
from crm.contacts.listing import contact_list_field
from crm.contacts.models import Contact
from crm.contacts.types import (
    ContactNode,
    ContactType,
    CreateContactInput,
    UpdateContactInput,
)
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given, given_as, given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, node_field, optional_pk
from crm.products.types import product_pks

if TYPE_CHECKING:
    from crm.companies.types import CompanyNode


def _changes(given: CreateContactInput | UpdateContactInput) -> services.ContactChanges:
    return services.ContactChanges(
        **given_fields(
            given, ("title", "first_name", "last_name", "email", "type", "status", "job_title")
        ),
        # An id that names no company is reported by the service with every other problem.
        company_id=given_as(given.company_id, lambda id: optional_pk(id, "Company")),
        phones=given_as(given.phones, phone_inputs),
        address=given_as(given.address, address_input),
        preferences=given_as(given.preferences, preferences_input),
        product_ids=given_as(given.product_ids, product_pks),
        owner_id=given_as(given.owner_id, lambda id: optional_pk(id, "StaffUser")),
    )


@strawberry.type
class ContactPayload:
    contact: ContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteContactPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SetPrimaryContactPayload:
    contact: ContactNode | None = None
    company: Annotated[CompanyNode, strawberry.lazy("crm.companies.types")] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ContactIdInput:
    id: strawberry.ID


@strawberry.input
class ConvertLeadInput:
    contact_id: strawberry.ID
    type: ContactType = strawberry.field(
        default=ContactType.CLIENT, description="CLIENT (the default) or PROSPECT."
    )
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="Needed when the contact has none yet."
    )


@strawberry.input
class SetPrimaryContactInput:
    contact_id: strawberry.ID


@strawberry.type
class ContactQuery:
    contacts = contact_list_field(permission_classes=[IsStaff])

    contact = node_field(ContactNode, Contact, [IsStaff])


@strawberry.type
class ContactMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_contact(self, info: Info, input: CreateContactInput) -> ContactPayload:
        contact = await services.create_contact(
            _changes(input),
            send_invite=input.send_invite,
            invited_by=info.context.staff_user,
            actor=info.context.actor,
        )
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_contact(self, info: Info, input: UpdateContactInput) -> ContactPayload:
        contact_id = decode_id(input.id, "Contact", ("id",))
        contact = await services.update_contact(
            contact_id, _changes(input), actor=info.context.actor
        )
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def archive_contact(self, info: Info, input: ContactIdInput) -> ContactPayload:
        contact_id = decode_id(input.id, "Contact", ("id",))
        contact = await services.archive_contact(contact_id, actor=info.context.actor)
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def restore_contact(self, info: Info, input: ContactIdInput) -> ContactPayload:
        contact_id = decode_id(input.id, "Contact", ("id",))
        contact = await services.restore_contact(contact_id, actor=info.context.actor)
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_contact(self, input: ContactIdInput) -> DeleteContactPayload:
        await services.delete_contact(decode_id(input.id, "Contact", ("id",)))
        return DeleteContactPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def set_primary_contact(
        self, info: Info, input: SetPrimaryContactInput
    ) -> SetPrimaryContactPayload:
        from crm.companies.types import CompanyNode

        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        contact, company = await services.set_primary_contact(contact_id, actor=info.context.actor)
        return SetPrimaryContactPayload(
            contact=ContactNode.from_model(contact), company=CompanyNode.from_model(company)
        )

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="A lead becomes a client (or a prospect) with status CONVERTED.",
    )
    @reports_input_errors
    async def convert_lead(self, info: Info, input: ConvertLeadInput) -> ContactPayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        contact = await services.convert_lead(
            contact_id, input.type, given(input.email), actor=info.context.actor
        )
        return ContactPayload(contact=ContactNode.from_model(contact))
