"""The synthetic corpus: reproducible from its seed, with every fact written where the manifest says."""

from __future__ import annotations

import json
from pathlib import Path

from dhakira.extract import extract_document
from dhakira.ingest import read_path
from dhakira.synthetic import MANIFEST, document, documents, write_corpus

FACTS = {"place", "date", "count", "organisation", "event_type", "published"}


def test_same_seed_same_bytes_and_a_prefix_of_a_larger_corpus(tmp_path: Path) -> None:
    first, second, larger = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_corpus(first, 12, seed=3)
    write_corpus(second, 12, seed=3)
    write_corpus(larger, 20, seed=3)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    assert len(names) == 13  # twelve documents and the manifest
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
        if name != MANIFEST:
            assert (first / name).read_bytes() == (larger / name).read_bytes()
    other = {item.text for item in documents(12, seed=4)}
    assert not other & {item.text for item in documents(12, seed=3)}


def test_facts_stand_at_their_spans(tmp_path: Path) -> None:
    write_corpus(tmp_path, 40, seed=11)
    rows = [json.loads(line) for line in (tmp_path / MANIFEST).read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40
    assert {row["language"] for row in rows} == {"ar", "en"}
    for row in rows:
        text = (tmp_path / row["file"]).read_text(encoding="utf-8")
        assert 900 <= len(text.encode("utf-8")) <= 8300
        assert {fact["name"] for fact in row["facts"]} == FACTS
        for fact in row["facts"]:
            start, end = fact["span"]
            assert text[start:end] == fact["text"] != ""
        facts = {fact["name"]: fact for fact in row["facts"]}
        assert facts["count"]["text"] == str(facts["count"]["value"])
        assert facts["place"]["value"].startswith("fac:")
        year, month, day = facts["date"]["value"].split("-")
        assert year in facts["date"]["text"] and str(int(day)) in facts["date"]["text"]


def test_documents_of_one_incident_share_its_facts_in_either_language() -> None:
    by_incident: dict[int, list] = {}
    for item in documents(300, seed=5):
        by_incident.setdefault(item.incident, []).append(item)
    shared = [items for items in by_incident.values() if len(items) >= 3]
    assert shared
    for items in shared:
        values = [{fact.name: fact.value for fact in item.facts if fact.name not in ("organisation", "published")} for item in items]
        assert all(value == values[0] for value in values)


def test_the_extractor_finds_the_written_facts(tmp_path: Path) -> None:
    """The documents are realistic enough that extraction finds most of their place, count and event type."""
    found = {"place": 0, "count": 0, "event_type": 0, "published": 0}
    items = [document(number, seed=2) for number in range(30)]
    for item in items:
        path = tmp_path / item.name
        path.write_text(item.text, encoding="utf-8")
        extraction = extract_document(read_path(path))
        facts = {fact.name: fact.value for fact in item.facts}
        incidents = extraction.get("incidents") or []
        found["place"] += any(place.get("id") == facts["place"] for place in extraction.get("places") or [])
        found["event_type"] += any(facts["event_type"] in (incident.get("event_types") or []) for incident in incidents)
        found["published"] += (extraction.get("document") or {}).get("published") == facts["published"]
        found["count"] += any(count.get("value") == facts["count"] for incident in incidents for count in incident.get("counts") or [])
    assert all(hits >= 0.8 * len(items) for hits in found.values()), found
