"""Persons across scripts and spellings: name parsing, a shared phonetic alphabet, the pairwise matcher.

Django-free: the archive (``dhakira_web.archive.entities``) resolves mentions to persons with these.
"""

from dhakira.persons.matching import (
    MERGE_THRESHOLD,
    Comparison,
    PersonContext,
    compare,
    compare_names,
    known_persons,
)
from dhakira.persons.names import ParsedName, Part, name_key, parse_name, phonetic, skeleton

__all__ = ["MERGE_THRESHOLD", "Comparison", "ParsedName", "Part", "PersonContext", "compare", "compare_names",
           "known_persons", "name_key", "parse_name", "phonetic", "skeleton"]
