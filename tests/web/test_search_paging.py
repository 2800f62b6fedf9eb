"""Paging through a large result set: every page disjoint from the others, all pages together every match.

Thresholds are lowered (heads of 4 records, two-phase ranking from the first match) so that forty
records behave like an archive where a word matches thousands; both databases run it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive import search as search_module
from dhakira_web.archive.payloads import search_payload
from dhakira_web.archive.search import heads

TOWNS = ["Adra", "Hama", "Homs", "Idlib", "Daraa"]


@pytest.fixture
def archive(add_record, monkeypatch):
    monkeypatch.setattr(heads, "HEAD_SIZE", 4)
    monkeypatch.setattr(search_module, "FULL_RANKING", 0)
    monkeypatch.setattr(search_module, "FIRST_PAGES", 3)
    records = []
    for number in range(40):
        town = TOWNS[number % len(TOWNS)]
        # "prison" from once to six times, in texts of different lengths: many distinct weights, some ties.
        words = " ".join(["prison"] * (number % 6 + 1))
        text = f"Note {number} from {town}: {words}. " + "Relatives waited outside for news. " * (number % 4)
        records.append(add_record(text, name=f"note{number}.txt"))
    add_record("A prison prison prison note kept restricted.", name="secret.txt", access="restricted")
    return records


def every_page(query: str, size: int, order: str = "relevance", **filters: str) -> list[list[str]]:
    pages, offset = [], 0
    while True:
        result = search_payload(query, AnonymousUser(), limit=size, offset=offset, order=order, filters=filters)
        codes = [hit["code"] for hit in result["results"]]
        if not codes:
            return pages
        pages.append(codes)
        offset += size


@pytest.mark.parametrize("size", [1, 3, 7, 20])
@pytest.mark.parametrize("order", ["relevance", "date"])
def test_pages_are_disjoint_and_together_complete(archive, size: int, order: str) -> None:
    expected = {record.code for record in archive}
    pages = every_page("prison", size, order)
    shown = [code for page in pages for code in page]
    assert len(shown) == len(set(shown)), "a record appeared on two pages"
    assert set(shown) == expected, "a match never appeared"
    assert all(len(page) == size for page in pages[:-1])


def test_a_filtered_result_set_pages_completely(archive) -> None:
    expected = {record.code for record in archive if "Hama" in record.text or "Adra" in record.text}
    shown = [code for page in every_page("prison Hama OR Adra", 2) for code in page]
    assert len(shown) == len(set(shown)) and set(shown) == expected


def test_the_first_page_is_the_head_candidates_ranked(archive) -> None:
    first = [hit["code"] for hit in search_payload("prison", AnonymousUser(), limit=3)["results"]]
    strongest = set(heads.candidates(["prison"], heads.HEAD_SIZE))
    from dhakira_web.archive.models import Record

    assert {Record.objects.get(code=code).pk for code in first} <= strongest


def test_postgresql_heads_weigh_a_token_as_ts_rank_does(db) -> None:
    """On PostgreSQL a head's impact is the database's own ts_rank of the token; on SQLite, the bm25 part."""
    from django.db import connection

    title, body, words, keys = "prison wall", "the prison guards prison wall", "the prison guards prisons wall", "kprison"
    impact = heads.impacts(title, body, keys, words)["prison"]
    if connection.vendor != "postgresql":
        assert impact == heads.impacts(title, body, keys)["prison"] > heads.impacts("wall", body, keys)["prison"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT ts_rank(setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s) || "
                       "to_tsvector('simple', %s) || setweight(to_tsvector('simple', %s), 'B'), to_tsquery('simple', 'prison'))",
                       (title, body, words, keys))
        assert abs(cursor.fetchone()[0] - impact) < 1e-5


def test_facets_beyond_the_count_limit_are_counted_over_the_first_matches_and_say_so(archive, settings) -> None:
    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 10
    result = search_payload("prison", AnonymousUser(), facets=True)
    assert result["total_exact"] is False and result["facets_exact"] is False
    assert sum(entry["count"] for entry in result["facets"]["language"]) == 10
    from django.test import Client

    page = Client().get("/search?q=prison").content.decode()
    assert "Counts over the first 10 matches" in page
    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 10_000
    exact = search_payload("prison", AnonymousUser(), facets=True)
    assert exact["facets_exact"] is True and sum(entry["count"] for entry in exact["facets"]["language"]) == len(archive)
    settings.DHAKIRA_FACET_SAMPLE = 5  # an exact total, but more matches than the panel counts
    sampled = search_payload("prison", AnonymousUser(), facets=True)
    assert sampled["total_exact"] is True and sampled["total"] == len(archive) > 5
    assert sampled["facets_exact"] is False and sampled["facets_counted"] == 5
    assert sum(entry["count"] for entry in sampled["facets"]["language"]) == 5
    assert "Counts over the first 5 matches" in Client().get("/search?q=prison").content.decode()


def test_pages_go_on_past_a_total_that_reads_more_than(archive, settings) -> None:
    from django.test import Client

    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 10  # 40 matches: the page says "more than 10"
    first = Client().get("/search", {"q": "prison", "format": "json"}).json()
    assert first["total"] == 10 and first["total_exact"] is False and first["next_url"]
    codes, url = [], "/search?q=prison&format=json"
    while url:
        page = Client().get(url.replace("?", "?format=json&") if "format=json" not in url else url).json()
        codes += [hit["code"] for hit in page["results"]]
        url = page["next_url"]
    assert sorted(codes) == sorted(record.code for record in archive)


@pytest.fixture
def two_years(archive, monkeypatch):
    """The archive's notes dated in 2015 (even numbers) and 2016 (odd), the restricted note in 2015; a filter may
    leave a single head candidate and still rank the first page from the heads."""
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.services import refresh_facets

    monkeypatch.setattr(search_module, "FILTERED_FIRST_PAGE", 1)
    for number, record in enumerate(archive):
        Record.objects.filter(pk=record.pk).update(issue_date=f"{2015 + number % 2}-03-{number % 28 + 1:02d}")
    Record.objects.exclude(pk__in=[record.pk for record in archive]).update(issue_date="2015-05-01")
    for record in Record.objects.all():
        refresh_facets(record)  # the year facet and its filter token follow the new date
    return archive


def spy_filtered_candidates(monkeypatch) -> list[list[int]]:
    """The candidates each walk of the heads filtered gave (``heads.filtered_candidates``), as they come."""
    walks: list[list[int]] = []
    walk = heads.filtered_candidates
    monkeypatch.setattr(heads, "filtered_candidates", lambda *args: walks.append(walk(*args)) or walks[-1])
    return walks


@pytest.mark.parametrize("size", [1, 3, 7])
def test_pages_of_a_filtered_query_ranked_from_the_heads_are_disjoint_and_complete(two_years, monkeypatch, size: int) -> None:
    monkeypatch.setattr(heads, "DEPTH_SHARE", 4)  # heads ten deep: the strongest notes of both years (on PostgreSQL
    heads.rebuild()  # the four strongest say "prison" six times, all of 2016)
    walks = spy_filtered_candidates(monkeypatch)
    expected = {record.code for number, record in enumerate(two_years) if number % 2 == 0}
    pages = every_page("prison", size, year="2015")
    shown = [code for page in pages for code in page]
    assert walks and all(walks), "the heads filtered did not rank the first page"
    assert len(shown) == len(set(shown)), "a record appeared on two pages"
    assert set(shown) == expected, "a match never appeared, or the restricted note or a 2016 note did"


def test_a_query_of_several_words_takes_the_candidates_of_its_rarest_group(archive) -> None:
    from dhakira.text.query import parse_query

    query = parse_query("prison Hama")
    held = search_module._held(query, [[], []])
    assert set(held) == {"prison", "hama"}  # both have heads; "hama" is held by 8 notes, "prison" by all
    assert search_module._rarest_group(query, [[], []], held) == {"hama": held["hama"]}
    shown = [code for page in every_page("prison Hama", 3) for code in page]
    assert len(shown) == len(set(shown)) and set(shown) == {record.code for record in archive if "Hama" in record.text}


@pytest.mark.parametrize("size", [1, 4, 9])
def test_a_narrow_filter_walks_down_the_deep_head_and_pages_stay_complete(two_years, monkeypatch, size: int) -> None:
    """With heads one in two of a token's records deep, a filter that leaves no record of the first ``HEAD_SIZE``
    entries still ranks the first page from the head: its candidates are the filtered records the head holds, best
    impact first, none of another year and never the restricted note; the pages hold every visible match once."""
    from dhakira_web.archive.models import Record, SearchHead, SearchToken
    from dhakira_web.archive.services import refresh_facets

    monkeypatch.setattr(heads, "DEPTH_SHARE", 2)
    heads.rebuild()
    depth = SearchHead.objects.filter(token="prison").count()
    assert depth == heads.head_depth(SearchToken.objects.get(token="prison").documents) > heads.HEAD_SIZE
    first = heads.candidates(["prison"], heads.HEAD_SIZE)
    # The year 2013 for notes below the head's first entries only (and for the restricted note, strongest of all).
    deep = [record_id for record_id in heads.candidates(["prison"], depth) if record_id not in first]
    notes = {record.pk: record for record in two_years}
    moved = [record_id for record_id in deep if record_id in notes][:6]
    restricted = Record.objects.exclude(pk__in=list(notes)).get()
    for record_id in [*moved, restricted.pk]:
        Record.objects.filter(pk=record_id).update(issue_date="2013-02-01")
        refresh_facets(Record.objects.get(pk=record_id))
    walks = spy_filtered_candidates(monkeypatch)
    pages = every_page("prison", size, year="2013")
    shown = [code for page in pages for code in page]
    assert walks and walks[0] == [record_id for record_id in heads.candidates(["prison"], depth) if record_id in moved]
    assert len(shown) == len(set(shown)), "a record appeared on two pages"
    assert set(shown) == {notes[record_id].code for record_id in moved}, "a match was missed, or another year's or the restricted one shown"
    assert restricted.code not in shown

