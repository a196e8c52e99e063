"""Who may see a value of an object type; the checks live in `crm.graphql.permissions`."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TypeVar


class Audience(Enum):
    """Who may see a value of an object type."""

    ANYONE = "ANYONE"  # sign-in payloads, what public pages show
    SIGNED_IN = "SIGNED_IN"  # staff or a portal contact: plain values (a phone, an address)
    PORTAL = "PORTAL"  # the signed-in portal contact, and only their own data
    # Staff, or the signed-in portal contact the value belongs to (a conversation's messages)
    STAFF_OR_OWNER = "STAFF_OR_OWNER"
    STAFF = "STAFF"  # the default
    ADMIN = "ADMIN"


AUDIENCE_ATTRIBUTE = "__crm_audience__"
# A PORTAL value that belongs to one contact names it here (a `strawberry.Private` field).
OWNER_ATTRIBUTE = "owner_contact_id"

T = TypeVar("T")


def visible_to(audience: Audience) -> Callable[[T], T]:
    """Class decorator, placed above `@strawberry.type`: who besides staff may see the type."""

    def mark(cls: T) -> T:
        setattr(cls, AUDIENCE_ATTRIBUTE, audience)
        return cls

    return mark
