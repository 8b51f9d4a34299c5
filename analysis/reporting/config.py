"""Report sets: named groups of report pages and their parameters, read from reports.yml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.core.errors import ParameterError, describe_os_error
from analysis.present.text import selection_title

SET_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
TOP_LEVEL_KEYS = {"default_set", "pages", "sets"}
SET_KEYS = {"title", "description", "parameters", "pages"}
PAGE_KEYS = {"name", "title", "parameters"}


@dataclass(frozen=True)
class Page:
    """One report page: a notebook (by stem name), its title and the parameters only it receives."""

    name: str
    title: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSet:
    """A named report: parameters every page receives, and its pages in display order."""

    name: str
    title: str
    parameters: Mapping[str, Any]
    pages: tuple[Page, ...]
    description: str = ""

    def page_parameters(self, page: Page) -> dict[str, Any]:
        """Return what one page is run with: the set's parameters, then the page's own."""
        return {**self.parameters, **page.parameters}


def page_title(name: str) -> str:
    """Turn a notebook name into a page title.

    >>> page_title("data_quality")
    'Data quality'
    """
    return name.replace("_", " ").replace("-", " ").strip().capitalize()


def _yaml_loader():
    """Return a YAML loader that keeps dates as text (2022-01-01 stays '2022-01-01', as notebooks expect)."""
    import yaml

    class TextDateLoader(yaml.SafeLoader):
        """SafeLoader without the implicit timestamp type, refusing a key written twice (YAML keeps the last)."""

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)
                seen = set()
                for key, _ in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"the key {key.value!r} is written twice", key.start_mark
                        )
                    seen.add(key.value if isinstance(key, yaml.ScalarNode) else id(key))
            return super().construct_mapping(node, deep=deep)

    TextDateLoader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDateLoader


def _mapping(value, where: str) -> dict:
    """Return value if it is a mapping with text keys, else raise a ParameterError naming where."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ParameterError(f"{where} must be a mapping of names to values, not {value!r}")
    return dict(value)


def _text(value, where: str) -> str:
    """Return a title or description as text ('' when absent); a list or mapping there is a mistake."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ParameterError(f"{where} must be text, not {value!r}")
    return str(value)


def _unknown_keys(given: Mapping, allowed: set[str], where: str) -> None:
    """Refuse keys that the format does not know (a typo would otherwise be ignored)."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ParameterError(f"{where} has unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def parse_page(entry, where: str) -> Page:
    """Read one page entry: a notebook name, or {name, title, parameters}."""
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ParameterError(f"{where}: a page is a notebook name or a mapping with 'name', not {entry!r}")
    _unknown_keys(entry, PAGE_KEYS, f"{where}, page {entry['name']!r}")
    if not SET_NAME_PATTERN.match(entry["name"]):
        raise ParameterError(f"{where}: page name {entry['name']!r} is not a notebook name (letters, digits, _ - .)")
    return Page(
        entry["name"],
        _text(entry.get("title"), f"{where}, page {entry['name']!r}, title") or page_title(entry["name"]),
        _mapping(entry.get("parameters"), f"{where}, page {entry['name']!r}, parameters"),
    )


def parse_pages(entries, where: str) -> tuple[Page, ...]:
    """Read a list of page entries, refusing an empty list and duplicates."""
    if not isinstance(entries, list) or not entries:
        raise ParameterError(f"{where}: pages must be a non-empty list of notebook names, not {entries!r}")
    pages = tuple(parse_page(entry, where) for entry in entries)
    names = [p.name for p in pages]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ParameterError(f"{where}: page(s) {duplicates} listed twice")
    return pages


@dataclass(frozen=True)
class ReportConfig:
    """Everything reports.yml says: the sets, the default set and the default page list."""

    path: Path
    sets: Mapping[str, ReportSet]
    default_set: str
    default_pages: tuple[Page, ...]

    def get(self, name: str) -> ReportSet:
        """Return a set by name, or raise a ParameterError listing the names there are."""
        if name not in self.sets:
            raise ParameterError(f"{self.path}: there is no report set {name!r}; sets: {sorted(self.sets)}")
        return self.sets[name]


