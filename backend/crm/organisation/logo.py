"""The organisation's logo: checked by decoding it, stored in the database, served by URL.

An upload is a real image only if Pillow decodes it (its name and declared type count for
nothing): PNG, JPEG, WebP or GIF (first frame), at most MAX_LOGO_BYTES and MAX_PIXELS before
decoding (a decompression bomb is refused from its header). It is stored re-encoded as a
PNG of at most LOGO_SIDE pixels a side: no metadata survives, and what is served is an image
we made. SVG is refused (it can carry script). The logo lives in the settings row, so every
app server has it, and is served at `/logo.png?v=<version>` with a year's cache: the version
changes with each upload.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from datetime import UTC, datetime

from PIL import Image, ImageOps, UnidentifiedImageError
from tortoise.expressions import F

from crm.core.errors import ErrorCode, InputError
from crm.organisation.models import SETTINGS_ROW, StoredSettings
from crm.staff.models import StaffUser

MAX_LOGO_BYTES = 1_000_000
MAX_PIXELS = 16_000_000
LOGO_SIDE = 512
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
FIELD = ("logo",)


def _refused(message: str) -> InputError:
    return InputError.single(FIELD, message, ErrorCode.INVALID)


def logo_png(data: bytes) -> bytes:
    """The upload as the PNG we store, or INVALID on `logo` saying what is wrong."""
    if not data:
        raise _refused("Choose an image file")
    if len(data) > MAX_LOGO_BYTES:
        raise _refused(f"The logo must be at most {MAX_LOGO_BYTES // 1_000_000} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise _refused("The image has too many pixels for a logo")
            image.seek(0)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refused("The image has too many pixels for a logo") from None
    except UnidentifiedImageError:
        raise _refused("This is not a PNG, JPEG, WebP or GIF image") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise _refused(f"The image could not be read: {error}") from None
    image = ImageOps.exif_transpose(image).convert("RGBA")
    image.thumbnail((LOGO_SIDE, LOGO_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


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


async def remove_logo(by: StaffUser | None) -> None:
    await StoredSettings.filter(id=SETTINGS_ROW).update(
        logo=None, has_logo=False, updated_at=datetime.now(UTC), updated_by_id=by.id if by else None
    )


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
