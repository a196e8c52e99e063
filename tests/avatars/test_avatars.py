"""Contact avatars: real images only, two WebP squares, for staff and that contact alone."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from crm.avatars.models import ContactAvatar
from tests.contacts.helpers import create_contact
from tests.graphql_client import GraphQLClient
from tests.organisation.test_logo import png_header_claiming
from tests.portal.helpers import activate, invited_client, latest_token

CSRF = {"x-crm-csrf": "1"}
AVATAR = "query ($id: ID!) { contact(id: $id) { avatarUrl avatarThumbnailUrl } }"
LIST = "{ contacts(first: 10) { edges { node { lastName avatarThumbnailUrl } } } }"
REMOVE = """
mutation ($input: RemoveAvatarInput!) { removeAvatar(input: $input) { removed errors { code } } }
"""


def photo(format: str = "JPEG", size: tuple[int, int] = (1200, 800), **options: object) -> bytes:
    image = Image.new("RGB", size, (20, 120, 200))
    image.paste((250, 200, 0), (size[0] // 2 - 50, 0, size[0] // 2 + 50, size[1]))
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 19.0, 0.0)}  # GPSInfo
    return photo(exif=exif.tobytes())


def animated_gif(frames: int) -> bytes:
    images = [Image.new("P", (64, 64), index % 256) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=20)
    return out.getvalue()


async def upload(client: GraphQLClient, contact_id: str, data: bytes, name: str = "me.jpg"):
    return await client.http.post(
        f"/avatars/contacts/{contact_id}",
        files={"file": (name, data, "image/jpeg")},
        headers=CSRF,
    )


async def a_contact(staff: GraphQLClient, last_name: str = "Avatar") -> str:
    return (await create_contact(staff, lastName=last_name))["id"]


async def test_staff_upload_an_avatar_seen_in_the_list_as_a_small_square(
    staff: GraphQLClient,
) -> None:
    # given a contact and a landscape photo with GPS coordinates
    contact_id = await a_contact(staff)
    # when staff upload it
    response = await upload(staff, contact_id, gps_jpeg())
    # then the contact has a 256 px and a 64 px WebP square, without the metadata
    assert response.status_code == 200, response.text
    urls = (await staff.execute(AVATAR, {"id": contact_id})).data["contact"]
    assert urls["avatarUrl"] == response.json()["avatarUrl"]
    for url, side in ((urls["avatarUrl"], 256), (urls["avatarThumbnailUrl"], 64)):
        served = await staff.http.get(url)
        assert served.headers["content-type"] == "image/webp"
        assert "private" in served.headers["cache-control"]
        image = Image.open(io.BytesIO(served.content))
        assert (image.format, image.size) == ("WEBP", (side, side))
        assert not image.getexif() and "exif" not in image.info
        # cropped to the centre: the yellow band is in the middle
        assert image.convert("RGB").getpixel((side // 2, side // 2))[0] > 200
    # and the list shows the small one
    listed = (await staff.execute(LIST)).data["contacts"]["edges"]
    assert listed[0]["node"]["avatarThumbnailUrl"] == urls["avatarThumbnailUrl"]
    # and a new photo gives a new URL, the old one no longer answers
    again = await upload(staff, contact_id, photo("PNG", (300, 300)))
    assert again.json()["avatarUrl"] != urls["avatarUrl"]
    assert (await staff.http.get(urls["avatarUrl"])).status_code == 404


async def test_removing_the_avatar_or_the_contact_erases_it(staff: GraphQLClient) -> None:
    contact_id = await a_contact(staff)
    url = (await upload(staff, contact_id, photo())).json()["avatarUrl"]
    removed = await staff.mutate("removeAvatar", REMOVE, {"contactId": contact_id})
    assert removed == {"removed": True, "errors": []}
    assert (await staff.execute(AVATAR, {"id": contact_id})).data["contact"]["avatarUrl"] is None
    assert (await staff.http.get(url)).status_code == 404
    await upload(staff, contact_id, photo())
    deleted = await staff.execute(
        "mutation ($id: ID!) { deleteContact(input: {id: $id}) { errors { code } } }",
        {"id": contact_id},
    )
    assert deleted.data["deleteContact"]["errors"] == []
    assert await ContactAvatar.all().count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "not a PNG, JPEG, WEBP or GIF"),
        (b"<svg onload='alert(1)'/>", "not a PNG, JPEG, WEBP or GIF"),
        (photo()[:2000], "could not be read"),
        (png_header_claiming(20_000, 20_000), "too many pixels"),
    ],
    ids=["script-named-png", "svg", "truncated-jpeg", "20000x20000"],
)
async def test_anything_but_a_real_image_is_refused(
    staff: GraphQLClient, data: bytes, message: str
) -> None:
    contact_id = await a_contact(staff)
    response = await upload(staff, contact_id, data, name="photo.png")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INVALID", "field": "file"}
    assert message.lower() in error["message"].lower()
    assert await ContactAvatar.all().count() == 0


async def test_an_animated_gif_gives_its_first_frame(staff: GraphQLClient) -> None:
    contact_id = await a_contact(staff)
    response = await upload(staff, contact_id, animated_gif(500), name="party.gif")
    assert response.status_code == 200, response.text
    served = await staff.http.get(response.json()["avatarUrl"])
    assert Image.open(io.BytesIO(served.content)).size == (256, 256)


async def test_a_6_mb_file_is_refused_before_it_is_read(staff: GraphQLClient) -> None:
    contact_id = await a_contact(staff)
    response = await upload(staff, contact_id, b"\xff\xd8" + b"0" * 6_000_000)
    assert response.status_code == 413
    assert await ContactAvatar.all().count() == 0


async def test_a_portal_contact_reaches_their_own_avatar_only(
    staff: GraphQLClient, app, anonymous: GraphQLClient
) -> None:
    # given two clients signed in to the portal, one with an avatar set by staff
    ann = await invited_client(staff, lastName="Ann", email="ann@example.com")
    bob = await invited_client(staff, lastName="Bob", email="bob@example.com")
    ann_portal = GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )
    bob_portal = GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )
    await activate(ann_portal, await latest_token("ann@example.com"))
    await activate(bob_portal, await latest_token("bob@example.com"))
    ann_url = (await upload(staff, ann["id"], photo())).json()["avatarUrl"]
    # then Ann sees hers and can change it; Bob can neither see nor change it
    assert (await ann_portal.http.get(ann_url)).status_code == 200
    assert (await upload(ann_portal, ann["id"], photo("PNG"))).status_code == 200
    mine = await ann_portal.execute("{ me { ... on PortalUser { contact { avatarUrl } } } }")
    new_url = mine.data["me"]["contact"]["avatarUrl"]
    assert new_url is not None and new_url != ann_url
    assert (await bob_portal.http.get(new_url)).status_code == 404
    assert (await upload(bob_portal, ann["id"], photo())).status_code == 404
    assert (await upload(bob_portal, bob["id"], photo())).status_code == 200
    # and nobody signed out sees any
    assert (await anonymous.http.get(new_url)).status_code == 401
    removed = await ann_portal.execute("mutation { removeMyAvatar { removed } }")
    assert removed.data["removeMyAvatar"]["removed"] is True
    await ann_portal.http.aclose()
    await bob_portal.http.aclose()
