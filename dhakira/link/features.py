"""Explainable features for a pair of incident records.

Each feature is a plain number or a short label, kept in the link so that a reviewer can see why two
reports were, or were not, taken as the same incident. Nothing here decides; :mod:`dhakira.link.scoring`
weighs the features.

* place: same facility, facility in the city, same city, same governorate, one side only at country level
  (or unknown), or a conflict. Place keys are compared exactly, never by fuzzy string similarity: "Hama
  Central Prison" and "Homs Central Prison" look alike and must never merge.
* date: the gap in days between the two date intervals (0 when they overlap), so that a month-precise date
  and a day inside that month do not disagree; the tolerance depends on the event types (a siege or a
  hunger strike lasts, a storming does not).
* event types: a weighted Jaccard (specific types such as ``storming`` weigh more than ``torture``, which
  describes a pattern as much as an event) and whether the types share or relate their families.
* counts: figures with the same family of label ("killed", "dead") and values within a ratio.
* entities: the organisations and specific spots (squares, bridges) both documents name, each weighted by
  its rarity in the index (a normalised inverse document frequency), so that a shared bridge or UN body
  counts and a shared news agency hardly does.
* text: stem Jaccard within one language, shared non-year numbers, and the cosine of cross-lingual
  sentence embeddings of the leads when available.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dhakira.link.records import COUNTRY, IncidentRecord, PlaceRef

# Families of related event types, used for blocking and for partial credit.
TYPE_FAMILIES: dict[str, frozenset[str]] = {
    "unrest": frozenset({"protest_riot", "hunger_strike", "appeal_call", "negotiation"}),
    "force": frozenset(
        {"storming", "raid", "tear_gas", "shooting", "killing", "injury", "fire", "suffocation"}
    ),
    "custody": frozenset({"torture", "death_in_custody", "execution", "denial_of_medical_care"}),
    "judicial": frozenset({"death_sentence", "military_field_court", "execution"}),
    "detention": frozenset({"arrest", "enforced_disappearance", "transfer"}),
    "siege": frozenset({"siege", "starvation", "cut_water_electricity", "denial_of_medical_care"}),
    "release": frozenset({"release", "amnesty"}),
    "grave": frozenset({"mass_grave"}),
    "other": frozenset({"other"}),
}
_FAMILY_OF: dict[str, tuple[str, ...]] = {}
for _family, _members in TYPE_FAMILIES.items():
    for _member in _members:
        _FAMILY_OF[_member] = (*_FAMILY_OF.get(_member, ()), _family)

# Families that often describe one incident from two sides (a riot and its suppression).
RELATED_FAMILIES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("unrest", "force"),
        ("force", "custody"),
        ("custody", "detention"),
        ("custody", "siege"),
        ("force", "siege"),
        ("release", "detention"),
        ("custody", "judicial"),
        ("grave", "custody"),
        ("grave", "force"),
        ("unrest", "siege"),
    )
)

# How much a shared type says about sameness: a discrete, rare event says more than a recurring pattern.
TYPE_WEIGHTS: dict[str, float] = {
    **{
        kind: 1.0
        for kind in (
            "storming",
            "raid",
            "tear_gas",
            "hunger_strike",
            "protest_riot",
            "siege",
            "amnesty",
            "mass_grave",
            "fire",
            "suffocation",
            "military_field_court",
            "death_sentence",
            "cut_water_electricity",
        )
    },
    **{
        kind: 0.6
        for kind in (
            "shooting",
            "killing",
            "injury",
            "execution",
            "release",
            "transfer",
            "negotiation",
            "appeal_call",
            "starvation",
        )
    },
    **{
        kind: 0.3
        for kind in (
            "torture",
            "death_in_custody",
            "arrest",
            "enforced_disappearance",
            "denial_of_medical_care",
        )
    },
    "other": 0.15,
}
DEFAULT_TYPE_WEIGHT = 0.5

# Types that last: their reports may date them weeks or months apart.
LASTING_TYPES = frozenset(
    {"siege", "hunger_strike", "starvation", "cut_water_electricity", "enforced_disappearance"}
)
DATE_TOLERANCE_DAYS = 31
LASTING_TOLERANCE_DAYS = 366

COUNT_RATIO = 1.25

# Date precisions from the finest; a pair is as precise as its coarser date.
_PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}

# Types decided for the whole country (an amnesty decree): a report naming one prison and a report naming
# only "Syria" lose nothing for it.
NATIONAL_TYPES = frozenset({"amnesty"})


def families(types: Iterable[str]) -> frozenset[str]:
    """The families of a set of event types (unknown, finer types fall into ``other``)."""
    found: set[str] = set()
    for kind in types:
        found.update(_FAMILY_OF.get(kind, ("other",)))
    return frozenset(found)


def type_weight(kind: str) -> float:
    return TYPE_WEIGHTS.get(kind, DEFAULT_TYPE_WEIGHT)


def date_tolerance(a: IncidentRecord, b: IncidentRecord) -> int:
    """Days two reports may disagree on the date of one incident, given their event types."""
    if (a.types | b.types) & LASTING_TYPES:
        return LASTING_TOLERANCE_DAYS
    return DATE_TOLERANCE_DAYS


# --------------------------------------------------------------------------------------------------- place


def place_relation(a: PlaceRef, b: PlaceRef) -> str:
    """``same_facility``, ``facility_in_city``, ``same_city``, ``same_governorate``, ``contains`` (one side
    known only at country level or not at all), ``other_spot`` (a named spot against anything without a
    shared city or governorate), ``conflict_facility``, ``conflict_city``, ``conflict_governorate`` or
    ``conflict_country``."""
    if a.country and b.country and a.country != b.country:
        return "conflict_country"
    if a.level == 3 or b.level == 3:
        return "contains"
    if a.key and a.key == b.key:
        return "same_facility" if a.level == 0 else ("same_city" if a.level == 1 else "same_governorate")
    if a.governorate and b.governorate and a.governorate != b.governorate:
        return "conflict_governorate"
    if a.kind == "facility" and b.kind == "facility":
        return "conflict_facility"
    if a.level <= 1 and b.level <= 1 and a.city and b.city:
        if a.city == b.city:
            return "facility_in_city" if (a.level == 0 or b.level == 0) else "same_city"
        if a.explicit_city and b.explicit_city and a.kind != "other" and b.kind != "other":
            return "conflict_city"
    if a.governorate and a.governorate == b.governorate:
        return "same_governorate"
    if a.kind == "other" or b.kind == "other":
        return "other_spot"
    return "contains"


# --------------------------------------------------------------------------------------------------- date


def date_gap(a: IncidentRecord, b: IncidentRecord) -> int | None:
    """Days between the two date intervals (0 when they overlap); None when either is unknown."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return None
    if a.end < b.start:
        return b.start - a.end
    if b.end < a.start:
        return a.start - b.end
    return 0


