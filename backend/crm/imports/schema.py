"""Import queries and mutations: thin resolvers over `crm.imports.services`."""

from __future__ import annotations

import strawberry

from crm.core.errors import InputError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, node_field
from crm.imports import services
from crm.imports.mapping import ImportField
from crm.imports.models import ImportJob
from crm.imports.types import (
    CancelImportInput,
    ImportJobNode,
    ImportJobPayload,
    PreviewImportInput,
    StartImportInput,
)

MAX_JOBS_LISTED = 100


def _plan(input: PreviewImportInput) -> services.ImportPlan:
    options = input.options
    plan = services.ImportPlan(
        columns=[
            (column.index, ImportField(column.field) if column.field else None)
            for column in input.columns
        ]
    )
    if options is not None:
        plan.duplicate_mode = options.duplicate_mode
        plan.new_group_name = options.new_group_name
        plan.default_type = options.default_type
        plan.default_status = options.default_status
        plan.consents = list(options.consents)
        plan.unknown_products = options.unknown_products
        plan.invalid_values = options.invalid_values
        if options.group_id:
            plan.group_id = decode_id(options.group_id, "Group", ("options", "groupId"))
    return plan


@strawberry.type
class ImportQuery:
    import_job = node_field(ImportJobNode, ImportJob, [IsStaff])

    @strawberry.field(permission_classes=[IsStaff], description="Newest first.")
    async def import_jobs(self, first: int = 20) -> list[ImportJobNode]:
        if not 0 <= first <= MAX_JOBS_LISTED:
            raise InputError.single(
                ("first",), f"`first` must be between 0 and {MAX_JOBS_LISTED}, got {first}"
            )
        rows = await ImportJob.all().order_by("-id").limit(first)
        return [ImportJobNode.from_model(row) for row in rows]


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Check every row with the chosen mapping and options, in the background: "
        "the job goes PREVIEWING, then PREVIEWED with `preview` filled in.",
    )
    @reports_input_errors
    async def preview_import(self, input: PreviewImportInput) -> ImportJobPayload:
        job_id = decode_id(input.job_id, "ImportJob", ("jobId",))
        job = await services.preview_import(job_id, _plan(input))
        return ImportJobPayload(job=ImportJobNode.from_model(job))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Import in the background: QUEUED, RUNNING (rowsDone grows), then DONE.",
    )
    @reports_input_errors
    async def start_import(self, input: StartImportInput) -> ImportJobPayload:
        job_id = decode_id(input.job_id, "ImportJob", ("jobId",))
        job = await services.start_import(job_id, _plan(input))
        return ImportJobPayload(job=ImportJobNode.from_model(job))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Stop a preview, or an import (the rows already imported stay).",
    )
    @reports_input_errors
    async def cancel_import(self, input: CancelImportInput) -> ImportJobPayload:
        job = await services.cancel_import(decode_id(input.job_id, "ImportJob", ("jobId",)))
        return ImportJobPayload(job=ImportJobNode.from_model(job))
