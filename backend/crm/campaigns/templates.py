"""A campaign's subject and body: Markdown with merge fields, checked when saved.

Merge fields are `{{ first_name }}`, `{{ last_name }}`, `{{ full_name }}` and `{{ company }}`,
each with an optional default for when the contact has none: `{{ first_name | default:
"there" }}` (Jinja's `default("there")` is read too). Templates are parsed by Jinja2's
sandboxed environment, and only that subset is accepted: text, those names and the default
filter. Anything else (`{{ 7*7 }}`, attribute access, calls, tags) is a field error when the
campaign is saved, never something that runs at send time.

A body compiles once per campaign: Markdown to HTML (markdown-it-py, raw HTML off, then
sanitised by nh3) with a marker where each merge field goes, so each recipient costs only
joining strings, the values HTML-escaped in the HTML part.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import nh3
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt

MERGE_FIELDS = ("first_name", "last_name", "full_name", "company")
# `| default: "x"` (as in Liquid, what people paste) read as Jinja's `| default("x")`.
_LIQUID_DEFAULT = re.compile(r"""\|\s*default\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
# Where a merge field goes in the HTML made from the Markdown: letters only, so Markdown
# leaves it alone, and unlikely in a real text.
_MARKER = "qzmergefieldq{}qz"
_MARKERS = re.compile(r"qzmergefieldq(\d+)qz")


class TemplateProblem(ValueError):
    """Why a subject or a body cannot be used, for the field's error."""


@dataclass(frozen=True)
class MergeField:
    name: str
    default: str = ""


Segment = str | MergeField


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False)


def parse(source: str) -> tuple[Segment, ...]:
    """The template as text and merge fields, or TemplateProblem saying what is wrong."""
    try:
        tree = _environment().parse(_LIQUID_DEFAULT.sub(r"| default(\1)", source))
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"Line {error.lineno}: {error.message}") from None
    segments: list[Segment] = []
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            raise TemplateProblem("Only merge fields such as {{ first_name }} can be used")
        for part in node.nodes:
            segments.append(_segment(part))
    return tuple(segments)


def _segment(node: nodes.Node) -> Segment:
    if isinstance(node, nodes.TemplateData):
        return node.data
    if isinstance(node, nodes.Name):
        return MergeField(_known(node.name))
    if (
        isinstance(node, nodes.Filter)
        and node.name == "default"
        and isinstance(node.node, nodes.Name)
        and len(node.args) == 1
        and isinstance(node.args[0], nodes.Const)
        and isinstance(node.args[0].value, str)
        and not node.kwargs
    ):
        return MergeField(_known(node.node.name), node.args[0].value)
    raise TemplateProblem(
        'Only merge fields such as {{ first_name }} or {{ first_name | default: "there" }} '
        "can be used"
    )


def _known(name: str) -> str:
    if name not in MERGE_FIELDS:
        raise TemplateProblem(
            f"There is no merge field {{{{ {name} }}}}; use {', '.join(MERGE_FIELDS)}"
        )
    return name


def fill(segments: Iterable[Segment], values: Mapping[str, str], escape: bool = False) -> str:
    """The text with each merge field replaced by its value (its default when empty)."""
    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
        else:
            value = values.get(segment.name) or segment.default
            parts.append(html.escape(value) if escape else value)
    return "".join(parts)


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """The body's HTML, sanitised, with its merge fields kept as fields."""
    fields = [segment for segment in segments if isinstance(segment, MergeField)]
    marked, index = [], 0
    for segment in segments:
        if isinstance(segment, str):
            marked.append(segment)
        else:
            marked.append(_MARKER.format(index))
            index += 1
    clean = nh3.clean(_markdown().render("".join(marked)))
    result: list[Segment] = []
    position = 0
    for match in _MARKERS.finditer(clean):
        result.append(clean[position : match.start()])
        result.append(fields[int(match.group(1))])
        position = match.end()
    result.append(clean[position:])
    return tuple(part for part in result if part != "")


@dataclass(frozen=True)
class CompiledEmail:
    """A campaign's subject, text and HTML ready to fill in per recipient."""

    subject: tuple[Segment, ...]
    text: tuple[Segment, ...]
    html: tuple[Segment, ...]

    def render(self, values: Mapping[str, str]) -> tuple[str, str, str]:
        """Subject, text and HTML for one recipient."""
        return (
            self.render_subject(values),
            fill(self.text, values),
            fill(self.html, values, escape=True),
        )

    def render_subject(self, values: Mapping[str, str]) -> str:
        return " ".join(fill(self.subject, values).split())


def compile_email(subject: str, body: str) -> CompiledEmail:
    """TemplateProblem names no field: the caller knows which of the two it checked."""
    body_segments = parse(body)
    return CompiledEmail(parse(subject), body_segments, markdown_html(body_segments))
