"""The course as a learner sees it: JupyterLab in a real (headless) Chromium, driven by Playwright.

One test starts the course's JupyterLab on a free 127.0.0.1 port with a random token, serving a
temporary copy of a released notebook (the repository is never touched), opens it in Debian's
``chromium``, runs all cells from the Run menu and checks the checker's feedback as rendered in
the page: "Not attempted" for the untouched exercise, then "public checks passed" once the stub
cell holds an answer. Screenshots go to ``artifacts/browser/jupyterlab/`` (git-ignored; the later
sections' to ``later-sections/`` in it, so that neither test empties the other's). Every process it
starts (JupyterLab, its kernels, Chromium and Playwright's driver) is stopped, also on failure:
``tests/helpers/jupyter.py``, the harness the browser tests share, does that.

Needs Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it as root) and
the pinned ``playwright`` package, which drives that Chromium: Playwright never downloads a
browser of its own here. Where Chromium is missing, the test installs it with apt when it runs as
root, and is skipped (with the reason) only where that is impossible.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from tests.helpers.jupyter import browser, jupyterlab, lab_command, screenshots

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "multiple_sequences" / "02_models_expect_a_batch.ipynb"
STUB = "# YOUR CODE HERE"  # the line where the answer goes (nbgrader's stub at a cell's top level)
STUB_CELL = "input_ids = None"
ANSWER = "input_ids = torch.tensor([ids])"


@pytest.fixture
def lab(tmp_path):
    """The course's JupyterLab serving a temporary copy of the notebook (the repository is never touched)."""
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    with jupyterlab(tmp_path / "jupyter", lab_command(root), cwd=root) as server:
        yield server


# ---------------------------------------------------------------------------------------------
# The page.

PROMPTS_DONE = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return !prompts.some(p => p.textContent.includes('*'))
        && (!indicator || indicator.dataset.status === 'idle');
}"""
# The computed text colour of an element and the background it is painted on (that of the first
# ancestor that paints one): what a learner sees, to compute the contrast.
COLOURS = """element => {
    let node = element, background = 'rgb(255, 255, 255)';
    while (node && node.nodeType === 1) {
        const c = getComputedStyle(node).backgroundColor;
        if (c && c !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(c)) { background = c; break; }
        node = node.parentElement;
    }
    return {text: getComputedStyle(element).color, background};
}"""


def _rgba(css: str) -> list[float]:
    """``rgb(r, g, b)``, ``rgba(r, g, b, a)`` or ``color(srgb r g b / a)`` as [r, g, b, a], 0-255 and 0-1."""
    numbers = [float(n) for n in re.findall(r"[\d.]+(?:e-?\d+)?", css)]
    rgb, alpha = numbers[:3], numbers[3] if len(numbers) > 3 else 1.0
    if css.startswith("color("):
        rgb = [c * 255 for c in rgb]
    return rgb + [alpha]


def _contrast(colours: dict) -> float:
    """WCAG contrast ratio (1 to 21) of the text colour, blended over its background, on it."""
    background = _rgba(colours["background"])[:3]
    *text, alpha = _rgba(colours["text"])
    text = [alpha * t + (1 - alpha) * b for t, b in zip(text, background)]

    def luminance(rgb):
        linear = [
            c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
            for c in rgb
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(text), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _wait_kernel(page) -> None:
    """Wait until the notebook's kernel has started: cells run before that are silently dropped."""
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-StatusBar-Widget')]
                                   .some(w => /\\|\\s*Idle/.test(w.textContent))""")
    page.wait_for_function(PROMPTS_DONE)


def _code_cell(page, text: str):
    """The notebook's one code cell whose source contains ``text``, pinned by position (so it
    stays the same cell when its text is edited)."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    sources = [cell.locator(".jp-InputArea-editor").text_content() for cell in cells.all()]
    found = [i for i, source in enumerate(sources) if text in source]
    assert len(found) == 1, f"expected one code cell containing {text!r}, found {len(found)}"
    return cells.nth(found[0])


def _prompt(cell) -> str:
    return (cell.locator(".jp-InputArea .jp-InputPrompt").text_content() or "").strip()


def _run_and_wait(page, action, cells) -> None:
    """Do ``action`` (which runs ``cells``), then wait until each has a new execution count and
    the kernel has finished everything queued."""
    before = [_prompt(cell) for cell in cells]
    action()
    for cell, old in zip(cells, before):
        handle = cell.locator(".jp-InputArea .jp-InputPrompt").element_handle()
        page.wait_for_function(
            "([p, old]) => /^\\[\\d+\\]:$/.test(p.textContent.trim()) && p.textContent.trim() !== old",
            arg=[handle, old],
        )
    page.wait_for_function(PROMPTS_DONE)


