"""The README's commands, run from a fresh copy of the repository, say what the README says they say.

Every ```console block of README.md is a transcript: a line starting with `$ ` is a command, and the line
after it is the first line it prints (stdout and stderr together; `...` stands for any text). The commands
run in order, in one copy of the files git tracks (what a fresh clone holds, with uncommitted edits), with
this test's environment first on PATH: set-up (`bash scripts/setup.sh`) is left aside.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

README = PROJECT_DIR / "README.md"
COMMAND_SECONDS = 600


def console_commands(markdown: str) -> list[tuple[str, str]]:
    """Return (command, expected first line) for every `$ ` line of the ```console blocks of a Markdown text."""
    pairs = []
    for block in re.findall(r"^```console\n(.*?)^```", markdown, flags=re.M | re.S):
        lines = block.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("$ "):
                following = lines[number + 1] if number + 1 < len(lines) else ""
                pairs.append((line[2:].strip(), "" if following.startswith("$ ") else following))
    return pairs


def matches_first_line(expected: str, line: str) -> bool:
    """Tell whether an output line is the expected one, `...` standing for any text."""
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, line.rstrip()) is not None


def fresh_copy(destination: Path) -> Path:
    """Copy the files git tracks (and new files git does not ignore) into destination, as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_DIR / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def test_console_commands__commands_and_first_lines_of_a_transcript():
    text = (
        "intro\n```console\n$ tool --help\nusage: tool ...\nmore\n$ tool quiet\n$ tool last\n```\n```\n$ not me\n```\n"
    )
    assert console_commands(text) == [("tool --help", "usage: tool ..."), ("tool quiet", ""), ("tool last", "")]


def test_matches_first_line__dots_stand_for_any_text():
    assert matches_first_line("report: data fingerprint ... (...)", "report: data fingerprint 1a2b (/x/processed)")
    assert not matches_first_line("usage: tool [-h]", "usage: tool [-h] {build}")


def test_readme__documented_commands_run_from_a_fresh_copy_and_print_what_it_says(tmp_path):
    commands = console_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 5, "README.md has lost its ```console blocks of commands"
    clone = fresh_copy(tmp_path / "clone")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(clone),  # the console script imports the copy's package, as `python -m` does
        "COLUMNS": "120",  # argparse wraps help text to the terminal's width
    }
    for command, expected in commands:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=clone,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        first_line = result.stdout.splitlines()[0] if result.stdout else ""
        assert result.returncode == 0, f"`{command}` exited {result.returncode}:\n{result.stdout[-3000:]}"
        assert matches_first_line(expected, first_line), (
            f"`{command}` first printed {first_line!r}, README says {expected!r}"
        )


@pytest.mark.parametrize("script", ["setup.sh", "run.sh", "test.sh", "lab.sh", "lock.sh"])
def test_readme__names_every_script(script):
    assert f"scripts/{script}" in README.read_text(encoding="utf-8")
