"""Contact avatars: an uploaded photo made into two WebP squares, stored, and erased.

The upload goes through `crm.core.images` (a real PNG, JPEG, WebP or GIF, at most
MAX_PIXELS, first frame only, metadata gone), is cropped to a centred square and stored as
LARGE and SMALL pixel WebP images in `contact_avatar`. The contact's `avatar_version` (0 when
none) is part of the avatar's URL, so the URL changes whenever the image does and may be
cached for a year.
"""

from __future__ import annotations

import asyncio
import time

from PIL import Image, ImageOps
from tortoise.transactions import in_transaction

from crm.avatars.models import ContactAvatar
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, InputError
from crm.core.images import ImageProblem, decode, encoded
from crm.graphql.relay import to_global_id

MAX_AVATAR_BYTES = 5_000_000
MAX_PIXELS = 40_000_000
LARGE, SMALL = 256, 64
SIZES = (LARGE, SMALL)
FIELD = ("file",)


def avatar_images(data: bytes) -> tuple[bytes, bytes]:
    """The upload as (LARGE, SMALL) WebP squares, or INVALID on `file`."""
    if len(data) > MAX_AVATAR_BYTES:
        raise InputError.single(FIELD, "The image must be at most 5 MB", ErrorCode.INVALID)
    try:
        image = decode(data, max_pixels=MAX_PIXELS)
    except ImageProblem as problem:
        raise InputError.single(FIELD, str(problem), ErrorCode.INVALID) from None
    mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    square = ImageOps.fit(image.convert(mode), (LARGE, LARGE), Image.Resampling.LANCZOS)
    small = square.resize((SMALL, SMALL), Image.Resampling.LANCZOS)
    return encoded(square, "WEBP", quality=85), encoded(small, "WEBP", quality=85)


async def _contact(contact_id: int) -> Contact:
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    return contact


async def save_avatar(contact_id: int, data: bytes) -> int:
    """Make and store the contact's avatar; its new version."""
    await _contact(contact_id)
    large, small = await asyncio.to_thread(avatar_images, data)
    version = time.time_ns() // 1000
    async with in_transaction():
        await ContactAvatar.filter(contact_id=contact_id).delete()
        await ContactAvatar.create(contact_id=contact_id, large=large, small=small, version=version)
        await Contact.filter(id=contact_id).update(avatar_version=version)
    return version


async def remove_avatar(contact_id: int) -> None:
    await _contact(contact_id)
    async with in_transaction():
        await ContactAvatar.filter(contact_id=contact_id).delete()
        await Contact.filter(id=contact_id).update(avatar_version=0)


async def avatar_image(contact_id: int, version: int, size: int) -> bytes | None:
    """The stored image of that version and size, or None (another version is not served)."""
    column = "large" if size == LARGE else "small"
    row = (
        await ContactAvatar.filter(contact_id=contact_id, version=version)
        .only("contact_id", column)
        .first()
    )
    return None if row is None else bytes(getattr(row, column))


def avatar_url(contact_id: int, version: int, size: int = LARGE) -> str | None:
    if not version:
        return None
    return f"/avatars/contacts/{to_global_id('Contact', contact_id)}/{version}/{size}.webp"
