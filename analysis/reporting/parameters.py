"""Check report parameters against a notebook's `parameters` cell before anything runs.

papermill injects parameter names into code unescaped and does not check types, so the runner refuses a
name the notebook does not declare and a value whose type differs from the declared default's.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.core.errors import ParameterError

PARAMETERS_TAG = "parameters"


def read_notebook_json(path: Path) -> dict:
    """Read an .ipynb file as plain JSON (no nbformat import: this runs before any worker starts)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ParameterError(f"{path} cannot be read as a notebook: {error}") from None


def parameters_cell_source(notebook: dict, path: Path) -> str:
    """Return the source of the one code cell tagged 'parameters', refusing none or several."""
    cells = [c for c in notebook.get("cells", []) if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path} must have exactly one cell tagged '{PARAMETERS_TAG}', it has {len(cells)}")
    source = cells[0].get("source", "")
    return "".join(source) if isinstance(source, list) else source


def declared_parameters(source: str, path: Path | str = "<parameters cell>") -> dict[str, Any]:
    """Return {name: default} for each `name = literal` (or `name: type = literal`) in a parameters cell.

    >>> declared_parameters('start = "2019-01-01"  # first day\\ncountries = ["Iraq"]\\nwindow_days: int = 14')
    {'start': '2019-01-01', 'countries': ['Iraq'], 'window_days': 14}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ParameterError(
            f"{path}: the parameters cell is not valid Python (line {error.lineno}: {error.msg})"
        ) from None
    declared = {}
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            name, value = statement.targets[0].id, statement.value
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.value is not None
        ):
            name, value = statement.target.id, statement.value
        else:
            continue  # comments, imports and the like declare nothing
        try:
            declared[name] = ast.literal_eval(value)
        except ValueError:
            raise ParameterError(
                f"{path}: parameter {name!r} (line {statement.lineno}) must default to a literal "
                "(text, number, list...) so that its type can be checked"
            ) from None
    return declared


def notebook_parameters(path: Path) -> dict[str, Any]:
    """Return the parameters a notebook file declares, with their defaults."""
    return declared_parameters(parameters_cell_source(read_notebook_json(path), path), path)


def type_name(default: Any) -> str:
    """Describe the type a default declares, as a sentence fragment.

    >>> type_name(["Iraq"]), type_name(14), type_name(0.5)
    ('a list of str', 'an int', 'a number')
    """
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, (list, tuple)):
        kinds = {type(item).__name__ for item in default}
        return f"a list of {kinds.pop()}" if len(kinds) == 1 else "a list"
    article = "an" if type(default).__name__[0] in "aeiou" else "a"
    return f"{article} {type(default).__name__}"


def matches_type(value: Any, default: Any) -> bool:
    """Tell whether value has the type a default declares (ints are numbers; booleans are not ints).

    >>> matches_type(3, 0.5), matches_type(True, 1), matches_type(["Syria"], ["Iraq"]), matches_type("Syria", ["Iraq"])
    (True, False, True, False)
    """
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        if not isinstance(value, (list, tuple)):
            return False
        kinds = {type(item) for item in default}
        return len(kinds) != 1 or all(matches_type(item, default[0]) for item in value)
    return isinstance(value, type(default))


def parameter_problems(parameters: Mapping[str, Any], declared: Mapping[str, Any], notebook: str) -> list[str]:
    """List, as sentences, every name not declared and every value not of its declared type."""
    problems = []
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        problems.append(
            f"{notebook} does not declare {', '.join(map(repr, unknown))} in its parameters cell "
            f"(it declares {', '.join(declared) or 'nothing'})"
        )
    for name, value in parameters.items():
        if name in declared and not matches_type(value, declared[name]):
            problems.append(
                f"{notebook}: {name} must be {type_name(declared[name])} like its default "
                f"{declared[name]!r}, not {value!r}"
            )
    return problems
