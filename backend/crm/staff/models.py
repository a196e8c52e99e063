"""Staff accounts: the people who work in the CRM."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.auth.links import OneTimeLink


class StaffRole(StrEnum):
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"


class StaffStatus(StrEnum):
    INVITED = "INVITED"  # has not chosen a password yet
    ACTIVE = "ACTIVE"
    DEACTIVATED = "DEACTIVATED"


class StaffUser(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=200, default="")
    # Empty until an invited colleague chooses their password.
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(StaffRole, max_length=10, default=StaffRole.MEMBER)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)
    invited_at = fields.DatetimeField(null=True)
    invited_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # What the user chose for their screens (e.g. each list's columns), kept on the server
    # so it follows them from one browser to another.
    preferences = fields.JSONField(null=True)

    class Meta:
        table = "staff_user"

    @property
    def status(self) -> StaffStatus:
        if not self.is_active:
            return StaffStatus.DEACTIVATED
        return StaffStatus.ACTIVE if self.password_hash else StaffStatus.INVITED


class StaffInviteLink(OneTimeLink):
    """The link an invited colleague follows to choose their password."""

    id = fields.IntField(primary_key=True)
    staff_user = fields.ForeignKeyField(
        "crm.StaffUser", related_name="invite_links", on_delete=fields.CASCADE
    )

    class Meta:
        table = "staff_invite_link"


class StaffPasswordReset(OneTimeLink):
    """A single-use, one-hour link to choose a new password ("forgot password")."""

    id = fields.IntField(primary_key=True)
    staff_user = fields.ForeignKeyField(
        "crm.StaffUser", related_name="password_resets", on_delete=fields.CASCADE
    )

    class Meta:
        table = "staff_password_reset"


class SetupLink(OneTimeLink):
    """The link `crm serve` prints while nobody has a staff account: it creates the first
    administrator, once."""

    id = fields.IntField(primary_key=True)

    class Meta:
        table = "setup_link"
