"""Who may call what. Every root field names its permission; nested fields inherit it."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from crm.contacts.models import Contact
from crm.graphql.context import Info
from crm.graphql.errors import Forbidden, Unauthenticated
from crm.staff.models import StaffRole, StaffUser


def require_staff(info: Info) -> StaffUser:
    user = info.context.staff_user
    if user is None:
        if info.context.session is not None:
            raise Forbidden("Only staff can do this")
        raise Unauthenticated()
    return user


class IsStaff(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_staff(info)
        return True


def require_portal_contact(info: Info) -> Contact:
    contact = info.context.portal_contact
    if contact is None:
        if info.context.session is not None:
            raise Forbidden("Only a signed-in portal contact can do this")
        raise Unauthenticated()
    return contact


class IsPortalContact(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_portal_contact(info)
        return True


class IsAdmin(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if require_staff(info).role != StaffRole.ADMIN:
            raise Forbidden("Only administrators can do this")
        return True


class Public(BasePermission):
    """Marks a field anyone may call (sign-in and the like), so the schema walk can tell."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True
