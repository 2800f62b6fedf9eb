"""The pairwise person matcher: are two mentions the same person? A score, the features behind it, a reason.

Names are compared part by part (:mod:`dhakira.persons.names`) with a weighted edit distance over
the shared phonetic alphabet: a Latin short vowel that Arabic does not write costs little, a long
vowel written in one spelling and missing in the other costs much, near consonants («ث» / t, «ق» /
k) cost a little. The given name and the family name must both agree; middle names (a nasab chain)
may be missing on one side. A name of one part («محمد», "Islam", a kunya alone) never reaches the
merge threshold on its own, and context decides between namesakes: places, years, organisations and
roles that agree raise the score, places that differ lower it, and common names need agreeing context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dhakira.persons.names import ParsedName, Part, parse_name, skeleton

MERGE_THRESHOLD = 0.82
PART_THRESHOLD = 0.80

_SHORT = "aiue"
_LONG = "AIU"
_NEAR = {
    frozenset("tT"): 0.2, frozenset("dD"): 0.2, frozenset("zD"): 0.25, frozenset("zT"): 0.3, frozenset("sT"): 0.3, frozenset("Hh"): 0.1,
    frozenset("qk"): 0.2, frozenset("gj"): 0.4, frozenset("xH"): 0.5, frozenset("xk"): 0.4, frozenset("qg"): 0.4,
    frozenset("sz"): 0.5, frozenset("wU"): 0.1, frozenset("yI"): 0.1, frozenset("Aa"): 0.1, frozenset("Ii"): 0.1,
    frozenset("Uu"): 0.1, frozenset("'a"): 0.1, frozenset("'A"): 0.1, frozenset("ai"): 0.35, frozenset("au"): 0.35,
    frozenset("iu"): 0.35, frozenset("aI"): 0.75, frozenset("aU"): 0.8, frozenset("iI"): 0.1, frozenset("uU"): 0.1,
    frozenset("iU"): 0.7, frozenset("uI"): 0.7, frozenset("AI"): 0.8, frozenset("AU"): 0.8, frozenset("IU"): 0.8,
    frozenset("ae"): 0.1, frozenset("ie"): 0.1, frozenset("eI"): 0.3, frozenset("eA"): 0.35, frozenset("eu"): 0.4,
    frozenset("'i"): 0.2, frozenset("'u"): 0.2, frozenset("'e"): 0.15, frozenset("'I"): 0.3, frozenset("'U"): 0.3,
    frozenset("uw"): 0.3, frozenset("iy"): 0.3, frozenset("js"): 0.9, frozenset("St"): 0.9,
}


def _gap(sound: str, latin: bool = False) -> float:
    """The cost of a sound written in one spelling and absent from the other."""
    if sound in _SHORT:
        return 0.4 if latin and sound != "e" else 0.12
    if sound == "'":
        return 0.15
    if sound in "hH":
        return 0.35
    if sound in _LONG:
        return 0.7
    if sound in "wy":
        return 0.5
    return 1.0


_LATIN_VOWELS_APART = {frozenset("au"): 0.9, frozenset("iu"): 0.9}


def _substitution(left: str, right: str, latin: bool = False) -> float:
    if left == right:
        return 0.0
    pair = frozenset((left, right))
    if latin and pair in _LATIN_VOWELS_APART:
        return _LATIN_VOWELS_APART[pair]
    return _NEAR.get(pair, 1.0)


@lru_cache(maxsize=200_000)
def sound_distance(left: str, right: str, latin: bool = False) -> float:
    """Weighted edit distance between two phonetic spellings (``latin``: both written with every vowel,
    so "Omar" and "Ammar" differ where «عمر» and "Ammar" may not)."""
    previous = [0.0]
    for char in right:
        previous.append(previous[-1] + _gap(char, latin))
    for char_left in left:
        current = [previous[0] + _gap(char_left, latin)]
        for index, char_right in enumerate(right, start=1):
            current.append(min(previous[index] + _gap(char_left, latin), current[index - 1] + _gap(char_right, latin),
                               previous[index - 1] + _substitution(char_left, char_right, latin)))
        previous = current
    return previous[-1]


def _weight(sound: str) -> float:
    """How much a spelling says: consonants count whole, long vowels and «ع» less, short vowels little."""
    return sum(0.2 if char in _SHORT else 0.6 if char in _LONG else 0.5 if char == "'" else 1.0 for char in sound)


def part_similarity(left: Part, right: Part) -> float:
    """Similarity of two name parts in [0, 1]; parts of a different kind (kunya vs name) score 0.

    Between two Arabic spellings a long vowel written in one and not the other weighs more: Arabic
    writes long vowels («محمود» is not «محمد»).
    """
    if (left.kind == "kunya") != (right.kind == "kunya") or (left.kind == "abd") != (right.kind == "abd"):
        return 0.0
    norm = max(_weight(left.sound), _weight(right.sound), 2.0) + 0.5
    distance = sound_distance(left.sound, right.sound, left.script == right.script == "latin")
    if left.script == right.script == "ar":
        distance += 0.5 * abs(sum(c in _LONG for c in left.sound) - sum(c in _LONG for c in right.sound))
    return max(0.0, 1.0 - distance / norm)


@dataclass
class PersonContext:
    """What a record says around a mention: places (ids or names), years, organisations, roles."""

    places: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, data: Mapping[str, Iterable[Any]] | None) -> PersonContext:
        data = data or {}
        return cls({str(item) for item in data.get("places", ())}, {int(item) for item in data.get("years", ())},
                   {str(item) for item in data.get("organisations", ())}, {str(item) for item in data.get("roles", ())})

    def empty(self) -> bool:
        return not (self.places or self.years or self.organisations or self.roles)


@dataclass(frozen=True)
class Comparison:
    """The matcher's answer for a pair: its score, whether it merges, the features and a reason."""

    score: float
    same: bool
    features: dict[str, Any]
    reason: str


