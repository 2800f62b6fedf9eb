"""Check an evaluation set's gold against its texts, and that the scorer reads it.

    python bench/eval-new/check_gold.py bench/eval-new/held-aside-2 [--self-score]

Checks, for every line of FOLDER/gold.jsonl: the keys and their order (the development set's schema), the
vocabularies (document type, place kind, event type, perpetrator, count qualifier), the date shapes, that
every incident's place is one of the document's places, that the title and every place, organisation and
person name occur verbatim in the text, and that the manifest lists exactly the gold's documents. When
FOLDER/spans.jsonl exists, every recorded span [start, end) must cut its surface out of the text:
text[start:end] == surface. With --self-score the gold is turned into extraction output and scored
against itself with the shared scorer, which must read it and give F = 1.000.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SCORER = Path("/work/shared/tools/score_extraction.py")
KEYS = ["doc", "url", "language", "title", "issuer", "doc_type", "published", "places", "organisations",
        "persons", "incidents", "rewritten"]
DOC_TYPES = {"press_release", "statement", "report", "news_article", "testimony", "other"}
KINDS = {"facility", "city", "governorate", "country", "other"}
QUALIFIERS = {"exact", "at_least", "over", "about"}
EVENT_TYPES = {
    "arrest", "enforced_disappearance", "torture", "death_in_custody", "execution", "death_sentence",
    "military_field_court", "storming", "raid", "tear_gas", "shooting", "killing", "injury", "fire",
    "suffocation", "hunger_strike", "protest_riot", "transfer", "release", "amnesty", "siege",
    "denial_of_medical_care", "cut_water_electricity", "starvation", "mass_grave", "negotiation",
    "appeal_call", "other",
}
PERPETRATORS = {
    None, "Syrian government forces", "Syrian government", "Armed opposition groups",
    "Jabhat al-Nusra and Islamist factions", "Extremist Islamic factions", "Islamic State (ISIS)",
    "Syrian Democratic Forces", "Syrian opposition forces",
}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check_document(gold: dict[str, Any], text: str) -> list[str]:
    """Return the problems found in one gold object read against its text."""
    problems: list[str] = []
    if list(gold) != KEYS:
        problems.append(f"keys {list(gold)} differ from {KEYS}")
    if gold.get("doc_type") not in DOC_TYPES:
        problems.append(f"document type {gold.get('doc_type')!r}")
    if gold.get("published") is not None and not DATE.match(gold["published"]):
        problems.append(f"published {gold['published']!r}")
    if gold.get("title") and gold["title"] not in text:
        problems.append(f"title not in the text: {gold['title']!r}")
    for field in ("places", "organisations", "persons"):
        for entry in gold.get(field) or []:
            if entry["name"] not in text:
                problems.append(f"{field}: {entry['name']!r} not in the text")
            if field == "places" and entry.get("kind") not in KINDS:
                problems.append(f"place kind {entry.get('kind')!r}")
    place_names = {entry["canonical_en"] for entry in gold.get("places") or []}
    for number, incident in enumerate(gold.get("incidents") or []):
        where = f"incident {number}"
        if not incident["event_types"] or set(incident["event_types"]) - EVENT_TYPES:
            problems.append(f"{where}: event types {incident['event_types']}")
        if incident["place_en"] is not None and incident["place_en"] not in place_names:
            problems.append(f"{where}: place {incident['place_en']!r} is not one of the document's places")
        if incident["date"] is not None and not DATE.match(incident["date"]):
            problems.append(f"{where}: date {incident['date']!r}")
        if incident["perpetrator_en"] not in PERPETRATORS:
            problems.append(f"{where}: perpetrator {incident['perpetrator_en']!r}")
        for count in incident["counts"]:
            if count["qualifier"] not in QUALIFIERS or not isinstance(count["value"], int):
                problems.append(f"{where}: count {count}")
    return problems


def check_spans(record: dict[str, Any], text: str) -> tuple[list[str], int]:
    """Check that every recorded span cuts its surface out of the text; return problems and spans checked."""
    problems: list[str] = []
    checked = 0
    title = record.get("title")
    entries: list[tuple[str, list[int]]] = []
    for field in ("places", "organisations", "persons"):
        entries += [(entry["name"], entry["span"]) for entry in record.get(field) or []]
    entries += [(count["surface"], count["span"]) for count in record.get("counts") or []]
    for surface, (start, end) in entries:
        checked += 1
        if text[start:end] != surface:
            problems.append(f"span [{start}, {end}) reads {text[start:end]!r}, not {surface!r}")
    for count in record.get("counts") or []:
        digits = re.sub(r"[,\s]", "", "".join(re.findall(r"[\d,]+", count["surface"])))
        if digits and int(digits) != count["value"]:
            problems.append(f"count {count['what']}: surface {count['surface']!r} but value {count['value']}")
    if title is not None:
        checked += 1
    return problems, checked


def as_extraction(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold object in the shape of the extraction contract, for scoring the gold against itself."""
    return {
        "schema": "dhakira.extraction/1",
        "document": {"language": gold["language"], "title": gold["title"], "doc_type": gold["doc_type"],
                     "published": gold["published"], "issuer": {"text": gold["issuer"]} if gold["issuer"] else None},
        "places": [{"text": p["name"], "canonical_en": p["canonical_en"], "kind": p["kind"]} for p in gold["places"]],
        "organisations": [{"text": o["name"], "canonical_en": o["canonical_en"]} for o in gold["organisations"]],
        "persons": [{"text": p["name"]} for p in gold["persons"]],
        "incidents": gold["incidents"],
        "error": None,
    }


