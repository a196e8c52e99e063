"""Sign-in, sign-out, `me`, and staff accounts."""

from __future__ import annotations

from datetime import datetime

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from crm.auth.services import end_all_sessions, end_session
from crm.core.pagination import SortKey
from crm.core.text import clean
from crm.graphql.audience import Audience, visible_to
from crm.graphql.connection import searchable_list_field
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsAdmin, IsStaff, Public, require_staff
from crm.graphql.relay import decode_id
from crm.portal.types import PortalUser
from crm.staff import accounts, columns, services, setup
from crm.staff.models import StaffUser
from crm.staff.types import ListName, StaffRole, StaffUserNode, Viewer

_BY_EMAIL = [SortKey("email")]


@strawberry.input
class LoginInput:
    email: str
    password: str


@visible_to(Audience.ANYONE)
@strawberry.type
class LoginPayload:
    user: StaffUserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class LogoutInput:
    everywhere: bool = strawberry.field(
        default=False, description="Also end every other session of this account."
    )


@visible_to(Audience.ANYONE)
@strawberry.type
class LogoutPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateStaffUserInput:
    email: str
    password: str
    name: str = ""
    role: StaffRole = StaffRole.MEMBER


@strawberry.type
class StaffUserPayload:
    user: StaffUserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type
class StaffInvitationCheck:
    email: str
    expires_at: datetime


@visible_to(Audience.ANYONE)
@strawberry.type(description="Whether the first administrator is still to be created.")
class FirstRun:
    needed: bool = strawberry.field(description="True while nobody has a staff account.")
    token_valid: bool = strawberry.field(description="Whether the setup link given works.")


@strawberry.input
class CompleteSetupInput:
    token: str
    organisation_name: str
    default_country: str = strawberry.field(description="ISO 3166 two-letter code, e.g. GB")
    name: str
    email: str
    password: str


@strawberry.input
class InviteStaffInput:
    email: str
    role: StaffRole = StaffRole.MEMBER


@strawberry.input(description="Only the fields given change.")
class UpdateStaffUserInput:
    id: strawberry.ID
    role: StaffRole | None = None
    active: bool | None = strawberry.field(
        default=None, description="false deactivates (their sessions end at once)."
    )


@strawberry.input
class AcceptStaffInvitationInput:
    token: str
    name: str
    password: str


@strawberry.input
class UpdateStaffProfileInput:
    name: str


@strawberry.input
class ChangeStaffPasswordInput:
    current_password: str
    new_password: str


@strawberry.input
class RequestStaffPasswordResetInput:
    email: str


@strawberry.input
class ResetStaffPasswordInput:
    token: str
    password: str


@strawberry.input
class SetListColumnsInput:
    list: ListName
    columns: list[str] | None = strawberry.field(
        default=None,
        description="The optional columns to show, in order; null goes back to the list's "
        "default ones.",
    )