# Names so frequent (by consonant skeleton, both scripts) that "given + family" of two of them says
# little about who is meant: Muhammad/Mahmoud, Ahmad/Hamad, Ali, Hasan/Hussein, Khalid, Omar/Amr,
# Ibrahim, Yusuf, Mustafa, Abdullah.
COMMON_SKELETONS = frozenset({"mhmd", "hmd", "l", "hsn", "kld", "mr", "brhm", "ysf", "mstf", "bdlh", "bdl", "sn"})


def _is_common(part: Part) -> bool:
    return skeleton(part.sound) in COMMON_SKELETONS


def _middle_score(short: ParsedName, long: ParsedName) -> tuple[float, int]:
    """How well the middle parts of the shorter name are found, in order, among those of the longer one."""
    wanted = short.parts[1:-1]
    available = list(long.parts[1:-1])
    scores: list[float] = []
    for part in wanted:
        best, best_index = 0.0, -1
        for index, candidate in enumerate(available):
            similarity = part_similarity(part, candidate)
            if similarity > best:
                best, best_index = similarity, index
        scores.append(best)
        if best_index >= 0:
            available = available[best_index + 1:]
    return (min(scores) if scores else 1.0), len(long.parts) - len(short.parts)


def compare_names(left: str | ParsedName, right: str | ParsedName) -> Comparison:
    """Compare two names alone (no context)."""
    return compare(left, right)


