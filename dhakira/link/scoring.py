"""A transparent weighted score for a pair of incidents, and the decision ``same``/``possible``/``different``.

The score is a sum of points, one term per feature, each kept in the features under ``points_<name>`` so
that a reviewer sees what counted. A *veto* (places in different governorates, different facilities, dates
far apart, unrelated event types) makes the pair ``different`` whatever the other points say; its reason is
kept under ``veto``. A pair is at most ``possible`` (reason under ``cap``) when it shares no event type;
when it is placed only at country level, or has no date on either side, without support from its text,
figures or entities; or when it shares only generic types (torture, arrest) without agreeing dates or
strong support. Types decided nationally (an amnesty) are exempt from place vetoes. All weights and
thresholds are in :data:`WEIGHTS` and :data:`THRESHOLDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# Points for each place relation (vetoed relations are listed in VETO_PLACES).
PLACE_POINTS: Final[dict[str, float]] = {
    "same_facility": 2.5,
    "facility_in_city": 1.5,
    "same_city": 1.5,
    "same_governorate": 0.5,
    "other_spot": 0.0,
    "contains": 0.0,
}
VETO_PLACES: Final[frozenset[str]] = frozenset(
    {"conflict_facility", "conflict_city", "conflict_governorate", "conflict_country"}
)

WEIGHTS: Final[dict[str, float]] = {
    "date_same_day": 0.5,  # added when both give the same exact day
    "date_match": 2.0,  # two day-precise dates one or two days apart (full at the same day)
    "date_coarse_match": 1.5,  # month-precise dates overlap (scaled down as the gap grows), lasting events
    "date_published_factor": 0.5,  # dates only inferred from publication count half
    "date_within_tolerance": -1.0,  # two day-precise dates of a short event more than a week apart
    "date_beyond_tolerance": -2.0,  # gap beyond tolerance but within the veto limit
    "date_unknown": 0.0,
    "type_shared": 2.0,  # times the blend of weighted Jaccard and heaviest shared type
    "type_family": 0.5,
    "type_related": 0.0,
    "type_other": 0.0,
    "country_level_factor": 0.6,  # type points when one place is only "Syria" or unknown
    "counts_agree": 0.6,  # per agreeing figure, up to counts_cap
    "counts_cap": 1.2,
    "rare_values": 0.5,  # per identical rare value, up to rare_cap
    "rare_cap": 1.0,
    "perpetrator_same": 0.5,
    "perpetrator_different": -0.5,
    "text_jaccard": 2.5,  # full points at text_jaccard_high, none at text_jaccard_low
    "text_jaccard_low": 0.09,
    "text_jaccard_high": 0.25,
    "numbers_jaccard": 1.0,
    "numbers_jaccard_low": 0.05,
    "numbers_jaccard_high": 0.3,
    "published_close": 1.0,  # one date only inferred from publication, and both published within 2 days
    "published_near": 0.5,  # ... within a week
    "years_shared_undated": 0.5,  # both dates unknown and both texts name a common year
    "years_disjoint_undated": -0.5,
    "country_support": 1.5,  # text/number/figure points needed for "same" at country level
    "undated_support": 0.3,  # ... when neither date is known
    "specific_type": 0.5,  # a shared type below this weight (torture, arrest) is generic ...
    "generic_support": 2.0,  # ... and needs agreeing dates or this much support for "same"
    "entities": 1.5,  # full points when the rarity weights of shared entities add up to entities_high
    "entities_low": 0.4,
    "entities_high": 1.4,
    "lead_cosine": 1.0,
    "lead_cosine_low": 0.45,
    "lead_cosine_high": 0.75,
}

CAP_UNDATED: Final[str] = "no date on either side and no support from text or figures"

# The date gap beyond which a pair is vetoed, as a multiple of its tolerance.
DATE_VETO_FACTOR: Final[float] = 3.0


@dataclass(frozen=True)
class Thresholds:
    """Score limits of the decisions."""

    same: float = 4.5
    possible: float = 3.0


THRESHOLDS: Final[Thresholds] = Thresholds()


def _ramp(value: float, low: float, high: float) -> float:
    if value <= low:
        return 0.0
    return min(1.0, (value - low) / (high - low))


def _date_points(features: Mapping[str, float | str]) -> tuple[float, str]:
    """Points for the date gap, and a veto reason when the dates are too far apart for one incident.

    Two day-precise dates of a short event say most: the same day counts fully, a few days less, a few
    weeks nothing. Month or year precision, lasting events and dates inferred from publication count less
    and tolerate more.
    """
    gap = float(features["date_gap_days"])
    if gap < 0:
        return WEIGHTS["date_unknown"], ""
    tolerance = float(features["date_tolerance_days"])
    published = features["date_source"] == "published"
    factor = WEIGHTS["date_published_factor"] if published else 1.0
    if gap > tolerance:
        limit = DATE_VETO_FACTOR * tolerance * (2 if published else 1)
        return WEIGHTS["date_beyond_tolerance"] * factor, "date_far_apart" if gap > limit else ""
    precise = features["date_precision"] == "day" and not float(features["lasting"]) and not published
    if precise:
        if gap == 0:
            return WEIGHTS["date_match"] + WEIGHTS["date_same_day"], ""
        if gap <= 2:
            return WEIGHTS["date_match"], ""
        if gap <= 7:
            return WEIGHTS["date_match"] / 2, ""
        return WEIGHTS["date_within_tolerance"], ""
    coarse = (
        WEIGHTS["date_coarse_match"] if features["date_precision"] != "year" else WEIGHTS["date_match"] / 3
    )
    return factor * coarse * (1 - gap / (tolerance + 1)), ""


def veto_of(features: Mapping[str, float | str]) -> str:
    """The veto reason from the structural features alone ("" when none): places that cannot be one
    (unless the types are decided nationally), dates too far apart, unrelated event types."""
    place = str(features["place"])
    if place in VETO_PLACES and not float(features["national_types"]):
        return place
    date_veto = _date_points(features)[1]
    if date_veto:
        return date_veto
    if features["type_relation"] == "none":
        return "event_types_unrelated"
    return ""


def score_pair(features: dict[str, float | str]) -> tuple[float, str]:
    """Add ``points_*`` and possibly ``veto`` to ``features``; return (score, decision)."""
    points: dict[str, float] = {}
    veto = veto_of(features)
    cap = ""  # why the decision cannot be "same" whatever the score
    place = str(features["place"])
    points["place"] = PLACE_POINTS.get(place, 0.0)

    gap = float(features["date_gap_days"])
    points["date"] = _date_points(features)[0]

    relation = str(features["type_relation"])
    if relation != "shared":
        cap = "no shared event type"
    if relation == "shared":
        blend = 0.5 * float(features["type_jaccard"]) + 0.5 * float(features["type_specificity"])
        type_points = WEIGHTS["type_shared"] * blend
    else:
        type_points = WEIGHTS.get(f"type_{relation}", 0.0)
    if float(features["country_level"]) and not float(features["national_types"]):
        type_points *= WEIGHTS["country_level_factor"]
    points["types"] = type_points

    points["counts"] = min(WEIGHTS["counts_cap"], WEIGHTS["counts_agree"] * float(features["counts_agree"]))
    points["counts"] += min(
        WEIGHTS["rare_cap"], WEIGHTS["rare_values"] * float(features["rare_values_shared"])
    )

    perpetrator = features["perpetrator"]
    points["perpetrator"] = (
        WEIGHTS["perpetrator_same"]
        if perpetrator == "same"
        else WEIGHTS["perpetrator_different"]
        if perpetrator == "different"
        else 0.0
    )

    text = float(features["text_jaccard"])
    points["text"] = WEIGHTS["text_jaccard"] * _ramp(
        text, WEIGHTS["text_jaccard_low"], WEIGHTS["text_jaccard_high"]
    )
    numbers = float(features["numbers_jaccard"])
    points["numbers"] = WEIGHTS["numbers_jaccard"] * _ramp(
        numbers, WEIGHTS["numbers_jaccard_low"], WEIGHTS["numbers_jaccard_high"]
    )
    cosine = float(features["lead_cosine"])
    points["lead"] = WEIGHTS["lead_cosine"] * _ramp(
        cosine, WEIGHTS["lead_cosine_low"], WEIGHTS["lead_cosine_high"]
    )
    published_gap = float(features["published_gap_days"])
    if features["date_source"] == "published" and published_gap >= 0:
        points["published"] = (
            WEIGHTS["published_close"]
            if published_gap <= 2
            else WEIGHTS["published_near"]
            if published_gap <= 7
            else 0.0
        )
    points["entities"] = WEIGHTS["entities"] * _ramp(
        float(features["entities_shared"]), WEIGHTS["entities_low"], WEIGHTS["entities_high"]
    )
    years = float(features["years_shared"])
    if gap < 0 and years >= 0:
        points["years"] = WEIGHTS["years_shared_undated"] if years else WEIGHTS["years_disjoint_undated"]

    support = points["text"] + points["numbers"] + points["lead"] + points["counts"] + points["entities"]
    if (
        float(features["country_level"])
        and not float(features["national_types"])
        and support < WEIGHTS["country_support"]
    ):
        cap = cap or "country-level place without support from text or figures"
    if (
        relation == "shared"
        and float(features["type_specificity"]) < WEIGHTS["specific_type"]
        and points["date"] <= 0
        and support < WEIGHTS["generic_support"]
    ):
        cap = cap or "only generic event types shared, without agreeing dates or strong support"
    if gap < 0 and support < WEIGHTS["undated_support"]:
        cap = cap or CAP_UNDATED

    score = round(sum(points.values()), 3)
    for name, value in points.items():
        features[f"points_{name}"] = round(value, 3)
    if veto:
        features["veto"] = veto
        return score, "different"
    if cap:
        features["cap"] = cap
    if score >= THRESHOLDS.same and not cap:
        return score, "same"
    if score >= THRESHOLDS.possible:
        return score, "possible"
    return score, "different"


WEAK_EVIDENCE_CAPS: Final[frozenset[str]] = frozenset({CAP_UNDATED})


def weak_evidence(features: Mapping[str, float | str]) -> bool:
    """Whether a scored ``possible`` pair may count as weak evidence towards joining a cluster: it shares
    an event type, its dates do not disagree, and it is held back at most for having no date at all."""
    return (
        features.get("type_relation") == "shared"
        and float(features.get("points_date", 0.0)) >= 0
        and "veto" not in features
        and str(features.get("cap", CAP_UNDATED)) in WEAK_EVIDENCE_CAPS
    )
