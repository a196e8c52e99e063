"""What every resolver can see: the request, who is asking, and this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from crm.auth.models import Session
from crm.auth.services import SESSION_COOKIE, VIEW_AS_COOKIE, ClientInfo, session_for_token
from crm.campaigns.loaders import CampaignLoaders
from crm.companies.loaders import CompanyLoaders
from crm.contacts.loaders import ContactLoaders
from crm.contacts.models import Contact
from crm.groups.loaders import GroupLoaders
from crm.messages.loaders import MessageLoaders
from crm.portal.loaders import PortalLoaders
from crm.products.loaders import ProductLoaders
from crm.settings import Settings
from crm.staff.loaders import StaffLoaders
from crm.staff.models import StaffUser
from crm.timeline.services import PORTAL, SYSTEM, Actor


@dataclass
class Loaders:
    """DataLoaders live for one request, so nothing leaks between callers."""

    contacts: ContactLoaders = field(default_factory=ContactLoaders)
    companies: CompanyLoaders = field(default_factory=CompanyLoaders)
    groups: GroupLoaders = field(default_factory=GroupLoaders)
    portal: PortalLoaders = field(default_factory=PortalLoaders)
    campaigns: CampaignLoaders = field(default_factory=CampaignLoaders)
    products: ProductLoaders = field(default_factory=ProductLoaders)
    messages: MessageLoaders = field(default_factory=MessageLoaders)
    staff: StaffLoaders = field(default_factory=StaffLoaders)


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings  # in effect: base_settings with those saved in the app over them
    session: Session | None
    base_settings: Settings
    loaders: Loaders = field(default_factory=Loaders)

    async def sign_in(self, token: str) -> None:
        """Hand the browser a new session and answer the rest of this request as its user."""
        self.set_session_cookie(token)
        self.session = await session_for_token(token)

    async def start_viewing_as(self, token: str, lifetime_seconds: int) -> None:
        """Hand the browser a view of the portal as a contact, beside its own session, and
        answer the rest of this request in that view."""
        self.response.set_cookie(
            VIEW_AS_COOKIE,
            token,
            max_age=lifetime_seconds,
            httponly=True,
            samesite="strict",
            secure=self.settings.secure_cookies,
            path="/",
        )
        self.session = await session_for_token(token, viewing_as=True)

    def set_session_cookie(self, token: str) -> None:
        self.response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=self.settings.session_days * 86400,
            httponly=True,
            samesite="lax",
            secure=self.settings.secure_cookies,
            path="/",
        )

    def clear_session_cookie(self) -> None:
        self._clear(SESSION_COOKIE, "lax")

    def clear_view_as_cookie(self) -> None:
        self._clear(VIEW_AS_COOKIE, "strict")

    def _clear(self, cookie: str, samesite: Literal["lax", "strict"]) -> None:
        self.response.delete_cookie(
            cookie, httponly=True, samesite=samesite, secure=self.settings.secure_cookies, path="/"
        )

    @property
    def portal_contact(self) -> Contact | None:
        if self.session is None or self.session.contact_id is None:
            return None
        return self.session.contact

    @property
    def staff_user(self) -> StaffUser | None:
        if self.session is None or self.session.staff_user_id is None:
            return None
        return self.session.staff_user

    @property
    def actor(self) -> Actor:
        """Who the timeline says did what this request does."""
        if self.staff_user is not None:
            return Actor.staff(self.staff_user)
        return PORTAL if self.portal_contact is not None else SYSTEM

    @cached_property
    def client(self) -> ClientInfo:
        ip = self.request.client.host if self.request.client else "unknown"
        if self.settings.trust_proxy_headers:
            # The trusted proxy appends the address it saw; what is left of it, the client
            # wrote itself.
            hops = ",".join(self.request.headers.getlist("x-forwarded-for")).split(",")
            ip = hops[-1].strip() or ip
        return ClientInfo(ip=ip, user_agent=self.request.headers.get("user-agent", ""))


Info = strawberry.Info[Context, None]
