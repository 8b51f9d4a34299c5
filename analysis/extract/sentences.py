"""Split a text into sentences with their character offsets and paragraph numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|U\.N|U\.K|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Dr|Mr|Mrs|Ms|Sen|Rep|Gov|St|No|Jr|Sr|Inc|Co|Corp|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Ky|Calif|a\.m|p\.m|i\.e|e\.g)|\b[A-Z])\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+\.)\s)")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, where it starts in the document, its paragraph and its position."""

    text: str
    start: int
    paragraph: int
    index: int

    @property
    def end(self) -> int:
        """Offset one past the sentence's last character."""
        return self.start + len(self.text)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of a text in order; paragraphs (blank-line separated) never share a sentence.

    >>> [s.text for s in split_sentences("U.S. forces struck at 8 p.m. on Dec. 25. Two died.\\n\\nNext one")]
    ['U.S. forces struck at 8 p.m. on Dec. 25.', 'Two died.', 'Next one']
    """
    sentences: list[Sentence] = []
    position = 0
    for paragraph_number, paragraph in enumerate(_PARAGRAPH.split(text)):
        offset = text.index(paragraph, position) if paragraph else position
        position = offset + len(paragraph)
        for start, piece in _pieces(paragraph):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                sentences.append(
                    Sentence(" ".join(stripped.split()), offset + start + lead, paragraph_number, len(sentences))
                )
    return sentences


def _pieces(paragraph: str) -> list[tuple[int, str]]:
    """Cut a paragraph at sentence ends, skipping periods of abbreviations and initials."""
    pieces, start = [], 0
    for match in _BOUNDARY.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip('"”’)')
        if _ABBREVIATIONS.search(before[-12:]) and not before.endswith(("p.m.", "a.m.")):
            continue
        if before.endswith(("p.m.", "a.m.")) and not paragraph[match.end() :][:1].isupper():
            continue
        if before.endswith(("p.m.", "a.m.")) and re.match(r"\s*\(?(?:EST|EDT|ET|local)\b", paragraph[match.start() :]):
            continue
        pieces.append((start, paragraph[start : match.start()]))
        start = match.end()
    pieces.append((start, paragraph[start:]))
    return pieces
