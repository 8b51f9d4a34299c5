"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies; the lock files pin them within range."""

import re
import tomllib

import yaml

from tests.conftest import PROJECT_DIR


def requirement_names(specs) -> dict[str, str]:
    """Map normalised package names to their version specifiers."""
    parsed = {}
    for spec in specs:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
        parsed[match[1].lower().replace("_", "-")] = match[2].replace(" ", "")
    return parsed


def test_environment_yml__matches_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    pip_side = requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])
    environment = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    conda_specs = [d for d in environment["dependencies"] if isinstance(d, str)]
    conda_side = {k: v for k, v in requirement_names(conda_specs).items() if k not in ("python", "pip")}
    assert conda_side == pip_side


def test_environment_yml__pins_python_and_installs_the_package():
    environment = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text())
    assert any(re.fullmatch(r"python=3\.\d+", str(d)) for d in environment["dependencies"])
    pip_block = [d for d in environment["dependencies"] if isinstance(d, dict)][-1]
    assert environment["dependencies"][-1] == pip_block and pip_block["pip"] == ["-e ."]


def locked_versions(path) -> dict[str, str]:
    """Map normalised package names to their pinned versions in a lock file written by scripts/lock.sh."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", path.read_text(encoding="utf-8"), flags=re.M)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def test_locked_txt__pins_every_dependency_and_test_tool_within_its_range():
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    ranges = requirement_names(project["dependencies"] + project["optional-dependencies"]["test"])
    pins = locked_versions(PROJECT_DIR / "requirements" / "locked.txt")
    outside = {
        name: pins.get(name)
        for name, spec in ranges.items()
        if name not in pins or pins[name] not in SpecifierSet(spec)
    }
    assert outside == {}, "requirements/locked.txt is out of step with pyproject.toml: run bash scripts/lock.sh"
    assert "jupyterlab" not in pins


def test_locked_lab_txt__adds_jupyterlab_without_changing_a_locked_version():
    pins = locked_versions(PROJECT_DIR / "requirements" / "locked.txt")
    lab_pins = locked_versions(PROJECT_DIR / "requirements" / "locked-lab.txt")
    assert {name: lab_pins.get(name) for name in pins} == pins
    assert "jupyterlab" in lab_pins