def published_gap(a: IncidentRecord, b: IncidentRecord) -> int:
    """Days between the publication dates of the two documents (day precision only); -1 if unknown."""
    first, second = a.doc.published_interval, b.doc.published_interval
    if not first or not second or first[2] != "day" or second[2] != "day":
        return -1
    return abs(first[0] - second[0])


# --------------------------------------------------------------------------------------------------- types


def type_overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float, str]:
    """(weighted Jaccard, heaviest shared type weight, relation).

    The relation is ``shared``, ``family``, ``related``, ``other`` or ``none``."""
    shared = a & b
    union = a | b
    jaccard = sum(type_weight(kind) for kind in shared) / max(sum(type_weight(kind) for kind in union), 1e-9)
    heaviest = max((type_weight(kind) for kind in shared), default=0.0)
    if shared - {"other"}:
        return jaccard, heaviest, "shared"
    families_a, families_b = families(a), families(b)
    if (families_a & families_b) - {"other"}:
        return jaccard, heaviest, "family"
    if any(frozenset((x, y)) in RELATED_FAMILIES for x in families_a for y in families_b):
        return jaccard, heaviest, "related"
    if shared or "other" in a or "other" in b:
        return jaccard, heaviest, "other"
    return jaccard, heaviest, "none"


# --------------------------------------------------------------------------------------------------- counts


def count_agreement(a: IncidentRecord, b: IncidentRecord) -> tuple[int, int, int]:
    """(figures that agree within :data:`COUNT_RATIO`, figures that disagree, identical rare values).

    Figures are compared within one family of labels. "Rare values" are equal values of 10 or more that are
    not round hundreds, whatever their labels (the same 83 votes in two reports)."""
    agree = disagree = 0
    for count_a in a.counts:
        matched = [count_b for count_b in b.counts if count_b.family == count_a.family]
        if not matched:
            continue
        if any(_within(count_a.value, count_b.value) for count_b in matched):
            agree += 1
        else:
            disagree += 1
    values_a = {count.value for count in a.counts if _rare(count.value)}
    rare = len(values_a & {count.value for count in b.counts if _rare(count.value)})
    return agree, disagree, rare