def compare(left: str | ParsedName, right: str | ParsedName, left_context: PersonContext | None = None,
            right_context: PersonContext | None = None, *, known: Mapping[str, str] | None = None) -> Comparison:
    """Score whether two mentions name the same person. ``known`` maps names to knowledge-base ids."""
    a = left if isinstance(left, ParsedName) else parse_name(left)
    b = right if isinstance(right, ParsedName) else parse_name(right)
    features: dict[str, Any] = {"scripts": "-".join(sorted((a.script, b.script)))}
    if known:
        key_a, key_b = known.get(_known_key(a.text)), known.get(_known_key(b.text))
        if key_a and key_a == key_b:
            features["known_person"] = key_a
            return Comparison(1.0, True, features, f"both names are spellings of {key_a} in the knowledge base")
    if not a.parts or not b.parts:
        return Comparison(0.0, False, features, "no name left after titles and articles")
    if len(a.parts) == 1 or len(b.parts) == 1:
        features["single_part"] = True
        similarity = max(part_similarity(a.parts[0], part) for part in b.parts) if len(a.parts) == 1 else \
            max(part_similarity(b.parts[0], part) for part in a.parts)
        features["part"] = round(similarity, 3)
        return Comparison(round(min(similarity, 1.0) * 0.5, 3), False, features,
                          "a name of one part never identifies a person on its own")
    short, long = (a, b) if len(a.parts) <= len(b.parts) else (b, a)
    given = part_similarity(short.parts[0], long.parts[0])
    family = part_similarity(short.parts[-1], long.parts[-1])
    shifted = 0.0
    if len(long.parts) > 2:  # "Bassel Khartabil" vs "Bassel Khartabil Safadi": the longer name goes on
        shifted = max(part_similarity(short.parts[-1], part) for part in long.parts[1:-1]) - 0.12
    family_used = max(family, shifted)
    middle, missing = _middle_score(short, long)
    features.update({"given": round(given, 3), "family": round(family_used, 3), "middle": round(middle, 3),
                     "missing_parts": missing})
    score = 0.42 * given + 0.45 * family_used + 0.13 * middle - 0.03 * min(missing, 3)
    common = _is_common(short.parts[0]) and (_is_common(short.parts[-1]) or len(short.parts) == 2 and missing > 0)
    if common:
        features["common_name"] = True
    score += _context_adjustment(left_context, right_context, features, common)
    if common and features.get("context", 0.0) <= 0:
        score = min(score, MERGE_THRESHOLD - 0.05)
    if given < PART_THRESHOLD or family_used < PART_THRESHOLD:  # context never makes up for another name
        score = min(score, MERGE_THRESHOLD - 0.15)
    score = round(max(0.0, min(1.0, score)), 3)
    same = score >= MERGE_THRESHOLD
    return Comparison(score, same, features, _reason(features, same))


def _context_adjustment(left: PersonContext | None, right: PersonContext | None, features: dict[str, Any],
                        common: bool = False) -> float:
    """Context for or against: different places weigh much against a common name, little against a rare one
    (detainees are moved from prison to prison)."""
    if left is None or right is None or left.empty() or right.empty():
        return 0.0
    adjustment = 0.0
    if left.places and right.places:
        shared = left.places & right.places
        features["shared_places"] = sorted(shared)
        adjustment += 0.08 if shared else (-0.2 if common else -0.06)
    if left.years and right.years:
        gap = min(abs(x - y) for x in left.years for y in right.years)
        features["year_gap"] = gap
        adjustment += 0.04 if gap <= 1 else (-0.1 if gap > 5 else 0.0)
    if left.organisations and right.organisations:
        shared = left.organisations & right.organisations
        features["shared_organisations"] = sorted(shared)
        adjustment += 0.05 if shared else 0.0
    if left.roles and right.roles:
        officials = {"official", "spokesperson", "perpetrator"}
        victims = {"detainee", "victim", "relative", "witness"}
        if (left.roles <= officials and right.roles <= victims) or (left.roles <= victims and right.roles <= officials):
            features["roles_differ"] = True
            adjustment -= 0.12
        elif left.roles & right.roles:
            adjustment += 0.03
    features["context"] = round(adjustment, 3)
    return adjustment


def _reason(features: dict[str, Any], same: bool) -> str:
    bits = [f"given name {features.get('given', 0):.2f}", f"family name {features.get('family', 0):.2f}"]
    if features.get("missing_parts"):
        bits.append(f"{features['missing_parts']} middle name(s) on one side only")
    if features.get("common_name"):
        bits.append("common name: context must agree")
    if "context" in features:
        bits.append(f"context {features['context']:+.2f}")
    return ("same person: " if same else "not merged: ") + ", ".join(bits)


def _known_key(text: str) -> str:
    return " ".join(part.sound for part in parse_name(text).parts)


@lru_cache(maxsize=1)
def known_persons() -> dict[str, str]:
    """Spellings of the knowledge base's persons (keyed by their phonetic parts) mapped to their ids."""
    from dhakira.knowledge import _rows, _split

    names: dict[str, str] = {}
    for row in _rows("persons.csv"):
        for name in [row["name_en"], row["name_ar"], *_split(row["aliases_en"]), *_split(row["aliases_ar"])]:
            if name:
                names[_known_key(name)] = row["id"]
    return names
