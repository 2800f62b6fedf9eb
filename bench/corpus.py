"""Write the synthetic corpus with known facts: N Arabic and English reports and their manifest.

    .venv/bin/python bench/corpus.py DIR [--count 2000] [--seed 7] [--check 200]

``--check N`` extracts the first N documents and prints how often extraction found each known fact.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.synthetic import MANIFEST, write_corpus  # noqa: E402


def check(folder: Path, limit: int) -> dict[str, float]:
    """The share of documents whose place, event type, count, date and publication date extraction finds."""
    from dhakira.extract import extract_document
    from dhakira.ingest import read_path

    found: dict[str, int] = {"place": 0, "event_type": 0, "count": 0, "date": 0, "published": 0}
    rows = [json.loads(line) for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines()][:limit]
    for row in rows:
        facts = {fact["name"]: fact["value"] for fact in row["facts"]}
        extraction = extract_document(read_path(folder / row["file"]))
        incidents = extraction.get("incidents") or []
        found["place"] += any(place.get("id") == facts["place"] for place in extraction.get("places") or [])
        found["event_type"] += any(facts["event_type"] in (incident.get("event_types") or []) for incident in incidents)
        found["count"] += any(count.get("value") == facts["count"] for incident in incidents for count in incident.get("counts") or [])
        found["date"] += any(incident.get("date") == facts["date"] for incident in incidents)
        found["published"] += (extraction.get("document") or {}).get("published") == facts["published"]
    return {name: round(hits / len(rows), 3) for name, hits in found.items()} if rows else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", type=int, default=0, help="extract this many documents and compare with their facts")
    arguments = parser.parse_args()
    started = time.perf_counter()
    manifest = write_corpus(arguments.folder, arguments.count, seed=arguments.seed)
    size = sum(path.stat().st_size for path in arguments.folder.glob("*.txt"))
    print(f"{arguments.count} documents, {size / 1e6:.1f} MB, in {time.perf_counter() - started:.1f} s; facts in {manifest}")
    if arguments.check:
        print(json.dumps({"extraction_finds": check(arguments.folder, arguments.check)}))


if __name__ == "__main__":
    main()
