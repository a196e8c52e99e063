"""Import jobs and the rows they could not import."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.fields.db_defaults import SqlDefault
from tortoise.models import Model

from crm.imports.mapping import ImportTarget


class ImportState(StrEnum):
    UPLOADED = "UPLOADED"
    PREVIEWING = "PREVIEWING"
    PREVIEWED = "PREVIEWED"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


# States a runner picks up (again, after a crash, once the lease has run out).
ACTIVE_STATES = (ImportState.PREVIEWING, ImportState.QUEUED, ImportState.RUNNING)
FINISHED_STATES = (ImportState.DONE, ImportState.FAILED, ImportState.CANCELLED)


class DuplicateMode(StrEnum):
    SKIP = "SKIP"
    UPDATE = "UPDATE"
    ERROR = "ERROR"


class UnknownProducts(StrEnum):
    """What a product name the catalogue does not have does to its row."""

    CREATE = "CREATE"
    REPORT = "REPORT"


class InvalidValues(StrEnum):
    """What an invalid value does to its row: skip the row, or import it without the field."""

    SKIP_ROW = "SKIP_ROW"
    DROP_FIELD = "DROP_FIELD"


class ImportJob(Model):
    id = fields.IntField(primary_key=True)
    created_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name="import_jobs", null=True, on_delete=fields.SET_NULL
    )
    target = fields.CharEnumField(
        ImportTarget,
        max_length=10,
        default=ImportTarget.CONTACTS,
        db_default=SqlDefault("'CONTACTS'"),
    )
    file_name = fields.CharField(max_length=255)
    # The name of a run's local copy of the upload (the upload itself: ImportUploadChunk).
    stored_name = fields.CharField(max_length=100)
    format = fields.CharField(max_length=4)
    encoding = fields.CharField(max_length=20, null=True)
    delimiter = fields.CharField(max_length=1, null=True)
    header_row = fields.IntField(default=1)
    headers = fields.JSONField(default=list)
    samples = fields.JSONField(default=list)
    # [{"index": 0, "field": "EMAIL"}, ...]: the proposal, then the user's choice.
    mapping = fields.JSONField(default=list)
    duplicate_mode = fields.CharEnumField(DuplicateMode, max_length=6, default=DuplicateMode.SKIP)
    group = fields.ForeignKeyField(
        "crm.Group", related_name="import_jobs", null=True, on_delete=fields.SET_NULL
    )
    new_group_name = fields.CharField(max_length=100, null=True)
    default_type = fields.CharField(max_length=10, default="LEAD")
    default_status = fields.CharField(max_length=12, default="NEW")
    # ["EMAIL", "POST"]: channels everyone in the file agreed to, for rows that do not say.
    consents = fields.JSONField(default=list, db_default=SqlDefault("'[]'"))
    unknown_products = fields.CharEnumField(
        UnknownProducts,
        max_length=6,
        default=UnknownProducts.REPORT,
        db_default=SqlDefault("'REPORT'"),
    )
    invalid_values = fields.CharEnumField(
        InvalidValues,
        max_length=10,
        default=InvalidValues.SKIP_ROW,
        db_default=SqlDefault("'SKIP_ROW'"),
    )
    state = fields.CharEnumField(ImportState, max_length=10, default=ImportState.UPLOADED)
    total_rows = fields.IntField(null=True)
    # Data rows read so far (empty rows included); a restarted run resumes after them.
    rows_done = fields.IntField(default=0)
    created_count = fields.IntField(default=0)
    updated_count = fields.IntField(default=0)
    skipped_count = fields.IntField(default=0)
    failed_count = fields.IntField(default=0)
    # Rows imported without a field whose value was invalid (InvalidValues.DROP_FIELD).
    partial_count = fields.IntField(default=0, db_default=0)
    preview = fields.JSONField(null=True)
    error_message = fields.TextField(null=True)
    # The runner holding the job, until when (see crm.jobs.queue).
    claimed_by = fields.CharField(max_length=100, null=True)
    lease_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_job"


class ImportFailedRow(Model):
    """A row the import refused, with its cells as read, ready to fix and import again."""

    id = fields.IntField(primary_key=True)
    job = fields.ForeignKeyField(
        "crm.ImportJob", related_name="failed_rows", on_delete=fields.CASCADE
    )
    row_number = fields.IntField()
    cells = fields.JSONField()
    # [{"column": "Email", "field": "EMAIL", "message": "...", "code": "INVALID"}, ...]
    errors = fields.JSONField()

    class Meta:
        table = "import_failed_row"
        indexes = (("job_id", "row_number"),)


class ImportUploadChunk(Model):
    """A piece of an uploaded file, kept in the database until its job ends, so that a runner
    on any app server can read it (`crm.imports.uploads`)."""

    id = fields.IntField(primary_key=True)
    job = fields.ForeignKeyField(
        "crm.ImportJob", related_name="upload_chunks", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    data = fields.BinaryField()

    class Meta:
        table = "import_upload_chunk"
        unique_together = (("job_id", "position"),)
