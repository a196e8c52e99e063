"""What a query may cost before it runs, and how many costly ones a caller runs at once.

The depth, alias and token limits bound a document's size, not its work: twenty aliases of
`contacts(first: 500) { ... company { contacts(first: 500) ... } }` is a small document that
asks for millions of values. The cost is the number of field values the query could produce:
each field counts once per value of its parent, and a list multiplies what is below it by its
page size (`first`/`last`, the default page size when absent), the number of ids asked for, or
a fixed guess for small lists (a contact's phones or groups).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from crm.core.pagination import DEFAULT_PAGE_SIZE
from crm.graphql.errors import ApiError

MAX_COST = 100_000
# A request that may cost more than this is "costly": a caller runs few of those at once.
COSTLY = 20_000
MAX_COSTLY_AT_ONCE = 2
SMALL_LIST_GUESS = 10


class QueryTooCostly(ApiError):
    def __init__(self, cost: int) -> None:
        super().__init__(
            f"This query could return about {cost:,} values; the limit is {MAX_COST:,}. "
            "Ask for smaller pages (first/last) or fewer nested lists.",
            "TOO_COMPLEX",
        )


class TooManyAtOnce(ApiError):
    def __init__(self) -> None:
        super().__init__(
            f"You already have {MAX_COSTLY_AT_ONCE} large requests running; "
            "wait for them to finish and try again.",
            "RATE_LIMITED",
        )


def _unwrap(type_: GraphQLType) -> GraphQLType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


class CostCounter:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection_cost(self, parent: GraphQLType, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        named = get_named_type(parent)
        total = 0
        for node, type_condition in self._fields(selection_set, named.name):
            field = self._field(type_condition or named, node.name.value)
            if field is None:  # __typename and other meta fields
                total += 1
                continue
            size = self._size(node, field, type_condition or named)
            total += 1 + size * self.selection_cost(field.type, node.selection_set)
        return total

    def _fields(
        self, selection_set: SelectionSetNode, parent_name: str
    ) -> Iterator[tuple[FieldNode, GraphQLType | None]]:
        """The fields of a selection set, fragments expanded, with the type they are on."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, None
            elif isinstance(selection, InlineFragmentNode):
                on = selection.type_condition
                condition = self.schema.get_type(on.name.value) if on else None
                for node, inner in self._fields(selection.selection_set, parent_name):
                    yield node, inner or condition
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    condition = self.schema.get_type(fragment.type_condition.name.value)
                    for node, inner in self._fields(fragment.selection_set, parent_name):
                        yield node, inner or condition

    def _field(self, type_: GraphQLType, name: str) -> GraphQLField | None:
        fields = getattr(get_named_type(type_), "fields", None)
        return fields.get(name) if fields else None

    def _size(self, node: FieldNode, field: GraphQLField, parent: GraphQLType) -> int:
        """How many values of this field's type one parent value can bring."""
        named = get_named_type(field.type)
        if get_named_type(parent).name.endswith("Connection"):
            return 1  # a connection's edges: its page size already counted them
        arguments = {argument.name.value: argument.value for argument in node.arguments or ()}
        if "first" in field.args or "last" in field.args:
            sizes = [self._int(arguments.get(name)) for name in ("first", "last")]
            given = [size for size in sizes if size is not None]
            return max(given) if given else DEFAULT_PAGE_SIZE
        if isinstance(_unwrap(field.type), GraphQLList) and isinstance(named, GraphQLObjectType):
            for value in arguments.values():
                if (count := self._list_length(value)) is not None:
                    return count
            return SMALL_LIST_GUESS
        return 1

    def _value(self, node: Any) -> Any:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return node

    def _int(self, node: Any) -> int | None:
        value = self._value(node)
        if isinstance(value, IntValueNode):
            value = int(value.value)
        return max(value, 0) if isinstance(value, int) else None

    def _list_length(self, node: Any) -> int | None:
        value = self._value(node)
        if isinstance(value, ListValueNode):
            return len(value.values)
        return len(value) if isinstance(value, list) else None


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    defaults = {
        definition.variable.name.value: definition.default_value
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    counter = CostCounter(schema, fragments, {**defaults, **variables})
    return counter.selection_cost(root, operation.selection_set)


class _CostlyRequests:
    """Costly requests in flight per caller, in this process."""

    def __init__(self) -> None:
        self.running: Counter[str] = Counter()

    def try_start(self, caller: str) -> bool:
        if self.running[caller] >= MAX_COSTLY_AT_ONCE:
            return False
        self.running[caller] += 1
        return True

    def finish(self, caller: str) -> None:
        self.running[caller] -= 1
        if self.running[caller] <= 0:
            del self.running[caller]


costly_requests = _CostlyRequests()


def caller_key(context: Any) -> str:
    session = getattr(context, "session", None)
    if session is not None:
        return f"session:{session.id}"
    return f"address:{context.client.ip}"


def _refusal(error: ApiError) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])


class QueryCostLimit(SchemaExtension):
    """Refuses a query whose cost is over MAX_COST before it runs, and a caller's third
    costly request while two are running."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = _operation(document, context.operation_name) if document else None
        if operation is None:
            yield
            return
        fragments = {
            definition.name.value: definition
            for definition in document.definitions  # type: ignore[union-attr]
            if isinstance(definition, FragmentDefinitionNode)
        }
        schema = context.schema._schema
        cost = operation_cost(schema, operation, fragments, context.variables or {})
        if cost > MAX_COST:
            context.result = _refusal(QueryTooCostly(cost))
            yield
            return
        if cost < COSTLY:
            yield
            return
        caller = caller_key(context.context)
        if not costly_requests.try_start(caller):
            context.result = _refusal(TooManyAtOnce())
            yield
            return
        try:
            yield
        finally:
            costly_requests.finish(caller)


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)
