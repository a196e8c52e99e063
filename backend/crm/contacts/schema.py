"""Contact queries and mutations: thin resolvers over `crm.contacts.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from crm.contacts import services
from crm.contacts.filters import (
    ContactFilterSpec,
    ContactSortField,
    filtered_contacts,
    is_common,
    single_indexed_word,
    sort_keys,
)
from crm.contacts.models import Contact, ContactStatus, ContactType
from crm.contacts.types import (
    ContactConnection,
    ContactFilter,
    ContactNode,
    ContactOrder,
    CreateContactInput,
    PhoneInput,
    UpdateContactInput,
)
from crm.core.errors import InputError
from crm.core.inputs import UNSET
from crm.core.pagination import PageRequest, SortKey, paginate
from crm.graphql.context import Info
from crm.graphql.errors import UserError, user_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import PageInfo, SortDirection, decode_id, from_global_id, selected_fields

if TYPE_CHECKING:
    from crm.companies.types import CompanyNode


def unset_value(value: object) -> object:
    """strawberry's "not given" as the services' UNSET."""
    return UNSET if value is strawberry.UNSET else value


def filter_spec(given: ContactFilter | None) -> ContactFilterSpec:
    if given is None:
        return ContactFilterSpec()
    consent = given.consent
    created = given.created_at
    contacted = given.last_contacted_at
    return ContactFilterSpec(
        types=given.type,
        statuses=given.status,
        company_id=_pk_or_none(given.company_id, "Company"),
        group_id=_pk_or_none(given.group_id, "Group"),
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


def _pk_or_none(global_id: str | None, type_name: str) -> int | None:
    """The key an id filter names; an id of another type (or garbage) matches nothing."""
    if global_id is None:
        return None
    parsed = from_global_id(global_id)
    return parsed[1] if parsed and parsed[0] == type_name else -1


def order_keys(order: ContactOrder | None) -> list[SortKey]:
    order = order or ContactOrder()
    return sort_keys(ContactSortField(order.field), order.direction == SortDirection.DESC)


async def contact_connection(
    spec: ContactFilterSpec,
    search: str | None,
    keys: list[SortKey],
    page: PageRequest,
    info: Info | None = None,
) -> ContactConnection:
    """A page of contacts. Given the resolver's `info`, the companies come in the same
    query when the nodes ask for them (the edges load the other relations per page)."""
    # A common word is walked in list order, which fills a page fast only when no other
    # filter thins the list out: with one, the index's matches are the quicker way.
    word = single_indexed_word(search)
    unfiltered = spec == ContactFilterSpec(archived=spec.archived)
    common = word is not None and unfiltered and await is_common(word)
    queryset = filtered_contacts(spec, search, common_search=common)
    join_company = info is not None and "company" in selected_fields(info, "edges", "node")
    if join_company:
        queryset = queryset.select_related("company")
    result = await paginate(queryset, keys, page)
    return ContactConnection(
        page_info=PageInfo.of(result),
        rows=result.items,
        cursors=result.cursors,
        count=filtered_contacts(spec, search).count,
        company_joined=join_company,
    )


def phone_inputs(phones: list[PhoneInput] | None) -> list[services.PhoneInput]:
    return [
        services.PhoneInput(
            number=p.number, country=p.country, type=p.type, is_primary=bool(p.is_primary)
        )
        for p in phones or []
    ]


def _changes(given: CreateContactInput | UpdateContactInput) -> services.ContactChanges:
    company_id: object = unset_value(given.company_id)
    if company_id not in (UNSET, None):
        # An id that names no company is reported by the service, along with every other problem.
        parsed = from_global_id(str(company_id))
        company_id = parsed[1] if parsed and parsed[0] == "Company" else 0
    address = unset_value(given.address)
    preferences = unset_value(given.preferences)
    return services.ContactChanges(
        title=unset_value(given.title),
        first_name=unset_value(given.first_name),
        last_name=unset_value(given.last_name),
        email=unset_value(given.email),
        type=unset_value(given.type),
        status=unset_value(given.status),
        job_title=unset_value(given.job_title),
        company_id=company_id,
        phones=UNSET if given.phones is strawberry.UNSET else phone_inputs(given.phones),
        address=(
            services.AddressInput(**vars(address)) if address not in (UNSET, None) else address
        ),
        preferences=(
            services.PreferencesInput(
                **{k: None if v is strawberry.UNSET else v for k, v in vars(preferences).items()}
            )
            if preferences not in (UNSET, None)
            else UNSET
        ),
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
class SetPrimaryContactInput:
    contact_id: strawberry.ID


@strawberry.type
class ContactQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def contacts(
        self,
        info: Info,
        filter: ContactFilter | None = None,
        search: str | None = None,
        order_by: ContactOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ContactConnection:
        return await contact_connection(
            filter_spec(filter),
            search,
            order_keys(order_by),
            PageRequest(first, after, last, before),
            info,
        )

    @strawberry.field(permission_classes=[IsStaff])
    async def contact(self, id: strawberry.ID) -> ContactNode | None:
        parsed = from_global_id(id)
        if parsed is None or parsed[0] != "Contact":
            return None
        row = await Contact.get_or_none(id=parsed[1])
        return ContactNode.from_model(row) if row else None


@strawberry.type
class ContactMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    async def create_contact(self, info: Info, input: CreateContactInput) -> ContactPayload:
        try:
            changes = _changes(input)
            if input.type is None:
                changes.type = ContactType.LEAD
            if input.status is None:
                changes.status = ContactStatus.NEW
            contact = await services.create_contact(
                changes, send_invite=input.send_invite, invited_by=info.context.staff_user
            )
        except InputError as error:
            return ContactPayload(errors=user_errors(error))
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def update_contact(self, input: UpdateContactInput) -> ContactPayload:
        try:
            contact_id = decode_id(input.id, "Contact", ("id",))
            contact = await services.update_contact(contact_id, _changes(input))
        except InputError as error:
            return ContactPayload(errors=user_errors(error))
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def archive_contact(self, input: ContactIdInput) -> ContactPayload:
        try:
            contact = await services.archive_contact(decode_id(input.id, "Contact", ("id",)))
        except InputError as error:
            return ContactPayload(errors=user_errors(error))
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def restore_contact(self, input: ContactIdInput) -> ContactPayload:
        try:
            contact = await services.restore_contact(decode_id(input.id, "Contact", ("id",)))
        except InputError as error:
            return ContactPayload(errors=user_errors(error))
        return ContactPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def delete_contact(self, input: ContactIdInput) -> DeleteContactPayload:
        try:
            await services.delete_contact(decode_id(input.id, "Contact", ("id",)))
        except InputError as error:
            return DeleteContactPayload(errors=user_errors(error))
        return DeleteContactPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def set_primary_contact(self, input: SetPrimaryContactInput) -> SetPrimaryContactPayload:
        from crm.companies.types import CompanyNode

        try:
            contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
            contact, company = await services.set_primary_contact(contact_id)
        except InputError as error:
            return SetPrimaryContactPayload(errors=user_errors(error))
        return SetPrimaryContactPayload(
            contact=ContactNode.from_model(contact), company=CompanyNode.from_model(company)
        )
