"""Benchmark of archive search: time per query through Dhakira's search, beside the raw full-text query.

A synthetic archive of ``--records`` bilingual records is bulk-inserted (records, search entries and
facet rows written directly; no extraction run): texts are drawn from a vocabulary of detention
facilities, governorates, event words, common words and a long tail of made-up words, in Arabic or
English. Then 200 mixed queries (Arabic, English, names resolved across languages, phrases, OR, with
facet filters and date sorting) run as an anonymous visitor through ``payloads.search_payload``
(query parsing, cross-language names, access policy, filters, full-text match, count, hydration and
snippets). ``raw`` is the bare FTS5 MATCH / tsvector query for the same terms (top 20 by rank, plus
the count), without the policy or filters. ``facets`` times the facet counts of the search page.
``top20_agreement`` compares the first page of queries ranked in two phases (candidates from the
heads, see ``dhakira_web.archive.search.heads``) with the first page of ranking every match.

    .venv/bin/python bench/search.py --records 100000 --json
    .venv/bin/python bench/search.py --records 100000 --json --database-url postgresql://postgres@127.0.0.1:5432/postgres

With ``--database-url`` a database ``dhakira_bench_<random>`` is created on that server and dropped after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACILITIES = [
    ("fac:saydnaya", "Saydnaya Prison", "سجن صيدنايا", "SY03"),
    ("fac:adra", "Adra Prison", "سجن عدرا", "SY03"),
    ("fac:tadmor", "Tadmor Prison", "سجن تدمر", "SY04"),
    ("fac:branch-235", "Palestine Branch", "فرع فلسطين", "SY01"),
    ("fac:hama-central", "Hama Central Prison", "سجن حماة المركزي", "SY05"),
    ("fac:aleppo-central", "Aleppo Central Prison", "سجن حلب المركزي", "SY02"),
    ("fac:afi-harasta", "Air Force Intelligence Branch, Harasta", "فرع المخابرات الجوية في حرستا", "SY03"),
    ("fac:ss-daraa", "State Security Branch, Daraa", "فرع أمن الدولة في درعا", "SY12"),
]
GOVERNORATES = [("SY01", "Damascus", "دمشق"), ("SY02", "Aleppo", "حلب"), ("SY03", "Rural Damascus", "ريف دمشق"),
                ("SY04", "Homs", "حمص"), ("SY05", "Hama", "حماة"), ("SY07", "Idlib", "إدلب"), ("SY12", "Daraa", "درعا"),
                ("SY06", "Latakia", "اللاذقية")]
EVENTS = [
    ("torture", ["torture", "tortured", "beaten"], ["تعذيب", "التعذيب", "للتعذيب"]),
    ("death_in_custody", ["died", "death", "custody"], ["وفاة", "قضى", "توفي"]),
    ("hunger_strike", ["hunger", "strike", "strikers"], ["إضراب", "الإضراب", "الطعام"]),
    ("arrest", ["arrested", "detained", "arrest"], ["اعتقال", "اعتقلت", "المعتقلين"]),
    ("release", ["released", "release", "freed"], ["الإفراج", "أفرج", "إطلاق"]),
    ("execution", ["executed", "execution", "hanging"], ["إعدام", "الإعدام", "أعدم"]),
    ("enforced_disappearance", ["disappeared", "missing", "whereabouts"], ["اختفاء", "مختف", "مصير"]),
]
COMMON_EN = ("the of and in to a was were by at on for with from after prison prisoners detainees families report "
             "sources said security forces military branch cell cells guards transferred court sentence years month "
             "week families lawyer visit medical care food water conditions overcrowded witness former inmate "
             "inmates officer officers interrogation investigation list names bodies hospital").split()
COMMON_AR = ("في من إلى على عن أن مع بعد قبل السجن سجن المعتقلين المعتقل السجناء سجين الأمن قوات الفرع الزنزانة "
             "الزنازين الحراس نقل المحكمة حكم سنوات شهر أسبوع الأهالي محامي زيارة الرعاية الطبية الطعام الماء ظروف "
             "شاهد معتقل سابق ضابط التحقيق أسماء الجثث المستشفى مصادر أفادت ذكرت").split()
ISSUERS = ["Rights Watchers", "Detainee Network", "شبكة محلية", "رابطة المعتقلين", "Monitoring Group", "مركز توثيق"]
AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _made_up(rng: random.Random, letters: str, count: int) -> list[str]:
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 8))) for _ in range(count)]


class Corpus:
    """Generates bilingual record texts and knows the queries that make sense on them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tail = {"en": _made_up(self.rng, EN_LETTERS, 6000), "ar": _made_up(self.rng, AR_LETTERS, 6000)}

    def words(self, language: str, count: int) -> list[str]:
        common = COMMON_AR if language == "ar" else COMMON_EN
        tail = self.tail[language]
        # 60% common words, the rest from a long tail with Zipf-like ranks (the first tail word is ~2% of picks).
        return [self.rng.choice(common) if self.rng.random() < 0.6
                else tail[min(len(tail) - 1, int((self.rng.paretovariate(1.1) - 1) * 50))]
                for _ in range(count)]

    def record(self, number: int) -> dict[str, Any]:
        rng = self.rng
        language = "ar" if rng.random() < 0.5 else "en"
        facility = rng.choice(FACILITIES)
        governorate = next((item for item in GOVERNORATES if item[0] == facility[3]), GOVERNORATES[0])
        events = rng.sample(EVENTS, rng.choice((1, 1, 2)))
        words = self.words(language, rng.randint(50, 110))
        name = facility[2] if language == "ar" else facility[1]
        place = governorate[2] if language == "ar" else governorate[1]
        inserts = [name, place, str(rng.randint(2, 300))]
        for _kind, english, arabic in events:
            inserts += rng.sample(arabic if language == "ar" else english, 2)
        for item in inserts:
            words.insert(rng.randrange(len(words) + 1), item)
        year = rng.randint(2011, 2024)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        roll = rng.random()
        return {
            "number": number, "language": language, "title": " ".join(words[:8]), "text": " ".join(words) + ".",
            "issue_date": date, "issuer": rng.choice(ISSUERS), "facility": facility[0], "governorate": governorate[0],
            "events": [kind for kind, _, _ in events],
            "access": "public" if roll < 0.9 else ("restricted" if roll < 0.98 else "confidential"),
            "document_type": rng.choice(("report", "news_article", "testimony", "press_release")),
        }

    def queries(self, count: int) -> list[tuple[str, dict[str, str], str]]:
        """``(query, filters, order)``: a mix of languages, names, phrases, OR and facet filters."""
        return [(text, filters, order) for text, filters, order, _ in self.shaped_queries(count)]

    def shaped_queries(self, count: int) -> list[tuple[str, dict[str, str], str, str]]:
        """``queries`` with the kind of each (``common-ar``, ``name``, ``phrase-or``…), for a breakdown by kind."""
        rng = self.rng
        shapes = []
        for _ in range(count):
            kind = rng.random()
            facility = rng.choice(FACILITIES)
            event = rng.choice(EVENTS)
            if kind < 0.2:
                text, shape = rng.choice(COMMON_AR[9:]), "common-ar"
            elif kind < 0.4:
                text, shape = rng.choice(COMMON_EN[12:]), "common-en"
            elif kind < 0.55:
                text, shape = rng.choice((facility[1], facility[2], facility[1].split()[0].lower())), "name"
            elif kind < 0.7:
                text = f"{rng.choice(event[1])} {rng.choice(COMMON_EN[12:])}" if rng.random() < 0.5 else \
                    f"{rng.choice(event[2])} {rng.choice(COMMON_AR[9:])}"
                shape = "event-and-word"
            elif kind < 0.8:
                text = f'"{facility[1]}"' if rng.random() < 0.5 else f"{rng.choice(event[2])} OR {rng.choice(event[1])}"
                shape = "phrase-or"
            elif kind < 0.9:
                text, shape = " ".join(self.words(rng.choice(("ar", "en")), 2)), "two-words"
            else:
                text, shape = f"{rng.choice(COMMON_EN[12:])} -{rng.choice(COMMON_EN[12:])}", "negation"
            filters: dict[str, str] = {}
            if rng.random() < 0.35:
                name = rng.choice(("language", "governorate", "event_type", "year", "facility"))
                filters[name] = {"language": rng.choice(("ar", "en")), "governorate": rng.choice(GOVERNORATES)[0],
                                 "event_type": event[0], "year": str(rng.randint(2011, 2024)), "facility": facility[0]}[name]
            order = "date" if rng.random() < 0.2 else "relevance"
            shapes.append((text, filters, order, shape))
        return shapes


