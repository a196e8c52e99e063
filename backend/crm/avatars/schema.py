"""Removing an avatar (uploads are plain HTTP: see crm.avatars.routes)."""

from __future__ import annotations

import strawberry

from crm.avatars import services
from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsPortalContact, IsStaff, require_portal_contact
from crm.graphql.relay import decode_id


@strawberry.input
class RemoveAvatarInput:
    contact_id: strawberry.ID


@visible_to(Audience.SIGNED_IN)
@strawberry.type
class RemoveAvatarPayload:
    removed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AvatarMutation:
    @strawberry.mutation(permission_classes=[IsStaff], description="Erase a contact's avatar.")
    @reports_input_errors
    async def remove_avatar(self, input: RemoveAvatarInput) -> RemoveAvatarPayload:
        await services.remove_avatar(decode_id(input.contact_id, "Contact", ("contactId",)))
        return RemoveAvatarPayload(removed=True)

    @strawberry.mutation(permission_classes=[IsPortalContact], description="Erase your avatar.")
    @reports_input_errors
    async def remove_my_avatar(self, info: Info) -> RemoveAvatarPayload:
        await services.remove_avatar(require_portal_contact(info).id)
        return RemoveAvatarPayload(removed=True)
