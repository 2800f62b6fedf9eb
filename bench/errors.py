"""List extraction errors per document: predicted against gold, field by field.

    .venv/bin/python bench/errors.py PRED_DIR [--gold gold.jsonl] [--field event_types|counts|incidents|...]

PRED_DIR holds the files `bench/evaluate.py --out PRED_DIR` wrote. Prints, for each document
with a difference, what was predicted but is not in the gold (+) and what the gold holds but
was not predicted (-), so the largest error classes can be read off and fixed by general rules.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SHARED = Path("/work/shared")
FIELDS = ("published", "doc_type", "issuer", "event_types", "counts", "incidents", "places", "organisations")


def _names(items: list[dict], keys: tuple[str, ...]) -> list[str]:
    return [" / ".join(str(item.get(key)) for key in keys if item.get(key)) for item in items]


def _incident(incident: dict) -> str:
    counts = ",".join(f"{count.get('what')}={count.get('value')}" for count in incident.get("counts") or [])
    types = "+".join(sorted(incident.get("event_types") or []))
    status = incident.get("status") or ""
    return f"{types} @ {incident.get('place_en')} {incident.get('date')} [{counts}] {status}"


def _quote(text: str, span: list[int] | None) -> str:
    if not span:
        return ""
    start, end = span
    return text[max(0, start - 30) : start] + "[" + text[start:end] + "]" + text[end : end + 20]


def differences(gold: dict, predicted: dict, field: str, text: str = "") -> tuple[list[str], list[str]]:
    """What was predicted and is not gold, and what is gold and was not predicted, for one field."""
    document = predicted.get("document") or {}
    gold_incidents = gold.get("incidents") or []
    predicted_incidents = predicted.get("incidents") or []
    if field in ("published", "doc_type"):
        wanted, got = gold.get(field), document.get(field)
        return ([] if wanted == got else [str(got)]), ([] if wanted == got else [str(wanted)])
    if field == "issuer":
        issuer = document.get("issuer") or {}
        got = issuer.get("canonical_en") or issuer.get("text") if issuer else None
        return ([str(got)], [str(gold.get("issuer"))]) if got != gold.get("issuer") else ([], [])
    if field == "event_types":
        wanted_set = {kind for item in gold_incidents for kind in item.get("event_types") or []} - {"other"}
        got_set = {kind for item in predicted_incidents for kind in item.get("event_types") or []} - {"other"}
        return sorted(got_set - wanted_set), sorted(wanted_set - got_set)
    if field == "counts":
        wanted_values = {count.get("value") for item in gold_incidents for count in item.get("counts") or []}
        got_counts = {
            count.get("value"): f"{count.get('what')}={count.get('value')} «{_quote(text, count.get('span'))}»"
            for item in predicted_incidents
            for count in item.get("counts") or []
        }
        return (
            [text for value, text in got_counts.items() if value not in wanted_values],
            [str(value) for value in wanted_values if value not in got_counts],
        )
    if field == "incidents":
        got_list = [_incident(item) for item in predicted_incidents]
        wanted_list = [_incident(item) for item in gold_incidents]
        return ([], []) if got_list == wanted_list else (got_list, wanted_list)
    keys = ("name", "canonical_en") if field != "places" else ("name", "canonical_en", "kind")
    pkeys = ("text", "canonical_en") if field != "places" else ("text", "canonical_en", "kind")
    got_names = _names(predicted.get(field) or [], pkeys)
    wanted_names = _names(gold.get(field) or [], keys)
    return sorted(set(got_names) - set(wanted_names)), sorted(set(wanted_names) - set(got_names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pred_dir")
    parser.add_argument("--gold", default=str(SHARED / "eval-dev" / "gold.jsonl"))
    parser.add_argument("--field", action="append", choices=FIELDS)
    args = parser.parse_args(argv)
    fields = args.field or list(FIELDS)
    lines = Path(args.gold).read_text(encoding="utf-8").splitlines()
    for gold in (json.loads(line) for line in lines if line.strip()):
        path = Path(args.pred_dir) / (gold["doc"] + ".json")
        predicted = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        corpus = Path(args.gold).parent / "corpus" / gold["doc"]
        text = corpus.read_text(encoding="utf-8") if corpus.exists() else ""
        for field in fields:
            extra, missing = differences(gold, predicted, field, text)
            if not extra and not missing:
                continue
            print(f"{gold['doc']} {gold.get('language')} {field}")
            for item in extra:
                print(f"   + {item}")
            for item in missing:
                print(f"   - {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
