"""Request ids and the per-request SQL query counter."""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_query_count: ContextVar[list[int] | None] = ContextVar("query_count", default=None)


class QueryCounter(logging.Handler):
    """Counts the statements Tortoise sends, for the request that sent them."""

    def emit(self, record: logging.LogRecord) -> None:
        counter = _query_count.get()
        if counter is not None and record.msg == "%s: %s":
            counter[0] += 1


_handler = QueryCounter(level=logging.DEBUG)


def enable_query_counting() -> None:
    """Turn on counting (it needs Tortoise's debug log records, so it is opt-in)."""
    logger = logging.getLogger("tortoise.db_client")
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False


def disable_query_counting() -> None:
    logger = logging.getLogger("tortoise.db_client")
    logger.removeHandler(_handler)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True


def start_counting() -> list[int]:
    counter = [0]
    _query_count.set(counter)
    return counter


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
