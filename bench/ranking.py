"""Rank the head candidates of a few queries both ways on a SQLite archive: by FTS5's walk of every match, and
from the candidates' own texts (``search.bm25``); prints the time of each and whether they agree.

    .venv/bin/python bench/ranking.py --archive /tmp/search-100k [--repeat 5] [--json]

The archive is only read (one made by ``bench/search.py --keep`` or ``bench/served.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("prison", {}), ("السجن", {}), ("detainees", {"language": "en"}), ("prison -guards", {}), ("torture cell", {}),
    ('"Saydnaya Prison"', {}), ("Saydnaya", {}), ("hunger OR strike", {"year": "2015"}), ("الأمن", {"facility": "fac:adra"}),
]


def _timed(call: Any, repeat: int) -> tuple[Any, float, float]:
    """``call()``'s result and its median wall and processor milliseconds over ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return result, statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ["DHAKIRA_ARCHIVE"] = args.archive
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser

    from dhakira.text.query import parse_query
    from dhakira_web.archive.models import Record, SearchToken
    from dhakira_web.archive.payloads import filter_scope
    from dhakira_web.archive.search import heads, ranking_tokens, sqlite
    from dhakira_web.archive.search.crosslingual import expand

    engine, rows = sqlite.SqliteBackend(), []
    for text, filters in QUERIES:
        query = parse_query(text)
        extra_keys, scope = expand(text, query), filter_scope(AnonymousUser(), filters)
        held = dict(SearchToken.objects.filter(token__in=set(ranking_tokens(query, extra_keys)), has_head=True)
                    .values_list("token", "documents"))
        listed = heads.candidates(held, heads.HEAD_SIZE)
        if not listed:
            continue
        timings = {}
        for name, threshold in (("walk", 10**12), ("texts", 0)):
            sqlite.WALK_PER_RECORD = threshold
            engine.rank_among(query, listed, extra_keys, scope)  # counts kept, pages read
            timings[name] = _timed(lambda: engine.rank_among(query, listed, extra_keys, scope), args.repeat)  # noqa: B023
        walked, scored = timings["walk"][0], timings["texts"][0]
        rows.append({"query": text, "filters": filters, "listed": len(listed), "matched": len(scored),
                     "same_order": [pk for pk, _ in walked] == [pk for pk, _ in scored],
                     "largest_score_difference": max((abs(a - b) for (_, a), (_, b) in zip(walked, scored, strict=False)), default=0.0),
                     "walk_ms": round(timings["walk"][1], 1), "walk_cpu_ms": round(timings["walk"][2], 1),
                     "texts_ms": round(timings["texts"][1], 1), "texts_cpu_ms": round(timings["texts"][2], 1)})
    result = {"records": Record.objects.count(), "queries": rows}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['records']} records; median of {args.repeat} runs (wall / processor ms)")
        for row in rows:
            print(f"{row['query']!r:22} {json.dumps(row['filters'], ensure_ascii=False):26} {row['listed']:5} listed "
                  f"{row['matched']:5} matched  walk {row['walk_ms']:7.1f} / {row['walk_cpu_ms']:6.1f}  "
                  f"texts {row['texts_ms']:6.1f} / {row['texts_cpu_ms']:6.1f}  same order {row['same_order']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
