"""The catalogue of products and services, and who uses them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class Product(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    # The folded name (case and accents ignored): unique, so "Café" and "cafe" are one product.
    name_key = fields.CharField(max_length=200, unique=True)
    code = fields.CharField(max_length=50, null=True)
    description = fields.TextField(default="")
    archived_at = fields.DatetimeField(null=True)

    class Meta:
        table = "product"

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class ContactProduct(Model):
    id = fields.IntField(primary_key=True)
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="product_links", on_delete=fields.CASCADE
    )
    product = fields.ForeignKeyField(
        "crm.Product", related_name="contact_links", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "contact_product"
        unique_together = (("contact_id", "product_id"),)
        indexes = (("product_id", "contact_id"),)


class CompanyProduct(Model):
    id = fields.IntField(primary_key=True)
    company = fields.ForeignKeyField(
        "crm.Company", related_name="product_links", on_delete=fields.CASCADE
    )
    product = fields.ForeignKeyField(
        "crm.Product", related_name="company_links", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "company_product"
        unique_together = (("company_id", "product_id"),)
        indexes = (("product_id", "company_id"),)