def parse_config(document, path: Path) -> ReportConfig:
    """Check and read a parsed reports.yml document."""
    where = str(path)
    document = _mapping(document, where)
    _unknown_keys(document, TOP_LEVEL_KEYS, where)
    default_pages = parse_pages(document.get("pages"), f"{where}: pages")
    raw_sets = _mapping(document.get("sets"), f"{where}: sets")
    if not raw_sets:
        raise ParameterError(f"{where}: 'sets' must name at least one report set")
    sets = {}
    for name, entry in raw_sets.items():
        set_where = f"{where}: set {name!r}"
        if not SET_NAME_PATTERN.match(name):
            raise ParameterError(f"{set_where}: a set name is used as a folder name: letters, digits, _ - . only")
        entry = _mapping(entry, set_where)
        _unknown_keys(entry, SET_KEYS, set_where)
        pages = parse_pages(entry["pages"], set_where) if "pages" in entry else default_pages
        sets[name] = ReportSet(
            name,
            _text(entry.get("title"), f"{set_where}, title") or name,
            _mapping(entry.get("parameters"), f"{set_where}, parameters"),
            pages,
            _text(entry.get("description"), f"{set_where}, description"),
        )
    default_set = document.get("default_set") or next(iter(sets))
    if not isinstance(default_set, str):
        raise ParameterError(f"{where}: default_set must be the name of one set, not {default_set!r}")
    if default_set not in sets:
        raise ParameterError(f"{where}: default_set {default_set!r} is not one of the sets {sorted(sets)}")
    return ReportConfig(Path(path), sets, default_set, default_pages)


def load_report_config(path: str | Path | None = None) -> ReportConfig:
    """Read reports.yml (default: the project's), refusing unknown keys, bad names and empty page lists."""
    import yaml

    path = Path(path or paths.REPORTS_CONFIG)
    if not path.is_file():
        raise ParameterError(f"{path} does not exist: it lists the report sets (see reports/README.md)")
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_yaml_loader())
    except OSError as error:
        raise ParameterError(f"{path} cannot be read: {describe_os_error(error)}") from None
    except UnicodeDecodeError as error:
        raise ParameterError(f"{path} is not UTF-8 text (byte offset {error.start}): save it as UTF-8") from None
    except yaml.YAMLError as error:
        raise ParameterError(f"{path} is not valid YAML: {_yaml_problem(error)}") from None
    return parse_config(document, path)


def _yaml_problem(error) -> str:
    """Describe a YAML error in one line: the problem and where it is."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark = getattr(error, "problem_mark", None)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def custom_set(parameters: Mapping[str, Any], pages: tuple[Page, ...], name: str = "custom") -> ReportSet:
    """Make a set from command-line parameters (--start / --end / --countries) and the default pages."""
    if not SET_NAME_PATTERN.match(name):
        raise ParameterError(f"--name {name!r}: a set name is used as a folder name: letters, digits, _ - . only")
    from analysis.core.selection import parse_period

    parse_period(parameters.get("start"), parameters.get("end"))  # a date that is not one, before it is titled
    title = f"Custom report: {selection_title(parameters)}" if parameters else "Custom report"
    return ReportSet(name, title, dict(parameters), pages)


def select_pages(report_set: ReportSet, names: list[str] | None) -> ReportSet:
    """Keep only the named pages of a set (in the set's order); refuse names the set does not list."""
    if not names:
        return report_set
    unknown = sorted(set(names) - {p.name for p in report_set.pages})
    if unknown:
        raise ParameterError(
            f"--pages {unknown} not in set {report_set.name!r}, whose pages are {[p.name for p in report_set.pages]}"
        )
    from dataclasses import replace

    return replace(report_set, pages=tuple(p for p in report_set.pages if p.name in names))
