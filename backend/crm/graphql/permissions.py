"""Who may call what, and who may see what.

Root fields name their permission (`IsStaff`, `IsPortalContact`, `IsAdmin`, `Public`). Below
the root, every object type has an audience, checked each time a value of that type is
resolved, whatever path reached it: a staff-only type answered to a portal contact is refused
even if some field leads to it by mistake. Types are staff-only unless they say otherwise
with `@visible_to(...)`, so a new domain's types are closed by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.schema.schema_converter import GraphQLCoreConverter

from crm.auth.services import read_only_reason
from crm.contacts.models import Contact
from crm.graphql.audience import AUDIENCE_ATTRIBUTE, OWNER_ATTRIBUTE, Audience
from crm.graphql.context import Context, Info
from crm.graphql.errors import Forbidden, Unauthenticated
from crm.staff.models import StaffRole, StaffUser


def require_staff(info: Info) -> StaffUser:
    return _staff(info.context)


def _staff(context: Context) -> StaffUser:
    user = context.staff_user
    if user is None:
        if context.session is not None:
            raise Forbidden("Only staff can do this")
        raise Unauthenticated()
    return user


class IsStaff(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_staff(info)
        return True


def require_portal_contact(info: Info) -> Contact:
    return _portal_contact(info.context)


def _portal_contact(context: Context) -> Contact:
    contact = context.portal_contact
    if contact is None:
        if context.session is not None:
            raise Forbidden("Only a signed-in portal contact can do this")
        raise Unauthenticated()
    return contact


class IsPortalContact(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_portal_contact(info)
        return True


def _admin(context: Context) -> StaffUser:
    user = _staff(context)
    if user.role != StaffRole.ADMIN:
        raise Forbidden("Only administrators can do this")
    return user


class IsAdmin(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _admin(info.context)
        return True


class Public(BasePermission):
    """Marks a field anyone may call (sign-in and the like), so the schema walk can tell."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


def audience_of(type_: GraphQLObjectType) -> Audience:
    definition = type_.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None:
        return Audience.STAFF
    generic = getattr(definition, "concrete_of", None)
    if generic is not None:
        # A generic's specialisation (`Connection[ContactNode]`) is seen by whom its
        # argument is, unless the generic itself says otherwise.
        if AUDIENCE_ATTRIBUTE in vars(generic.origin):
            return _marked(generic.origin)
        arguments = list(definition.type_var_map.values())
        return _marked(arguments[0]) if len(arguments) == 1 else Audience.STAFF
    return _marked(definition.origin)


def _marked(cls: object) -> Audience:
    # The class's own marking only: a subclass of a public type is not public by inheritance.
    return (
        vars(cls).get(AUDIENCE_ATTRIBUTE, Audience.STAFF)
        if isinstance(cls, type)
        else (Audience.STAFF)
    )


def _signed_in(context: Context) -> None:
    if context.staff_user is None and context.portal_contact is None:
        raise Unauthenticated()


def _own_portal_data(context: Context, value: Any) -> None:
    contact = _portal_contact(context)
    owner = getattr(value, OWNER_ATTRIBUTE, None)
    if owner is not None and owner != contact.id:
        raise Forbidden("This belongs to someone else")


def _staff_or_owner(context: Context, value: Any) -> None:
    if context.staff_user is None:
        _own_portal_data(context, value)


_CHECKS: dict[Audience, Callable[[Context, Any], object] | None] = {
    Audience.ANYONE: None,
    Audience.SIGNED_IN: lambda context, _value: _signed_in(context),
    Audience.PORTAL: _own_portal_data,
    Audience.STAFF_OR_OWNER: _staff_or_owner,
    Audience.STAFF: lambda context, _value: _staff(context),
    Audience.ADMIN: lambda context, _value: _admin(context),
}

IsTypeOf = Callable[[Any, GraphQLResolveInfo], Any]


def _guarded(original: IsTypeOf | None, check: Callable[[Context, Any], object]) -> IsTypeOf:
    # graphql-core calls `is_type_of` before it resolves any field of an object value, on every
    # path, so this is the one place a value can be refused whatever reached it.
    def is_type_of(value: Any, info: GraphQLResolveInfo) -> bool:
        if original is not None and not original(value, info):
            return False  # not this type (abstract type resolution): nothing to refuse
        check(info.context, value)
        return True

    is_type_of.audience_checked = True  # type: ignore[attr-defined]
    return is_type_of


def guard_object_types(schema: GraphQLSchema) -> None:
    """Check each object type's audience whenever one of its values is resolved."""
    roots = {schema.query_type, schema.mutation_type, schema.subscription_type}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_ in roots:
            continue
        if type_.name.startswith("__"):
            continue  # introspection: governed by its own rule
        check = _CHECKS[audience_of(type_)]
        if check is not None:
            type_.is_type_of = _guarded(type_.is_type_of, check)


_SCHEMA_FIELDS = {"__schema", "__type"}


def _asks_for_schema(selection_set: SelectionSetNode | None) -> bool:
    if selection_set is None:
        return False
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value in _SCHEMA_FIELDS:
            return True
        if _asks_for_schema(getattr(selection, "selection_set", None)):
            return True
    return False


def introspects(document: DocumentNode) -> bool:
    """Whether any operation or fragment of the document reads the schema itself."""
    return any(
        _asks_for_schema(getattr(definition, "selection_set", None))
        for definition in document.definitions
    )


class IntrospectionForStaffInProduction(SchemaExtension):
    """In production only staff may read the schema (`__schema`, `__type`); `__typename` stays
    open. In development GraphiQL needs it, so it is open there."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        settings = getattr(context, "settings", None)
        if (
            settings is not None
            and settings.is_production
            and context.staff_user is None
            and execution.graphql_document is not None
            and introspects(execution.graphql_document)
        ):
            refusal = Forbidden() if context.session is not None else Unauthenticated()
            execution.result = ExecutionResult(
                data=None, errors=[GraphQLError(str(refusal), original_error=refusal)]
            )
        yield


# What a read-only session (an ADMIN viewing the portal as a contact) may still do.
MUTATIONS_WHILE_READ_ONLY = frozenset({"endImpersonation", "__typename"})


def _only_fields_named(selection_set: SelectionSetNode, allowed: frozenset[str]) -> bool:
    # A fragment at the root could hide any mutation: only plain fields are let through.
    return all(
        isinstance(selection, FieldNode) and selection.name.value in allowed
        for selection in selection_set.selections
    )


class ReadOnlySessions(SchemaExtension):
    """Every mutation is refused, before any of it runs, in a read-only session: here, once
    for all of them, so a mutation added later cannot forget. Queries run as usual."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        reason = read_only_reason(getattr(execution.context, "session", None))
        document = execution.graphql_document
        operation = (
            get_operation_ast(document, execution.operation_name)
            if reason is not None and document is not None
            else None
        )
        if (
            reason is not None
            and operation is not None
            and operation.operation == OperationType.MUTATION
            and not _only_fields_named(operation.selection_set, MUTATIONS_WHILE_READ_ONLY)
        ):
            refusal = Forbidden(reason)
            execution.result = ExecutionResult(
                data=None, errors=[GraphQLError(str(refusal), original_error=refusal)]
            )
        yield
