"""Campaign templates: Markdown with merge fields, checked when saved, sanitised when sent."""

from __future__ import annotations

import pytest

from crm.campaigns.templates import TemplateProblem, compile_email, parse

ANN = {"first_name": "Ann", "last_name": "Adam", "full_name": "Ann Adam", "company": "Acme"}


def test_merge_fields_fill_in_with_defaults_for_missing_values() -> None:
    # given a subject and a body with merge fields, one with a default
    email = compile_email(
        'News for {{ first_name | default: "you" }}',
        'Hello {{ first_name | default: "there" }} at **{{ company }}**!\n\n- one\n- two',
    )

    # when it is filled for a contact, and for one without a first name
    subject, text, html = email.render(ANN)
    bare_subject, bare_text, _ = email.render({"first_name": "", "company": ""})

    # then each part reads as it should
    assert subject == "News for Ann"
    assert text.startswith("Hello Ann at **Acme**!")
    assert "<strong>Acme</strong>" in html and "<li>one</li>" in html
    assert bare_subject == "News for you"
    assert bare_text.startswith("Hello there at ****!")


def test_jinja_spelling_of_the_default_is_read_too() -> None:
    assert compile_email("x", "{{ last_name|default('friend') }}").render({})[1] == "friend"


@pytest.mark.parametrize(
    "source",
    [
        "{{ 7*7 }}",
        "{{ ''.__class__ }}",
        "{{ first_name.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% for x in range(10) %}x{% endfor %}",
        "{{ first_name | upper }}",
        "{{ first_name | default(7) }}",
        "{{ lipsum() }}",
        "{{ nickname }}",
        "{{ first_name ",
    ],
)
def test_anything_but_merge_fields_is_refused_when_saved(source: str) -> None:
    with pytest.raises(TemplateProblem):
        parse(source)


def test_an_unknown_field_is_named() -> None:
    with pytest.raises(TemplateProblem, match=r"no merge field \{\{ nickname \}\}"):
        parse("Hi {{ nickname }}")


def test_html_in_the_markdown_and_in_the_values_never_reaches_the_email_as_html() -> None:
    # given a body with raw HTML and a script, and a contact whose name is markup
    email = compile_email(
        "Hi", "<script>alert(1)</script> <b>bold</b> [x](javascript:alert(1)) {{ first_name }}"
    )

    # when it is filled in
    _, _, html = email.render({"first_name": "<img src=x onerror=alert(1)>"})

    # then no tag of theirs is live
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert 'href="javascript' not in html  # left as plain text, never a link
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
