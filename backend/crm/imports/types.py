"""GraphQL types for imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from crm.contacts import models as contact_models
from crm.contacts.types import Channel, ContactStatus, ContactType
from crm.duplicates.types import ImportPossibleDuplicate
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.relay import Node, to_global_id
from crm.groups.models import Group
from crm.groups.types import GroupNode
from crm.imports import mapping, models, services

ImportJobState = strawberry.enum(models.ImportState, name="ImportJobState")
ImportDuplicateMode = strawberry.enum(models.DuplicateMode, name="ImportDuplicateMode")
ImportField = strawberry.enum(mapping.ImportField, name="ImportField")
ImportTarget = strawberry.enum(mapping.ImportTarget, name="ImportTarget")
ImportUnknownProducts = strawberry.enum(
    models.UnknownProducts,
    name="ImportUnknownProducts",
    description="What a product name the catalogue lacks does: CREATE the product, or REPORT "
    "the row as failed.",
)
ImportInvalidValues = strawberry.enum(
    models.InvalidValues,
    name="ImportInvalidValues",
    description="What an invalid value does: SKIP_ROW (the row fails), or DROP_FIELD (the row "
    "is imported without that field, which the failed-rows file reports).",
)


@strawberry.type
class ImportColumn:
    index: int = strawberry.field(description="0-based position of the column in the file.")
    header: str = strawberry.field(description='As in the file ("Column C" when empty).')
    field: ImportField | None = strawberry.field(  # type: ignore[valid-type]
        description="The field the column fills: proposed after upload, then as chosen."
    )
    samples: list[str] = strawberry.field(description="Values from several rows of the file.")


@strawberry.type
class ImportOptions:
    duplicate_mode: ImportDuplicateMode  # type: ignore[valid-type]
    new_group_name: str | None
    default_type: ContactType  # type: ignore[valid-type]
    default_status: ContactStatus  # type: ignore[valid-type]
    consents: list[Channel] = strawberry.field(  # type: ignore[valid-type]
        description="The channels everyone in the file agreed to (consent source IMPORT)."
    )
    unknown_products: ImportUnknownProducts  # type: ignore[valid-type]
    invalid_values: ImportInvalidValues  # type: ignore[valid-type]
    group_id: strawberry.Private[int | None]

    @strawberry.field(description="The group every imported contact goes into.")
    async def group(self) -> GroupNode | None:
        if self.group_id is None:
            return None
        row = await Group.get_or_none(id=self.group_id)
        return GroupNode.from_model(row) if row else None


@strawberry.type
class ImportRowError:
    row: int = strawberry.field(description="The row as a spreadsheet numbers it (header = 1).")
    column: str | None
    field: ImportField | None  # type: ignore[valid-type]
    message: str
    code: str
    name: str | None = strawberry.field(
        description="The contact the row is about, as the file names it."
    )
    email: str | None = strawberry.field(description="The row's email, as the file gives it.")
    dropped: bool = strawberry.field(
        description="The row was imported without this field (invalidValues DROP_FIELD)."
    )

    @classmethod
    def from_dict(cls, row: int, error: dict[str, Any]) -> ImportRowError:
        return cls(
            row=row,
            column=error.get("column"),
            field=mapping.ImportField(error["field"]) if error.get("field") else None,
            message=error["message"],
            code=error["code"],
            name=error.get("name"),
            email=error.get("email"),
            dropped=bool(error.get("dropped")),
        )


@strawberry.type
class ImportPreview:
    total_rows: int
    valid_rows: int
    invalid_rows: int
    new_rows: int = strawberry.field(description="Valid rows that would create a contact.")
    existing_rows: int = strawberry.field(
        description="Rows whose email belongs to a contact already (skipped, updated or "
        "reported, as the duplicate mode says)."
    )
    in_file_duplicate_rows: int = strawberry.field(
        description="Rows repeating an email seen on an earlier row of the file."
    )
    partial_rows: int = strawberry.field(
        description="Valid rows that would be imported without a field (DROP_FIELD)."
    )
    errors: list[ImportRowError] = strawberry.field(description="The first 100 problems.")
    possible_duplicate_rows: int = strawberry.field(
        default=0,
        description="Rows that would create a contact looking like a saved one (another "
        "email, but the same phone, or a similar name at the same company, city or domain).",
    )
    possible_duplicates: list[ImportPossibleDuplicate] = strawberry.field(
        default_factory=list, description="The first 100 of those rows, each with its look-alike."
    )


@strawberry.type(name="ImportJob")
class ImportJobNode(Node):
    id: strawberry.ID
    target: ImportTarget = strawberry.field(  # type: ignore[valid-type]
        description="What the rows become: contacts, or companies."
    )
    file_name: str
    format: str
    encoding: str | None
    delimiter: str | None
    state: ImportJobState  # type: ignore[valid-type]
    total_rows: int | None
    rows_done: int = strawberry.field(description="Progress of the preview or the import.")
    created_count: int
    updated_count: int
    skipped_count: int
    failed_count: int
    partial_count: int = strawberry.field(
        description="Rows imported without a field whose value was invalid (DROP_FIELD); the "
        "failed-rows file lists them too."
    )
    error_message: str | None = strawberry.field(
        description="Why the job failed, and where it stopped."
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    row: strawberry.Private[models.ImportJob]

    @classmethod
    def from_model(cls, row: models.ImportJob) -> ImportJobNode:
        return cls(
            id=to_global_id("ImportJob", row.id),
            target=row.target,
            file_name=row.file_name,
            format=row.format,
            encoding=row.encoding,
            delimiter=row.delimiter,
            state=row.state,
            total_rows=row.total_rows,
            rows_done=row.rows_done,
            created_count=row.created_count,
            updated_count=row.updated_count,
            skipped_count=row.skipped_count,
            failed_count=row.failed_count,
            partial_count=row.partial_count,
            error_message=row.error_message,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            row=row,
        )

    @strawberry.field
    def columns(self) -> list[ImportColumn]:
        chosen = {item["index"]: item.get("field") for item in self.row.mapping}
        samples = self.row.samples or []
        return [
            ImportColumn(
                index=index,
                header=header,
                field=mapping.ImportField(chosen[index]) if chosen.get(index) else None,
                samples=samples[index] if index < len(samples) else [],
            )
            for index, header in enumerate(self.row.headers)
        ]

    @strawberry.field
    def options(self) -> ImportOptions:
        return ImportOptions(
            duplicate_mode=self.row.duplicate_mode,
            new_group_name=self.row.new_group_name,
            default_type=contact_models.ContactType(self.row.default_type),
            default_status=contact_models.ContactStatus(self.row.default_status),
            consents=[contact_models.Channel(channel) for channel in self.row.consents],
            unknown_products=self.row.unknown_products,
            invalid_values=self.row.invalid_values,
            group_id=self.row.group_id,  # type: ignore[attr-defined]
        )

    @strawberry.field
    def preview(self) -> ImportPreview | None:
        found = self.row.preview
        if found is None:
            return None
        return ImportPreview(
            total_rows=found["total"],
            valid_rows=found["valid"],
            invalid_rows=found["invalid"],
            new_rows=found["new"],
            existing_rows=found["existing"],
            in_file_duplicate_rows=found["in_file"],
            partial_rows=found.get("partial", 0),
            errors=[ImportRowError.from_dict(e["row"], e) for e in found["errors"]],
            possible_duplicate_rows=found.get("look_alikes", 0),
            possible_duplicates=[
                ImportPossibleDuplicate.from_dict(alike)
                for alike in found.get("look_alike_rows", [])
            ],
        )

    @strawberry.field(description="The first 100 problems of the run, by row.")
    async def errors(self, info: Info) -> list[ImportRowError]:
        if not self.row.failed_count and not self.row.partial_count:
            return []
        rows = await services.failed_rows(self.row, limit=services.MAX_LISTED_ERRORS)
        return [
            ImportRowError.from_dict(row.row_number, error) for row in rows for error in row.errors
        ][: services.MAX_LISTED_ERRORS]

    @strawberry.field(description="Download of the failed rows as CSV, with an Error column.")
    def failed_rows_url(self) -> str | None:
        if not self.row.failed_count and not self.row.partial_count:
            return None
        return f"/import/{self.id}/failed.csv"


@strawberry.type
class ImportJobPayload:
    job: ImportJobNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ImportColumnInput:
    index: int
    field: ImportField | None = None  # type: ignore[valid-type]


@strawberry.input
class ImportOptionsInput:
    duplicate_mode: ImportDuplicateMode = models.DuplicateMode.SKIP  # type: ignore[valid-type]
    group_id: strawberry.ID | None = None
    new_group_name: str | None = None
    default_type: ContactType = contact_models.ContactType.LEAD  # type: ignore[valid-type]
    default_status: ContactStatus = contact_models.ContactStatus.NEW  # type: ignore[valid-type]
    consents: list[Channel] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list,
        description="The channels everyone in the file agreed to: consent is recorded for them "
        "(source IMPORT) on every row whose consent column does not say otherwise; none by "
        "default, and an import records no consent from filled-in emails, phones or addresses. "
        "SMS only when SMS is enabled.",
    )
    unknown_products: ImportUnknownProducts = models.UnknownProducts.REPORT  # type: ignore[valid-type]
    invalid_values: ImportInvalidValues = models.InvalidValues.SKIP_ROW  # type: ignore[valid-type]


@strawberry.input
class PreviewImportInput:
    job_id: strawberry.ID
    columns: list[ImportColumnInput] = strawberry.field(
        description="Every column to import with the field it fills; others are ignored."
    )
    options: ImportOptionsInput | None = None


@strawberry.input
class StartImportInput(PreviewImportInput):
    pass


@strawberry.input
class CancelImportInput:
    job_id: strawberry.ID
