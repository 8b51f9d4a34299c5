"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

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
