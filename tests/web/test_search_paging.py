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


@pytest.mark.parametrize("size", [1, 3, 7])
def test_pages_of_a_filtered_query_ranked_from_the_heads_are_disjoint_and_complete(two_years, monkeypatch, size: int) -> None:
    engine = type(search_module.backend())
    filtered_rankings: list[object] = []
    rank_among_narrowed = engine.rank_among_narrowed
    monkeypatch.setattr(engine, "rank_among_narrowed",
                        lambda self, *args: filtered_rankings.append(args) or rank_among_narrowed(self, *args))
    expected = {record.code for number, record in enumerate(two_years) if number % 2 == 0}
    pages = every_page("prison", size, year="2015")
    shown = [code for page in pages for code in page]
    assert filtered_rankings, "the heads filtered did not rank the first page"
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
