"""Emailed and printed one-time links: password resets, staff invitations, the setup link.

Each link carries a random token (`crm.auth.tokens`); its row keeps only the token's HMAC.
A link works once (`use_link` claims it with one conditional UPDATE, so two requests racing
with the same link cannot both succeed) and only until it expires; issuing a new link for the
same owner ends the earlier ones. Requests that may or may not send a link answer after a
fixed time (`answer_in_fixed_time`), so the timing does not tell whether an address is known.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tortoise import fields
from tortoise.models import Model

from crm.auth.tokens import new_token, token_hash
from crm.core.errors import ErrorCode, InputError
from crm.settings import get_settings

# Tokens are 43 characters; anything much longer is not one of ours.
_MAX_TOKEN_LENGTH = 100


class OneTimeLink(Model):
    """The columns every one-time link shares; each kind of link is a table of its own."""

    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    # Set when the link is used, or when a newer link for the same owner replaces it.
    used_at = fields.DatetimeField(null=True)

    class Meta:
        abstract = True


LinkT = TypeVar("LinkT", bound=OneTimeLink)


def now() -> datetime:
    return datetime.now(UTC)


def link_url(path: str, token: str) -> str:
    """The address a link's email or console line shows, under CRM_PUBLIC_URL."""
    return f"{get_settings().public_url}/{path.lstrip('/')}?token={token}"


async def issue_link(model: type[LinkT], lifetime: timedelta, **owner: Any) -> tuple[str, LinkT]:
    """A new link for `owner` (e.g. `staff_user_id=3`), ending the owner's earlier unused
    links; returns the token (to send, never to store) and the row. Runs in the caller's
    transaction when there is one."""
    token = new_token()
    moment = now()
    await model.filter(**owner, used_at__isnull=True).update(used_at=moment)
    row = await model.create(**owner, token_hash=token_hash(token), expires_at=moment + lifetime)
    return token, row


async def live_link(model: type[LinkT], token: str | None, *related: str) -> LinkT | None:
    """The unused, unexpired link a token names (with `related` rows), or None."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return (
        await model.filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now())
        .select_related(*related)
        .first()
    )


async def use_link(link: OneTimeLink) -> None:
    """Claim the link in the caller's transaction; INVALID on `token` if another request
    used it first."""
    claimed = await type(link).filter(id=link.pk, used_at__isnull=True).update(used_at=now())
    if not claimed:
        raise InputError.single(("token",), "This link was just used", ErrorCode.INVALID)


async def issued_since(model: type[OneTimeLink], within: timedelta, **owner: Any) -> bool:
    """Whether the owner was sent a link within the last `within` (to limit repeats)."""
    return await model.filter(**owner, created_at__gt=now() - within).exists()


async def answer_in_fixed_time(seconds: float, work: Awaitable[None]) -> None:
    """Do `work`, then wait until `seconds` have passed since the call began."""
    loop = asyncio.get_running_loop()
    answer_at = loop.time() + seconds
    await work
    await asyncio.sleep(max(0.0, answer_at - loop.time()))
