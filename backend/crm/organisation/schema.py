"""What the app needs to know about this installation's settings, and the admin's Settings."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsAdmin, IsStaff, Public, require_staff
from crm.organisation import services
from crm.settings import Settings as EffectiveSettings
from crm.settings import live


@strawberry.type
class AppSettings:
    organisation_name: str
    default_country: str = strawberry.field(description="For phone numbers typed without +")
    sms_enabled: bool
    invite_expiry_days: int
    mail_configured: bool = strawberry.field(
        description="False: no mail server (CRM_SMTP_URL unset), so mail is logged, not sent"
    )
    logo_url: str | None = strawberry.field(description="The organisation's logo, if any.")


@visible_to(Audience.ANYONE)
@strawberry.type(description="What the client portal's pages may know before sign-in.")
class PortalInfo:
    organisation_name: str
    default_country: str
    sms_enabled: bool
    logo_url: str | None = strawberry.field(description="The organisation's logo, if any.")


@visible_to(Audience.ADMIN)
@strawberry.type(
    description="The organisation's settings, as in effect: saved in the app, or else from "
    "the environment (CRM_*)."
)
class Settings:
    organisation_name: str
    default_country: str
    invite_expiry_days: int
    sms_enabled: bool
    mail_from_name: str
    mail_from_address: str
    mail_configured: bool = strawberry.field(description="Whether CRM_SMTP_URL is set.")
    mail_server: str | None = strawberry.field(
        description="The mail server, without its password (CRM_SMTP_URL)."
    )
    logo_url: str | None = strawberry.field(
        description="Upload with PUT /settings/logo (the image as the body), remove with DELETE."
    )
    from_environment: list[str] = strawberry.field(
        description="The fields not saved in the app, so taken from the environment."
    )
    updated_at: datetime | None


@strawberry.input(
    description="Only the fields given change; null puts a field back to the environment's value."
)
class UpdateSettingsInput:
    organisation_name: str | None = strawberry.UNSET
    default_country: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166 two-letter code, e.g. GB"
    )
    invite_expiry_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 90"
    )
    sms_enabled: bool | None = strawberry.UNSET
    mail_from_name: str | None = strawberry.UNSET
    mail_from_address: str | None = strawberry.UNSET


@strawberry.type
class SettingsPayload:
    settings: Settings | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


_STORED_FIELDS = {
    "organisation_name": "organisationName",
    "default_country": "defaultCountry",
    "invite_expiry_days": "inviteExpiryDays",
    "sms_enabled": "smsEnabled",
    "mail_from_name": "mailFromName",
    "mail_from_address": "mailFromAddress",
}


async def _settings(effective: EffectiveSettings) -> Settings:
    row = await services.stored_settings()
    sender = services.sender_of(effective)
    return Settings(
        organisation_name=effective.organisation_name,
        default_country=effective.default_country,
        invite_expiry_days=effective.invite_expiry_days,
        sms_enabled=effective.sms_enabled,
        mail_from_name=sender.name,
        mail_from_address=sender.address,
        mail_configured=effective.smtp is not None,
        mail_server=effective.smtp.display if effective.smtp else None,
        logo_url=effective.logo_url,
        from_environment=[
            graphql for name, graphql in _STORED_FIELDS.items() if getattr(row, name) is None
        ],
        updated_at=row.updated_at,
    )


@strawberry.type
class OrganisationQuery:
    @strawberry.field(permission_classes=[Public])
    def portal_info(self, info: Info) -> PortalInfo:
        settings = info.context.settings
        return PortalInfo(
            organisation_name=settings.organisation_name,
            default_country=settings.default_country,
            sms_enabled=settings.sms_enabled,
            logo_url=settings.logo_url,
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
            logo_url=settings.logo_url,
        )

    @strawberry.field(permission_classes=[IsAdmin])
    async def settings(self, info: Info) -> Settings:
        return await _settings(info.context.settings)


@strawberry.type
class OrganisationMutation:
    @strawberry.mutation(permission_classes=[IsAdmin])
    @reports_input_errors
    async def update_settings(self, info: Info, input: UpdateSettingsInput) -> SettingsPayload:
        changes = services.SettingsChanges(**given_fields(input, tuple(_STORED_FIELDS)))
        await services.update_settings(changes, require_staff(info))
        info.context.settings = live(info.context.base_settings)
        return SettingsPayload(settings=await _settings(info.context.settings))
