"""Student outputs made inert: nothing a submission displays can run, load or act in a browser.

A submitted notebook's outputs and Markdown are the student's: a ``<script>``, an ``onerror=`` handler,
an ``<iframe>``, a ``javascript:`` link or a ``url()`` in a style would run, or load from another host,
wherever the notebook is shown as HTML: in the Formgrader, with the instructor's session (and so the
power to change every grade through its API), and in the feedback pages. Two layers, both with bleach
(pinned; nbconvert's own sanitiser uses it), with an allow-list wide enough for the course's outputs:

- :class:`InertOutputs` (``c.Autograde.autograde_preprocessors``): in every autograded notebook,
  ``text/html`` outputs pass :func:`clean_html` (``text/markdown`` ones are rendered to HTML first), every
  other kind but plain text and PNG/JPEG/GIF images is removed (JavaScript, widgets, SVG), output metadata is cleared, and a
  Markdown or raw cell whose rendering holds anything :func:`clean_html` removes is shown as text.
- :func:`clean_html` as nbconvert's ``clean_html`` filter with ``HTMLExporter.sanitize_html = True``
  (nbgrader_config.py): every page nbconvert renders from a notebook (``make feedback``, the Formgrader's
  view of a submission) cleans Markdown after rendering it and every HTML output, and leaves out
  JavaScript and widget outputs. nbconvert's own filter allows too little for readable pages (it escapes
  ``<p>``, headings and table heads); this one allows what Markdown and the checker's feedback use.
"""

from __future__ import annotations

import re

import bleach
import tinycss2
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.filters import markdown2html
from nbgrader.preprocessors import NbGraderPreprocessor

TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i "
    "img kbd li ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead tr u ul".split()
)
CSS_PROPERTIES = frozenset(
    "background background-color border border-bottom border-collapse border-color border-left "
    "border-radius border-right border-spacing border-style border-top border-width color display "
    "font font-family font-size font-style font-weight line-height margin margin-bottom margin-left "
    "margin-right margin-top opacity overflow-wrap padding padding-bottom padding-left padding-right "
    "padding-top text-align text-decoration vertical-align white-space word-break".split()
)
#: What a style may not call: each loads something (or, in old browsers, runs something).
CSS_LOADERS = frozenset(
    {"url", "image", "image-set", "-webkit-image-set", "cross-fade", "element", "expression", "src"}
)
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
LINK = re.compile(r"(https?:|mailto:|#)", re.I)
#: The output kinds that are shown as they are: text, and images as data the page decodes itself.
SAFE_OUTPUTS = frozenset({"text/plain", "image/png", "image/jpeg", "image/gif"})
INERT_MARK = "grading-inert"  # metadata key of a cell shown as text because it held active markup


class _NoLoadingCss(CSSSanitizer):
    """bleach's CSS sanitiser, also without declarations that load anything (``url()`` and its kin)."""

    def sanitize_css(self, style: str) -> str:
        kept = []
        for node in tinycss2.parse_declaration_list(
            style, skip_comments=True, skip_whitespace=True
        ):
            if node.type != "declaration" or node.lower_name not in self.allowed_css_properties:
                continue
            if _loads(node.value):
                continue
            kept.append(f"{node.lower_name}: {tinycss2.serialize(node.value).strip()}")
        return "; ".join(kept)


def _loads(tokens) -> bool:
    for token in tokens:
        if token.type == "url" or (token.type == "function" and token.lower_name in CSS_LOADERS):
            return True
        if token.type == "at-keyword" or (
            token.type in ("function", "() block", "[] block", "{} block")
            and _loads(getattr(token, "arguments", None) or getattr(token, "content", None) or [])
        ):
            return True
    return False


def _attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "style", "title", "colspan", "rowspan", "align"):
        return True
    if tag == "img" and name in ("alt", "width", "height"):
        return True
    if tag == "img" and name == "src":
        return bool(IMAGE_DATA.fullmatch(value.strip()))  # never a request to another host
    if tag == "a" and name == "href":
        return bool(LINK.match(value.strip()))
    return tag == "details" and name == "open"


_CLEANER = bleach.Cleaner(
    tags=TAGS,
    attributes=_attribute,
    protocols={"http", "https", "mailto", "data"},
    strip=False,  # what is not allowed is shown as text: an instructor sees the attempt
    strip_comments=True,
    css_sanitizer=_NoLoadingCss(allowed_css_properties=CSS_PROPERTIES),
)


def clean_html(html) -> str:
    """``html`` with only the allowed tags, attributes and styles; the rest escaped into text."""
    text = html.decode() if isinstance(html, bytes) else str(html)
    return _CLEANER.clean(text)


class _EveryCss(CSSSanitizer):
    """Every declaration, written as :class:`_NoLoadingCss` writes the ones it keeps."""

    def sanitize_css(self, style: str) -> str:
        nodes = tinycss2.parse_declaration_list(style, skip_comments=True, skip_whitespace=True)
        return "; ".join(
            f"{n.lower_name}: {tinycss2.serialize(n.value).strip()}"
            for n in nodes
            if n.type == "declaration"
        )


_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:-]*)")


def _active(html: str) -> bool:
    """Whether :func:`clean_html` removes or escapes anything of ``html``: compared with a cleaner that
    allows everything, so that both write the same HTML the same way."""
    everything = bleach.Cleaner(
        tags=TAGS | {t.lower() for t in _TAG.findall(html)},
        attributes=lambda tag, name, value: name != "id",  # an anchor's id runs and loads nothing
        protocols={"http", "https", "mailto", "data", "javascript", "vbscript", "file", "ftp"},
        strip=False,
        strip_comments=True,
        css_sanitizer=_EveryCss(),
    )
    return clean_html(html) != everything.clean(html)


def _shown_as_text(cell) -> None:
    """The cell as Markdown that shows its source as text (a raw cell becomes a Markdown cell)."""
    cell.cell_type = "markdown"
    cell.metadata.pop("raw_mimetype", None)
    cell.metadata.pop("format", None)
    fence = "~~~~" + "~" * max((len(m) for m in re.findall(r"~{4,}", cell.source)), default=0)
    cell.source = (
        "*The grader shows this cell as text: it held markup that could run or load something in "
        f"a browser.*\n\n{fence}\n{cell.source}\n{fence}\n"
    )
    cell.metadata[INERT_MARK] = True
    cell.pop("attachments", None)


class InertOutputs(NbGraderPreprocessor):
    """Every output and every Markdown cell of a graded notebook, made inert (see the module)."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [_inert_output(o) for o in cell.get("outputs", [])]
            elif cell.cell_type == "markdown" and _active(markdown2html(cell.source)):
                _shown_as_text(cell)
            elif cell.cell_type == "raw" and _active(cell.source):
                _shown_as_text(cell)
            if cell.cell_type == "markdown" and "attachments" in cell:
                cell.attachments = {
                    name: {k: v for k, v in data.items() if k in SAFE_OUTPUTS}
                    for name, data in cell.attachments.items()
                }
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        return cell, resources


def _inert_output(output):
    if output.get("output_type") not in ("display_data", "execute_result"):
        return output  # streams and errors are text: every page escapes them
    data = dict(output.get("data", {}))
    if isinstance(data.get("text/markdown"), str):  # rendered here, then cleaned as HTML
        data.setdefault("text/html", markdown2html(data["text/markdown"]))
    output.data = {
        kind: clean_html(value) if kind == "text/html" else value
        for kind, value in data.items()
        if kind in SAFE_OUTPUTS | {"text/html"} and isinstance(value, str)
    }
    output.metadata = {}
    if "transient" in output:
        del output["transient"]
    return output
