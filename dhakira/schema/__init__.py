"""The archive's vocabularies, declared once as data (``vocabularies.yaml``) with English and Arabic labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable id, its labels and any extra fields the vocabulary declares."""

    id: str
    en: str
    ar: str
    extra: tuple[tuple[str, Any], ...] = ()

    def label(self, language: str) -> str:
        """The label in ``language`` (``ar`` or anything else for English)."""
        return self.ar if language.startswith("ar") else self.en

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@cache
def vocabularies() -> dict[str, tuple[Term, ...]]:
    """Every vocabulary by name, in declared order."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("vocabularies.yaml").read_text("utf-8"))
    result: dict[str, tuple[Term, ...]] = {}
    for name, entries in raw.items():
        terms = []
        for entry in entries:
            entry = dict(entry)
            term_id, en, ar = str(entry.pop("id")), entry.pop("en"), entry.pop("ar")
            terms.append(Term(term_id, en, ar, tuple(sorted(entry.items()))))
        ids = [term.id for term in terms]
        if len(ids) != len(set(ids)):
            raise ValueError(f"vocabulary {name} repeats an id")
        result[name] = tuple(terms)
    return result


def vocabulary(name: str) -> tuple[Term, ...]:
    """The terms of one vocabulary; ``KeyError`` names the unknown vocabulary."""
    return vocabularies()[name]


def term(name: str, term_id: str) -> Term:
    """One term by vocabulary and id."""
    for candidate in vocabulary(name):
        if candidate.id == term_id:
            return candidate
    raise KeyError(f"{term_id!r} is not in the vocabulary {name!r}")


def choices(name: str) -> list[tuple[str, str]]:
    """``(id, English label)`` pairs, for model fields and forms."""
    return [(entry.id, entry.en) for entry in vocabulary(name)]


def ids(name: str) -> frozenset[str]:
    return frozenset(entry.id for entry in vocabulary(name))
