"""The pip route and the conda route install the same pinned versions."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s#]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match and not line.lstrip().startswith("#"):
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_requirements_and_environment_pin_the_same_versions():
    pip_pins, conda_pins = pins(ROOT / "requirements.txt"), pins(ROOT / "environment.yml")
    assert pip_pins, "requirements.txt pins nothing"
    assert pip_pins == conda_pins


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert PIN.match(line), f"not pinned with ==: {line}"


def test_torch_is_pinned_to_the_cpu_build_version():
    assert pins(ROOT / "requirements.txt")["torch"] == "2.13.0"


def test_constraints_agree_with_requirements():
    locked = {k: v.split("+")[0] for k, v in pins(ROOT / "constraints.txt").items()}
    for name, version in pins(ROOT / "requirements.txt").items():
        assert locked.get(name) == version, f"constraints.txt has {name}=={locked.get(name)}, requirements.txt {version}"