def _menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=item).first.click()


def _show(cell) -> None:
    """Scroll so that ``cell`` is at the top of the notebook panel."""
    cell.evaluate("e => e.scrollIntoView({block: 'start'})")


def _feedback(cell):
    """The checker's feedback box in ``cell``'s output: rendered HTML, alone, no error, no repr."""
    outputs = cell.locator(".jp-OutputArea-output")
    assert outputs.count() == 1, (
        f"expected one output, found {outputs.count()}: {outputs.all_text_contents()}"
    )
    output = outputs.first
    assert output.get_attribute("data-mime-type") == "text/html", output.get_attribute(
        "data-mime-type"
    )
    box = output.locator(".course-feedback")
    assert box.count() == 1, f"no feedback box rendered: {output.text_content()!r}"
    assert "Result(" not in output.text_content() and "object at 0x" not in output.text_content()
    return box


def _readable(box, theme: str) -> dict[str, float]:
    """The contrast of the box's headline and text in the current theme: at least WCAG AA's 4.5:1."""
    ratios = {
        "headline": _contrast(box.locator("b").first.evaluate(COLOURS)),
        "text": _contrast(box.evaluate(COLOURS)),
    }
    for part, ratio in ratios.items():
        assert ratio >= 4.5, (
            f"{theme}: the feedback's {part} is hard to read (contrast {ratio:.1f}:1, want 4.5:1)"
        )
    return ratios


def test_jupyterlab_shows_the_checker_feedback(chromium, lab):
    shots = screenshots("jupyterlab")
    steps: dict[str, float] = {}
    started = time.monotonic()
    with browser(chromium, lab.root.parent / "chromium-profile", lab.base + "/", shots) as session:
        try:
            _learner_session(session.page, lab, steps, shots)
        except BaseException:
            print(f"JupyterLab's log:\n{lab.log()}")
            raise
    assert not session.foreign, (
        f"Chromium tried to reach other hosts than 127.0.0.1: {session.foreign[:5]}"
    )
    print(
        f"\nbrowser session {time.monotonic() - started:.1f} s ("
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
        + f"); screenshots in {shots}"
    )


def _learner_session(page, lab, steps: dict[str, float], shots: Path) -> None:
    """What a learner does; ``steps`` gets each step's duration in seconds."""
    clock = [time.monotonic()]

    def done(step: str) -> None:
        clock.append(time.monotonic())
        steps[step] = clock[-1] - clock[-2]

    page.goto(lab.url(f"lab/tree/{NOTEBOOK.name}"))
    page.wait_for_selector(".jp-Notebook .jp-CodeCell")
    _wait_kernel(page)
    lab.remember_children()
    done("open the notebook, kernel ready")
    stub, check = _code_cell(page, STUB_CELL), _code_cell(page, "ex.batch_dimension.check()")
    graded = _code_cell(page, "ex.batch_dimension.grade()")

    # 1. Run all cells, as a learner does on opening the notebook: the untouched exercise is
    #    "Not attempted" (nothing raises: the answer cell's preview says so too).
    _run_and_wait(page, lambda: _menu(page, "Run", "Run All Cells"), [stub, check, graded])
    _show(stub)
    page.screenshot(path=str(shots / "1-run-all-not-attempted.png"))
    assert "Not attempted yet" in stub.locator(".jp-OutputArea").text_content()
    box = _feedback(check)
    box.screenshot(path=str(shots / "1-feedback-not-attempted.png"))
    assert "Not attempted" in box.text_content()
    assert "course-feedback-not-attempted" in box.get_attribute("class")
    _readable(box, "JupyterLab Light")
    done("run all, not attempted")

    # 2. The learner replaces the stub's line with the answer and runs that cell, then
    #    the check cell (Shift+Enter in each): "public checks passed".
    lines = stub.locator(".cm-line").all_text_contents()
    assert STUB in lines, lines
    stub.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("\n".join(ANSWER if line == STUB else line for line in lines))
    assert ANSWER in stub.locator(".cm-content").text_content()
    assert STUB not in stub.locator(".cm-content").text_content()
    _run_and_wait(page, lambda: page.keyboard.press("Shift+Enter"), [stub])
    check.locator(".cm-content").click()
    _run_and_wait(page, lambda: page.keyboard.press("Shift+Enter"), [check])
    assert "torch.Size([1," in stub.locator(".jp-OutputArea").text_content()
    box = _feedback(check)
    assert "public checks passed" in box.text_content()
    assert "course-feedback-correct" in box.get_attribute("class")
    _show(stub)
    page.screenshot(path=str(shots / "2-answered-correct.png"))
    box.screenshot(path=str(shots / "2-feedback-correct.png"))
    _readable(box, "JupyterLab Light")
    done("answer, check passes")

    # 3. The graded cell now passes too (no error output).
    graded.locator(".cm-content").click()
    _run_and_wait(page, lambda: page.keyboard.press("Shift+Enter"), [graded])
    assert (
        graded.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).count()
        == 0
    )
    assert "Error" not in (graded.locator(".jp-OutputArea").text_content() or "")
    done("graded cell passes")

    # 4. The same feedback in the dark theme stays readable.
    _menu(page, "Settings", "Theme")
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'")
    # The theme's stylesheet applies a moment after the attribute: wait until the box is dark.
    page.wait_for_function(
        "box => getComputedStyle(box).backgroundColor !== 'rgb(255, 255, 255)'",
        arg=box.element_handle(),
    )
    _show(stub)
    page.screenshot(path=str(shots / "3-answered-correct-dark.png"))
    _readable(box, "JupyterLab Dark")
    done("dark theme")


