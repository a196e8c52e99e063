"""The /graphql endpoint: who is asking (session cookie), and the request rules of API.md."""

from __future__ import annotations

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from crm.auth.http import request_session
from crm.core.json_values import JSONRefused, loads_bounded
from crm.graphql.context import Context
from crm.graphql.schema import schema
from crm.settings import Settings, live

CSRF_HEADER = "x-crm-csrf"


class GraphQLView(GraphQL):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = _refuse_cross_site(Request(scope))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return loads_bounded(data)
        except JSONRefused as refused:
            raise HTTPException(400, str(refused)) from None

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        session = await request_session(request)
        return Context(
            request=request,
            response=response,
            settings=live(self.settings),
            session=session,
            base_settings=self.settings,
        )


def _refuse_cross_site(request: Request) -> Response | None:
    """A cookie-carrying POST must be JSON (or a multipart upload with the CSRF header).

    Browsers cannot send those cross-site without a CORS preflight, which we never grant,
    so a form on another site cannot act with a signed-in user's cookie.
    """
    if request.method != "POST":
        return None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        return None
    if content_type == "multipart/form-data" and request.headers.get(CSRF_HEADER):
        return None
    return JSONResponse(
        {
            "errors": [
                {
                    "message": "POST requests must have Content-Type: application/json "
                    f"(or multipart/form-data with an {CSRF_HEADER} header)",
                    "extensions": {"code": "CSRF"},
                }
            ]
        },
        status_code=415,
    )