def _within(x: float, y: float) -> bool:
    low, high = sorted((abs(x), abs(y)))
    return high == low or (low > 0 and high / low <= COUNT_RATIO)


def _rare(value: float) -> bool:
    return value >= 10 and value % 100 != 0


# --------------------------------------------------------------------------------------------------- text


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float | None:
    """Share of common elements; None when either set is empty."""
    if not a or not b:
        return None
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # the size of the union, without building it (texts' stems: hundreds)


def cosine(a: Any, b: Any) -> float | None:
    """Dot product of two unit-length vectors (numpy arrays or sequences); None if either is missing."""
    if a is None or b is None:
        return None
    if hasattr(a, "dot"):
        return float(a.dot(b))
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


# --------------------------------------------------------------------------------------------------- all


def pair_features(a: IncidentRecord, b: IncidentRecord) -> dict[str, float | str]:
    """Every feature of a pair of incident records, as a flat dict of numbers and labels."""
    features = structural_features(a, b)
    add_content_features(features, a, b)
    return features


def structural_features(a: IncidentRecord, b: IncidentRecord) -> dict[str, float | str]:
    """The cheap features (place, date, event types): enough to see most vetoes before reading texts."""
    features: dict[str, float | str] = {}
    features["place"] = place_relation(a.place, b.place)
    features["place_a"] = a.place.name or a.place.key or ""
    features["place_b"] = b.place.name or b.place.key or ""
    features["country_level"] = float(a.place.key in (None, COUNTRY) or b.place.key in (None, COUNTRY))
    features["national_types"] = float(bool(a.types & b.types & NATIONAL_TYPES))
    gap = date_gap(a, b)
    features["date_gap_days"] = float(gap) if gap is not None else -1.0
    tolerance = date_tolerance(a, b)
    features["date_tolerance_days"] = float(tolerance)
    features["lasting"] = float(tolerance == LASTING_TOLERANCE_DAYS)
    worst = max((a.precision or "year", b.precision or "year"), key=lambda value: _PRECISION_ORDER.get(value, 2))
    features["date_precision"] = worst if gap is not None else "unknown"
    features["date_source"] = (
        "unknown"
        if gap is None
        else ("incident" if a.date_source == b.date_source == "incident" else "published")
    )
    features["published_gap_days"] = float(published_gap(a, b))
    features["same_day"] = float(
        gap == 0
        and a.precision == b.precision == "day"
        and a.date_source == "incident"
        and b.date_source == "incident"
    )
    weighted, heaviest, relation = type_overlap(a.types, b.types)
    features["type_jaccard"] = round(weighted, 4)
    features["type_specificity"] = heaviest
    features["type_relation"] = relation
    return features


def add_content_features(features: dict[str, float | str], a: IncidentRecord, b: IncidentRecord) -> None:
    """Add the features of counts, perpetrators, texts, entities and embeddings."""
    agree, disagree, rare = count_agreement(a, b)
    features["counts_agree"] = float(agree)
    features["counts_disagree"] = float(disagree)
    features["rare_values_shared"] = float(rare)
    if a.perpetrator and b.perpetrator:
        features["perpetrator"] = "same" if a.perpetrator == b.perpetrator else "different"
    else:
        features["perpetrator"] = "unknown"
    same_language = bool(a.doc.language) and a.doc.language == b.doc.language
    stems = jaccard(a.doc.stems, b.doc.stems) if same_language else None
    features["text_jaccard"] = round(stems, 4) if stems is not None else -1.0
    numbers = jaccard(a.doc.numbers, b.doc.numbers)
    features["numbers_jaccard"] = round(numbers, 4) if numbers is not None else -1.0
    years_a, years_b = a.doc.years, b.doc.years
    features["years_shared"] = float(bool(years_a & years_b)) if years_a and years_b else -1.0
    shared_entities = a.doc.entities & b.doc.entities
    features["entities_shared"] = round(
        sum(a.doc.entity_weights.get(entity, 0.0) for entity in shared_entities), 4
    )
    similarity = cosine(a.doc.embedding, b.doc.embedding)
    features["lead_cosine"] = round(similarity, 4) if similarity is not None else -1.0
    features["same_issuer"] = float(bool(a.doc.issuer_id) and a.doc.issuer_id == b.doc.issuer_id)
