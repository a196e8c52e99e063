"""Email templates: links verbatim in the text part, names escaped in the HTML part."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm.mail.templates import render_invitation, render_password_reset, render_test_email

LINK = "https://crm.example.com/portal/activate?token=abc_DEF-123&x=1"
EXPIRES = datetime(2031, 3, 9, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize("render", [render_invitation, render_password_reset])
def test_the_text_part_holds_the_link_and_the_html_escapes_names(render) -> None:
    subject, text, html = render(
        organisation="Smith & <Sons>",
        contact_name='Jane "<b>Bold</b>" Doe',
        link=LINK,
        expires_at=EXPIRES,
    )
    assert LINK in text
    assert "9 March 2031 at 14:30 UTC" in text
    assert 'Jane "<b>Bold</b>" Doe' in text
    assert "Smith & <Sons>" in subject
    assert "<b>Bold</b>" not in html
    assert "Jane &quot;&lt;b&gt;Bold&lt;/b&gt;&quot; Doe" in html
    assert "Smith &amp; &lt;Sons&gt;" in html
    assert 'href="https://crm.example.com/portal/activate?token=abc_DEF-123&amp;x=1"' in html


def test_a_line_break_in_a_name_cannot_reach_the_subject() -> None:
    subject, _, _ = render_invitation(
        organisation="Acme\r\nBcc: victim@example.com",
        contact_name="Jane",
        link=LINK,
        expires_at=EXPIRES,
    )
    assert "\n" not in subject and "\r" not in subject


def test_the_test_email_names_the_organisation() -> None:
    subject, text, html = render_test_email(organisation="Acme")
    assert subject == "Test email from Acme"
    assert "Acme CRM" in text
    assert "<html" in html
