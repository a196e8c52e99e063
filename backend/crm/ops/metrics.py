"""What is counted as requests go: GraphQL request latency by operation, GraphQL errors by
code (served at /metrics by crm.ops.scrape).

Several server processes (`crm serve --workers N`) share the counts through prometheus-client's
multiprocess mode (`crm serve` points PROMETHEUS_MULTIPROC_DIR at a fresh folder), so any
process answers a scrape with the totals of all of them. With one process the counts are kept
in memory.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from time import perf_counter

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from strawberry.extensions import SchemaExtension

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None

# Labels come from what clients send only as a checked name, and only so many of them: a
# client inventing names cannot grow the metrics without bound. The rest share OTHER.
OTHER = "other"
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
ERROR_CODE = re.compile(r"[A-Z][A-Z_]{0,39}")
MAX_OPERATION_LABELS = 200
MAX_ERROR_CODE_LABELS = 50

_counted = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram(
    "crm_graphql_request_duration_seconds",
    "Time to answer a GraphQL request (HTTP in to response out), by operation name",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=_counted,
)
GRAPHQL_ERRORS = Counter(
    "crm_graphql_errors",
    "Errors in GraphQL responses, by code (UNAUTHENTICATED, BAD_REQUEST, INTERNAL, ...)",
    ["code"],
    registry=_counted,
)


class BoundedLabels:
    """The label for a client-given name: itself while it is well formed and there is room."""

    def __init__(self, pattern: re.Pattern[str], limit: int) -> None:
        self.pattern = pattern
        self.limit = limit
        self.seen: set[str] = set()

    def label(self, name: object) -> str:
        if not isinstance(name, str) or not self.pattern.fullmatch(name):
            return OTHER
        if name not in self.seen:
            if len(self.seen) >= self.limit:
                return OTHER
            self.seen.add(name)
        return name


_operations = BoundedLabels(OPERATION_NAME, MAX_OPERATION_LABELS)
_error_codes = BoundedLabels(ERROR_CODE, MAX_ERROR_CODE_LABELS)
# The operation of the GraphQL request in hand, filled in by GraphQLMetrics.
_operation_of_request: ContextVar[list[str] | None] = ContextVar("graphql_operation", default=None)


@contextlib.contextmanager
def timing_graphql_request() -> Iterator[None]:
    """Time the request run inside, under the operation name GraphQLMetrics finds."""
    operation = [OTHER]
    token = _operation_of_request.set(operation)
    started = perf_counter()
    try:
        yield
    finally:
        REQUEST_SECONDS.labels(operation=operation[0]).observe(perf_counter() - started)
        _operation_of_request.reset(token)


class GraphQLMetrics(SchemaExtension):
    """Names the request's operation for its timing and counts the errors it answers with.

    Listed first among the schema's extensions so that it sees the errors after masking.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        operation = _operation_of_request.get()
        if operation is not None:
            operation[0] = _operation_label(context)
        result = context.result
        for error in getattr(result, "errors", None) or ():
            code = (error.extensions or {}).get("code")
            GRAPHQL_ERRORS.labels(code=_error_codes.label(code)).inc()


def _operation_label(context: object) -> str:
    """The operation's name if the request's document parsed and defines it, else OTHER."""
    document = getattr(context, "graphql_document", None)
    name = getattr(context, "operation_name", None)
    if document is None or name is None:
        return OTHER
    defined = {
        definition.name.value
        for definition in document.definitions
        if definition.kind == "operation_definition" and definition.name is not None
    }
    return _operations.label(name) if name in defined else OTHER


def counted_families() -> Iterable[Metric]:
    """The counts of this process, or of every server process in multiprocess mode."""
    if MULTIPROCESS_DIR is not None:
        return MultiProcessCollector(None, path=MULTIPROCESS_DIR).collect()
    return _counted.collect()
