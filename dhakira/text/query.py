"""Parse what a user types into a search box. Never fails: any string gives a (possibly empty) query.

Supported: words (all must match), ``"quoted phrases"``, ``OR`` between words, ``NOT word`` or
``-word`` to exclude. Brackets, stray quotes and punctuation are ignored rather than rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dhakira.text.normalise import is_arabic, tokens

# One-letter proclitics (and pairs) that stemming leaves on words without the article: بحماة, وصيدنايا.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")

_PIECE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word or a phrase: its normalised tokens and their stems."""

    norms: tuple[str, ...]
    stems: tuple[str, ...]
    phrase: bool = False


@dataclass
class Query:
    """Groups are AND-ed; the terms inside one group are OR-ed; excluded terms must not match."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def all_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def _term(text: str, phrase: bool) -> Term | None:
    parts = list(tokens(text))
    if not parts:
        return None
    return Term(tuple(part.norm for part in parts), tuple(part.stem for part in parts), phrase and len(parts) > 1)


def parse_query(text: str) -> Query:
    """Turn a search string into a :class:`Query`."""
    query = Query()
    join_next = negate_next = False
    for match in _PIECE.finditer(text[:1000]):
        phrase_text, word = match.group(1), match.group(2)
        if word is not None:
            if word == "OR":
                join_next = bool(query.groups)
                continue
            if word in ("AND", "&&"):
                continue
            if word == "NOT":
                negate_next = True
                continue
            if word.startswith("-") and len(word) > 1:
                word, negate_next = word[1:], True
        pieces: list[Term] = []
        if phrase_text is not None:
            term = _term(phrase_text, phrase=True)
            pieces = [term] if term else []
        else:
            # A bare word may still hold several tokens ("al-Assad", "سجن/حماة"): each is its own term.
            pieces = [Term((part.norm,), (part.stem,)) for part in tokens(word)]
        for piece in pieces:
            if negate_next:
                query.excluded.append(piece)
            elif join_next and query.groups:
                query.groups[-1].append(piece)
            else:
                query.groups.append([piece])
            join_next = False
        negate_next = False if pieces else negate_next
    return query


def variants(norm: str) -> tuple[str, ...]:
    """A normalised word and its forms with a proclitic attached (Arabic only)."""
    if not is_arabic(norm) or len(norm) < 3:
        return (norm,)
    return (norm, *(prefix + norm for prefix in PROCLITICS))
