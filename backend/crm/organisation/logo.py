"""The organisation's logo: checked by decoding it, stored in the database, served by URL.

An upload is taken only if `crm.core.images` decodes it (PNG, JPEG, WebP or GIF, at most
MAX_LOGO_BYTES and MAX_PIXELS) and is stored re-encoded as a PNG of at most LOGO_SIDE pixels
a side: what is served is an image we made. The logo lives in the settings row, so every app
server has it, and is served at `/logo.png?v=<version>` with a year's cache: the version
changes with each upload.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tortoise.expressions import F

from crm.core.errors import ErrorCode, InputError
from crm.core.images import ImageProblem, decode, encoded
from crm.organisation.models import SETTINGS_ROW, StoredSettings
from crm.organisation.services import announce_settings_changed
from crm.staff.models import StaffUser

MAX_LOGO_BYTES = 1_000_000
MAX_PIXELS = 16_000_000
LOGO_SIDE = 512
FIELD = ("logo",)


def _refused(message: str) -> InputError:
    return InputError.single(FIELD, message, ErrorCode.INVALID)


def logo_png(data: bytes) -> bytes:
    """The upload as the PNG we store, or INVALID on `logo` saying what is wrong."""
    if len(data) > MAX_LOGO_BYTES:
        raise _refused(f"The logo must be at most {MAX_LOGO_BYTES // 1_000_000} MB")
    try:
        image = decode(data, max_pixels=MAX_PIXELS)
    except ImageProblem as problem:
        raise _refused(str(problem)) from None
    image = image.convert("RGBA")
    image.thumbnail((LOGO_SIDE, LOGO_SIDE))
    return encoded(image, "PNG", optimize=True)


async def save_logo(data: bytes, by: StaffUser | None) -> None:
    png = await asyncio.to_thread(logo_png, data)
    await StoredSettings.get_or_create(id=SETTINGS_ROW)
    await StoredSettings.filter(id=SETTINGS_ROW).update(
        logo=png,
        has_logo=True,
        logo_version=F("logo_version") + 1,
        updated_at=datetime.now(UTC),
        updated_by_id=by.id if by else None,
    )
    await announce_settings_changed()


async def remove_logo(by: StaffUser | None) -> None:
    await StoredSettings.filter(id=SETTINGS_ROW).update(
        logo=None, has_logo=False, updated_at=datetime.now(UTC), updated_by_id=by.id if by else None
    )
    await announce_settings_changed()


async def stored_logo() -> tuple[bytes, int] | None:
    """The logo's PNG and version, or None."""
    row = (
        await StoredSettings.filter(id=SETTINGS_ROW, has_logo=True)
        .only("id", "logo", "logo_version")
        .first()
    )
    if row is None or row.logo is None:
        return None
    return bytes(row.logo), row.logo_version
