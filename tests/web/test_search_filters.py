"""Filters narrow a match and never weigh in its rank; migration 0021 moves an archive's filter tokens out of the keys
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from dhakira_web.archive import search as search_module
from dhakira_web.archive.models import Record, SearchEntry
from dhakira_web.archive.payloads import search_payload
from dhakira_web.archive.search import filter_token
from dhakira_web.archive.services import refresh_facets

# Our own lines: "prison" in each, in texts of different lengths.
LINES = [
    "The prison committee met relatives in Idlib to record the names of the missing.",
    "Prison guards beat prison inmates; the prison doctor was not allowed into the prison wing.",
    "Relatives said the prison in Adra moved detainees at night.",
    "A lawyer visited the prison twice and saw no list of names, and the guards refused him a second visit.",
    "Prison prison prison: the word the statement repeats.",
    "Released detainees described the prison yard and the cold in winter.",
]


def test_a_filter_leaves_the_scores_of_the_records_it_keeps_as_they_are(add_record, monkeypatch) -> None:
    records = [add_record(line, name=f"line{number}.txt") for number, line in enumerate(LINES)]
    for number, record in enumerate(records):  # two of six in 2015: a narrow filter, whose idf is high
        Record.objects.filter(pk=record.pk).update(issue_date=f"{2015 if number in (1, 3) else 2016}-05-10")
    for record in Record.objects.all():
        refresh_facets(record)
    monkeypatch.setattr(search_module, "FULL_RANKING", 10**9)
    everyone = {hit["code"]: hit["score"] for hit in search_payload("prison", AnonymousUser(), limit=50)["results"]}
    filtered = search_payload("prison", AnonymousUser(), filters={"year": "2015"}, limit=50)["results"]
    assert {hit["code"] for hit in filtered} == {records[1].code, records[3].code}
    assert all(hit["score"] == everyone[hit["code"]] for hit in filtered)
    assert [hit["code"] for hit in filtered] == sorted((code for code in everyone if code in {records[1].code, records[3].code}),
                                                       key=lambda code: -everyone[code])


def test_filter_tokens_are_kept_apart_from_the_keys(add_record) -> None:
    record = add_record("Relatives said the prison in Adra moved detainees at night.")
    entry = SearchEntry.objects.get(record=record)
    assert entry.filters and all(token.startswith("f") for token in entry.filters.split())
    assert not any(token.startswith("f") for token in entry.keys.split())
    assert filter_token("access_level", "public") in entry.filters.split()
    Record.objects.filter(pk=record.pk).update(access_level="restricted")
    record.refresh_from_db()
    search_module.refresh_filter_tokens(record)
    entry.refresh_from_db()
    assert filter_token("access_level", "restricted") in entry.filters.split()
    assert filter_token("access_level", "public") not in entry.filters.split()
    assert search_payload("prison", AnonymousUser())["total"] == 0


@pytest.mark.django_db(transaction=True)
def test_migration_0021_moves_the_filter_tokens_of_an_archive_indexed_before_it() -> None:
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before, after = [("archive", "0020_disk_keyed_tables")], [("archive", "0021_search_filters_unweighted")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        made = {}
        for code, access, text in (("OLD-1", "public", "prison adra"), ("OLD-2", "restricted", "prison prison adra")):
            record = old.get_model("archive", "Record").objects.create(
                code=code, title="", captured_at=timezone.now(), sha256=code.lower().ljust(64, "0"), size=10,
                media_type="text/plain", text=text, language="en", languages=["en"], issue_date="2016-05-10",
                access_level=access)
            for name, value in (("language", "en"), ("year", "2016")):
                old.get_model("archive", "RecordFacet").objects.create(record_id=record.pk, name=name, value=value)
            tokens = sorted(filter_token(name, value) for name, value in (("access_level", access), ("language", "en"),
                                                                          ("year", "2016")))
            old.get_model("archive", "SearchEntry").objects.create(record_id=record.pk, title_stem="", body_stem=text,
                                                                   body_norm=text, keys=" ".join(["kfacadra", *tokens]))
            made[code] = (record.pk, " ".join(tokens))
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id, keys, filters FROM archive_searchentry ORDER BY record_id")
            assert cursor.fetchall() == [(pk, "kfacadra", tokens) for pk, tokens in made.values()]
        # The index was made again: a filter and the access level narrow the match, a key still matches (searched
        # at the latest schema, which the search code reads records through: their texts compressed since 0026).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        found = search_payload("prison", AnonymousUser(), filters={"year": "2016"})
        assert [hit["code"] for hit in found["results"]] == ["OLD-1"]
        assert search_payload("prison", AnonymousUser(), filters={"year": "2015"})["total"] == 0
        assert search_payload("Adra Prison", AnonymousUser())["total"] == 1
        executor = MigrationExecutor(connection)
        executor.migrate(before)  # and back: the keys hold the filter tokens again
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id, keys FROM archive_searchentry ORDER BY record_id")
            assert cursor.fetchall() == [(pk, f"kfacadra {tokens}") for pk, tokens in made.values()]
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
