"""The course site (`make site`, site/build.py): the released notebooks, executed, as offline HTML.

One build per run of this module (about 35 s of executing notebooks and 3 s of Sphinx on idle
cores; several times that under load). The site must show no solution and no hidden test, load
nothing from another host, show each exercise as a note rather than a traceback, no timing taken
while it was built, give each section's launch (Binder, Colab), download and copy buttons, the
repository and the licence, and read well in Chromium, also on a 390 px phone screen without
scrolling sideways (served from 127.0.0.1; screenshots in ``artifacts/browser/site/``).
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import tomllib

from tests.helpers.jupyter import browser, free_port, screenshots
from tests.helpers.notebooks import (
    RELEASED,
    ROOT,
    assert_every_exercise_unanswered,
    nbgrader_meta,
    notebook_names,
    text_of,
    words,
)
from tests.helpers.secrets import MARKERS, leaks, solution_lines

REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """`python site/build.py --out OUT`, as `make site` runs it; OUT/html is the site."""
    out = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, f"the site build failed:\n{(done.stdout + done.stderr)[-3000:]}"
    print(f"\n{done.stdout.strip()}; {time.monotonic() - started:.0f} s in all")
    return out


class _Text(HTMLParser):
    """A page's text as a reader sees it (tags, scripts and styles left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    """The text nodes as they are (highlighted code is one span per token: joined, it reads as typed)."""
    parser = _Text()
    parser.feed(path.read_text())
    return words("".join(parser.parts))


def markdown_text(source: str) -> str:
    """Markdown's words without its emphasis and code marks."""
    return words(re.sub(r"[*`]", "", source))


def pages(site: Path) -> list[Path]:
    return sorted((site / "html").rglob("*.html"))


def section_page(site: Path, name: str) -> Path:
    """The page of the released notebook ``name`` (named as the notebook)."""
    return site / "html" / f"{name.removesuffix('.ipynb')}.html"


