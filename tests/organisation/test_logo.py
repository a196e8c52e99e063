"""The organisation's logo: only real images, re-encoded, served to all, changed by admins."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from crm.organisation.logo import LOGO_SIDE
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import invited_client, messages_to

CSRF = {"x-crm-csrf": "1"}


def image_bytes(format: str, size: tuple[int, int] = (800, 400), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=format, **options)
    return out.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + (chunk(b"IEND", b""))
    )


async def upload(client: GraphQLClient, data: bytes, headers: dict | None = None):
    chosen = CSRF if headers is None else headers
    return await client.http.put("/settings/logo", content=data, headers=chosen)


async def test_an_admin_uploads_a_logo_shown_everywhere(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a JPEG photo with GPS metadata
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
    photo = image_bytes("JPEG", exif=exif.tobytes())
    # when an admin uploads it as the logo
    response = await upload(staff, photo)
    # then it is served to anyone as a PNG of at most LOGO_SIDE px, without the metadata
    assert response.status_code == 200, response.text
    url = response.json()["logoUrl"]
    assert url.endswith("/logo.png?v=1")
    served = await anonymous.http.get("/logo.png?v=1")
    assert served.headers["content-type"] == "image/png"
    assert "immutable" in served.headers["cache-control"]
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "PNG" and max(image.size) == LOGO_SIDE
    assert not image.getexif() and "exif" not in image.info
    # and the app, the portal's pages and the next email point at it
    portal = await anonymous.execute("{ portalInfo { logoUrl } }")
    assert portal.data["portalInfo"]["logoUrl"] == url
    await invited_client(staff, lastName="Logo", email="logo@example.com")
    [message] = await messages_to("logo@example.com")
    assert f'<img src="{url}"' in message.html_body
    # and a new upload changes the URL
    second = await upload(staff, image_bytes("PNG", (64, 64)))
    assert second.json()["logoUrl"].endswith("?v=2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose an image file"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a PNG"),
        (b"%PDF-1.4 not an image", "not a PNG"),
        (png_header_claiming(100_000, 100_000), "too many pixels"),
        (image_bytes("PNG")[:60], "could not be read"),
    ],
    ids=["empty", "svg-with-script", "pdf", "decompression-bomb", "truncated"],
)
async def test_anything_but_a_real_image_is_refused(
    staff: GraphQLClient, anonymous: GraphQLClient, data: bytes, message: str
) -> None:
    response = await upload(staff, data)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INVALID", "field": "logo"}
    assert message in error["message"]
    assert (await anonymous.http.get("/logo.png")).status_code == 404


async def test_a_logo_over_a_megabyte_is_refused(staff: GraphQLClient) -> None:
    noise = Image.frombytes("RGB", (1200, 1200), bytes(range(256)) * (1200 * 1200 * 3 // 256))
    out = io.BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    response = await upload(staff, out.getvalue())
    assert response.status_code in (400, 413)


async def test_only_admins_change_the_logo(
    member: GraphQLClient, anonymous: GraphQLClient, staff: GraphQLClient
) -> None:
    png = image_bytes("PNG", (32, 32))
    assert (await upload(member, png)).status_code == 403
    assert (await upload(anonymous, png)).status_code == 401
    assert (await upload(staff, png, headers={})).status_code == 403  # no CSRF header
    assert (await anonymous.http.get("/logo.png")).status_code == 404
    assert (await upload(staff, png)).status_code == 200
    assert (await staff.http.delete("/settings/logo", headers=CSRF)).status_code == 200
    assert (await anonymous.http.get("/logo.png")).status_code == 404
