"""Log records a test can read, with or without pytest's logging plugin (`-p no:logging`)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def attached(logger_name: str, handler: logging.Handler, level: int) -> Iterator[None]:
    """`handler` on the logger, which lets records of `level` and above through, while the
    block runs."""
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@contextlib.contextmanager
def records_of(logger_name: str) -> Iterator[list[logging.LogRecord]]:
    """The records the logger (and its children) writes while the block runs."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    with attached(logger_name, Keep(level=logging.DEBUG), logging.DEBUG):
        yield records
