"""Rewrite the generated columns section of docs/data_model.md from the table spec (analysis.core.spec).

python scripts/update_data_model_doc.py          # rewrite the section
python scripts/update_data_model_doc.py --check  # exit 1 when the section is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from analysis.core.spec import markdown_all_columns  # noqa: E402

DOC = PROJECT_DIR / "docs" / "data_model.md"
START, END = "<!-- columns: generated from analysis/core/spec.py -->", "<!-- end of generated columns -->"


def updated(text: str) -> str:
    """Return the document with its generated section replaced by the current spec."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{markdown_all_columns()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    """Rewrite the doc, or with --check only say whether it is current."""
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{DOC}: markers {START!r} / {END!r} are missing", file=sys.stderr)
        return 2
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is stale: run python scripts/update_data_model_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
