"""Accounts for bench/load.py, made through the services before the timed run.

    python bench/load_accounts.py STAFF PORTAL PASSWORD   (with the server's CRM_* environment)

Creates STAFF staff members (load-staff-N@example.com) and invites PORTAL demo contacts to the
portal, then prints JSON: the staff emails, and per portal contact its id, email and the
invitation token read from the invitation email in the outbox (what the contact would click).
The load script then activates each invitation over HTTP, which signs the contact in.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from typing import Any

from crm.contacts.models import Contact, PortalStatus
from crm.db import close_db, init_db
from crm.mail.models import OutboxMessage
from crm.organisation.services import refresh_stored_settings
from crm.portal.services import INVITABLE_TYPES, send_invite
from crm.settings import get_settings
from crm.staff.services import create_staff_user
from crm.timeline.services import SYSTEM

TOKEN = re.compile(r"/portal/activate\?token=([A-Za-z0-9_\-]+)")


async def invite(count: int) -> list[dict[str, Any]]:
    contacts = (
        await Contact.filter(
            type__in=INVITABLE_TYPES,
            email__isnull=False,
            archived_at__isnull=True,
            portal_status=PortalStatus.NOT_INVITED,
        )
        .order_by("id")
        .limit(count)
    )
    if len(contacts) < count:
        sys.exit(f"only {len(contacts)} invitable demo contacts; add more with --contacts")
    invited = []
    for contact in contacts:
        invitation = await send_invite(contact.id, SYSTEM)
        email = await OutboxMessage.get(id=invitation.message_id)
        token = TOKEN.search(email.text_body)
        assert token is not None, "no activation link in the invitation email"
        invited.append({"id": contact.id, "email": contact.email, "token": token.group(1)})
    return invited


async def create_accounts(staff: int, portal: int, password: str) -> dict[str, Any]:
    await init_db(get_settings())
    try:
        await refresh_stored_settings(force=True)
        emails = [f"load-staff-{index}@example.com" for index in range(staff)]
        for email in emails:
            await create_staff_user(email, password, name=email.split("@")[0])
        return {"staff": emails, "portal": await invite(portal)}
    finally:
        await close_db()


if __name__ == "__main__":
    staff_count, portal_count, staff_password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    print(json.dumps(asyncio.run(create_accounts(staff_count, portal_count, staff_password))))
