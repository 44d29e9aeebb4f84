"""The README's hub steps as scripts: the shell blocks of "A classroom on JupyterHub", as written.

The README is the one source: this module only cuts its ``bash`` blocks into what runs where.

- the first block is the settings (``NAME=value`` lines, the only lines an instructor edits);
  :func:`with_settings` puts other values on exactly those lines (unique account names, free ports,
  folders of a test) and refuses a name the block does not set;
- the blocks up to the one that starts ``jupyterhub`` are the set-up, run as root in one shell
  (:func:`setup_script`); the hub's block runs after them with the same settings (:func:`hub_script`);
- the blocks after it are the instructor's, typed into a terminal of their JupyterLab on the hub
  (:func:`instructor_blocks`).

    python -m tests.helpers.readme_hub    # prints the three parts, as the test runs them
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## A classroom on JupyterHub"
SETTING = re.compile(r"^(?P<name>[A-Z_]+)=(?P<value>\"[^\"]*\"|\S*)(?P<comment>\s+#.*)?$")


@dataclass(frozen=True)
class Steps:
    settings: str
    setup: list[str]
    hub: str
    instructor: list[str]


def section(readme: str | None = None) -> str:
    text = README.read_text() if readme is None else readme
    assert SECTION in text, f"the README has no section {SECTION!r}"
    return text.split(SECTION, 1)[1].split("\n## ", 1)[0]


def blocks(readme: str | None = None) -> list[str]:
    """The section's ```bash blocks, in order."""
    return re.findall(r"^```bash\n(.*?)^```", section(readme), re.S | re.M)


def steps(readme: str | None = None) -> Steps:
    found = blocks(readme)
    hub = [i for i, block in enumerate(found) if re.search(r"jupyterhub\"? -f ", block)]
    assert len(hub) == 1, f"expected one block that starts jupyterhub, found {len(hub)}"
    first = found[0].splitlines()
    assert first and all(SETTING.match(line) for line in first), (
        "the section's first bash block must be its settings, one NAME=value per line"
    )
    return Steps(found[0], found[1 : hub[0]], found[hub[0]], found[hub[0] + 1 :])


def settings(block: str) -> dict[str, str]:
    """{NAME: value as the shell reads it} of a settings block."""
    values = {}
    for line in block.splitlines():
        match = SETTING.match(line)
        if match:
            values[match["name"]] = match["value"].strip('"')
    return values


def with_settings(block: str, values: dict[str, str]) -> str:
    """The settings block with ``values`` on the lines that set those names (comments kept)."""
    missing = set(values) - set(settings(block))
    assert not missing, f"the README's settings do not set {sorted(missing)}"

    def line(text: str) -> str:
        match = SETTING.match(text)
        if not match or match["name"] not in values:
            return text
        value = values[match["name"]]
        assert '"' not in value and "$" not in value, value
        return f'{match["name"]}="{value}"{match["comment"] or ""}'

    return "\n".join(line(text) for text in block.splitlines()) + "\n"


def setup_script(values: dict[str, str], readme: str | None = None) -> str:
    """The settings and every set-up block, in one shell that stops at the first failure."""
    found = steps(readme)
    return "set -euo pipefail\n" + with_settings(found.settings, values) + "".join(found.setup)


def hub_script(values: dict[str, str], readme: str | None = None) -> str:
    """The settings and the block that starts the hub (it runs until it is stopped)."""
    found = steps(readme)
    return "set -euo pipefail\n" + with_settings(found.settings, values) + found.hub


def instructor_blocks(readme: str | None = None) -> list[str]:
    return steps(readme).instructor


if __name__ == "__main__":
    found = steps()
    print("# as root, in one shell:\n" + found.settings + "".join(found.setup))
    print("# then, with the same settings:\n" + found.hub)
    for number, block in enumerate(found.instructor, 1):
        print(f"# the instructor's terminal, step {number}:\n{block}")
