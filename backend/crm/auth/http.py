"""Session checks for the plain HTTP routes (downloads and uploads) beside GraphQL."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from crm.auth.services import SESSION_COOKIE, session_for_token
from crm.staff.models import StaffUser


def error_response(message: str, code: str, status: int, field: str | None = None) -> JSONResponse:
    """An error shaped like a GraphQL one, so the app reads both the same way."""
    extensions: dict[str, str] = {"code": code}
    if field is not None:
        extensions["field"] = field
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]}, status_code=status
    )


async def staff_or_refusal(request: Request, doing: str) -> StaffUser | JSONResponse:
    """The signed-in staff user, or the 401/403 answer to send instead."""
    token = request.cookies.get(SESSION_COOKIE)
    session = await session_for_token(token) if token else None
    if session is None:
        return error_response(f"Sign in to {doing}", "UNAUTHENTICATED", 401)
    if session.staff_user_id is None:
        return error_response(f"Only staff can {doing}", "FORBIDDEN", 403)
    return session.staff_user