def _shadow(text: str, cache: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """``(stems, norms)`` of a text of space-separated words, word by word through a cache."""
    from dhakira.text import tokens

    stems, norms = [], []
    for word in text.split():
        if word not in cache:
            parts = list(tokens(word))
            cache[word] = (" ".join(part.stem for part in parts), " ".join(part.norm for part in parts))
        stem, norm = cache[word]
        if stem:
            stems.append(stem)
            norms.append(norm)
    return " ".join(stems), " ".join(norms)


def build(records: int, corpus: Corpus, batch: int = 2000) -> float:
    """Bulk-insert the synthetic archive; returns the seconds it took."""
    from django.utils import timezone

    from dhakira_web.archive.models import Place, Record, RecordFacet, SearchEntry
    from dhakira_web.archive.search import filter_token, heads, key_token

    started = time.perf_counter()
    for key, name_en, name_ar, pcode in FACILITIES:
        Place.objects.get_or_create(key=key, defaults={"name_en": name_en, "name_ar": name_ar, "kind": "facility",
                                                       "governorate_pcode": pcode})
    cache: dict[str, tuple[str, str]] = {}
    now = timezone.now()
    for first in range(0, records, batch):
        items = [corpus.record(number) for number in range(first, min(records, first + batch))]
        made = Record.objects.bulk_create([
            Record(code=f"BENCH-{item['number']:07d}", title=item["title"], issuer=item["issuer"],
                   document_type=item["document_type"], issue_date=item["issue_date"], issue_date_precision="day",
                   language=item["language"], languages=[item["language"]], captured_at=now,
                   sha256=hashlib.sha256(f"bench-{item['number']}".encode()).hexdigest(), size=len(item["text"]),
                   media_type="text/plain", text=item["text"], access_level=item["access"])
            for item in items
        ])
        if made[0].pk is None:  # SQLite before 3.35 returns no ids from bulk inserts
            by_code = dict(Record.objects.filter(code__in=[record.code for record in made]).values_list("code", "pk"))
            for record in made:
                record.pk = by_code[record.code]
        entries, facets = [], []
        for record, item in zip(made, items, strict=True):
            title_stem, _ = _shadow(item["title"], cache)
            body_stem, body_norm = _shadow(item["title"] + " " + item["text"], cache)
            keys = [item["facility"]] + [f"event:{kind}" for kind in item["events"]]
            values = {("language", item["language"]), ("document_type", item["document_type"]), ("review_state", "machine_extracted"),
                      ("year", item["issue_date"][:4]), ("issuer", item["issuer"]), ("place", item["facility"]),
                      ("facility", item["facility"]), ("governorate", item["governorate"])}
            values |= {("event_type", kind) for kind in item["events"]}
            filters = sorted(filter_token(name, value) for name, value in values | {("access_level", item["access"])})
            entries.append(SearchEntry(record_id=record.pk, title_stem=title_stem, body_stem=body_stem, body_norm=body_norm,
                                       keys=" ".join(sorted({key_token(key) for key in keys})), filters=" ".join(filters)))
            facets += [RecordFacet(record_id=record.pk, name=name, value=value) for name, value in values]
        SearchEntry.objects.bulk_create(entries)
        RecordFacet.objects.bulk_create(facets)
    heads.rebuild()  # bulk inserts bypass ``index_record``, which keeps heads in step one record at a time
    _analyse()
    return time.perf_counter() - started


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO archive_search_fts(archive_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")


def raw_query(text: str, extra_keys: list[list[str]]) -> None:
    """The bare full-text query for the same terms: top 20 by rank and the count, no policy, no filters."""
    from django.db import connection

    from dhakira.text.query import parse_query

    query = parse_query(text)
    if query.empty:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            from dhakira_web.archive.search.sqlite import TABLE, match_expression

            match = match_expression(query, extra_keys)
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s", (match,))
            cursor.fetchall()
            cursor.execute(f"SELECT rowid, bm25({TABLE}, 4.0, 1.0, 1.0, 2.0) AS s FROM {TABLE} WHERE {TABLE} MATCH %s "
                           "ORDER BY s LIMIT 20", (match,))
            cursor.fetchall()
        else:
            from django.db import transaction

            from dhakira_web.archive.search.postgresql import prefer_index, tsquery_text

            tsquery = tsquery_text(query, extra_keys)
            with transaction.atomic():
                prefer_index(cursor)  # the same planner setting the search uses
                cursor.execute("SELECT count(*) FROM archive_searchvector WHERE search_vector @@ to_tsquery('simple', %s)",
                               (tsquery,))
                cursor.fetchall()
                cursor.execute("SELECT record_id, ts_rank(search_vector, q) AS s FROM archive_searchvector, "
                               "to_tsquery('simple', %s) q WHERE search_vector @@ q ORDER BY s DESC LIMIT 20", (tsquery,))
                cursor.fetchall()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(shaped: list[tuple[str, dict[str, str], str, str]]) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser

    from dhakira.text.query import parse_query
    from dhakira_web.archive.payloads import search_payload
    from dhakira_web.archive.search.crosslingual import expand

    queries = [(text, filters, order) for text, filters, order, _ in shaped]
    visitor = AnonymousUser()
    for text, filters, order in queries[:10]:  # warm caches: knowledge base, stemmer, database pages
        search_payload(text, visitor, filters=filters, order=order, facets=True)
    timings, raw_timings, facet_timings, totals, cpu_timings, both_timings = [], [], [], [], [], []
    server = _server_clock()
    for text, filters, order in queries:
        started, cpu, served = time.perf_counter(), time.process_time(), server()
        result = search_payload(text, visitor, filters=filters, order=order)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
        both_timings.append(cpu_timings[-1] + (server() - served) * 1000)
        totals.append(result["total"])
        started = time.perf_counter()
        raw_query(text, expand(text, parse_query(text)))
        raw_timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        search_payload(text, visitor, filters=filters, order=order, facets=True)
        facet_timings.append((time.perf_counter() - started) * 1000)
    agreement = _agreement(queries, visitor)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        # CPU time of this process per search: on SQLite all of the work, and less swayed than wall time by
        # other programs sharing the cores (on PostgreSQL the server's work is not in it).
        "cpu_p50_ms": round(statistics.median(cpu_timings), 2),
        "cpu_p95_ms": round(percentile(cpu_timings, 0.95), 2),
        # With a PostgreSQL server on this machine: the processor time of this process and of its server process
        # together (read from /proc; the server's part is zero when it cannot be read).
        **({"cpu_with_server_p50_ms": round(statistics.median(both_timings), 2),
            "cpu_with_server_p95_ms": round(percentile(both_timings, 0.95), 2)} if both_timings != cpu_timings else {}),
        "raw_p50_ms": round(statistics.median(raw_timings), 2),
        "raw_p95_ms": round(percentile(raw_timings, 0.95), 2),
        "with_facets_p50_ms": round(statistics.median(facet_timings), 2),
        "with_facets_p95_ms": round(percentile(facet_timings, 0.95), 2),
        "median_total": statistics.median(totals),
        "two_phase_queries": agreement[0],
        "top20_agreement": agreement[1],
        "by_kind": _by_kind(shaped, timings, facet_timings, totals, agreement[2]),
    }


def _server_clock() -> Any:
    """Seconds of processor time the database server process of this connection has used so far: PostgreSQL on
    this machine, read from ``/proc/<pid>/schedstat``; a clock that stands still for SQLite or a remote server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")

    def clock() -> float:
        try:
            return int(path.read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return 0.0

    return clock


def _by_kind(shaped: list[tuple[str, dict[str, str], str, str]], timings: list[float], facet_timings: list[float],
             totals: list[int], shares: dict[int, float]) -> dict[str, dict[str, float | None]]:
    """Search and facet-page times per kind of query, and for filtered and date-ordered queries across kinds,
    with the first-page agreement of those ranked in two phases."""
    groups: dict[str, list[int]] = {}
    for index, (_text, filters, order, shape) in enumerate(shaped):
        for name in (shape, "filtered" if filters else "", "date-order" if order == "date" else ""):
            if name:
                groups.setdefault(name, []).append(index)
    return {name: {"queries": len(indexes),
                   "p50_ms": round(statistics.median(timings[i] for i in indexes), 2),
                   "p95_ms": round(percentile([timings[i] for i in indexes], 0.95), 2),
                   "with_facets_p95_ms": round(percentile([facet_timings[i] for i in indexes], 0.95), 2),
                   "median_total": statistics.median(totals[i] for i in indexes),
                   "agreement": round(statistics.mean(agreed), 3) if (agreed := [shares[i] for i in indexes if i in shares]) else None,
                   "two_phase": len(agreed)}
            for name, indexes in sorted(groups.items())}


def _agreement(queries: list[tuple[str, dict[str, str], str]], visitor: Any) -> tuple[int, float, dict[int, float]]:
    """How many relevance queries were ranked in two phases, and the mean share of their first page
    that ranking every match would also put on the first page (1.0: the same records); with the share of
    each such query, by its place in ``queries``."""
    from dhakira_web.archive import search as search_module
    from dhakira_web.archive.payloads import search_payload

    shares: dict[int, float] = {}
    for index, (text, filters, order) in enumerate(queries):
        if order != "relevance":
            continue
        fast = search_payload(text, visitor, filters=filters)
        if (fast["total_exact"] and fast["total"] <= search_module.FULL_RANKING) or not fast["results"]:
            continue
        threshold = search_module.FULL_RANKING
        search_module.FULL_RANKING = 10**9
        try:
            full = search_payload(text, visitor, filters=filters)
        finally:
            search_module.FULL_RANKING = threshold
        first = {hit["code"] for hit in full["results"]}
        shares[index] = len(first & {hit["code"] for hit in fast["results"]}) / len(first)
    return len(shares), round(statistics.mean(shares.values()), 3) if shares else 1.0, shares


def _with_database(url: str) -> tuple[str, str]:
    """Create ``dhakira_bench_<random>`` on the server of ``url``; returns its URL and name."""
    import psycopg

    name = f"dhakira_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(urlparse(url)._replace(path="/" + name)), name


def _drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a postgresql:// URL of a server where a bench database may be created")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="build the archive in DIR (SQLite) and keep it, with the PostgreSQL "
                        "database; a later run with --reuse measures it again without building")
    parser.add_argument("--reuse", metavar="DIR", help="measure the archive a --keep run left in DIR (with the same "
                        "--records and --seed; on PostgreSQL, --database-url names the kept database itself)")
    args = parser.parse_args(argv)

    folder = args.reuse or args.keep or tempfile.mkdtemp(prefix="dhakira-bench-search-")
    Path(folder).mkdir(parents=True, exist_ok=True)
    os.environ["DHAKIRA_ARCHIVE"] = folder
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    database = None
    if args.database_url and args.reuse:
        os.environ["DHAKIRA_DATABASE_URL"] = args.database_url
    elif args.database_url:
        bench_url, database = _with_database(args.database_url)
        os.environ["DHAKIRA_DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        corpus = Corpus(args.seed)
        if args.reuse:
            build_seconds = 0.0
            for number in range(args.records):  # the same random stream as the build, so the same queries
                corpus.record(number)
        else:
            build_seconds = build(args.records, corpus)
        figures = measure(corpus.shaped_queries(args.queries))
        result = {"records": args.records, **figures, "build_s": round(build_seconds, 1), "database": connection.vendor,
                  "queries": args.queries}
        connection.close()
    finally:
        if database and args.database_url and not args.keep:
            _drop_database(args.database_url, database)
        elif database:
            print(f"kept database {database}", file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