# ---------------------------------------------------------------------------------------------
# The later sections, top to bottom in the same JupyterLab.

LATER_SECTIONS = (
    "09_pairs_of_sequences.ipynb",
    "10_batches_for_training.ipynb",
    "11_batches_for_generation.ipynb",
    "12_packing_sequences.ipynb",
)


@pytest.fixture
def later_lab(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    for name in LATER_SECTIONS:
        shutil.copy(NOTEBOOK.parent / name, root / name)
    with jupyterlab(tmp_path / "jupyter", lab_command(root), cwd=root) as server:
        yield server


def test_the_later_sections_run_top_to_bottom_in_jupyterlab(chromium, later_lab):
    """Run All on each of sections 9-12 as a learner first opens it: every code cell runs, nothing fails
    (an unanswered graded cell writes "Not attempted" to stderr), and every check says "Not attempted"."""
    shots = screenshots("jupyterlab/later-sections")  # its own folder: the first test's stay
    times = {}
    with browser(
        chromium, later_lab.root.parent / "chromium-profile", later_lab.base + "/", shots
    ) as session:
        page = session.page
        page.set_default_timeout(
            240_000
        )  # a whole notebook runs (notebook 10 trains for a few steps)
        for name in LATER_SECTIONS:
            started = time.monotonic()
            page.goto(later_lab.url(f"lab/tree/{name}"))
            page.wait_for_selector(".jp-Notebook .jp-CodeCell")
            _wait_kernel(page)
            later_lab.remember_children()
            cells = page.locator(".jp-Notebook .jp-CodeCell")
            _run_and_wait(page, lambda: _menu(page, "Run", "Run All Cells"), [cells.last])
            for cell in cells.all():
                source = cell.locator(".jp-InputArea-editor").text_content() or ""
                prompt = _prompt(cell)
                assert re.fullmatch(r"\[\d+\]:", prompt), (
                    f"{name}: a cell did not run ({prompt!r}): {source[:80]!r}"
                )
                output = cell.locator(".jp-OutputArea").text_content() or ""
                unanswered = re.search(r"ex\.\w+\.grade\(\)", source) and "Not attempted" in output
                errors = cell.locator(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                )
                if any(re.search(r"\b\w+Error\b", text) for text in errors.all_text_contents()):
                    assert unanswered, (
                        f"{name}: a cell failed that is no unanswered exercise: {source[:80]!r}\n{output[-500:]}"
                    )
                if re.search(r"ex\.\w+\.check\(\)", source):
                    assert "Not attempted" in _feedback(cell).text_content(), f"{name}: {source!r}"
            page.screenshot(path=str(shots / f"later-{name[:2]}-run-all.png"))
            times[name[:2]] = time.monotonic() - started
            _menu(page, "Kernel", "Shut Down All Kernels")
    assert not session.foreign, (
        f"Chromium tried to reach other hosts than 127.0.0.1: {session.foreign[:5]}"
    )
    print("\nsections run in JupyterLab: " + ", ".join(f"{n} {s:.0f} s" for n, s in times.items()))