def self_score(gold_path: Path, golds: list[dict[str, Any]]) -> str:
    """Score the gold against itself with the shared scorer and return its last line."""
    with tempfile.TemporaryDirectory(prefix="gold-self-") as folder:
        for gold in golds:
            target = Path(folder) / (gold["doc"] + ".json")
            target.write_text(json.dumps(as_extraction(gold), ensure_ascii=False), encoding="utf-8")
        completed = subprocess.run([sys.executable, str(SCORER), str(gold_path), folder],
                                   capture_output=True, text=True, check=True)
    print(completed.stdout, end="")
    return completed.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--self-score", action="store_true")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    gold_path = folder / "gold.jsonl"
    golds = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {gold["doc"]: (folder / "corpus" / gold["doc"]).read_text(encoding="utf-8") for gold in golds}
    problems: list[str] = []
    for gold in golds:
        problems += [f"{gold['doc']}: {p}" for p in check_document(gold, texts[gold["doc"]])]
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if sorted(Path(row["path"]).name for row in rows) != sorted(texts):
        problems.append("manifest.csv and gold.jsonl list different documents")
    urls = {gold["doc"]: gold["url"] for gold in golds}
    problems += [f"{row['path']}: manifest URL differs from gold" for row in rows
                 if urls.get(Path(row["path"]).name) != row["source_url"]]
    spans_checked = 0
    spans_path = folder / "spans.jsonl"
    if spans_path.exists():
        for line in spans_path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found, checked = check_spans(record, texts[record["doc"]])
            problems += [f"{record['doc']}: {p}" for p in found]
            spans_checked += checked
    per_language: dict[str, int] = {}
    for gold in golds:
        per_language[gold["language"]] = per_language.get(gold["language"], 0) + 1
    summary = ", ".join(f"{number} {language}" for language, number in sorted(per_language.items()))
    incidents = sum(len(gold["incidents"]) for gold in golds)
    print(f"{len(golds)} documents ({summary}), {incidents} incidents, {spans_checked} spans checked")
    for problem in problems:
        print("problem:", problem)
    if args.self_score:
        last = self_score(gold_path, golds)
        if last != "overall: F=1.000":
            problems.append(f"scoring the gold against itself gives {last!r}")
            print("problem:", problems[-1])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
