"""Sign-in, sign-out, `me`, and staff accounts."""

from __future__ import annotations

import strawberry

from crm.auth.services import end_all_sessions, end_session
from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsAdmin, Public
from crm.portal.types import PortalUser
from crm.staff import services
from crm.staff.models import StaffUser
from crm.staff.types import StaffRole, StaffUserNode, Viewer


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

    @strawberry.field(permission_classes=[IsAdmin])
    async def staff_users(self) -> list[StaffUserNode]:
        return [StaffUserNode.from_model(u) for u in await StaffUser.all().order_by("email")]


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
