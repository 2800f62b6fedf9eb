"""Reach records in the other language: names in a query resolved to knowledge-base ids.

A query naming a known place, facility, organisation or event type ("Saydnaya", "سجن حماة المركزي",
"hunger strike") also matches records that carry that id as an index key, whatever their language.
Names are looked up in the knowledge base (``dhakira.knowledge``) as written and title-cased (people
type "saydnaya"); quoted phrases are taken literally. When the knowledge base cannot be loaded, names are looked up among the archive's
own ``Place`` and ``Organisation`` rows, in both languages. Each key is attached to the query groups its name covers.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from dhakira.text import tokens
from dhakira.text.query import Query

log = logging.getLogger("dhakira.archive")
MAX_PHRASE = 6


@lru_cache(maxsize=1)
def _knowledge() -> Any:
    try:
        from dhakira.knowledge import knowledge

        return knowledge()
    except Exception:  # noqa: BLE001 - a broken knowledge base must not break search
        log.exception("knowledge base unavailable: cross-language search uses the archive's own names")
        return None


def _title_case(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] if word.isascii() else word for word in text.split(" "))


def knowledge_names(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` for each place, organisation or event trigger the knowledge base finds in ``text``."""
    kb = _knowledge()
    if kb is None or not text.strip():
        return []
    from dhakira.knowledge import prepare

    found: list[tuple[int, int, str]] = []
    for written in dict.fromkeys((text, _title_case(text))):
        toks = prepare(written)
        for match in kb.place_lexicon.find(toks, written):
            if not match.payload.weak:
                found.append((match.start, match.end, match.payload.id))
        for match in kb.organisation_lexicon.find(toks, written):
            found.append((match.start, match.end, match.payload.id))
        for match in kb.trigger_lexicon.find(toks, written):
            if match.payload.needs_context:
                continue
            for kind in kb.trigger_types(match.payload.phrase) or (match.payload.event_type,):
                found.append((match.start, match.end, f"event:{kind}"))
    return found


def _archive_names(words: list[str]) -> list[tuple[int, int, str]]:
    """``(first word, last word, key)`` for runs of query words that spell a place or organisation of the archive."""
    from dhakira_web.archive.models import Organisation, Place

    found: list[tuple[int, int, str]] = []
    candidates: dict[str, tuple[int, int]] = {}
    for first in range(len(words)):
        for last in range(first, min(len(words), first + MAX_PHRASE)):
            candidates.setdefault(" ".join(words[first:last + 1]), (first, last))
    if not candidates:
        return found
    names: dict[str, list[str]] = {}
    for model in (Place, Organisation):
        for key, name_en, name_ar in model.objects.values_list("key", "name_en", "name_ar").iterator():
            for name in (name_en, name_ar):
                folded = " ".join(token.norm for token in tokens(name or ""))
                if folded in candidates:
                    names.setdefault(folded, []).append(key)
    for phrase, keys in names.items():
        first, last = candidates[phrase]
        found.extend((first, last, key) for key in keys)
    return found


def expand(text: str, query: Query) -> list[list[str]]:
    """Per query group, the knowledge-base ids it may also match (``[]`` for a group naming nothing)."""
    extra: list[list[str]] = [[] for _ in query.groups]
    if not query.groups:
        return extra
    words = [(token.start, token.end, token.norm) for token in tokens(text[:1000])]
    spans: list[tuple[set[str], str]] = []
    for start, end, key in knowledge_names(text[:1000]):
        covered = {norm for word_start, word_end, norm in words if word_start < end and word_end > start}
        spans.append((covered, key))
    if _knowledge() is None:
        plain = [norm for _, _, norm in words]
        spans = [({*plain[first:last + 1]}, key) for first, last, key in _archive_names(plain)]
    from dhakira_web.archive.entities.search import person_spans

    spans += person_spans(words, text[:1000])  # a person's name in either script: the records naming them
    for covered, key in spans:
        for index, group in enumerate(query.groups):
            literal = all(term.phrase for term in group)
            if not literal and any(set(term.norms) <= covered for term in group if not term.phrase) and key not in extra[index]:
                extra[index].append(key)
    return extra

