"""Large result sets: heads name the candidates, totals are bounded, date order walks the records (both databases).

The thresholds are lowered so that a dozen records behave like an archive where a word matches thousands.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive import search as search_module
from dhakira_web.archive.models import Record, SearchEntry, SearchHead, SearchToken
from dhakira_web.archive.payloads import search_payload
from dhakira_web.archive.search import heads

# Our own lines: "prison" appears in every public one, more often in some; two mention Adra.
LINES = [
    "The prison committee met relatives in Idlib to record the names of the missing.",
    "Prison guards beat prison inmates; the prison doctor was not allowed into the prison wing.",
    "Relatives said the prison in Adra moved detainees at night.",
    "A lawyer visited the prison twice and saw no list of names.",
    "Prison prison prison: the word the statement repeats about the overcrowded cells.",
    "Released detainees described the prison yard and the cold in winter.",
    "The Adra prison administration refused food parcels for the prison wing.",
    "A court in Damascus sentenced two former prison officers.",
]


@pytest.fixture
def many(add_record, monkeypatch):
    monkeypatch.setattr(heads, "HEAD_SIZE", 3)
    monkeypatch.setattr(search_module, "FULL_RANKING", 0)
    monkeypatch.setattr(search_module, "FIRST_PAGES", 1)
    records = [add_record(line, name=f"line{number}.txt") for number, line in enumerate(LINES)]
    hidden = add_record("Prison prison prison prison prison: a restricted testimony naming the prison.", name="hidden.txt",
                        access="restricted")
    for number, record in enumerate(records):  # distinct dates so date order is unambiguous
        Record.objects.filter(pk=record.pk).update(issue_date=f"2016-05-{number + 10:02d}")
    Record.objects.filter(pk=hidden.pk).update(issue_date="2016-06-30")
    from dhakira_web.archive.services import refresh_facets

    for record in [*records, hidden]:
        record.refresh_from_db()
        refresh_facets(record)  # the year facet and its filter token follow the new date
    return records, hidden


def full_ranking(query: str, monkeypatch, **filters: str) -> list[str]:
    """The same search with every match ranked (no heads, no date walk)."""
    monkeypatch.setattr(search_module, "FULL_RANKING", 10**9)
    try:
        return [hit["code"] for hit in search_payload(query, AnonymousUser(), filters=filters, limit=5)["results"]]
    finally:
        monkeypatch.setattr(search_module, "FULL_RANKING", 0)


def test_a_frequent_token_gets_a_head_of_its_strongest_records(many) -> None:
    records, hidden = many
    stem = "prison"
    token = SearchToken.objects.get(token=stem)
    assert token.documents == len(records) + 1 and token.has_head and token.head_size == 3
    head = list(SearchHead.objects.filter(token=stem).order_by("-impact").values_list("record_id", flat=True))
    # The record that says "prison" five times in few words heads the list; the head is exactly three long.
    assert head[0] == hidden.pk and len(head) == 3
    rare = SearchToken.objects.get(token="idlib")
    assert rare.documents == 1 and not rare.has_head


def test_rebuild_gives_the_heads_kept_one_record_at_a_time(many) -> None:
    kept = sorted(SearchHead.objects.values_list("token", "record_id", "impact"))
    counts = sorted(SearchToken.objects.values_list("token", "documents"))
    heads.rebuild()
    assert sorted(SearchHead.objects.values_list("token", "record_id", "impact")) == kept
    assert sorted(SearchToken.objects.values_list("token", "documents")) == counts


def test_a_deep_head_keeps_a_share_of_its_records_and_grows_by_its_strongest(add_record, monkeypatch) -> None:
    """A head keeps one in ``DEPTH_SHARE`` of its token's records when that is more than ``HEAD_SIZE``. Kept record by
    record it takes a newcomer only above its floor, so it is the first entries of the rebuilt head, in the same order,
    never more than the depth; rebuilt, it is exactly that deep."""
    monkeypatch.setattr(heads, "HEAD_SIZE", 2)
    monkeypatch.setattr(heads, "DEPTH_SHARE", 2)
    for number, line in enumerate(LINES):
        add_record(line, name=f"line{number}.txt")

    def head() -> list[int]:
        return list(SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", flat=True))

    kept = head()
    documents = SearchToken.objects.get(token="prison").documents
    assert heads.head_depth(documents) == documents // 2 > heads.HEAD_SIZE
    assert heads.HEAD_SIZE <= len(kept) <= heads.head_depth(documents)
    heads.rebuild()
    rebuilt = head()
    assert len(rebuilt) == heads.head_depth(documents) and rebuilt[:len(kept)] == kept
    assert SearchToken.objects.get(token="prison").head_size == len(rebuilt)


def test_candidates_from_heads_rank_like_the_full_ranking(many, monkeypatch) -> None:
    found = [hit["code"] for hit in search_payload("prison", AnonymousUser(), limit=2)["results"]]
    assert found == full_ranking("prison", monkeypatch)[:2]


def test_when_too_few_candidates_can_match_the_whole_result_set_is_ranked(many, monkeypatch) -> None:
    engine = type(search_module.backend())
    ranked_among: list[object] = []
    rank_among = engine.rank_among
    monkeypatch.setattr(engine, "rank_among", lambda self, *args, **kwargs: ranked_among.append(args) or rank_among(self, *args, **kwargs))
    monkeypatch.setattr(search_module, "FIRST_PAGES", 50)  # heads of 3 can never give 50 matches
    found = [hit["code"] for hit in search_payload("prison", AnonymousUser(), limit=5)["results"]]
    # Counting first (SQLite), the exact total says so before any candidate is ranked; ranking first (PostgreSQL,
    # by primary key), the candidates are ranked once and found too few.
    assert len(ranked_among) == int(engine.ranks_before_counting)
    assert found == full_ranking("prison", monkeypatch)
    ranked_among.clear()
    monkeypatch.setattr(search_module, "FIRST_PAGES", 1)
    search_payload("prison", AnonymousUser(), limit=5)
    assert len(ranked_among) == 1


def test_the_policy_holds_on_every_path(many, monkeypatch) -> None:
    records, hidden = many
    for order in ("relevance", "date"):
        result = search_payload("prison", AnonymousUser(), order=order, limit=50)
        assert hidden.code not in {hit["code"] for hit in result["results"]}
        assert result["total"] == len(records) and result["total_exact"]


def test_date_order_walks_newest_first(many) -> None:
    records, _ = many
    result = search_payload("Adra", AnonymousUser(), order="date", limit=5)
    adra = [record for record in records if "Adra" in record.text]
    assert [hit["code"] for hit in result["results"]] == [record.code for record in reversed(adra)]


def test_filters_narrow_inside_the_index(many, monkeypatch) -> None:
    records, _ = many
    english = search_payload("prison", AnonymousUser(), filters={"language": "en"}, limit=50)
    assert english["total"] == len(records)
    assert search_payload("prison", AnonymousUser(), filters={"language": "ar"})["total"] == 0
    assert search_payload("prison", AnonymousUser(), filters={"year": "2016"}, order="date")["results"][0]["code"] == records[-1].code
    assert search_payload("prison", AnonymousUser(), filters={"access_level": "restricted"})["total"] == 0


def test_a_changed_review_state_moves_the_record_between_filters(many) -> None:
    records, _ = many
    from dhakira_web.archive.services import refresh_facets

    record = records[0]
    Record.objects.filter(pk=record.pk).update(review_state="reviewed")
    record.refresh_from_db()
    refresh_facets(record)
    reviewed = search_payload("prison", AnonymousUser(), filters={"review_state": "reviewed"})
    assert [hit["code"] for hit in reviewed["results"]] == [record.code]


def test_a_total_beyond_the_count_limit_says_so(many, settings) -> None:
    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 3
    result = search_payload("prison", AnonymousUser(), limit=5)
    assert result["total"] == 3 and result["total_exact"] is False and len(result["results"]) == 5
    small = search_payload("Adra", AnonymousUser())
    assert small["total"] == 2 and small["total_exact"] is True


@pytest.mark.parametrize("query", ['"', "(((", "NOT NOT", "*", "prison -", '"prison', "prison OR", "a" * 300, "%_ prison"])
def test_hostile_queries_on_the_large_result_paths(many, query: str) -> None:
    for order in ("relevance", "date"):
        result = search_payload(query, AnonymousUser(), order=order)
        assert result["total"] >= len(result["results"])


def test_heads_kept_for_a_whole_batch_equal_those_kept_one_record_at_a_time(add_record, monkeypatch) -> None:
    """``dhakira ingest`` counts tokens and enters heads once per batch: the same counts and heads as one by one."""
    from django.db import transaction

    monkeypatch.setattr(heads, "HEAD_SIZE", 3)
    first = [add_record(line, name=f"one{number}.txt") for number, line in enumerate(LINES[:2])]
    with transaction.atomic(), heads.deferred():
        batch = [add_record(line, name=f"batch{number}.txt") for number, line in enumerate(LINES[2:])]
        # Nothing counted yet for the batch: the counts wait for the end of the block.
        assert SearchToken.objects.get(token="prison").documents == 2
        with pytest.raises(RuntimeError), heads.undone_on_error(), transaction.atomic():
            add_record("Prison prison prison prison: a record written and then rolled back.", name="gone.txt")
            raise RuntimeError("this record's transaction fails")
    assert len(first) + len(batch) == len(LINES) == Record.objects.count()
    kept = sorted(SearchHead.objects.values_list("token", "record_id", "impact"))
    counts = sorted(SearchToken.objects.values_list("token", "documents"))
    assert SearchToken.objects.get(token="prison").documents == len(LINES) and len(kept) > 3
    heads.rebuild()  # record by record and rebuilt from scratch agree (the test above)
    assert sorted(SearchHead.objects.values_list("token", "record_id", "impact")) == kept
    assert sorted(SearchToken.objects.values_list("token", "documents")) == counts


def test_token_counts_are_added_in_the_database_so_a_concurrent_writer_is_not_overwritten(db, monkeypatch) -> None:
    SearchToken.objects.create(token="sednaya", documents=5)
    read = heads._tokens
    reads: list[set[str]] = []

    def read_then_another_writer_commits(names: set[str]) -> dict[str, SearchToken]:
        rows = read(names)
        if not reads:  # after this writer's first read, two records are indexed elsewhere
            SearchToken.objects.filter(token="sednaya").update(documents=7)
        reads.append(names)
        return rows

    monkeypatch.setattr(heads, "_tokens", read_then_another_writer_commits)
    heads._apply([(1, {}, {"sednaya": 0.5}, False)])
    assert SearchToken.objects.get(token="sednaya").documents == 8  # 5 + 2 elsewhere + 1 here


def test_date_order_with_a_filter_the_newest_records_miss_walks_the_filtered_records(many, monkeypatch) -> None:
    """A year long past: none of the newest records is of that year, so after the first slices the walk goes
    through the records the filters keep; the pages are those of the full date ordering, each match once."""
    from dhakira_web.archive.services import refresh_facets

    records, hidden = many
    for record in records[:3]:
        Record.objects.filter(pk=record.pk).update(issue_date=f"2012-03-{record.pk % 20 + 1:02d}")
    for record in [*records[:3], hidden]:
        record.refresh_from_db()
        refresh_facets(record)
    monkeypatch.setattr(search_module, "FIRST_SLICE", 1)
    monkeypatch.setattr(search_module, "NEWEST_TRIED", 2)
    pages = [[hit["code"] for hit in search_payload("prison", AnonymousUser(), filters={"year": "2012"}, order="date",
                                                    limit=1, offset=offset)["results"]] for offset in range(4)]
    expected = list(Record.objects.filter(pk__in=[record.pk for record in records[:3]]).order_by("-issue_date", "-id")
                    .values_list("code", flat=True))
    assert [code for page in pages for code in page] == expected


PAGED = [("prison", {}), ("Adra", {}), ("prison Adra", {}), ("prison -Adra", {}), ("prison", {"language": "en"}),
         ("prison", {"date_from": "2016-05-12"}), ("Adra OR court", {"date_to": "2016-05-16"}), ("absent", {})]


@pytest.mark.parametrize("thresholds", ["lowered", "as shipped"])
def test_ranking_before_counting_gives_the_pages_and_totals_of_counting_first(many, monkeypatch, thresholds: str) -> None:
    """PostgreSQL ranks the head candidates before counting, and counts a result set it ranks whole in the same pass
    (``search_counted``); SQLite counts first. Forced either way on either database, every page and total is the same,
    pages past the last match included."""
    if thresholds == "as shipped":
        monkeypatch.setattr(search_module, "FULL_RANKING", 2_000)
        monkeypatch.setattr(search_module, "FIRST_PAGES", 100)
    engine = type(search_module.backend())

    def pages(first: bool) -> list[tuple[object, ...]]:
        monkeypatch.setattr(engine, "ranks_before_counting", first)
        seen = []
        for query, filters in PAGED:
            for order in ("relevance", "date"):
                for offset in (0, 2, 4, 6, 8, 30):
                    result = search_payload(query, AnonymousUser(), filters=filters, order=order, limit=2, offset=offset)
                    seen.append((query, order, offset, result["total"], result["total_exact"],
                                 [hit["code"] for hit in result["results"]]))
        return seen

    counted_first = pages(False)
    assert pages(True) == counted_first
    assert {total for _, _, _, total, _, _ in counted_first} >= {0, 2, len(many[0])}


def test_a_result_set_ranked_whole_is_counted_in_the_same_pass_over_the_index(many, monkeypatch) -> None:
    """On PostgreSQL a query of rarer words (no head), and one whose candidates are too few, read the GIN index once:
    the matches are ranked (or ordered by date) and counted together, where counting first read it twice. (Date
    order of a frequent word counts, then walks the newest records by primary key: one pass too.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not search_module.backend().ranks_before_counting:
        pytest.skip("SQLite counts first: FTS5 counts cheaply and ranks by walking the index")
    records, hidden = many
    monkeypatch.setattr(search_module, "FIRST_PAGES", 50)  # heads of 3 can never give 50 matches
    for query in ("Adra", "prison"):
        for order in ("relevance", "date"):
            with CaptureQueriesContext(connection) as captured:
                result = search_payload(query, AnonymousUser(), order=order, limit=1)
            passes = [item["sql"] for item in captured.captured_queries
                      if "archive_searchvector" in item["sql"] and "@@" in item["sql"] and "ANY(" not in item["sql"]]
            expected = [record for record in records if query.lower() in record.text.lower()]
            assert result["total"] == len(expected) and result["total_exact"] and len(result["results"]) == 1
            assert hidden.code not in {hit["code"] for hit in result["results"]}
            assert len(passes) == 1, (query, order, passes)


def test_a_word_held_by_more_records_than_the_reader_cannot_see_needs_no_count(many, settings, monkeypatch) -> None:
    """On PostgreSQL, when a word's kept count minus the records the reader may not see already reaches the count
    limit, the total reads "more than" without a pass over the index to count; a filter, a second word or a count
    that could fall short still counts. The pages are those of counting."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not search_module.backend().ranks_before_counting:
        pytest.skip("SQLite counts first: FTS5 counts cheaply")
    records, hidden = many

    def searched(query: str, **filters: str) -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as captured:
            result = search_payload(query, AnonymousUser(), filters=filters, limit=4)
        return result, sum("count(*) FROM (SELECT 1 FROM archive_searchvector" in item["sql"] for item in captured.captured_queries)

    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 3  # "prison": 9 records hold it, 1 of them restricted: 8 visible, beyond 3
    result, counts = searched("prison")
    assert (result["total"], result["total_exact"], counts) == (3, False, 0)
    assert [hit["code"] for hit in result["results"]] == full_ranking("prison", monkeypatch)[:4]
    assert hidden.code not in {hit["code"] for hit in result["results"]}
    assert searched("prison", language="en")[1] == 1  # a filter: counted
    both, counts = searched("prison Adra")  # two words: counted (here with the ranking of every match)
    assert (both["total"], both["total_exact"]) == (2, True)
    settings.DHAKIRA_SEARCH_COUNT_LIMIT = 8  # 8 visible records hold it: the kept count cannot tell 8 from 9
    result, counts = searched("prison")
    assert (result["total"], result["total_exact"], counts) == (len(records), True, 1)


def test_a_rebuilt_head_is_the_true_start_of_its_ranking_when_its_token_thickens_late(
        add_record: Callable[..., Record], monkeypatch: Any) -> None:
    """``rebuild`` foresees each head's depth from the count so far; a token common only late in the archive must
    not let a weak late record into a slot a stronger, earlier one was turned away from."""
    monkeypatch.setattr(heads, "HEAD_SIZE", 2)
    monkeypatch.setattr(heads, "DEPTH_SHARE", 4)
    chooser = random.Random(5)
    vocabulary = [f"w{number}" for number in range(400)]
    for number in range(20):  # records without the word
        add_record(" ".join(chooser.choice(vocabulary) for _ in range(40)), name=f"other{number}.txt")
    for number in range(10):  # strong holders, strongest first
        add_record(" ".join(["prison"] * (12 - number) + [chooser.choice(vocabulary) for _ in range(28 + number)]),
                   name=f"strong{number}.txt")
    for number in range(10):  # weak holders, last
        add_record("prison " + " ".join(chooser.choice(vocabulary) for _ in range(80)), name=f"weak{number}.txt")
    heads.rebuild(batch=1)
    kept = list(SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", flat=True))
    weighed = {entry.record_id: heads.impacts(entry.title_stem, entry.body_stem, entry.keys, entry.body_norm).get("prison")
               for entry in SearchEntry.objects.all()}
    ranking = [pk for pk, impact in sorted(weighed.items(), key=lambda item: (-(item[1] or 0), item[0])) if impact]
    assert SearchToken.objects.get(token="prison").documents == 20
    assert len(kept) >= 2 and kept == ranking[:len(kept)]
