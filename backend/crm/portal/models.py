"""The client portal: invitations, portal passwords and password-reset links."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.auth.links import OneTimeLink


class InvitationStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    SUPERSEDED = "SUPERSEDED"


class Invitation(Model):
    """One invitation email. Only the HMAC of its link's token is stored."""

    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="invitations", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    # PENDING is stored; EXPIRED is what a PENDING invitation past its expiry is shown as.
    status = fields.CharEnumField(InvitationStatus, max_length=10, default=InvitationStatus.PENDING)
    email = fields.CharField(max_length=254)
    sent_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    message = fields.ForeignKeyField(
        "crm.OutboxMessage", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    invited_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "invitation"
        # message_id: an outbox message removed (a campaign's taken back) clears its link here.
        indexes = (("contact_id", "status"), ("message_id",))


class PortalAccount(Model):
    """The portal password of an activated contact, kept apart from the contact row."""

    id = fields.IntField(primary_key=True)
    contact = fields.OneToOneField(
        "crm.Contact", related_name="portal_account", on_delete=fields.CASCADE
    )
    password_hash = fields.CharField(max_length=255)
    password_changed_at = fields.DatetimeField()

    class Meta:
        table = "portal_account"


class PasswordReset(OneTimeLink):
    """A single-use, short-lived password-reset link for an active portal contact."""

    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="password_resets", on_delete=fields.CASCADE
    )

    class Meta:
        table = "password_reset"
        indexes = (("contact_id",),)


class ImpersonationLink(OneTimeLink):
    """A one-minute, single-use link that opens the portal as `contact` for an ADMIN."""

    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="impersonation_links", on_delete=fields.CASCADE
    )
    staff_user = fields.ForeignKeyField(
        "crm.StaffUser", related_name="impersonation_links", on_delete=fields.CASCADE
    )

    class Meta:
        table = "impersonation_link"
