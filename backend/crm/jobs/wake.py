"""Wake-ups: ask this process's runners of one kind to look for work now.

A runner polls its table every few seconds; a service that has just queued work calls
`wake(kind)` so the runner looks at once. Call it after the transaction that queued the
work has committed: a runner woken before the commit does not see it yet (it then finds
it at its next poll). Other processes are not woken: they find the work at their poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

_events: dict[str, set[asyncio.Event]] = {}


def wake(kind: str) -> None:
    for event in _events.get(kind, ()):
        event.set()


@contextlib.contextmanager
def wake_ups(kind: str) -> Iterator[asyncio.Event]:
    """An event that `wake(kind)` sets, for as long as the block runs."""
    event = asyncio.Event()
    _events.setdefault(kind, set()).add(event)
    try:
        yield event
    finally:
        _events[kind].discard(event)
