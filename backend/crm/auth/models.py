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
    # A portal session opened by this ADMIN to view the portal as the contact: read-only.
    impersonated_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name="impersonations", null=True, on_delete=fields.CASCADE
    )

    class Meta:
        table = "session"
        # Signing someone out everywhere, deleting a contact or a staff account.
        indexes = (("staff_user_id",), ("contact_id",))


class LoginFailure(Model):
    """One sign-in attempt, counted as failed from before its password is checked.

    The row is written first and removed when the password proves right, so concurrent
    attempts cannot all find the count under the limit (see `LoginThrottle`).
    """

    id = fields.IntField(primary_key=True)
    # The account as sign-in looks it up ("staff:" or "portal:" and the email's key).
    account = fields.CharField(max_length=300)
    ip = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "login_failure"
        # Counted by account and by address; old rows are swept by age.
        indexes = (("account", "created_at"), ("ip", "created_at"), ("created_at",))
