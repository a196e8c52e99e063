"""The logo over HTTP: `GET /logo.png` for everyone (the sign-in page, the portal, emails),
`PUT` and `DELETE /settings/logo` for administrators (the body is the image file itself)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crm.auth.http import error_response, staff_or_refusal
from crm.core.errors import InputError
from crm.graphql.view import CSRF_HEADER
from crm.organisation import logo
from crm.organisation.services import refresh_stored_settings
from crm.settings import get_settings
from crm.staff.models import StaffRole, StaffUser

LOGO_PATH = "/logo.png"
SETTINGS_LOGO_PATH = "/settings/logo"
_A_YEAR = 365 * 86400


async def serve_logo(request: Request) -> Response:
    found = await logo.stored_logo()
    if found is None:
        return Response("No logo", status_code=404, media_type="text/plain")
    png, version = found
    current = request.query_params.get("v") == str(version)
    cache = f"public, max-age={_A_YEAR}, immutable" if current else "public, max-age=60"
    return Response(png, media_type="image/png", headers={"cache-control": cache})


async def _admin_or_refusal(request: Request) -> StaffUser | Response:
    user = await staff_or_refusal(request, "change the logo")
    if isinstance(user, Response):
        return user
    if user.role != StaffRole.ADMIN:
        return error_response("Only administrators can change the logo", "FORBIDDEN", 403)
    if not request.headers.get(CSRF_HEADER):
        return error_response(f"Send the {CSRF_HEADER} header", "CSRF", 403)
    return user


async def upload_logo(request: Request) -> Response:
    user = await _admin_or_refusal(request)
    if isinstance(user, Response):
        return user
    try:
        await logo.save_logo(await request.body(), user)
    except InputError as error:
        return error_response(error.errors[0].message, "INVALID", 400, field="logo")
    await refresh_stored_settings(force=True)
    return JSONResponse({"logoUrl": get_settings().logo_url})


async def delete_logo(request: Request) -> Response:
    user = await _admin_or_refusal(request)
    if isinstance(user, Response):
        return user
    await logo.remove_logo(user)
    await refresh_stored_settings(force=True)
    return JSONResponse({"logoUrl": None})


routes = [
    Route(LOGO_PATH, serve_logo, methods=["GET"]),
    Route(SETTINGS_LOGO_PATH, upload_logo, methods=["PUT"]),
    Route(SETTINGS_LOGO_PATH, delete_logo, methods=["DELETE"]),
]
