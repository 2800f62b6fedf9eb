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

# Words that carry no subject of their own ("in", "of", "في", "من"): a query's word of these alone is left out of the
# query when it has other words, so that "فرع أمن الدولة في درعا" finds the records that write "بدرعا", or name the
# branch in English, and the index does not walk a word that nearly every record of its language holds. Quoted, such a
# word stays part of its phrase; alone, or with only others of them, it is searched as typed.
_FUNCTION_WORDS_TYPED = (
    "a an the of in on at to into from for by with as and or is are was were be been being has have had it its this "
    "that these those which whom whose than then there their they he she his her"
    " في من الى إلى على عن ان أن إن التي الذي الذين اللذين اللتين اللواتي هذا هذه ذلك تلك هو هي هم كان كانت قد لقد ثم او أو"
    " حيث كما مع"
)


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


def _function_words() -> frozenset[str]:
    return frozenset(token.norm for word in _FUNCTION_WORDS_TYPED.split() for token in tokens(word))


FUNCTION_WORDS = _function_words()


def is_function_word(term: Term) -> bool:
    """Whether ``term`` is a single unquoted word that carries no subject of its own (see ``FUNCTION_WORDS``)."""
    return not term.phrase and len(term.norms) == 1 and term.norms[0] in FUNCTION_WORDS


def parse_query(text: str) -> Query:
    """Turn a search string into a :class:`Query`.

    A group that is a function word alone ("in", "في") is left out when the query has a group of other words."""
    query = _parsed(text)
    kept = [group for group in query.groups if not (len(group) == 1 and is_function_word(group[0]))]
    if kept and len(kept) < len(query.groups):
        query.groups = kept
    return query


def _parsed(text: str) -> Query:
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