def repository() -> str:
    """The one setting of the course's address: pyproject.toml's ``[project.urls] Repository``."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def links(path: Path) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', path.read_text())}


def test_the_site_has_an_index_and_a_page_per_section(site):
    index = site / "html" / "index.html"
    assert index.exists(), f"no index.html in {site / 'html'}"
    readme_intro = markdown_text(
        (ROOT / "README.md").read_text().split("site-intro -->", 1)[1].split("\n\n")[0]
    )
    assert readme_intro[:120] in page_text(index), "the index lacks the README's introduction"
    links = re.findall(r'href="([^"#/]+\.html)"', index.read_text())
    for name in notebook_names():
        page = f"{name.removesuffix('.ipynb')}.html"
        assert (site / "html" / page).exists(), f"no page for {name}"
        assert page in links, f"the index does not link to {page}"


def test_no_solution_or_hidden_case_reaches_the_site(site):
    assert len(solution_lines()) >= 20, (
        "too few solution lines found in solutions/: is the marker still ### BEGIN SOLUTION?"
    )
    files = [
        p
        for p in (site / "html").rglob("*")
        if p.is_file() and p.suffix in {".html", ".js", ".txt", ".ipynb", ".json"}
    ]
    for path in files:
        raw = path.read_text(errors="replace")
        assert not [m for m in MARKERS if m in raw], (
            f"{path.relative_to(site)} contains an nbgrader marker"
        )
    for path in pages(site):
        leaked = leaks(page_text(path))
        assert not leaked, (
            f"{path.relative_to(site)} shows a solution or a hidden case: {leaked[:3]}"
        )


def test_the_site_loads_nothing_from_another_host(site):
    for path in pages(site):
        source = path.read_text()
        for tag, attribute in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
        ):
            for element in re.findall(rf"<{tag}\b[^>]*>", source, re.I):
                value = re.search(rf'\b{attribute}\s*=\s*["\']([^"\']*)', element, re.I)
                assert not (value and REMOTE.match(html.unescape(value.group(1)))), (
                    f"{path.relative_to(site)} loads an asset from another host: {element}"
                )
        assert "application/vnd.jupyter.widget" not in source, (
            f"{path.relative_to(site)} embeds a widget (its manager is on a CDN)"
        )
    for path in (site / "html").rglob("*.css"):
        remote = re.findall(
            r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)",
            path.read_text(errors="replace"),
        )
        assert not remote, f"{path.relative_to(site)} loads {remote[:3]}"


def test_exercises_read_as_notes_not_tracebacks(site):
    for name in notebook_names():
        path = section_page(site, name)
        source = path.read_text()
        cells = [
            c for c in nbformat.read(RELEASED / name, as_version=4).cells if c.cell_type == "code"
        ]
        exercises = sum(
            1 for c in cells if nbgrader_meta(c).get("solution") or nbgrader_meta(c).get("grade")
        )
        assert source.count('class="course-exercise-note"') == exercises, (
            f"{name}: one note per answer and graded cell"
        )
        assert "traceback" not in source.lower(), f"{path.name} shows a traceback"
        text = page_text(path)
        assert "Not attempted" in text, f"{path.name}: the checks' feedback is missing"
        assert "# YOUR CODE HERE" in text, f"{path.name}: the stubs are missing"


def test_the_executed_notebooks_fail_only_on_unanswered_exercises(site):
    for name in notebook_names():
        assert_every_exercise_unanswered(
            nbformat.read(site / "executed" / name, as_version=4), name
        )


@pytest.fixture
def served(site):
    """The built site on a free 127.0.0.1 port, from a small HTTP server stopped after the test."""
    handler = functools.partial(_QuietHandler, directory=str(site / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert not thread.is_alive(), "the site's HTTP server is still running"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_site_reads_well_in_a_browser(chromium, served, tmp_path):
    shots = screenshots("site")
    errors: list[str] = []
    with browser(
        chromium, tmp_path / "chromium-profile", served + "/", shots, viewport=(1280, 860)
    ) as session:
        page = session.page
        page.on("pageerror", lambda error: errors.append(str(error)))
        # pydata-sphinx-theme reports a new profile's empty theme setting as a console error
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Got invalid theme mode")
                and errors.append(message.text)
            ),
        )
        page.goto(served + "/index.html")
        assert page.title().startswith("Handling multiple sequences in Transformer models")
        navigation = page.locator(".bd-sidebar-primary a.reference.internal")
        titles = [words(t) for t in navigation.all_text_contents()]
        assert len([t for t in titles if re.match(r"\d+\. ", t)]) == len(notebook_names()), titles
        page.screenshot(path=str(shots / "1-index.png"))
        navigation.filter(has_text="2. Models expect a batch").first.click()
        page.wait_for_url("**/02_models_expect_a_batch.html")
        assert words(page.locator("main h1").first.text_content()).startswith(
            "2. Models expect a batch"
        )
        note = page.locator(".course-exercise-note").first
        note.scroll_into_view_if_needed()
        assert note.is_visible() and "in the notebook" in note.text_content()
        page.screenshot(path=str(shots / "2-section-exercise.png"))
        page.locator(".prev-next-area a.right-next").first.click()  # the footer's "next" link
        page.wait_for_url("**/03_batching_multiple_sequences.html")
        page.goto(served + "/02_models_expect_a_batch.html")
        page.screenshot(path=str(shots / "3-section-top.png"))
        copy = page.locator(".cell_input button.copybtn").first
        copy.scroll_into_view_if_needed()
        copy.hover()
        assert copy.is_visible(), "no copy button on a code cell"
        page.screenshot(path=str(shots / "4-copy-button.png"))
    assert not session.foreign, (
        f"the site asked for other hosts than 127.0.0.1: {session.foreign[:5]}"
    )
    assert not errors, f"errors in the page: {errors[:5]}"


def test_each_section_opens_on_binder_and_colab_from_the_one_repository_setting(site):
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)", repository())
    assert match, f"pyproject.toml's Repository is not a GitHub repository: {repository()}"
    org, repo = match.groups()
    for name in notebook_names():
        notebook = f"notebooks/multiple_sequences/{name}"
        assert (ROOT / notebook).is_file()
        found = links(section_page(site, name))
        assert (
            f"https://colab.research.google.com/github/{org}/{repo}/blob/main/{notebook}" in found
        ), (name, sorted(u for u in found if "colab" in u))
        assert (
            f"https://mybinder.org/v2/gh/{org}/{repo}/main?urlpath=lab/tree/{notebook}" in found
        ), (
            name,
            sorted(u for u in found if "binder" in u),
        )
        assert repository() in found, f"{name}: no link to the repository"


def test_each_section_downloads_its_released_notebook(site):
    for name in notebook_names():
        assert f"_sources/{name}" in links(section_page(site, name)), name
        downloaded = site / "html" / "_sources" / name
        assert downloaded.read_bytes() == (RELEASED / name).read_bytes(), (
            f"{name}: the download is not the released notebook"
        )


def test_every_page_names_the_licence_and_links_it(site):
    assert (site / "html" / "LICENSE.txt").read_text() == (ROOT / "LICENSE").read_text()
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    assert (site / "html" / "NOTICE.txt").read_text() == (ROOT / "NOTICE").read_text()
    for path in pages(site):
        if path.parent.name in ("_static", "_sources"):
            continue
        text = page_text(path)
        assert "Apache License 2.0" in text, f"{path.relative_to(site)} names no licence"
        assert any(link.endswith("LICENSE.txt") for link in links(path)), path


def test_no_timing_taken_at_build_time_is_shown_as_a_result(site):
    tagged = {
        name: [
            c
            for c in nbformat.read(RELEASED / name, as_version=4).cells
            if "timings" in c.metadata.get("tags", [])
        ]
        for name in notebook_names()
    }
    assert sum(map(len, tagged.values())) >= 2, "section 8's benchmark cells are tagged `timings`"
    for name, cells in tagged.items():
        source = section_page(site, name).read_text()
        assert source.count('class="course-timings-note"') == len(cells), name
        presented = nbformat.read(site / "src" / name, as_version=4)
        for cell in presented.cells:
            shown = text_of(cell.get("outputs", []))
            assert "texts/s" not in shown, f"{name} shows speeds measured while the site was built"
            if "timings" in cell.metadata.get("tags", []):
                assert [o.output_type for o in cell.outputs] == ["display_data"], name
                assert "image/png" not in cell.outputs[0].data, name


# Each page at a phone's width: its text must wrap, its wide blocks scroll inside themselves.
PHONE = (390, 844)
TOO_WIDE = """() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll("body *")]
        .filter(e => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null)
        .slice(0, 8)
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${Math.round(e.getBoundingClientRect().right)}px`);
}"""


def test_no_page_scrolls_sideways_on_a_phone(chromium, served, site, tmp_path):
    shots = screenshots("site/phone")
    names = sorted(str(p.relative_to(site / "html")) for p in pages(site))
    names = [n for n in names if not n.startswith(("_static", "_sources"))]
    wide = {}
    with browser(
        chromium, tmp_path / "chromium-profile", served + "/", shots, viewport=PHONE
    ) as session:
        page = session.page
        for name in names:
            page.goto(f"{served}/{name}")
            page.wait_for_load_state("load")
            scroll, inner = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                wide[name] = (scroll, inner, page.evaluate(TOO_WIDE))
            if name in ("index.html", "08_putting_it_together.html"):
                page.screenshot(path=str(shots / name.replace(".html", ".png")))
    assert not wide, (
        f"pages wider than the screen (scrollWidth, innerWidth, widest elements): {wide}"
    )
