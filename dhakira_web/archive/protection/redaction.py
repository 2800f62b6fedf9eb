"""Finding and masking redacted phrases in text.

A phrase matches however it is written: any case, Arabic letters in any of their usual spellings
(alef with or without hamza, alef maqsura and ya, ta marbuta and ha), with or without diacritics or
tatweel, any run of spaces between words. A masked occurrence is replaced by as many ``█`` as it has
characters, so that every character span read from the text (claims, highlights) still points where
it did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

MASK = "█"
_EQUIVALENT = [set("اأإآٱ"), set("يى"), set("ةه"), set("وؤ")]
_IGNORED = "[\u064b-\u065f\u0670\u0640]*"  # Arabic diacritics and tatweel, allowed between letters


def _letter(char: str) -> str:
    for group in _EQUIVALENT:
        if char in group:
            return "[" + "".join(sorted(group)) + "]"
    return re.escape(char)


def _phrase_pattern(phrase: str) -> str:
    parts: list[str] = []
    for word in phrase.split():
        letters = [char for char in word if not re.match(_IGNORED[:-1], char)]
        parts.append(_IGNORED.join(_letter(char) for char in letters))
    body = r"\s+".join(parts)
    # Latin names are matched as whole words ("Ali" never masks "quality"); Arabic ones also inside a
    # word, as Arabic joins prefixes (و، ب، ل، ال) to the name they precede.
    if re.match(r"[A-Za-z0-9]", phrase):
        body = r"(?<![A-Za-z0-9])" + body
    if re.search(r"[A-Za-z0-9]$", phrase):
        body += r"(?![A-Za-z0-9])"
    return body


@lru_cache(maxsize=256)
def pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern for every phrase (longest first), or None when there is none to hide."""
    wanted = sorted({phrase.strip() for phrase in phrases if phrase.strip()}, key=len, reverse=True)
    if not wanted:
        return None
    return re.compile("|".join(f"(?:{_phrase_pattern(phrase)})" for phrase in wanted), re.IGNORECASE)


def spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``phrases`` occur in ``text``, as ``(start, end)`` in order, never overlapping."""
    compiled = pattern(tuple(sorted(set(phrases))))
    if compiled is None or not text:
        return []
    return [match.span() for match in compiled.finditer(text) if match.end() > match.start()]


def mask(text: str, phrases: Iterable[str]) -> str:
    """``text`` with every occurrence of ``phrases`` replaced by as many ``█`` as it has characters."""
    found = spans(text, phrases)
    if not found:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in found:
        pieces += [text[position:start], MASK * (end - start)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
