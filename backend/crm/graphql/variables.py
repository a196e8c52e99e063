"""Variables that no field can take: text with characters that do not exist."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from crm.core.errors import ErrorCode, InputError
from crm.core.json_values import broken_text_path


class RefuseBrokenText(SchemaExtension):
    """A lone surrogate ("\\ud800") in any variable is refused before anything runs, naming
    where it is; the document itself is checked by the parser (a syntax error)."""

    def on_execute(self) -> Iterator[None]:
        path = broken_text_path(self.execution_context.variables or {})
        if path is not None:
            refusal = InputError.single(
                path, "This text contains a character that is not valid Unicode", ErrorCode.INVALID
            )
            self.execution_context.result = ExecutionResult(
                data=None, errors=[GraphQLError(str(refusal), original_error=refusal)]
            )
        yield
