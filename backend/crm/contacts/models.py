"""Contacts (people), their phone numbers and communication preferences."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.core.models import AddressFields, TimestampFields


class Title(StrEnum):
    MR = "MR"
    MRS = "MRS"
    MS = "MS"
    MISS = "MISS"
    MX = "MX"
    DR = "DR"
    PROF = "PROF"


class ContactType(StrEnum):
    LEAD = "LEAD"
    PROSPECT = "PROSPECT"
    CLIENT = "CLIENT"
    EMPLOYEE = "EMPLOYEE"
    OTHER = "OTHER"


class ContactStatus(StrEnum):
    NEW = "NEW"
    CONTACTED = "CONTACTED"
    QUALIFIED = "QUALIFIED"
    CONVERTED = "CONVERTED"
    UNQUALIFIED = "UNQUALIFIED"


class PortalStatus(StrEnum):
    NOT_INVITED = "NOT_INVITED"
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"


class PhoneType(StrEnum):
    MOBILE = "MOBILE"
    OFFICE = "OFFICE"
    HOME = "HOME"
    FAX = "FAX"
    OTHER = "OTHER"


class Channel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    PHONE = "PHONE"
    POST = "POST"


class ConsentSource(StrEnum):
    STAFF = "STAFF"
    PORTAL = "PORTAL"
    IMPORT = "IMPORT"
    UNSUBSCRIBE = "UNSUBSCRIBE"


class Contact(AddressFields, TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharEnumField(Title, max_length=4, null=True)
    first_name = fields.CharField(max_length=100, default="")
    last_name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254, null=True)
    # The address folded to lower case: unique, so two contacts never share an address.
    email_key = fields.CharField(max_length=254, null=True, unique=True)
    type = fields.CharEnumField(ContactType, max_length=10, default=ContactType.LEAD)
    status = fields.CharEnumField(ContactStatus, max_length=12, default=ContactStatus.NEW)
    job_title = fields.CharField(max_length=100, null=True)
    company = fields.ForeignKeyField(
        "crm.Company", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    # The staff user whose contact it is; kept when they are deactivated, until reassigned.
    owner = fields.ForeignKeyField(
        "crm.StaffUser", related_name="owned_contacts", null=True, on_delete=fields.SET_NULL
    )
    # At most one per company: a partial unique index (migration 0002) holds it under races.
    is_primary_contact = fields.BooleanField(default=False)
    portal_status = fields.CharEnumField(
        PortalStatus, max_length=12, default=PortalStatus.NOT_INVITED
    )
    portal_invited_at = fields.DatetimeField(null=True)
    portal_last_invited_at = fields.DatetimeField(null=True)
    portal_activated_at = fields.DatetimeField(null=True)
    portal_last_login_at = fields.DatetimeField(null=True)
    archived_at = fields.DatetimeField(null=True)
    last_contacted_at = fields.DatetimeField(null=True, db_index=True)
    # 0: no avatar; else its version (crm.avatars), part of its URL, so the URL changes with it.
    avatar_version = fields.BigIntField(default=0, db_default=0)
    # Accent- and case-folded "last first", the key of the NAME sort order.
    sort_name = fields.CharField(max_length=201, db_index=True)
    # The folded city, so filters match "Zurich" and "ZÜRICH" alike.
    city_key = fields.CharField(max_length=100, null=True, db_index=True)
    # Folded words of the name, email and phone digits that `search` matches.
    search_text = fields.TextField(default="")

    email_opt_in = fields.BooleanField(default=False)
    email_opt_in_at = fields.DatetimeField(null=True)
    email_opt_in_source = fields.CharEnumField(ConsentSource, max_length=11, null=True)
    sms_opt_in = fields.BooleanField(default=False)
    sms_opt_in_at = fields.DatetimeField(null=True)
    sms_opt_in_source = fields.CharEnumField(ConsentSource, max_length=11, null=True)
    phone_opt_in = fields.BooleanField(default=False)
    phone_opt_in_at = fields.DatetimeField(null=True)
    phone_opt_in_source = fields.CharEnumField(ConsentSource, max_length=11, null=True)
    post_opt_in = fields.BooleanField(default=False)
    post_opt_in_at = fields.DatetimeField(null=True)
    post_opt_in_source = fields.CharEnumField(ConsentSource, max_length=11, null=True)

    class Meta:
        table = "contact"
        # Each list order has an index that starts with the archived filter every list uses.
        indexes = (
            ("company_id", "is_primary_contact"),
            ("archived_at", "sort_name"),
            ("archived_at", "created_at"),
            ("archived_at", "updated_at"),
            ("archived_at", "last_contacted_at"),
            ("owner_id", "archived_at", "sort_name"),
        )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PhoneNumber(Model):
    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField("crm.Contact", related_name="phones", on_delete=fields.CASCADE)
    type = fields.CharEnumField(PhoneType, max_length=6, default=PhoneType.MOBILE)
    e164 = fields.CharField(max_length=20)
    country = fields.CharField(max_length=2)
    national = fields.CharField(max_length=40)
    international = fields.CharField(max_length=40)
    is_primary = fields.BooleanField(default=False)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "phone_number"
        indexes = (("contact_id", "position"),)
