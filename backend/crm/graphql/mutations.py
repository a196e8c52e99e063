"""Every mutation answers the same way: the changed object(s), or the input's problems.

Services raise `InputError` for anything wrong with what the caller sent (and change
nothing); `reports_input_errors` turns it into the payload's `errors`, so a resolver is only
"decode, call the service, build the payload".
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from crm.core.errors import InputError
from crm.graphql.errors import user_errors

P = ParamSpec("P")
PayloadT = TypeVar("PayloadT")


def reports_input_errors(
    resolve: Callable[P, Awaitable[PayloadT]],
) -> Callable[P, Awaitable[PayloadT]]:
    """Place under `@strawberry.mutation`: an `InputError` becomes `Payload(errors=...)`,
    the payload being the resolver's return type."""

    @functools.wraps(resolve)
    async def resolver(*args: P.args, **kwargs: P.kwargs) -> PayloadT:
        try:
            return await resolve(*args, **kwargs)
        except InputError as error:
            return _payload_type(resolve)(errors=user_errors(error))  # type: ignore[no-any-return]

    return resolver


@functools.cache
def _payload_type(resolve: Callable[..., Any]) -> Any:
    # Only the return annotation: the others may name types imported for type checking only.
    annotation = inspect.get_annotations(resolve)["return"]
    if isinstance(annotation, str):
        annotation = eval(annotation, resolve.__globals__)
    return annotation
