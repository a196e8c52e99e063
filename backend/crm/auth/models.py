"""Sign-in sessions and the record of failed sign-ins used for throttling."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Session(Model):
    """A signed-in browser. The cookie holds a random token, and only its hash is stored."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    staff_user = fields.ForeignKeyField(
        "crm.StaffUser", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    # A portal session belongs to a contact instead of a staff user.
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)
    last_seen_at = fields.DatetimeField()
    ip = fields.CharField(max_length=64, default="")
    user_agent = fields.CharField(max_length=300, default="")

    class Meta:
        table = "session"


class LoginFailure(Model):
    """One failed sign-in, counted per account and per client address within a window."""

    id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=10)
    key = fields.CharField(max_length=254)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "login_failure"
        indexes = (("scope", "key", "created_at"),)
