"""How problems reach API clients: `UserError`s in payloads, coded GraphQL errors, masking."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.exceptions import OperationalError, TransactionManagementError

from crm.core.errors import ErrorCode, InputError
from crm.core.observability import request_id_var
from crm.core.outages import Outage, outage_headers, outage_of
from crm.graphql.audience import Audience, visible_to

log = logging.getLogger("crm.graphql")

UserErrorCode = strawberry.enum(ErrorCode, name="UserErrorCode")


@visible_to(Audience.ANYONE)
@strawberry.type
class UserError:
    """What went wrong with one part of a mutation's input (anyone may see their own)."""

    field: list[str] | None
    message: str
    code: UserErrorCode


def user_errors(error: InputError, root: str = "input") -> list[UserError]:
    return [
        UserError(
            field=[root, *e.field] if e.field is not None else None,
            message=e.message,
            code=e.code,
        )
        for e in error.errors
    ]


class ApiError(Exception):
    """An error meant for the client, with a machine-readable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class Unauthenticated(ApiError):
    def __init__(self) -> None:
        super().__init__("Sign in to do this", "UNAUTHENTICATED")


class Forbidden(ApiError):
    def __init__(self, message: str = "You are not allowed to do this") -> None:
        super().__init__(message, "FORBIDDEN")


class MaskInternalErrors(SchemaExtension):
    """Client mistakes keep their message and code; anything else becomes INTERNAL."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            context = self.execution_context.context
            hints = _shows_hints(context)
            outage = next(filter(None, map(_outage, result.errors)), None)
            result.errors = [self._present(error, hints) for error in result.errors]
            if outage is not None:
                _answer_status(context, outage)

    def _present(self, error: GraphQLError, hints: bool = True) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            # A malformed or invalid document, or variables that do not fit their types.
            message = error.message if hints else _SUGGESTION.sub("", error.message)
            return _with_extensions(error, {"code": "BAD_REQUEST"}, message)
        if isinstance(original, ApiError):
            return _with_extensions(error, {"code": original.code})
        if isinstance(original, InputError):
            first = original.errors[0]
            return _with_extensions(
                error, {"code": first.code.value, "field": list(first.field or [])}
            )
        request_id = request_id_var.get()
        outage = outage_of(original)
        if outage is not None:
            log.warning("%s in %s: %r", outage.code, error.path, original)
            return GraphQLError(
                outage.message,
                nodes=error.nodes,
                path=error.path,
                extensions={
                    "code": outage.code,
                    "retryable": outage.retry_after is not None,
                    "requestId": request_id,
                },
            )
        if database_busy(original):
            log.warning("database busy in %s: %s", error.path, original)
            return GraphQLError(
                "The database is busy; nothing was changed. Try again in a moment.",
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "DATABASE_BUSY", "retryable": True, "requestId": request_id},
            )
        log.error("internal error in %s", error.path, exc_info=original)
        return GraphQLError(
            f"Internal server error (request {request_id})",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )


def _outage(error: GraphQLError) -> Outage | None:
    original = error.original_error
    return outage_of(original) if original is not None else None


def _answer_status(context: object, outage: Outage) -> None:
    """The whole answer says the database is out (503 with Retry-After, or 507), as the
    other routes do, so that clients and proxies see it without reading the body."""
    response = getattr(context, "response", None)
    if response is None:
        return
    response.status_code = outage.status
    for name, value in outage_headers(outage):
        response.headers[name.decode()] = value.decode()


_BUSY_MESSAGES = ("database is locked", "deadlock detected", "could not serialize access")


def database_busy(error: BaseException) -> bool:
    """Whether the database refused for now (SQLite's lock wait ran out, a PostgreSQL deadlock
    or serialisation failure): the transaction was rolled back and the same request can
    succeed when tried again."""
    if not isinstance(error, OperationalError | TransactionManagementError):
        return False
    return any(text in str(error).lower() for text in _BUSY_MESSAGES)


# graphql-core's "Did you mean 'contacts'?" would map the schema for a caller who may not read it.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _shows_hints(context: object) -> bool:
    """Suggestions are for staff and for development; in production, not for strangers."""
    settings = getattr(context, "settings", None)
    if settings is None or not settings.is_production:
        return True
    return getattr(context, "staff_user", None) is not None


def _with_extensions(
    error: GraphQLError, extensions: dict[str, object], message: str | None = None
) -> GraphQLError:
    # A new error, never the given one changed: the validation cache hands the same errors out
    # again to later requests.
    return GraphQLError(
        error.message if message is None else message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions={**(error.extensions or {}), **extensions},
    )
