from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from crm.contacts.models import (
    ConsentSource,
    ContactStatus,
    ContactType,
    PhoneType,
    PortalStatus,
    Title,
)
from crm.staff.models import StaffRole


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Company",
            fields=[
                ("address_line1", fields.CharField(null=True, max_length=200)),
                ("address_line2", fields.CharField(null=True, max_length=200)),
                ("city", fields.CharField(null=True, max_length=100)),
                ("region", fields.CharField(null=True, max_length=100)),
                ("postal_code", fields.CharField(null=True, max_length=20)),
                ("country", fields.CharField(null=True, max_length=2)),
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
                ("name", fields.CharField(max_length=200)),
                ("sort_name", fields.CharField(db_index=True, max_length=200)),
                ("search_text", fields.TextField(default="", unique=False)),
                ("website", fields.CharField(null=True, max_length=300)),
                ("industry", fields.CharField(null=True, max_length=100)),
                ("phone", fields.CharField(null=True, max_length=20)),
                ("phone_country", fields.CharField(null=True, max_length=2)),
                ("notes", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "company", "app": "crm", "pk_attr": "id"},
            bases=["AddressFields", "TimestampFields", "Model"],
        ),
        ops.CreateModel(
            name="Contact",
            fields=[
                ("address_line1", fields.CharField(null=True, max_length=200)),
                ("address_line2", fields.CharField(null=True, max_length=200)),
                ("city", fields.CharField(null=True, max_length=100)),
                ("region", fields.CharField(null=True, max_length=100)),
                ("postal_code", fields.CharField(null=True, max_length=20)),
                ("country", fields.CharField(null=True, max_length=2)),
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
                    "title",
                    fields.CharEnumField(
                        null=True,
                        description="MR: MR\nMRS: MRS\nMS: MS\nMISS: MISS\nMX: MX\nDR: DR\nPROF: PROF",
                        enum_type=Title,
                        max_length=4,
                    ),
                ),
                ("first_name", fields.CharField(default="", max_length=100)),
                ("last_name", fields.CharField(max_length=100)),
                ("email", fields.CharField(null=True, max_length=254)),
                ("email_key", fields.CharField(null=True, unique=True, max_length=254)),
                (
                    "type",
                    fields.CharEnumField(
                        default=ContactType.LEAD,
                        description="LEAD: LEAD\nPROSPECT: PROSPECT\nCLIENT: CLIENT\nEMPLOYEE: EMPLOYEE\nOTHER: OTHER",
                        enum_type=ContactType,
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ContactStatus.NEW,
                        description="NEW: NEW\nCONTACTED: CONTACTED\nQUALIFIED: QUALIFIED\nCONVERTED: CONVERTED\nUNQUALIFIED: UNQUALIFIED",
                        enum_type=ContactStatus,
                        max_length=12,
                    ),
                ),
                ("job_title", fields.CharField(null=True, max_length=100)),
                (
                    "company",
                    fields.ForeignKeyField(
                        "crm.Company",
                        source_field="company_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="contacts",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("is_primary_contact", fields.BooleanField(default=False)),
                (
                    "portal_status",
                    fields.CharEnumField(
                        default=PortalStatus.NOT_INVITED,
                        description="NOT_INVITED: NOT_INVITED\nINVITED: INVITED\nACTIVE: ACTIVE",
                        enum_type=PortalStatus,
                        max_length=12,
                    ),
                ),
                (
                    "archived_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "last_contacted_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                ("sort_name", fields.CharField(db_index=True, max_length=201)),
                ("search_text", fields.TextField(default="", unique=False)),
                ("email_opt_in", fields.BooleanField(default=False)),
                (
                    "email_opt_in_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "email_opt_in_source",
                    fields.CharEnumField(
                        null=True,
                        description="STAFF: STAFF\nPORTAL: PORTAL\nIMPORT: IMPORT\nUNSUBSCRIBE: UNSUBSCRIBE",
                        enum_type=ConsentSource,
                        max_length=11,
                    ),
                ),
                ("sms_opt_in", fields.BooleanField(default=False)),
                (
                    "sms_opt_in_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "sms_opt_in_source",
                    fields.CharEnumField(
                        null=True,
                        description="STAFF: STAFF\nPORTAL: PORTAL\nIMPORT: IMPORT\nUNSUBSCRIBE: UNSUBSCRIBE",
                        enum_type=ConsentSource,
                        max_length=11,
                    ),
                ),
                ("phone_opt_in", fields.BooleanField(default=False)),
                (
                    "phone_opt_in_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "phone_opt_in_source",
                    fields.CharEnumField(
                        null=True,
                        description="STAFF: STAFF\nPORTAL: PORTAL\nIMPORT: IMPORT\nUNSUBSCRIBE: UNSUBSCRIBE",
                        enum_type=ConsentSource,
                        max_length=11,
                    ),
                ),
                ("post_opt_in", fields.BooleanField(default=False)),
                (
                    "post_opt_in_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "post_opt_in_source",
                    fields.CharEnumField(
                        null=True,
                        description="STAFF: STAFF\nPORTAL: PORTAL\nIMPORT: IMPORT\nUNSUBSCRIBE: UNSUBSCRIBE",
                        enum_type=ConsentSource,
                        max_length=11,
                    ),
                ),
            ],
            options={
                "table": "contact",
                "app": "crm",
                "indexes": [
                    Index(fields=["company_id", "is_primary_contact"]),
                    Index(fields=["archived_at", "sort_name"]),
                ],
                "pk_attr": "id",
            },
            bases=["AddressFields", "TimestampFields", "Model"],
        ),
        ops.CreateModel(
            name="LoginFailure",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("scope", fields.CharField(max_length=10)),
                ("key", fields.CharField(max_length=254)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "login_failure",
                "app": "crm",
                "indexes": [Index(fields=["scope", "key", "created_at"])],
                "pk_attr": "id",
                "table_description": "One failed sign-in, counted per account and per client address within a window.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PhoneNumber",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="contact_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="phones",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "type",
                    fields.CharEnumField(
                        default=PhoneType.MOBILE,
                        description="MOBILE: MOBILE\nOFFICE: OFFICE\nHOME: HOME\nFAX: FAX\nOTHER: OTHER",
                        enum_type=PhoneType,
                        max_length=6,
                    ),
                ),
                ("e164", fields.CharField(max_length=20)),
                ("country", fields.CharField(max_length=2)),
                ("national", fields.CharField(max_length=40)),
                ("international", fields.CharField(max_length=40)),
                ("is_primary", fields.BooleanField(default=False)),
                ("position", fields.SmallIntField(default=0)),
            ],
            options={
                "table": "phone_number",
                "app": "crm",
                "indexes": [Index(fields=["contact_id", "position"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StaffUser",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("name", fields.CharField(default="", max_length=200)),
                ("password_hash", fields.CharField(max_length=255)),
                (
                    "role",
                    fields.CharEnumField(
                        default=StaffRole.MEMBER,
                        description="ADMIN: ADMIN\nMEMBER: MEMBER",
                        enum_type=StaffRole,
                        max_length=10,
                    ),
                ),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "last_login_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={"table": "staff_user", "app": "crm", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "staff_user",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="staff_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "expires_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ip", fields.CharField(default="", max_length=64)),
                ("user_agent", fields.CharField(default="", max_length=300)),
            ],
            options={
                "table": "session",
                "app": "crm",
                "pk_attr": "id",
                "table_description": "A signed-in browser. The cookie holds a random token, and only its hash is stored.",
            },
            bases=["Model"],
        ),
    ]
