"""Rendering: short HTML in Jupyter (in the learner's JupyterLab theme), plain text elsewhere.

A leaf: it renders any result with ``title``, ``outcome`` (its ``.value`` is one of the keys of
:data:`HEADLINES`), ``problem``, ``expected``, ``found``, ``cause`` and ``hint``, and imports nothing of
the checker.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

Result = Any  # a checker.outcome.Result, or anything with its fields

CORRECT_WORDS = "public checks passed"
HEADLINES = {
    "correct": "✔ Correct: public checks passed",
    "incorrect": "✘ Not yet",
    "not attempted": "… Not attempted",
}
# JupyterLab theme variables with fallbacks, so the box reads well in light and dark themes.
COLORS = {
    "correct": "var(--jp-success-color1, #2e7d32)",
    "incorrect": "var(--jp-error-color1, #c62828)",
    "not attempted": "var(--jp-warn-color1, #ef6c00)",
}
# Headlines: the status colour mixed with the theme's text colour (darker in light themes, lighter
# in dark ones). The plain status colours are too faint for text: in JupyterLab Light, orange on
# white is 2.7:1 and green 4.1:1; mixed, every headline is at least 5.4:1 in Light and Dark.
# A browser without color-mix() shows the headline in the text colour.
HEADLINE = "color: color-mix(in srgb, {color} 60%, var(--jp-ui-font-color1, currentColor))"
BOX = (
    "border-left: 4px solid {color}; padding: 6px 12px; margin: 4px 0; "
    "background: var(--jp-layout-color1, transparent); color: var(--jp-ui-font-color1, inherit); "
    "font-family: var(--jp-ui-font-family, sans-serif); font-size: var(--jp-ui-font-size1, 13px);"
)


def _fields(result: Result) -> list[tuple[str, str]]:
    rows = [
        ("Expected", result.expected),
        ("Found", result.found),
        ("Likely cause", result.cause),
        ("Hint", result.hint),
    ]
    return [(label, value) for label, value in rows if value]


def as_text(result: Result) -> str:
    lines = [f"{result.title}: {HEADLINES[result.outcome.value]}"]
    if result.correct:
        lines.append("  (an instructor may still run hidden tests)")
    if result.problem:
        lines.append(f"  {result.problem}")
    lines += [f"  {label}: {value}" for label, value in _fields(result)]
    return "\n".join(lines)


def as_html(result: Result) -> str:
    outcome = result.outcome.value
    parts = [
        f'<div class="course-feedback course-feedback-{outcome.replace(" ", "-")}" '
        f'style="{BOX.format(color=COLORS[outcome])}">',
        f'<b style="{HEADLINE.format(color=COLORS[outcome])}">{html.escape(HEADLINES[outcome])}</b> '
        f'<span style="opacity: 0.8">· {html.escape(result.title)}</span>',
    ]
    if result.correct:
        parts.append('<div style="opacity: 0.8">An instructor may still run hidden tests.</div>')
    if result.problem:
        parts.append(f"<div>{_inline(result.problem)}</div>")
    for label, value in _fields(result):
        parts.append(f"<div><b>{label}:</b> {_inline(value)}</div>")
    parts.append("</div>")
    return "\n".join(parts)


def _inline(text: str) -> str:
    """Escape, then render `code` spans, so messages can name code without raw HTML."""
    pieces = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))


@dataclass(frozen=True)
class Note:
    """A hint or a solution: a title and a body (code or prose)."""

    title: str
    body: str
    code: bool = False

    def __str__(self) -> str:
        return f"{self.title}:\n{self.body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = (
            f"<pre><code>{html.escape(self.body)}</code></pre>"
            if self.code
            else f"<div>{_inline(self.body)}</div>"
        )
        color = "var(--jp-info-color1, #0277bd)"
        return (
            f'<div class="course-note" style="{BOX.format(color=color)}">'
            f'<b style="{HEADLINE.format(color=color)}">{html.escape(self.title)}</b>{body}</div>'
        )
