"""Linking incidents across reports and languages: decisions, features, clusters, incremental index."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from dhakira.link import IncidentIndex, LinkItem, link_extractions
from dhakira.link.features import pair_features, place_relation
from dhakira.link.records import date_interval, document_profile, incident_records, place_ref
from dhakira.link.scoring import score_pair
from tests.link.link_fixtures import (
    HAMA_PRISON,
    HOMS_PRISON,
    extraction,
    hama_storming_ar,
    hama_storming_en,
    incident,
)


def _best(links, a: str, b: str):
    found = [link for link in links if {link.a, link.b} == {a, b}]
    return max(found, key=lambda link: link.score) if found else None


def test_english_and_arabic_reports_of_the_hama_storming_are_the_same_incident() -> None:
    result = link_extractions(
        [LinkItem("en.txt", hama_storming_en()), LinkItem("ar.txt", hama_storming_ar())], embeddings=False
    )
    assert result.clusters == [["ar.txt", "en.txt"]]
    link = _best(result.links, "en.txt", "ar.txt")
    assert link is not None and link.decision == "same"
    # The storming incidents (index 0 in both) are the ones matched, not the protest days before.
    assert (link.incident_a, link.incident_b) == (0, 0)
    assert link.features["place"] == "same_facility"
    assert link.features["date_gap_days"] == 0.0
    assert link.features["counts_agree"] == 1.0  # 25 and 30 suffocation cases are within the ratio
    assert link.features["points_place"] > 0 and "veto" not in link.features


def _homs_version(report: dict) -> dict:
    homs = copy.deepcopy(report)
    homs["places"] = [HOMS_PRISON]
    for item in homs["incidents"]:
        item["place_en"], item["place_id"] = HOMS_PRISON["canonical_en"], HOMS_PRISON["id"]
    return homs


def test_hama_and_homs_are_never_merged() -> None:
    index = IncidentIndex(embeddings=False, keep_different=True)
    index.add(LinkItem("hama.txt", hama_storming_en()))
    links = index.add(LinkItem("homs.txt", _homs_version(hama_storming_ar())))
    # Blocking keeps them apart, or scoring vetoes them: either way no link and no cluster.
    assert all(link.decision == "different" for link in links)
    assert index.clusters() == []
    assert index.conflict("hama.txt", "homs.txt")


def test_hama_and_homs_features_veto_even_with_everything_else_equal() -> None:
    profile = document_profile("x", hama_storming_en(), None)
    hama = incident_records("hama", hama_storming_en(), profile)[0]
    homs = incident_records("homs", _homs_version(hama_storming_en()), profile)[0]
    features = pair_features(hama, homs)
    score, decision = score_pair(features)
    assert features["place"] == "conflict_governorate"
    assert features["veto"] == "conflict_governorate"
    assert decision == "different"
    assert score > 0  # the other features agree; the veto alone decides


def test_hama_and_homs_cities_without_governorate_codes_conflict() -> None:
    hama_city = {"canonical_en": "Hama", "id": "city:hama", "kind": "city"}
    homs_city = {"canonical_en": "Homs", "id": "city:homs", "kind": "city"}
    first = extraction(places=[hama_city], incidents=[incident(hama_city, "2016-05-06", "storming")])
    second = extraction(places=[homs_city], incidents=[incident(homs_city, "2016-05-06", "storming")])
    result = link_extractions([LinkItem("a", first), LinkItem("b", second)], embeddings=False)
    assert result.clusters == []


def test_same_facility_years_apart_is_different() -> None:
    later = hama_storming_ar()
    later["document"]["published"] = "2019-05-07"
    for item in later["incidents"]:
        item["date"] = "2019-05-06"
    index = IncidentIndex(embeddings=False, keep_different=True)
    index.add(LinkItem("2016.txt", hama_storming_en()))
    links = index.add(LinkItem("2019.txt", later))
    # Three years apart: not even in the same blocking buckets, or vetoed if they were.
    assert all(link.decision == "different" for link in links)
    assert index.clusters() == []


def test_date_gap_accounts_for_precision() -> None:
    month_only = hama_storming_ar()
    month_only["incidents"][0]["date"] = "2016-05"
    month_only["incidents"][0]["date_precision"] = "month"
    result = link_extractions(
        [LinkItem("en", hama_storming_en()), LinkItem("ar", month_only)], embeddings=False
    )
    link = _best(result.links, "en", "ar")
    assert link is not None and link.features["date_gap_days"] == 0.0
    day = dt.date.toordinal
    assert date_interval("2016-05", "month") == (day(dt.date(2016, 5, 1)), day(dt.date(2016, 5, 31)), "month")
    assert date_interval("2016") == (day(dt.date(2016, 1, 1)), day(dt.date(2016, 12, 31)), "year")
    assert date_interval("2016-02-30") is None and date_interval("soon") is None


def test_unrelated_event_types_do_not_link() -> None:
    amnesty = extraction(incidents=[incident(HAMA_PRISON, "2016-05-06", "amnesty", "release")])
    result = link_extractions(
        [LinkItem("storm", hama_storming_en()), LinkItem("amnesty", amnesty)], embeddings=False
    )
    assert result.clusters == []


def test_no_chaining_through_a_contradiction() -> None:
    """A country-level report may match two facility reports that contradict each other."""
    national = extraction(
        places=[{"canonical_en": "Syria", "id": "country:sy", "kind": "country"}],
        incidents=[
            incident({"canonical_en": "Syria", "id": "country:sy"}, "2016-05-06", "storming", "tear_gas")
        ],
    )
    homs = _homs_version(hama_storming_en())
    text = "Security forces stormed the central prison and fired tear gas at detainees who had protested."
    result = link_extractions(
        [
            LinkItem("hama", hama_storming_en(), text),
            LinkItem("homs", homs, text),
            LinkItem("syria", national, text),
        ],
        embeddings=False,
    )
    assert not any({"hama", "homs"} <= set(cluster) for cluster in result.clusters)
    # The national report still joins one of them.
    assert len(result.clusters) == 1 and "syria" in result.clusters[0]


def test_place_refs_keep_hierarchy_and_exact_names() -> None:
    facility = place_ref(HAMA_PRISON)
    assert facility.governorate == "gov:SY05" and facility.city == "city:hama"
    assert not facility.explicit_city
    assert place_ref(HOMS_PRISON).city == "city:homs"
    assert place_ref({"canonical_en": "Syria", "kind": "country"}).level == 3


def test_incremental_add_returns_links_to_earlier_items_only() -> None:
    index = IncidentIndex(embeddings=False)
    assert index.add(LinkItem("en", hama_storming_en())) == []
    assert len(index) == 2
    links = index.add(LinkItem("ar", hama_storming_ar()))
    assert links and all(link.a == "ar" and link.b == "en" for link in links)
    assert len(index) == 3
    assert index.clusters() == [["ar", "en"]]


def test_country_level_report_needs_support_from_text_or_figures() -> None:
    national = extraction(
        places=[{"canonical_en": "Syria", "id": "country:sy", "kind": "country"}],
        incidents=[
            incident({"canonical_en": "Syria", "id": "country:sy"}, "2016-05-06", "storming", "tear_gas")
        ],
    )
    bare = link_extractions(
        [LinkItem("hama", hama_storming_en()), LinkItem("syria", national)], embeddings=False
    )
    link = _best(bare.links, "hama", "syria")
    assert link is not None and link.decision == "possible" and "cap" in link.features
    text = "Security forces stormed the central prison and fired tear gas at detainees who had protested."
    supported = link_extractions(
        [LinkItem("hama", hama_storming_en(), text), LinkItem("syria", national, text)], embeddings=False
    )
    assert supported.clusters == [["hama", "syria"]]


def test_document_without_incidents_is_left_out() -> None:
    empty = extraction(incidents=[])
    result = link_extractions(
        [LinkItem("empty", empty), LinkItem("en", hama_storming_en())], embeddings=False
    )
    assert result.clusters == [] and result.links == []


def test_adding_a_key_twice_is_refused() -> None:
    index = IncidentIndex(embeddings=False)
    index.add(LinkItem("en", hama_storming_en()))
    with pytest.raises(ValueError):
        index.add(LinkItem("en", hama_storming_en()))


def test_places_abroad_never_match_places_in_syria() -> None:
    geneva = place_ref(
        {"canonical_en": "Geneva", "id": "city:geneva", "kind": "city", "lat": 46.2, "lon": 6.14}
    )
    assert geneva.country == "country:abroad"
    assert place_relation(geneva, place_ref(HAMA_PRISON)) == "conflict_country"
    damascus = {"canonical_en": "Damascus", "id": "loc:C1001", "kind": "city", "lat": 33.51, "lon": 36.29}
    assert place_ref(damascus).country == "country:sy"


def test_documents_indexed_without_comparing_link_later_documents_as_compared_ones_do() -> None:
    def stored() -> list[LinkItem]:
        return [LinkItem("en", hama_storming_en()), LinkItem("ar", hama_storming_ar()), LinkItem("homs", _homs_version(hama_storming_en()))]

    compared, held = IncidentIndex(embeddings=False, keep_different=True), IncidentIndex(embeddings=False, keep_different=True)
    assert [bool(compared.add(item)) for item in stored()] == [False, True, False]  # the stored ones are scored together
    assert [held.add(item, compare=False) for item in stored()] == [[], [], []]  # not scored: their links are stored
    assert held.blocking.queries == 0 and len(held) == len(compared)

    def links(index: IncidentIndex) -> list[tuple[str, str, int, int, str, float]]:
        return [(link.a, link.b, link.incident_a, link.incident_b, link.decision, link.score)
                for link in index.add(LinkItem("en-again", hama_storming_en()))]

    found = links(compared)
    assert found == links(held)
    assert {b for _, b, _, _, decision, _ in found if decision != "different"} == {"en", "ar"}


KEPT_TEXTS = [
    "Hama Central Prison was stormed on 6 May 2016; at least 25 cases of suffocation, 120 detainees moved in 2017.",
    "سجن حماة المركزي: اقتحام في ٦ أيار ٢٠١٦ ونحو ٥٦ حالة اختناق، ونُقل ١٢٠ معتقلاً.",
    "no numbers, no years, a few words only",
    "",
]


@pytest.mark.parametrize("text", KEPT_TEXTS)
def test_packed_text_parts_read_back_give_the_profile_made_from_the_text(text: str) -> None:
    from dhakira.link.packing import pack_parts, unpack_parts
    from dhakira.link.records import text_parts

    made = text_parts(text)
    packed = pack_parts(made, text)
    assert unpack_parts(packed, text) == made
    document = hama_storming_ar() if "سجن" in text else hama_storming_en()
    kept = document_profile("key", document, text, parts=unpack_parts(packed, text))
    assert kept == document_profile("key", document, text)
    # Parts packed for another text (the record was cleaned again) are never used.
    assert unpack_parts(packed, text + " and one more sentence") is None
    assert unpack_parts(b"", text) is None

