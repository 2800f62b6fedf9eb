"""What every extraction step shares about one text: tokens, sentences, language, the knowledge base."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from dhakira.knowledge import KnowledgeBase, TextToken, knowledge, prepare
from dhakira.text import script_of

# A sentence ends at . ! ? ؟ or a line break; a full stop inside a number or an abbreviation does not end it.
# (The look-behinds come after the first mark, so that the pattern starts with a character set: the regex engine
# then skips to the next mark or line break instead of trying every position; the matches are the same.)
_SENTENCE_END = re.compile(r"[.!?؟](?<!\b[A-Z].)(?<!\bNo.)(?<!\bSt.)(?<!\bMr.)(?<!\bDr.)[.!?؟]*[\"”’')\]]*(?=\s)|\n+")
# Paragraphs are separated by a blank line, or by a line break in a text without blank lines.
_BLANK_LINE = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence (or line) of ``text``, without surrounding blanks."""
    return _spans(text, _SENTENCE_END, keep_separator=True)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each block separated by a blank line (or each line when there are no blank lines)."""
    return _spans(text, _BLANK_LINE if "\n\n" in text else _LINE_BREAK, keep_separator=False)


def _spans(text: str, separator: re.Pattern[str], *, keep_separator: bool) -> list[tuple[int, int]]:
    """The pieces of ``text`` between matches of ``separator`` (a sentence keeps its closing mark)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in separator.finditer(text):
        _append(text, spans, start, match.end() if keep_separator else match.start())
        start = match.end()
    _append(text, spans, start, len(text))
    return spans


def _append(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


@dataclass
class Context:
    """One text prepared for extraction."""

    text: str
    language: str
    kb: KnowledgeBase
    tokens: list[TextToken]
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    _sentence_starts: list[int] = field(init=False, repr=False)
    _paragraph_starts: list[int] = field(init=False, repr=False)
    _token_starts: list[int] = field(init=False, repr=False)
    # What a step worked out once for the text and may need again (e.g. per sentence), keyed by step and item.
    memo: dict[tuple[str, int], bool] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._sentence_starts = [start for start, _ in self.sentences]
        self._paragraph_starts = [start for start, _ in self.paragraphs]
        self._token_starts = [token.start for token in self.tokens]

    @classmethod
    def of(cls, text: str, language: str | None = None) -> Context:
        """Prepare ``text``; the language is guessed from the script when not given (or not ar/en)."""
        if language not in ("ar", "en"):
            script = script_of(text)
            language = "ar" if script == "ar" or (script == "mixed" and _arabic_share(text) > 0.5) else "en"
        return cls(text, language, knowledge(), prepare(text), sentence_spans(text), paragraph_spans(text))

    def token_at(self, offset: int) -> int:
        """Index of the first token that starts at or after ``offset``."""
        return bisect_left(self._token_starts, offset)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence that holds ``offset`` (the previous one when it falls between sentences)."""
        index = bisect_right(self._sentence_starts, offset) - 1
        return index if index > 0 else 0

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph that holds ``offset``."""
        index = bisect_right(self._paragraph_starts, offset) - 1
        return index if index > 0 else 0


def _arabic_share(text: str) -> float:
    arabic = sum(1 for char in text if "\u0600" <= char <= "\u06ff")
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    return arabic / (arabic + latin) if arabic + latin else 0.0
