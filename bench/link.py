"""Benchmark of incident linking: time per new record as the index grows, and quality on synthetic data.

A synthetic corpus is generated from a fixed list of facilities and cities (with their governorates), dates
over 15 years, event types and counts. Each real-world incident is reported by one to six documents
(most by one or two), which disagree the way reports do: a facility or only its city, a day or only a
month (or no date), figures that differ by up to a quarter, extra incidents mentioned in passing, English
or Arabic. Documents are added to one :class:`dhakira.link.IncidentIndex` in publication order; the adds of
the last ``--window`` documents before each size are timed.

    .venv/bin/python bench/link.py                       # sizes 10000 30000 100000
    .venv/bin/python bench/link.py --sizes 2000 5000 --json
    .venv/bin/python bench/link.py --eval-dev /work/shared/eval-dev [--extractions DIR] [--embeddings off]

``--eval-dev`` prints the pairwise F1 on the development set from the gold annotations (a stand-in) and,
with ``--extractions`` (a folder of ``<doc>.json`` extraction objects) or when ``dhakira.extract.run`` is
importable, from the real extractor's output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.link import IncidentIndex, LinkItem, link_extractions  # noqa: E402
from dhakira.link.evaluation import items_from_gold, pairwise_scores  # noqa: E402

FACILITIES = [
    ("Saydnaya Prison", "سجن صيدنايا", "SY03", "Saydnaya"),
    ("Adra Prison", "سجن عدرا", "SY03", "Adra"),
    ("Tadmor Prison", "سجن تدمر", "SY04", "Tadmor"),
    ("Palestine Branch", "فرع فلسطين", "SY01", "Damascus"),
    ("Mezzeh Military Airport", "مطار المزة العسكري", "SY01", "Damascus"),
    ("Al-Khatib Branch", "فرع الخطيب", "SY01", "Damascus"),
    ("Branch 215", "الفرع 215", "SY01", "Damascus"),
    ("Aleppo Central Prison", "سجن حلب المركزي", "SY02", "Aleppo"),
    ("Hama Central Prison", "سجن حماة المركزي", "SY05", "Hama"),
    ("Homs Central Prison", "سجن حمص المركزي", "SY04", "Homs"),
    ("Idlib Central Prison", "سجن إدلب المركزي", "SY07", "Idlib"),
    ("Ghwayran Prison", "سجن غويران", "SY08", "Hasakah"),
    ("Daraa Central Prison", "سجن درعا المركزي", "SY12", "Daraa"),
    ("Latakia Central Prison", "سجن اللاذقية المركزي", "SY06", "Latakia"),
    ("Raqqa Central Prison", "سجن الرقة المركزي", "SY11", "Raqqa"),
    ("Deir ez-Zor Central Prison", "سجن دير الزور المركزي", "SY09", "Deir ez-Zor"),
    ("Suwayda Central Prison", "سجن السويداء المركزي", "SY13", "Suwayda"),
    ("Tartus Central Prison", "سجن طرطوس المركزي", "SY10", "Tartus"),
    ("Air Force Intelligence Branch, Harasta", "فرع المخابرات الجوية في حرستا", "SY03", "Harasta"),
    ("Military Security Branch, Daraa", "فرع الأمن العسكري في درعا", "SY12", "Daraa"),
]
# Further places of detention, named here for the benchmark only: twelve branches in each governorate.
GOVERNORATE_CITIES = [
    ("SY01", "Damascus"),
    ("SY02", "Aleppo"),
    ("SY03", "Douma"),
    ("SY04", "Homs"),
    ("SY05", "Hama"),
    ("SY06", "Latakia"),
    ("SY07", "Idlib"),
    ("SY08", "Hasakah"),
    ("SY09", "Deir ez-Zor"),
    ("SY10", "Tartus"),
    ("SY11", "Raqqa"),
    ("SY12", "Daraa"),
    ("SY13", "Suwayda"),
    ("SY14", "Quneitra"),
]
FACILITIES += [
    (
        f"Branch {300 + 12 * number + offset} ({city})",
        f"الفرع {300 + 12 * number + offset} ({city})",
        pcode,
        city,
    )
    for number, (pcode, city) in enumerate(GOVERNORATE_CITIES)
    for offset in range(12)
]
EVENT_SETS = [
    ("storming", "tear_gas"),
    ("storming", "shooting", "killing"),
    ("hunger_strike",),
    ("protest_riot",),
    ("protest_riot", "shooting"),
    ("siege", "starvation"),
    ("torture", "death_in_custody"),
    ("death_in_custody",),
    ("amnesty", "release"),
    ("release",),
    ("transfer",),
    ("execution",),
    ("arrest", "enforced_disappearance"),
    ("fire", "suffocation"),
    ("death_sentence", "military_field_court"),
    ("mass_grave",),
    ("denial_of_medical_care", "death_in_custody"),
    ("raid", "arrest"),
]
COUNT_LABELS = ["killed", "injured", "participants", "detainees", "released", "suffocation_cases", "hostages"]
WORDS_EN = {
    "storming": "stormed",
    "tear_gas": "tear gas",
    "shooting": "opened fire",
    "killing": "killed",
    "hunger_strike": "hunger strike",
    "protest_riot": "riot",
    "siege": "siege",
    "starvation": "hunger",
    "torture": "torture",
    "death_in_custody": "died in custody",
    "amnesty": "amnesty decree",
    "release": "released",
    "transfer": "transferred",
    "execution": "executed",
    "arrest": "arrested",
    "enforced_disappearance": "disappeared",
    "fire": "fire",
    "suffocation": "suffocation",
    "death_sentence": "sentenced to death",
    "military_field_court": "field court",
    "mass_grave": "mass grave",
    "denial_of_medical_care": "denied treatment",
    "raid": "raid",
}
FILLER_EN = (
    "detainees inmates families activists sources said reported according prison guards forces "
    "monitor statement week morning government regime human rights groups relatives"
).split()
FILLER_AR = (
    "المعتقلين السجناء ذويهم ناشطون مصادر أفادت وفق السجن الحراس قوات المرصد بيان الأسبوع صباح النظام".split()
)
# Topic words shared by many reports (a pseudo-vocabulary), and words proper to one incident (names, places
# of detail): reports of one incident share some of the latter, unrelated reports mostly the former.
TOPIC_EN = FILLER_EN + [f"topic{number}" for number in range(200)]
TOPIC_AR = FILLER_AR + [f"موضوع{number}" for number in range(200)]


def _slug(text: str) -> str:
    return "-".join("".join(char if char.isalnum() else " " for char in text.lower()).split())


def synthetic_corpus(documents: int, seed: int = 7) -> tuple[list[LinkItem], list[list[str]]]:
    """``documents`` link items in publication order, and the reports of each incident with two or more."""
    rng = random.Random(seed)
    start = dt.date(2010, 1, 1).toordinal()
    span = 15 * 365
    reports: list[tuple[int, LinkItem, int]] = []
    truth: dict[int, list[str]] = {}
    history: list[tuple[int, tuple[str, str, str, str], list[str], int]] = []
    incident = 0
    while len(reports) < documents:
        incident += 1
        facility = rng.choice(FACILITIES)
        types = list(rng.choice(EVENT_SETS))
        day = start + rng.randrange(span)
        counts = [(label, rng.randint(3, 400)) for label in rng.sample(COUNT_LABELS, rng.randint(0, 2))]
        story = [f"name{incident}x{number}" for number in range(12)]
        size = min(6, max(1, int(rng.expovariate(0.9)) + 1))
        for _ in range(size):
            if len(reports) >= documents:
                break
            key = f"doc{len(reports):06d}"
            published = day + rng.randint(0, 10)
            earlier = history[rng.randrange(len(history))] if history and rng.random() < 0.3 else None
            if earlier is not None and earlier[3] > day - 60:
                earlier = None
            item = _report(rng, key, facility, types, day, published, counts, story, earlier)
            reports.append((published, item, incident))
            truth.setdefault(incident, []).append(key)
            if earlier is not None:
                truth.setdefault(earlier[0], []).append(key)
        history.append((incident, facility, types, day))
    reports.sort(key=lambda entry: entry[0])
    # Pairwise truth: documents that report a common incident (lists overlap when one mentions two).
    return [item for _, item, _ in reports], [sorted(keys) for keys in truth.values() if len(keys) > 1]


def _report(
    rng: random.Random,
    key: str,
    facility: tuple[str, str, str, str],
    types: list[str],
    day: int,
    published: int,
    counts: list[tuple[str, int]],
    story: list[str],
    earlier: tuple[int, tuple[str, str, str, str], list[str], int] | None = None,
) -> LinkItem:
    name_en, name_ar, governorate, city = facility
    language = rng.choice(("en", "ar"))
    places: list[dict[str, Any]] = []
    level = rng.random()
    if level < 0.7:
        place = {
            "text": name_ar if language == "ar" else name_en,
            "canonical_en": name_en,
            "id": "fac:" + _slug(name_en),
            "kind": "facility",
            "pcode": governorate,
        }
    elif level < 0.88:
        place = {
            "text": city,
            "canonical_en": city,
            "id": "city:" + _slug(city),
            "kind": "city",
            "admin1_pcode": governorate,
        }
    else:
        place = {"text": "Syria", "canonical_en": "Syria", "id": "country:sy", "kind": "country"}
    places.append(place)
    precision = rng.random()
    date: str | None
    if precision < 0.6:
        date, date_precision = dt.date.fromordinal(day + rng.choice((0, 0, 0, 1, -1))).isoformat(), "day"
    elif precision < 0.85:
        date, date_precision = dt.date.fromordinal(day).isoformat()[:7], "month"
    else:
        date, date_precision = None, None
    reported_types = [kind for kind in types if rng.random() < 0.85] or types[:1]
    incidents = [
        {
            "event_types": reported_types,
            "place_en": place["canonical_en"],
            "place_id": place["id"],
            "date": date,
            "date_precision": date_precision,
            "perpetrator_id": rng.choice(("actor:sy-gov", None)),
            "counts": [
                {"what": label, "value": max(1, round(value * rng.uniform(0.8, 1.25))), "qualifier": "about"}
                for label, value in counts
                if rng.random() < 0.7
            ],
        }
    ]
    if earlier is not None:  # an older incident mentioned in passing
        _, other, other_types, other_day = earlier
        incidents.append(
            {
                "event_types": list(other_types),
                "place_en": other[0],
                "place_id": "fac:" + _slug(other[0]),
                "date": dt.date.fromordinal(other_day).isoformat()[:7],
                "date_precision": "month",
                "perpetrator_id": None,
                "counts": [],
            }
        )
        places.append(
            {"canonical_en": other[0], "id": "fac:" + _slug(other[0]), "kind": "facility", "pcode": other[2]}
        )
    words = [WORDS_EN.get(kind, kind) for kind in reported_types]
    topic = TOPIC_AR if language == "ar" else TOPIC_EN
    text = " ".join(
        [
            place["text"],
            *words,
            *rng.sample(topic, 40),
            *rng.sample(story, 6),
            *(str(value) for _, value in counts),
        ]
    )
    extraction = {
        "schema": "dhakira.extraction/1",
        "document": {
            "language": language,
            "title": None,
            "published": dt.date.fromordinal(published).isoformat(),
            "issuer": {"id": f"org:outlet-{rng.randrange(40)}"},
        },
        "places": places,
        "organisations": [],
        "persons": [],
        "incidents": incidents,
        "error": None,
    }
    return LinkItem(key, extraction, text)


def bench_growth(sizes: list[int], window: int, embeddings: bool, seed: int) -> dict[str, Any]:
    """Time the adds of the last ``window`` documents before each size; score the synthetic clusters."""
    total = max(sizes)
    items, truth = synthetic_corpus(total, seed)
    index = IncidentIndex(embeddings=embeddings)
    timings: dict[int, float] = {}
    compared: dict[int, float] = {}
    started = time.perf_counter()
    window_start = 0.0
    returned_start = 0
    for position, item in enumerate(items, start=1):
        if any(position == size - window + 1 for size in sizes):
            window_start = time.perf_counter()
            returned_start = index.blocking.returned
        index.add(item)
        if position in sizes:
            timings[position] = (time.perf_counter() - window_start) * 1000 / window
            compared[position] = (index.blocking.returned - returned_start) / window
    build_seconds = time.perf_counter() - started
    clustered = time.perf_counter()
    clusters = index.clusters()
    cluster_seconds = time.perf_counter() - clustered
    quality = pairwise_scores(clusters, truth)
    return {
        "documents": total,
        "incidents": len(index),
        "window": window,
        "embeddings": embeddings,
        "ms_per_document": {str(size): round(timings[size], 3) for size in sizes},
        "candidates_per_document": {str(size): round(compared[size], 1) for size in sizes},
        "build_seconds": round(build_seconds, 1),
        "cluster_seconds": round(cluster_seconds, 2),
        "synthetic_pairwise": {name: round(value, 4) for name, value in quality.items()},
    }


def _extraction_items(eval_dev: Path, folder: Path | None) -> list[LinkItem] | None:
    """Link items from extraction objects in ``folder``, or from running the extractor over the manifest."""
    if folder is not None:
        items = []
        for path in sorted(folder.glob("*.json")):
            extraction = json.loads(path.read_text(encoding="utf-8"))
            name = Path((extraction.get("source") or {}).get("path") or path.stem).name
            text_path = eval_dev / "corpus" / name
            text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
            items.append(LinkItem(name, extraction, text))
        return items
    try:
        from dhakira.link.run import items_from_manifest

        items = items_from_manifest(eval_dev / "manifest.csv")
    except ImportError:
        return None
    return [LinkItem(Path(item.key).name, item.extraction, item.text) for item in items]


def bench_eval_dev(eval_dev: Path, extractions: Path | None, embeddings: bool | None) -> dict[str, Any]:
    """Pairwise scores of the clusters on the development set, from gold stand-ins and from extraction."""
    gold = json.loads((eval_dev / "clusters.json").read_text(encoding="utf-8"))
    data = eval_dev.parent / "data"
    report: dict[str, Any] = {}
    sources: dict[str, list[LinkItem] | None] = {
        "gold_stand_in": items_from_gold(
            eval_dev / "gold.jsonl", eval_dev / "corpus", data if data.is_dir() else None
        ),
        "extractor": _extraction_items(eval_dev, extractions),
    }
    for name, items in sources.items():
        if items is None:
            report[name] = None
            continue
        started = time.perf_counter()
        result = link_extractions(items, embeddings=embeddings)
        scores = pairwise_scores(result.clusters, gold)
        report[name] = {
            "seconds": round(time.perf_counter() - started, 3),
            "clusters": result.clusters,
            **{key: round(value, 4) for key, value in scores.items()},
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--window", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--embeddings",
        choices=("auto", "on", "off"),
        default="auto",
        help="cross-lingual lead embeddings: auto = when importable for --eval-dev, off for the "
        "synthetic timing (default auto)",
    )
    parser.add_argument("--eval-dev", type=Path, help="development set folder: print pairwise F1 instead")
    parser.add_argument("--extractions", type=Path, help="folder of extraction JSON files for --eval-dev")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.eval_dev:
        choice = {"auto": None, "on": True, "off": False}[args.embeddings]
        result = bench_eval_dev(args.eval_dev, args.extractions, choice)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            for name, scores in result.items():
                if scores is None:
                    print(f"{name}: not available")
                    continue
                print(
                    f"{name}: F1 {scores['f1']:.3f} (P {scores['precision']:.3f}, R {scores['recall']:.3f}), "
                    f"{scores['seconds']} s"
                )
                for cluster in scores["clusters"]:
                    print("   ", " ".join(cluster))
        return 0
    result = bench_growth(sorted(args.sizes), args.window, args.embeddings == "on", args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        for size, value in result["ms_per_document"].items():
            candidates = result["candidates_per_document"][size]
            print(
                f"{int(size):>8} documents indexed: {value:.3f} ms per new document (last {args.window}), "
                f"{candidates} candidates compared per document"
            )
        quality = result["synthetic_pairwise"]
        print(
            f"incidents indexed: {result['incidents']}; build {result['build_seconds']} s; "
            f"clustering {result['cluster_seconds']} s"
        )
        print(
            f"synthetic pairwise F1 {quality['f1']:.3f} "
            f"(P {quality['precision']:.3f}, R {quality['recall']:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
