"""Blocking keys and caps, and clustering without chaining."""

from __future__ import annotations

from dhakira.link.blocking import BlockingIndex
from dhakira.link.clustering import DocumentPair, cluster_documents
from dhakira.link.records import document_profile, incident_records
from tests.link.link_fixtures import HAMA_PRISON, extraction, hama_storming_en, incident


def _records(key: str, document: dict, serial_start: int = 0):
    records = incident_records(key, document, document_profile(key, document, None))
    for offset, record in enumerate(records):
        record.serial = serial_start + offset
    return records


def _storming(key: str, date: str | None, serial: int, published: str | None = None):
    document = extraction(published=published, incidents=[incident(HAMA_PRISON, date, "storming")])
    return _records(key, document, serial)[0]


def test_candidates_share_place_family_and_neighbouring_month() -> None:
    index = BlockingIndex()
    index.add(_storming("may", "2016-05-06", 0))
    index.add(_storming("june", "2016-06-20", 1))
    index.add(_storming("later", "2016-09-01", 2))
    amnesty = _records("amnesty", extraction(incidents=[incident(HAMA_PRISON, "2016-05-06", "amnesty")]), 3)[
        0
    ]
    index.add(amnesty)
    found = index.candidates(_storming("new", "2016-05-20", 9))
    assert sorted(found) == [0, 1]  # September and the amnesty are not compared


def test_undated_record_finds_recent_records_of_its_place() -> None:
    index = BlockingIndex()
    for serial in range(5):
        index.add(_storming(f"d{serial}", f"201{serial}-05-06", serial))
    assert sorted(index.candidates(_storming("undated", None, 99))) == [0, 1, 2, 3, 4]


def test_posting_lists_and_candidates_are_capped() -> None:
    index = BlockingIndex(cap=10, max_candidates=15, recent=5)
    for serial in range(200):
        index.add(_storming(f"d{serial}", "2016-05-06", serial))
    found = index.candidates(_storming("new", "2016-05-06", 999))
    assert 0 < len(found) <= 15
    assert 199 in found and 0 not in found  # the latest entries are kept


def test_facility_record_meets_city_and_country_records() -> None:
    index = BlockingIndex()
    city = {"canonical_en": "Hama", "id": "city:hama", "kind": "city", "admin1_pcode": "SY05"}
    country = {"canonical_en": "Syria", "id": "country:sy", "kind": "country"}
    index.add(
        _records("city", extraction(places=[city], incidents=[incident(city, "2016-05-06", "storming")]))[0]
    )
    national = extraction(places=[country], incidents=[incident(country, "2016-05-06", "storming")])
    index.add(_records("country", national, 1)[0])
    facility = _records("facility", hama_storming_en(), 5)[0]
    assert sorted(index.candidates(facility)) == [0, 1]


def _pair(a: str, b: str, score: float, decision: str = "same", vetoed: bool = False, weak: bool = True):
    return (a, b) if a < b else (b, a), DocumentPair(min(a, b), max(a, b), score, decision, vetoed, weak)


def test_cannot_link_stops_chaining() -> None:
    pairs = dict(
        [_pair("a", "b", 8.0), _pair("b", "c", 7.0), _pair("a", "c", float("-inf"), "different", True)]
    )
    assert cluster_documents(["a", "b", "c"], pairs) == [["a", "b"]]


def test_two_clusters_need_a_strong_bridge() -> None:
    pairs = dict([_pair("a", "b", 8.0), _pair("c", "d", 8.0), _pair("b", "c", 4.6)])
    assert cluster_documents("abcd", pairs) == [["a", "b"], ["c", "d"]]
    pairs.update([_pair("b", "c", 6.0)])
    assert cluster_documents("abcd", pairs) == [["a", "b", "c", "d"]]


def test_lone_document_joins_on_two_possible_links_only() -> None:
    base = dict([_pair("a", "b", 8.0)])
    one = {**base, **dict([_pair("x", "a", 3.5, "possible")])}
    assert cluster_documents(["a", "b", "x"], one) == [["a", "b"]]
    two = {**one, **dict([_pair("x", "b", 3.5, "possible")])}
    assert cluster_documents(["a", "b", "x"], two) == [["a", "b", "x"]]
    not_weak = {**one, **dict([_pair("x", "b", 3.5, "possible", weak=False)])}
    assert cluster_documents(["a", "b", "x"], not_weak) == [["a", "b"]]


def test_conflict_callback_blocks_merges_of_uncompared_documents() -> None:
    pairs = dict([_pair("a", "s", 6.0), _pair("b", "s", 5.5)])
    assert cluster_documents("abs", pairs) == [["a", "b", "s"]]
    assert cluster_documents("abs", pairs, conflict=lambda x, y: {x, y} == {"a", "b"}) == [["a", "s"]]
