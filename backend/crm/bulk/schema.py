"""Bulk operations in the API: preview, start, follow and cancel; thin resolvers over
`crm.bulk.services`."""

from __future__ import annotations

import strawberry

from crm.bulk import services
from crm.bulk.actions import ActionParams
from crm.bulk.models import BulkOperation
from crm.bulk.types import BulkAction, BulkOperationNode, BulkOperationPayload, BulkPreview
from crm.contacts.listing import filter_spec
from crm.contacts.types import ContactFilter, ContactStatus, ContactType
from crm.core.errors import ErrorCollector
from crm.graphql.context import Info
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id, node_field, optional_pk, pk_of


@strawberry.input
class ContactSelectionInput:
    contact_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="These contacts (at most 10,000)."
    )
    filter: ContactFilter | None = strawberry.field(
        default=None,
        description="Or every contact of a list view: its filter and search (as `contacts` "
        "takes them), evaluated batch by batch as the work runs.",
    )
    search: str | None = None
    except_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="With a view: contacts left out of it (unticked after 'Select all N').",
    )
    view: bool | None = strawberry.field(
        default=False,
        description="true: the whole view (filter/search, even when both are null = every "
        "contact the list shows). Exactly one of contactIds or view: true.",
    )


@strawberry.input
class BulkOperationInput:
    action: BulkAction  # type: ignore[valid-type]
    selection: ContactSelectionInput
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="ADD_TO_GROUP, REMOVE_FROM_GROUP (required for them)."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="ADD_PRODUCT (required)."
    )
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="SET_COMPANY (null: no company)."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="SET_OWNER (null: nobody)."
    )
    type: ContactType | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="SET_TYPE (required)."
    )
    status: ContactStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="SET_STATUS (required)."
    )
    confirm_count: int | None = strawberry.field(
        default=None,
        description="DELETE: required, must equal the number matching now (the typed "
        "confirmation).",
    )


@strawberry.input
class CancelBulkOperationInput:
    id: strawberry.ID


def _ids(given: list[strawberry.ID] | None) -> list[int] | None:
    return None if given is None else sorted({pk_of(global_id, "Contact") for global_id in given})


def _request(input: BulkOperationInput) -> services.BulkRequest:
    given = input.selection
    errors = ErrorCollector()
    services.check_selection(given.contact_ids, bool(given.view), given.except_ids, errors)
    errors.raise_if_any()
    ids, except_ids = _ids(given.contact_ids), _ids(given.except_ids)
    if ids is not None:
        selection = services.Selection(ids=ids)
    else:
        selection = services.Selection(
            spec=filter_spec(given.filter), search=given.search, except_ids=except_ids or []
        )
    params = ActionParams(
        group_id=optional_pk(input.group_id, "Group"),
        product_id=optional_pk(input.product_id, "Product"),
        company_id=optional_pk(input.company_id, "Company"),
        owner_id=optional_pk(input.owner_id, "StaffUser"),
        type=input.type,
        status=input.status,
    )
    return services.BulkRequest(input.action, selection, params, input.confirm_count)


@strawberry.type
class BulkQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="What the action would do to the selection now: how many match, how "
        "many it changes, and why it would leave the others (for the confirm dialog).",
    )
    async def bulk_preview(self, input: BulkOperationInput) -> BulkPreview:
        return BulkPreview.of(await services.preview(_request(input)))

    bulk_operation = node_field(BulkOperationNode, BulkOperation, [IsStaff])


@strawberry.type
class BulkMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Start an action on many contacts, run in the background a batch at a "
        "time, each change on the contact's timeline; poll `bulkOperation` for progress.",
    )
    @reports_input_errors
    async def start_bulk_operation(
        self, info: Info, input: BulkOperationInput
    ) -> BulkOperationPayload:
        operation = await services.start_operation(_request(input), require_staff(info))
        return BulkOperationPayload(operation=BulkOperationNode.from_model(operation))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Stop a queued or running operation after the batch in hand; what was "
        "done stays done.",
    )
    @reports_input_errors
    async def cancel_bulk_operation(self, input: CancelBulkOperationInput) -> BulkOperationPayload:
        operation_id = decode_id(input.id, "BulkOperation", ("id",))
        operation = await services.cancel_operation(operation_id)
        return BulkOperationPayload(operation=BulkOperationNode.from_model(operation))
