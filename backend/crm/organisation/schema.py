"""What the app needs to know about this installation's settings."""

from __future__ import annotations

import strawberry

from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info
from crm.graphql.permissions import IsStaff, Public


@strawberry.type
class AppSettings:
    organisation_name: str
    default_country: str = strawberry.field(description="For phone numbers typed without +")
    sms_enabled: bool
    invite_expiry_days: int
    mail_configured: bool = strawberry.field(description="False: mail is printed, not sent")


@visible_to(Audience.ANYONE)
@strawberry.type(description="What the client portal's pages may know before sign-in.")
class PortalInfo:
    organisation_name: str
    default_country: str
    sms_enabled: bool


@strawberry.type
class OrganisationQuery:
    @strawberry.field(permission_classes=[Public])
    def portal_info(self, info: Info) -> PortalInfo:
        settings = info.context.settings
        return PortalInfo(
            organisation_name=settings.organisation_name,
            default_country=settings.default_country,
            sms_enabled=settings.sms_enabled,
        )

    @strawberry.field(permission_classes=[IsStaff])
    def app_settings(self, info: Info) -> AppSettings:
        settings = info.context.settings
        return AppSettings(
            organisation_name=settings.organisation_name,
            default_country=settings.default_country,
            sms_enabled=settings.sms_enabled,
            invite_expiry_days=settings.invite_expiry_days,
            mail_configured=settings.smtp_url is not None,
        )
