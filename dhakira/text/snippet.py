"""Snippets with highlights, made in Python with the same tokenizer the index uses."""

from __future__ import annotations

from dataclasses import dataclass

from dhakira.text.normalise import token_forms
from dhakira.text.query import Query, variants


@dataclass(frozen=True)
class Snippet:
    """``text`` is an excerpt; ``highlights`` are ``[start, end)`` spans inside the excerpt."""

    text: str
    highlights: list[tuple[int, int]]


def matching_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Spans of ``text`` whose tokens match a term of the query (by stem or normalised form)."""
    stems = {stem for term in query.all_terms() for stem in term.stems}
    norms = {form for term in query.all_terms() for norm in term.norms for form in variants(norm)}
    return [span for span, norm, stem in token_forms(text) if stem in stems or norm in norms]


def make_snippet(text: str, query: Query, width: int = 240) -> Snippet:
    """The window of ``text`` holding the most matches, cut at word boundaries."""
    spans = matching_spans(text, query)
    if not spans:
        excerpt = text[:width]
        cut = excerpt.rfind(" ") if len(text) > width else len(excerpt)
        return Snippet(excerpt[: cut if cut > 0 else width].strip(), [])
    best_start, best_count = spans[0][0], 0
    for index, (start, _end) in enumerate(spans):
        count = sum(1 for other, _ in spans[index:] if other < start + width)
        if count > best_count:
            best_start, best_count = start, count
    window_start = max(0, best_start - width // 4)
    space = text.rfind(" ", 0, window_start)
    window_start = 0 if window_start == 0 or space < 0 else space + 1
    window_end = min(len(text), window_start + width)
    if window_end < len(text):
        space = text.rfind(" ", window_start, window_end)
        window_end = space if space > best_start else window_end
    highlights = [(s - window_start, e - window_start) for s, e in spans if s >= window_start and e <= window_end]
    return Snippet(text[window_start:window_end], highlights)
