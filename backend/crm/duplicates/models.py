"""Possible duplicate contacts: the pairs found, and the blocking keys that find them.

A pair is stored once, lower contact id first. Erasing or merging away either contact
deletes the pair (CASCADE); a dismissed pair keeps its row, so finding it again never
brings it back.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class DuplicateReason(StrEnum):
    SAME_EMAIL = "SAME_EMAIL"
    SAME_PHONE = "SAME_PHONE"
    SIMILAR_NAME = "SIMILAR_NAME"
    SAME_COMPANY = "SAME_COMPANY"


class DuplicateCandidate(Model):
    id = fields.IntField(primary_key=True)
    low_contact = fields.ForeignKeyField(
        "crm.Contact", related_name="duplicates_as_low", on_delete=fields.CASCADE
    )
    high_contact = fields.ForeignKeyField(
        "crm.Contact", related_name="duplicates_as_high", on_delete=fields.CASCADE
    )
    # 0-100: how sure we are the two are one person (see crm.duplicates.finding.score).
    score = fields.SmallIntField()
    # DuplicateReason values, comma-separated, in the enum's order.
    reasons = fields.CharField(max_length=100)
    found_at = fields.DatetimeField()
    dismissed_at = fields.DatetimeField(null=True)
    dismissed_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name="dismissed_duplicates", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "duplicate_candidate"
        unique_together = (("low_contact", "high_contact"),)
        # The review list (open pairs, best first) and a contact's pairs from either side.
        indexes = (("dismissed_at", "score", "id"), ("high_contact_id",))

    @property
    def reason_list(self) -> list[DuplicateReason]:
        return [DuplicateReason(value) for value in self.reasons.split(",") if value]


class DuplicateKey(Model):
    """A blocking key of a contact: only contacts that share a key are compared.

    Keys (crm.duplicates.keys) are 64-bit hashes, so every kind fits one small index; a
    shared hash is only a hint, the pair's reasons are checked on the contacts themselves.
    """

    id = fields.BigIntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="duplicate_keys", on_delete=fields.CASCADE
    )
    key = fields.BigIntField()

    class Meta:
        table = "duplicate_key"
        indexes = (("key", "contact_id"), ("contact_id",))
