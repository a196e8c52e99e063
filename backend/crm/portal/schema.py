"""Invitation and portal queries and mutations: thin resolvers over `crm.portal.services`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from crm.auth.http import view_as_session
from crm.contacts import services as contact_services
from crm.contacts.inputs import address_input, phone_inputs, preferences_input
from crm.contacts.models import ConsentSource
from crm.contacts.types import AddressInput, ContactNode, PhoneInput, PreferencesInput, Title
from crm.core.pagination import PageRequest, SortKey
from crm.graphql.audience import Audience, visible_to
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_as, given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import (
    IsAdmin,
    IsPortalContact,
    IsStaff,
    Public,
    require_portal_contact,
    require_staff,
)
from crm.graphql.relay import decode_id, pk_of
from crm.portal import impersonation, services
from crm.portal.models import Invitation
from crm.portal.models import InvitationStatus as Status
from crm.portal.types import (
    DeliveryStatus,
    InvitationFilter,
    InvitationNode,
    PortalContact,
    PortalUser,
)
from crm.timeline.services import Actor

_NEWEST_FIRST = [SortKey("sent_at", descending=True, is_datetime=True)]
_MESSAGE_STATES = {
    DeliveryStatus.QUEUED: ["QUEUED", "SENDING"],
    DeliveryStatus.SENT: ["SENT"],
    DeliveryStatus.FAILED: ["FAILED"],
    DeliveryStatus.LOGGED: ["LOGGED"],
}


def _invitations(given: InvitationFilter | None) -> QuerySet[Invitation]:
    queryset = Invitation.all()
    if given is None:
        return queryset
    moment = datetime.now(UTC)
    if given.status:
        wanted = [Status(status.value) for status in given.status]
        conditions = []
        for status in wanted:
            if status == Status.PENDING:
                conditions.append(Q(status=Status.PENDING, expires_at__gt=moment))
            elif status == Status.EXPIRED:
                conditions.append(Q(status=Status.PENDING, expires_at__lte=moment))
            else:
                conditions.append(Q(status=status))
        queryset = queryset.filter(Q(*conditions, join_type=Q.OR))
    if given.delivery_status:
        states = [state for status in given.delivery_status for state in _MESSAGE_STATES[status]]
        queryset = queryset.filter(message__status__in=states)
    if given.contact_id is not None:
        queryset = queryset.filter(contact_id=pk_of(given.contact_id, "Contact"))
    return queryset


@strawberry.input
class InviteInput:
    contact_id: strawberry.ID


@strawberry.type
class InvitePayload:
    invitation: InvitationNode | None = None
    contact: ContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ActivatePortalAccountInput:
    token: str
    password: str


@strawberry.input
class PortalLoginInput:
    email: str
    password: str


@visible_to(Audience.ANYONE)
@strawberry.type(description="The contact is shown only to that contact, once signed in.")
class PortalContactPayload:
    contact: PortalContact | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type
class PortalLoginPayload:
    user: PortalUser | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RequestPasswordResetInput:
    email: str


@visible_to(Audience.ANYONE)
@strawberry.type
class RequestPasswordResetPayload:
    ok: bool = strawberry.field(
        description="Always true: the answer never tells whether the email is known."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ResetPasswordInput:
    token: str
    password: str


@strawberry.input(description="What a portal contact may change about themselves.")
class UpdateMyProfileInput:
    title: Title | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    phones: list[PhoneInput] | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    preferences: PreferencesInput | None = strawberry.UNSET


@strawberry.input
class ChangeMyPasswordInput:
    current_password: str
    new_password: str


@visible_to(Audience.PORTAL)
@strawberry.type
class ChangeMyPasswordPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type(description="What the activation page may know about a link before use.")
class PortalInvitationCheck:
    valid: bool
    first_name: str | None = None
    email: str | None = None
    organisation_name: str


@strawberry.input
class ImpersonatePortalUserInput:
    contact_id: strawberry.ID


@strawberry.type
class ImpersonatePortalUserPayload:
    url: str | None = strawberry.field(
        default=None,
        description="Opens the portal as the contact, read-only, in this browser: once, "
        "within a minute.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class StartImpersonationInput:
    token: str


@visible_to(Audience.ANYONE)
@strawberry.type
class StartImpersonationPayload:
    user: PortalUser | None = strawberry.field(
        default=None,
        description="The contact as the portal shows them. This tab sends the contact's id in "
        "an X-CRM-View-As header with its requests to act in the view; other tabs keep the "
        "staff session.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type
class EndImpersonationPayload:
    ok: bool = True
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PortalQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def invitations(
        self,
        filter: InvitationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[InvitationNode]:
        return await connection(
            _invitations(filter).select_related("message"),
            _NEWEST_FIRST,
            PageRequest(first, after, last, before),
            InvitationNode.from_model,
        )

    @strawberry.field(permission_classes=[Public])
    async def portal_invitation(self, info: Info, token: str) -> PortalInvitationCheck:
        invitation = await services.check_invitation(token)
        organisation = info.context.settings.organisation_name
        if invitation is None:
            return PortalInvitationCheck(valid=False, organisation_name=organisation)
        return PortalInvitationCheck(
            valid=True,
            first_name=invitation.contact.first_name or None,
            email=invitation.contact.email,
            organisation_name=organisation,
        )


InviteAction = Callable[[int, Actor], Awaitable[Invitation]]


async def _invite_payload(action: InviteAction, info: Info, input: InviteInput) -> InvitePayload:
    contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
    invitation = await action(contact_id, info.context.actor)
    invitation = (
        await Invitation.filter(id=invitation.id).select_related("message", "contact").get()
    )
    return InvitePayload(
        invitation=InvitationNode.from_model(invitation),
        contact=ContactNode.from_model(invitation.contact),
    )


@strawberry.type
class PortalMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def send_invite(self, info: Info, input: InviteInput) -> InvitePayload:
        return await _invite_payload(services.send_invite, info, input)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def resend_invite(self, info: Info, input: InviteInput) -> InvitePayload:
        return await _invite_payload(services.resend_invite, info, input)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def revoke_invite(self, info: Info, input: InviteInput) -> InvitePayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        contact, invitation = await services.revoke_invite(contact_id, info.context.actor)
        if invitation is not None:
            invitation = await Invitation.filter(id=invitation.id).select_related("message").get()
        return InvitePayload(
            invitation=InvitationNode.from_model(invitation) if invitation else None,
            contact=ContactNode.from_model(contact),
        )

    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def activate_portal_account(
        self, info: Info, input: ActivatePortalAccountInput
    ) -> PortalContactPayload:
        contact, token = await services.activate(input.token, input.password, info.context.client)
        await info.context.sign_in(token)
        return PortalContactPayload(contact=PortalContact.from_model(contact))

    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def portal_login(self, info: Info, input: PortalLoginInput) -> PortalLoginPayload:
        contact, token = await services.portal_login(
            input.email, input.password, info.context.client
        )
        await info.context.sign_in(token)
        return PortalLoginPayload(user=PortalUser.of(contact))

    @strawberry.mutation(permission_classes=[Public])
    async def request_password_reset(
        self, input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        await services.request_password_reset(input.email)
        return RequestPasswordResetPayload(ok=True)

    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> PortalContactPayload:
        contact, token = await services.reset_password(
            input.token, input.password, info.context.client
        )
        await info.context.sign_in(token)
        return PortalContactPayload(contact=PortalContact.from_model(contact))

    @strawberry.mutation(permission_classes=[IsPortalContact])
    @reports_input_errors
    async def update_my_profile(
        self, info: Info, input: UpdateMyProfileInput
    ) -> PortalContactPayload:
        changes = contact_services.ContactChanges(
            **given_fields(input, ("title", "first_name", "last_name")),
            phones=given_as(input.phones, phone_inputs),
            address=given_as(input.address, address_input),
            preferences=given_as(input.preferences, preferences_input),
        )
        updated = await contact_services.update_contact(
            require_portal_contact(info).id,
            changes,
            source=ConsentSource.PORTAL,
            actor=info.context.actor,
        )
        return PortalContactPayload(contact=PortalContact.from_model(updated))

    @strawberry.mutation(permission_classes=[IsPortalContact])
    @reports_input_errors
    async def change_my_password(
        self, info: Info, input: ChangeMyPasswordInput
    ) -> ChangeMyPasswordPayload:
        await services.change_password(
            require_portal_contact(info),
            input.current_password,
            input.new_password,
            client=info.context.client,
            session=info.context.session,
        )
        return ChangeMyPasswordPayload(ok=True)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="A one-time link that opens the portal as this contact (who must have "
        "portal access), read-only, with a banner.",
    )
    @reports_input_errors
    async def impersonate_portal_user(
        self, info: Info, input: ImpersonatePortalUserInput
    ) -> ImpersonatePortalUserPayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        url = await impersonation.issue_view_link(require_staff(info), contact_id)
        return ImpersonatePortalUserPayload(url=url)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Use an impersonatePortalUser link (in the browser of the administrator "
        "who asked for it): opens the read-only view of the portal.",
    )
    @reports_input_errors
    async def start_impersonation(
        self, info: Info, input: StartImpersonationInput
    ) -> StartImpersonationPayload:
        context = info.context
        contact, token = await impersonation.start_view(
            input.token,
            context.staff_user,
            context.client,
            replacing=await view_as_session(context.request),
        )
        await context.start_viewing_as(token, int(impersonation.VIEW_LIFETIME.total_seconds()))
        return StartImpersonationPayload(user=PortalUser.of(contact))

    @strawberry.mutation(
        permission_classes=[Public],
        description="Leave the view of the portal as a contact this browser has open (the only "
        "change a read-only view may make); the staff session stays.",
    )
    async def end_impersonation(self, info: Info) -> EndImpersonationPayload:
        session = await view_as_session(info.context.request)
        if session is not None:
            await impersonation.end_view(session)
        info.context.clear_view_as_cookie()
        return EndImpersonationPayload()
