"""FTS5's bm25 made for listed records from their shadow texts (``search.bm25``) gives FTS5's own ranking and matches.

The walk-free path is taken on large archives only (``sqlite.WALK_PER_RECORD``); here it is forced, and every
answer is compared with the one FTS5 gives by walking its matches. SQLite only: PostgreSQL ranks with ts_rank.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from dhakira.text.query import parse_query
from dhakira_web.archive import search as search_module
from dhakira_web.archive.models import Record
from dhakira_web.archive.payloads import filter_scope, search_payload
from dhakira_web.archive.search import bm25, heads
from dhakira_web.archive.search.crosslingual import expand

# Our own lines, in both languages, of different lengths, the query words once or several times.
LINES = [
    "The prison committee met relatives in Idlib to record the names of the missing.",
    "Prison guards beat prison inmates; the prison doctor was not allowed into the prison wing.",
    "Relatives said the prison in Adra moved detainees at night, and the guards refused visits.",
    "Prison prison prison: the word the statement repeats about the overcrowded cells of Saydnaya Prison.",
    "Hunger strike in Saydnaya Prison: detainees refused food for nine days.",
    "نقل المعتقلون من السجن إلى سجن صيدنايا ليلا وقال الأهالي إن السجن مكتظ.",
    "وقال شاهد إن الحراس في السجن منعوا الزيارة، وبالسجن زنازين بلا ضوء.",
    "A court in Damascus sentenced two former prison officers for torture in the prison.",
]
QUERIES = ["prison", "السجن", "prison guards", "prison OR detainees", '"Saydnaya Prison"', "prison -guards",
           "Saydnaya", "سجن صيدنايا", "prison refused"]

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's bm25 is the SQLite backend's ranking")


@pytest.fixture
def lines(add_record):
    records = [add_record(line, name=f"line{number}.txt") for number, line in enumerate(LINES)]
    hidden = add_record("Prison prison prison prison: a restricted testimony from the prison.", name="hidden.txt",
                        access="restricted")
    return records, hidden


def both_ways(monkeypatch, call):
    """``call()`` with the listed records scored from their texts, then by FTS5's walk of its matches."""
    from dhakira_web.archive.search import sqlite

    monkeypatch.setattr(sqlite, "WALK_PER_RECORD", 0)
    scored = call()
    monkeypatch.setattr(sqlite, "WALK_PER_RECORD", 10**12)
    walked = call()
    return scored, walked


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"language": "ar"}, {"language": "en"}])
def test_listed_records_get_fts5s_own_scores_and_matches(lines, monkeypatch, text: str, filters: dict[str, str]) -> None:
    from dhakira_web.archive.search.sqlite import SqliteBackend

    records, hidden = lines
    query, engine = parse_query(text), SqliteBackend()
    extra_keys, scope = expand(text, query), filter_scope(AnonymousUser(), filters)
    listed = [record.pk for record in records] + [hidden.pk]
    scored, walked = both_ways(monkeypatch, lambda: engine.rank_among(query, listed, extra_keys, scope))
    assert [record_id for record_id, _ in scored] == [record_id for record_id, _ in walked]
    assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(scored, walked, strict=True))
    assert hidden.pk not in {record_id for record_id, _ in scored}  # an anonymous scope never reaches a restricted record
    matched, walked_matches = both_ways(monkeypatch, lambda: engine.match_among(query, listed, extra_keys, scope))
    assert matched == walked_matches == {record_id for record_id, _ in walked}
    if text in ("prison", "السجن") and not filters:
        assert len(scored) >= 2  # the comparison is not between two empty lists


def test_every_page_is_disjoint_and_together_complete_when_scored_from_texts(lines, monkeypatch) -> None:
    from dhakira_web.archive.search import sqlite

    records, hidden = lines
    monkeypatch.setattr(sqlite, "WALK_PER_RECORD", 0)
    monkeypatch.setattr(heads, "HEAD_SIZE", 2)
    monkeypatch.setattr(search_module, "FULL_RANKING", 0)
    monkeypatch.setattr(search_module, "FIRST_PAGES", 1)
    heads.rebuild()
    expected = {record.code for record in records if "prison" in record.text.lower()}
    for order in ("relevance", "date"):
        shown, offset = [], 0
        while page := search_payload("prison", AnonymousUser(), limit=2, offset=offset, order=order)["results"]:
            shown += [hit["code"] for hit in page]
            offset += 2
        assert len(shown) == len(set(shown)) and set(shown) == expected
        assert hidden.code not in shown


def test_the_first_page_scored_from_texts_is_the_full_rankings(lines, monkeypatch) -> None:
    from dhakira_web.archive.search import sqlite

    monkeypatch.setattr(sqlite, "WALK_PER_RECORD", 0)
    monkeypatch.setattr(heads, "HEAD_SIZE", 4)
    monkeypatch.setattr(search_module, "FIRST_PAGES", 1)
    heads.rebuild()
    monkeypatch.setattr(search_module, "FULL_RANKING", 10**9)
    full = [hit["code"] for hit in search_payload("prison", AnonymousUser(), limit=3)["results"]]
    monkeypatch.setattr(search_module, "FULL_RANKING", 0)
    first = [hit["code"] for hit in search_payload("prison", AnonymousUser(), limit=3)["results"]]
    assert first == full


def test_a_count_kept_for_a_phrase_is_counted_again_once_the_index_has_grown(lines, monkeypatch) -> None:
    from dhakira_web.archive.search.sqlite import TABLE, _phrase_text

    monkeypatch.setattr(bm25, "KEPT_FROM", 0)
    monkeypatch.setattr(bm25, "_counted", {})
    phrase = ((2,), ("prison",))
    rows, _ = bm25.averages(TABLE)
    assert rows == Record.objects.count()
    first = bm25.holders(TABLE, [phrase], rows, _phrase_text)[phrase]
    bm25._counted[(TABLE, phrase)] = (first + 100, rows)  # as if counted on another state of the index
    assert bm25.holders(TABLE, [phrase], rows, _phrase_text)[phrase] == first + 100  # kept while the index has not moved
    assert bm25.holders(TABLE, [phrase], rows + rows // 50 + 1, _phrase_text)[phrase] == first  # counted again


def test_varints_read_as_sqlite_writes_them() -> None:
    assert bm25.varints(bytes([5, 127])) == [5, 127]
    assert bm25.varints(bytes([0x82, 0x2C, 0x01])) == [300, 1]
    assert bm25.varints(bytes([0xFF] * 8 + [0xFF])) == [2**64 - 1]
