from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from crm.notes.models import NoteKind
from crm.timeline.models import ActorKind, TimelineKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("crm", "0012_import_job_holder")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Note",
            fields=[
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                (
                    "updated_at",
                    fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False),
                ),
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="CALL: CALL\nMEETING: MEETING\nEMAIL: EMAIL\nOTHER: OTHER",
                        enum_type=NoteKind,
                        max_length=7,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="contact_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="logged_notes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "company",
                    fields.ForeignKeyField(
                        "crm.Company",
                        source_field="company_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="logged_notes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="notes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("author_name", fields.CharField(default="", max_length=200)),
            ],
            options={
                "table": "note",
                "app": "crm",
                "indexes": [Index(fields=["contact_id", "kind", "occurred_at"])],
                "pk_attr": "id",
            },
            bases=["TimestampFields", "Model"],
        ),
        ops.CreateModel(
            name="TimelineEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="NOTE: NOTE\nCREATED: CREATED\nUPDATED: UPDATED\nARCHIVED: ARCHIVED\nRESTORED: RESTORED\nCONVERTED: CONVERTED\nINVITED: INVITED\nINVITE_RESENT: INVITE_RESENT\nINVITE_REVOKED: INVITE_REVOKED\nACTIVATED: ACTIVATED\nEMAIL_SENT: EMAIL_SENT\nEMAIL_FAILED: EMAIL_FAILED\nADDED_TO_GROUP: ADDED_TO_GROUP\nREMOVED_FROM_GROUP: REMOVED_FROM_GROUP\nIMPORTED: IMPORTED\nCAMPAIGN_SENT: CAMPAIGN_SENT\nUNSUBSCRIBED: UNSUBSCRIBED\nMESSAGE: MESSAGE\nMERGED: MERGED\nPRIMARY_CONTACT_SET: PRIMARY_CONTACT_SET",
                        enum_type=TimelineKind,
                        max_length=20,
                    ),
                ),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="contact_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "company",
                    fields.ForeignKeyField(
                        "crm.Company",
                        source_field="company_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "subject_contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="subject_contact_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mentions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "note",
                    fields.ForeignKeyField(
                        "crm.Note",
                        source_field="note_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "actor_kind",
                    fields.CharEnumField(
                        description="STAFF: STAFF\nPORTAL: PORTAL\nIMPORT: IMPORT\nSYSTEM: SYSTEM",
                        enum_type=ActorKind,
                        max_length=6,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("actor_name", fields.CharField(max_length=200)),
                (
                    "changes",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "details",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "timeline_event",
                "app": "crm",
                "indexes": [
                    Index(fields=["contact_id", "occurred_at", "id"]),
                    Index(fields=["company_id", "occurred_at", "id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
