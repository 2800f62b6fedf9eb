"""Measuring linking: pairwise precision/recall/F1 of clusters, and link items made from annotations.

``items_from_gold`` turns hand-made annotations (one JSON object per line, with ``doc``, ``language``,
``published``, ``issuer``, ``places`` [{name, canonical_en, kind}] and ``incidents`` [{event_types,
place_en, date, perpetrator_en, counts}]) into extraction objects of the contract, so that the linker can be
developed and checked while the extractor improves. Place ids are slugs of canonical names; when a gazetteer
folder is given (``syria_admin.csv``, ``syria_detention_facilities.csv``), facilities and cities get the
P-code of their governorate as an extractor with the gazetteer would.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dhakira.link.index import LinkItem
from dhakira.link.records import slug
from dhakira.text import normalise


def pairs_of(clusters: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    """Unordered document pairs that share a cluster."""
    found: set[tuple[str, str]] = set()
    for cluster in clusters:
        for a, b in itertools.combinations(sorted(set(cluster)), 2):
            found.add((a, b))
    return found


def pairwise_scores(predicted: Iterable[Sequence[str]], gold: Iterable[Sequence[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted clusters against gold clusters."""
    predicted_pairs, gold_pairs = pairs_of(predicted), pairs_of(gold)
    true = len(predicted_pairs & gold_pairs)
    precision = true / len(predicted_pairs) if predicted_pairs else 0.0
    recall = true / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": float(true),
        "predicted_pairs": float(len(predicted_pairs)),
        "gold_pairs": float(len(gold_pairs)),
    }


class Gazetteer:
    """Governorate P-codes of facilities and cities, read from the project's gazetteer CSV files."""

    def __init__(self, folder: Path | None) -> None:
        self.facilities: dict[str, str] = {}
        self.cities: dict[str, str] = {}
        self.governorates: dict[str, str] = {}
        if folder is None or not folder.is_dir():
            return
        facilities = folder / "syria_detention_facilities.csv"
        if facilities.exists():
            with facilities.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    names = [row["name_en"], *row.get("aliases_en", "").split("|")]
                    names.append(row["name_en"].split(" (")[0])
                    for name in names:
                        if name and row.get("governorate_pcode"):
                            self.facilities[normalise(name)] = row["governorate_pcode"]
        admin = folder / "syria_admin.csv"
        if admin.exists():
            with admin.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    names = [row["name_en"], *row.get("alt_names_en", "").split("|")]
                    if row["level"] == "1":
                        for name in names:
                            if name:
                                self.governorates.setdefault(normalise(name), row["pcode"])
                    elif row["level"] == "4" and row.get("capital_level") in ("1", "2"):
                        for name in names:
                            if name:
                                self.cities.setdefault(normalise(name), row["admin1_pcode"])

    def admin1(self, name: str, kind: str) -> str | None:
        folded = normalise(name)
        if kind == "facility":
            return self.facilities.get(folded)
        if kind == "city":
            return self.cities.get(folded)
        if kind == "governorate":
            return self.governorates.get(folded.removesuffix(" governorate"))
        return None


def extraction_from_gold(record: dict[str, Any], gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """An extraction object of the contract built from one annotation record."""
    places: list[dict[str, Any]] = []
    seen: set[str] = set()
    for place in record.get("places") or ():
        canonical, kind = place.get("canonical_en") or place.get("name"), place.get("kind") or "other"
        identifier = f"{'fac' if kind == 'facility' else kind[:3]}:{slug(canonical)}"
        if identifier in seen:
            continue
        seen.add(identifier)
        entry: dict[str, Any] = {
            "text": place.get("name"),
            "canonical_en": canonical,
            "id": identifier,
            "kind": kind,
        }
        pcode = gazetteer.admin1(canonical, kind) if gazetteer else None
        if pcode:
            entry["pcode" if kind != "city" else "admin1_pcode"] = pcode
        places.append(entry)
    by_name = {normalise(place["canonical_en"]): place for place in places}
    incidents = []
    for incident in record.get("incidents") or ():
        place = by_name.get(normalise(incident.get("place_en") or ""))
        date = incident.get("date")
        incidents.append(
            {
                "event_types": list(incident.get("event_types") or ()),
                "place_en": incident.get("place_en"),
                "place_id": place["id"] if place else None,
                "date": date,
                "date_precision": None
                if not date
                else ("day" if len(date) == 10 else "month" if len(date) == 7 else "year"),
                "perpetrator_en": incident.get("perpetrator_en"),
                "perpetrator_id": ("actor:" + slug(incident["perpetrator_en"]))
                if incident.get("perpetrator_en")
                else None,
                "counts": [dict(count) for count in incident.get("counts") or ()],
            }
        )
    issuer = record.get("issuer")
    return {
        "schema": "dhakira.extraction/1",
        "source": {"path": record.get("doc")},
        "document": {
            "language": record.get("language"),
            "title": record.get("title"),
            "issuer": {"text": issuer, "canonical_en": issuer, "id": "org:" + slug(issuer)}
            if issuer
            else None,
            "doc_type": record.get("doc_type"),
            "published": record.get("published"),
        },
        "places": places,
        "organisations": [],
        "persons": [],
        "incidents": incidents,
        "error": None,
    }


def items_from_gold(
    gold_path: Path, corpus: Path | None = None, gazetteer_folder: Path | None = None, with_text: bool = True
) -> list[LinkItem]:
    """Link items from an annotation file; texts are read from ``corpus/<doc>`` when present."""
    gazetteer = Gazetteer(gazetteer_folder) if gazetteer_folder else None
    items: list[LinkItem] = []
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            text = None
            if with_text and corpus is not None and (corpus / record["doc"]).exists():
                text = (corpus / record["doc"]).read_text(encoding="utf-8")
            items.append(LinkItem(record["doc"], extraction_from_gold(record, gazetteer), text))
    return items
