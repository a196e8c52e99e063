"""Session checks for the plain HTTP routes (downloads and uploads) beside GraphQL."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from crm.auth.models import Session
from crm.auth.services import SESSION_COOKIE, VIEW_AS_COOKIE, read_only_reason, session_for_token
from crm.core.ids import to_global_id
from crm.staff.models import StaffUser

# Sent by a tab viewing the portal as a contact, with that contact's id: its requests act in
# the view-as session (VIEW_AS_COOKIE), every other tab's in the browser's own session. A
# custom header cannot be sent cross-site without a preflight, which is never granted.
VIEW_AS_HEADER = "x-crm-view-as"


def error_response(message: str, code: str, status: int, field: str | None = None) -> JSONResponse:
    """An error shaped like a GraphQL one, so the app reads both the same way."""
    extensions: dict[str, str] = {"code": code}
    if field is not None:
        extensions["field"] = field
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]}, status_code=status
    )


async def request_session(request: Request) -> Session | None:
    """The session a request acts in: the browser's sign-in, or, from a tab viewing the
    portal as a contact, that view's session (None if it ended or names another contact:
    a newer view in another tab replaced it)."""
    viewing_as = request.headers.get(VIEW_AS_HEADER)
    if viewing_as is None:
        token = request.cookies.get(SESSION_COOKIE)
        return await session_for_token(token) if token else None
    session = await view_as_session(request)
    if session is None or to_global_id("Contact", session.contact_id) != viewing_as:
        return None
    return session


async def view_as_session(request: Request) -> Session | None:
    """The view of the portal as a contact this browser has open, if any, whichever tab asks."""
    token = request.cookies.get(VIEW_AS_COOKIE)
    return await session_for_token(token, viewing_as=True) if token else None


def read_only_refusal(session: Session | None) -> JSONResponse | None:
    """The 403 answer to a write from a read-only session, or None when it may write."""
    reason = read_only_reason(session)
    return error_response(reason, "FORBIDDEN", 403) if reason is not None else None


async def staff_or_refusal(request: Request, doing: str) -> StaffUser | JSONResponse:
    """The signed-in staff user, or the 401/403 answer to send instead."""
    session = await request_session(request)
    if session is None:
        return error_response(f"Sign in to {doing}", "UNAUTHENTICATED", 401)
    if session.staff_user_id is None:
        return error_response(f"Only staff can {doing}", "FORBIDDEN", 403)
    return session.staff_user
