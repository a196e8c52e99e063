"""The emails the CRM sends, rendered from `templates/<name>.txt` and `.html`.

A `.txt` template starts with a `Subject:` line and a blank line. Values are substituted
with `string.Template` (`${name}`): verbatim in the text part, so links stay exactly as
they are, and HTML-escaped in the HTML part, so a contact named `<b>` stays text.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from string import Template

from crm.settings import get_settings

Rendered = tuple[str, str, str]  # subject, text, html

_SPACE = re.compile(r"\s+")
_BODY_TAG = re.compile(r"<body[^>]*>")


@cache
def _load(name: str) -> tuple[Template, Template, Template]:
    folder = files("crm.mail") / "templates"
    text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    first_line, _, body = text.partition("\n")
    if not first_line.startswith("Subject: "):
        raise ValueError(f"template {name}.txt must start with a 'Subject: ' line")
    html_source = (folder / f"{name}.html").read_text(encoding="utf-8")
    return (
        Template(first_line.removeprefix("Subject: ")),
        Template(body.lstrip("\n")),
        Template(html_source),
    )


def one_line(value: str) -> str:
    """Header-safe: no line breaks (they would let a value add headers), no runs of spaces."""
    return _SPACE.sub(" ", value).strip()


def format_expiry(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y at %H:%M} UTC"


def render(name: str, **values: str) -> Rendered:
    subject_template, text_template, html_template = _load(name)
    single_line = {key: one_line(value) for key, value in values.items()}
    subject = subject_template.substitute(single_line)
    text = text_template.substitute(values, subject=subject)
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    body = html_template.substitute(escaped, subject=html.escape(subject, quote=True))
    return subject, text, with_logo(body)


def with_logo(body: str) -> str:
    """The HTML part with the organisation's logo at the top, when it has one."""
    settings = get_settings()
    if settings.logo_url is None:
        return body
    image = (
        f'<p><img src="{html.escape(settings.logo_url, quote=True)}" '
        f'alt="{html.escape(settings.organisation_name, quote=True)}" height="48" '
        'style="height: 48px; width: auto;"></p>'
    )
    return _BODY_TAG.sub(lambda opening: opening.group(0) + image, body, count=1)


def render_invitation(
    *, organisation: str, contact_name: str, link: str, expires_at: datetime
) -> Rendered:
    return render(
        "invitation",
        organisation=organisation,
        contact_name=contact_name,
        link=link,
        expires_at=format_expiry(expires_at),
    )


def render_password_reset(
    *, organisation: str, contact_name: str, link: str, expires_at: datetime
) -> Rendered:
    return render(
        "password_reset",
        organisation=organisation,
        contact_name=contact_name,
        link=link,
        expires_at=format_expiry(expires_at),
    )


def render_secure_message_notice(*, organisation: str, contact_name: str, link: str) -> Rendered:
    """That a secure message waits in the portal: the message itself is never in an email."""
    return render("secure_message", organisation=organisation, contact_name=contact_name, link=link)


def render_task_reminder(
    *, organisation: str, name: str, title: str, due_at: datetime, about: str, link: str
) -> Rendered:
    """That one of a staff user's tasks is due; `about` names its contact or company."""
    return render(
        "task_reminder",
        organisation=organisation,
        staff_name=name,
        title=title,
        due_at=format_expiry(due_at),
        about=f"It is about {about}." if about else "",
        link=link,
    )


def render_test_email(*, organisation: str) -> Rendered:
    return render("test_email", organisation=organisation)


def render_staff_invitation(
    *, organisation: str, inviter: str, role: str, link: str, expires_at: datetime
) -> Rendered:
    return render(
        "staff_invitation",
        organisation=organisation,
        inviter=inviter,
        role=role,
        link=link,
        expires_at=format_expiry(expires_at),
    )


def render_staff_password_reset(
    *, organisation: str, name: str, link: str, expires_at: datetime
) -> Rendered:
    return render(
        "staff_password_reset",
        organisation=organisation,
        staff_name=name,
        link=link,
        expires_at=format_expiry(expires_at),
    )