@strawberry.type
class SetListColumnsPayload:
    user: StaffUserNode | None = None
    columns: list[str] | None = strawberry.field(default=None, description="As now kept.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type
class StaffSignInPayload:
    user: StaffUserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@visible_to(Audience.ANYONE)
@strawberry.type
class StaffOkPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


def _staff_matching(search: str | None) -> QuerySet[StaffUser]:
    rows = StaffUser.all()
    words = clean(search)
    if words:
        rows = rows.filter(Q(email__icontains=words) | Q(name__icontains=words))
    return rows


@strawberry.type
class StaffQuery:
    @strawberry.field(
        permission_classes=[Public], description="Who is signed in; null when nobody is."
    )
    def me(self, info: Info) -> Viewer | None:
        if (user := info.context.staff_user) is not None:
            return StaffUserNode.from_model(user)
        if (contact := info.context.portal_contact) is not None:
            return PortalUser.of(contact)
        return None

    staff_users = searchable_list_field(
        StaffUserNode,
        lambda search: _staff_matching(search),
        _BY_EMAIL,
        [IsAdmin],
        description="Everyone with a staff account, by email; `search` looks in names and emails.",
    )

    @strawberry.field(permission_classes=[Public])
    async def first_run(self, token: str | None = None) -> FirstRun:
        needed = await setup.setup_needed()
        return FirstRun(needed=needed, token_valid=needed and await setup.setup_link_valid(token))

    @strawberry.field(
        permission_classes=[Public],
        description="What the page behind a colleague's invitation link shows; null when the "
        "link is no longer valid.",
    )
    async def staff_invitation(self, token: str) -> StaffInvitationCheck | None:
        link = await accounts.pending_invitation(token)
        if link is None:
            return None
        return StaffInvitationCheck(email=link.staff_user.email, expires_at=link.expires_at)


@strawberry.type
class StaffMutation:
    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        user, token = await services.login_staff(input.email, input.password, info.context.client)
        if info.context.session is not None:
            await end_session(info.context.session)
        await info.context.sign_in(token)
        return LoginPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(permission_classes=[Public])
    async def logout(self, info: Info, input: LogoutInput | None = None) -> LogoutPayload:
        session = info.context.session
        if session is not None:
            if input is not None and input.everywhere:
                await end_all_sessions(
                    staff_user_id=session.staff_user_id, contact_id=session.contact_id
                )
            else:
                await end_session(session)
        info.context.clear_session_cookie()
        return LogoutPayload(ok=True)

    @strawberry.mutation(permission_classes=[IsAdmin])
    @reports_input_errors
    async def create_staff_user(self, input: CreateStaffUserInput) -> StaffUserPayload:
        user = await services.create_staff_user(
            input.email, input.password, name=input.name, role=input.role
        )
        return StaffUserPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(
        permission_classes=[Public],
        description="Create the first administrator from the link `crm serve` printed, name "
        "the organisation, and sign in.",
    )
    @reports_input_errors
    async def complete_setup(self, info: Info, input: CompleteSetupInput) -> StaffSignInPayload:
        user, token = await setup.complete_setup(
            input.token,
            organisation_name=input.organisation_name,
            default_country=input.default_country,
            name=input.name,
            email=input.email,
            password=input.password,
            client=info.context.client,
        )
        await _switch_session(info, token)
        return StaffSignInPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(permission_classes=[IsAdmin])
    @reports_input_errors
    async def invite_staff(self, info: Info, input: InviteStaffInput) -> StaffUserPayload:
        user = await accounts.invite_staff(input.email, input.role, require_staff(info))
        return StaffUserPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(permission_classes=[IsAdmin])
    @reports_input_errors
    async def update_staff_user(self, input: UpdateStaffUserInput) -> StaffUserPayload:
        user = await accounts.update_staff_user(
            decode_id(input.id, "StaffUser", ("id",)), role=input.role, active=input.active
        )
        return StaffUserPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def accept_staff_invitation(
        self, info: Info, input: AcceptStaffInvitationInput
    ) -> StaffSignInPayload:
        user, token = await accounts.accept_invitation(
            input.token, input.name, input.password, info.context.client
        )
        await _switch_session(info, token)
        return StaffSignInPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_staff_profile(
        self, info: Info, input: UpdateStaffProfileInput
    ) -> StaffUserPayload:
        user = await accounts.update_profile(require_staff(info), input.name)
        return StaffUserPayload(user=StaffUserNode.from_model(user))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Choose the optional columns one's own list shows, kept for one's account.",
    )
    @reports_input_errors
    async def set_list_columns(
        self, info: Info, input: SetListColumnsInput
    ) -> SetListColumnsPayload:
        user = require_staff(info)
        chosen = await columns.set_list_columns(user, columns.ListName(input.list), input.columns)
        return SetListColumnsPayload(user=StaffUserNode.from_model(user), columns=chosen)

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Change one's own password; every other browser is signed out.",
    )
    @reports_input_errors
    async def change_staff_password(
        self, info: Info, input: ChangeStaffPasswordInput
    ) -> StaffOkPayload:
        await accounts.change_password(
            require_staff(info),
            input.current_password,
            input.new_password,
            client=info.context.client,
            session=info.context.session,
        )
        return StaffOkPayload(ok=True)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Email a one-hour reset link if a staff account has this address; the "
        "answer is the same either way.",
    )
    @reports_input_errors
    async def request_staff_password_reset(
        self, input: RequestStaffPasswordResetInput
    ) -> StaffOkPayload:
        await accounts.request_password_reset(input.email)
        return StaffOkPayload(ok=True)

    @strawberry.mutation(permission_classes=[Public])
    @reports_input_errors
    async def reset_staff_password(
        self, info: Info, input: ResetStaffPasswordInput
    ) -> StaffSignInPayload:
        user, token = await accounts.reset_password(
            input.token, input.password, info.context.client
        )
        await _switch_session(info, token)
        return StaffSignInPayload(user=StaffUserNode.from_model(user))


async def _switch_session(info: Info, token: str) -> None:
    """Sign this browser in with `token`, ending the session it had."""
    if info.context.session is not None:
        await end_session(info.context.session)
    await info.context.sign_in(token)
