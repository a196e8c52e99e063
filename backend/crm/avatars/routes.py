"""Avatars over HTTP, for staff and for the contact whose avatar it is (nobody else).

`POST /avatars/contacts/<id>`: `multipart/form-data` with one `file` field and the CSRF
header; `RequestGuard` refuses a body over MAX_UPLOAD_BYTES while it streams in.
`GET /avatars/contacts/<id>/<version>/<size>.webp`: the image, privately cacheable for a
year (the URL changes with the image).
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crm.auth.http import error_response, read_only_refusal, request_session
from crm.avatars import services
from crm.core.errors import InputError
from crm.graphql.relay import pk_of
from crm.graphql.view import CSRF_HEADER

UPLOAD_PREFIX = "/avatars/contacts/"
# The file, plus the form's boundaries and headers.
MAX_UPLOAD_BYTES = services.MAX_AVATAR_BYTES + 64 * 1024
_A_YEAR = 365 * 86400


async def _contact_or_refusal(
    request: Request, doing: str, *, writes: bool = False
) -> int | Response:
    """The contact the path names, if the caller is staff or that contact (and, to `writes`,
    not in a read-only view of the portal)."""
    session = await request_session(request)
    if session is None:
        return error_response(f"Sign in to {doing}", "UNAUTHENTICATED", 401)
    contact_id = pk_of(request.path_params["contact_id"], "Contact")
    if session.staff_user_id is None and session.contact_id != contact_id:
        # The same answer as for a contact that does not exist.
        return error_response("No such avatar", "NOT_FOUND", 404)
    return (read_only_refusal(session) if writes else None) or contact_id


async def upload(request: Request) -> Response:
    contact_id = await _contact_or_refusal(request, "change an avatar", writes=True)
    if isinstance(contact_id, Response):
        return contact_id
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data" or not request.headers.get(CSRF_HEADER):
        return error_response(
            f"Upload the image as multipart/form-data with an {CSRF_HEADER} header", "CSRF", 415
        )
    form = await request.form(max_files=1, max_fields=2, max_part_size=1024)
    try:
        given = form.get("file")
        if not isinstance(given, UploadFile):
            return error_response("Choose an image file", "REQUIRED", 400, "file")
        data = await given.read(services.MAX_AVATAR_BYTES + 1)
    finally:
        await form.close()
    try:
        version = await services.save_avatar(contact_id, data)
    except InputError as error:
        problem = error.errors[0]
        return error_response(problem.message, problem.code.value, 400, "file")
    return JSONResponse(
        {
            "avatarUrl": services.avatar_url(contact_id, version, services.LARGE),
            "avatarThumbnailUrl": services.avatar_url(contact_id, version, services.SMALL),
        }
    )


async def image(request: Request) -> Response:
    contact_id = await _contact_or_refusal(request, "see an avatar")
    if isinstance(contact_id, Response):
        return contact_id
    size = request.path_params["size"]
    version = request.path_params["version"]
    if size not in services.SIZES:
        return error_response("No such avatar", "NOT_FOUND", 404)
    data = await services.avatar_image(contact_id, version, size)
    if data is None:
        return error_response("No such avatar", "NOT_FOUND", 404)
    return Response(
        data,
        media_type="image/webp",
        headers={"cache-control": f"private, max-age={_A_YEAR}, immutable"},
    )


routes = [
    Route(f"{UPLOAD_PREFIX}{{contact_id}}", upload, methods=["POST"]),
    Route(
        f"{UPLOAD_PREFIX}{{contact_id}}/{{version:int}}/{{size:int}}.webp", image, methods=["GET"]
    ),
]
