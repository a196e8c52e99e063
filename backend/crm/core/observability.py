"""Request ids, log formats and the per-request SQL query counter."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

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


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors: time, level, logger, message, request id
    (null outside a request), and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", request_id_var.get())
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if request_id == "-" else request_id,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def log_formatter(log_format: str) -> logging.Formatter:
    """The formatter for CRM_LOG_FORMAT: "json", or readable text."""
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(log_formatter(log_format))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
