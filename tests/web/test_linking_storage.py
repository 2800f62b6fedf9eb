"""What linking keeps beside the records. The parts of a record's text linking compares are kept and read back for
candidates: the links are those made from the texts, parts absent (an archive from before they were kept) or kept
for another text are made again and kept, and the migration adding them keeps those of an existing archive's linked
records. The blocks candidates are found in are indexed by date: the candidates are those of the facet blocks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Q

from dhakira.link.packing import pack_parts, unpack_parts
from dhakira.link.records import TextParts, text_parts
from dhakira.synthetic import MANIFEST, write_corpus
from dhakira_web.archive import linking
from dhakira_web.archive.ingestion import ingest_sources
from dhakira_web.archive.jobs.models import LinkBlock, LinkingParts
from dhakira_web.archive.models import IncidentReport, Record, RecordFacet
from dhakira_web.archive.services import refresh_facets

pytestmark = pytest.mark.database


def _archive(folder: Path, count: int) -> list[Record]:
    write_corpus(folder / "corpus", count, seed=23, manifest=folder / MANIFEST)
    linking.forget_index()
    summary = ingest_sources([str(folder / "corpus")], workers=1)
    assert summary.ingested == count and not summary.failed
    return list(Record.objects.filter(pk__in=IncidentReport.objects.values("record_id")).order_by("pk"))


def _links(records: list[Record]) -> list[list[linking.Link]]:
    """Each record's links against the stored records sharing its places, each from a fresh process index."""
    found = []
    for record in records:
        linking.forget_index()
        found.append(linking.find_links(record, record.extraction))
    return found


def _kept() -> dict[int, bytes]:
    return {pk: bytes(packed) for pk, packed in LinkingParts.objects.values_list("record_id", "packed")}


def test_kept_parts_give_the_links_made_from_the_texts(transactional_db: None, tmp_path: Path) -> None:
    linked = _archive(tmp_path, 40)
    kept = _kept()
    # Every record with an incident keeps the parts of its own text.
    assert set(kept) == {record.pk for record in linked}
    assert all(unpack_parts(kept[record.pk], record.text) == text_parts(record.text) for record in linked)

    probes = linked[-12:]
    from_kept = _links(probes)
    assert any(link.decision == "same" for links in from_kept for link in links)
    LinkingParts.objects.all().delete()  # as an archive from before the parts were kept
    from_texts = _links(probes)
    assert from_texts == from_kept  # the same pairs, decisions, scores and features
    refilled = _kept()
    assert refilled and all(refilled[pk] == kept[pk] for pk in refilled)  # made again and kept, the same bytes


def test_linking_reads_the_kept_parts_and_not_parts_kept_for_another_text(transactional_db: None, tmp_path: Path) -> None:
    linked = _archive(tmp_path, 30)
    probe, before = next((record, links) for record in reversed(linked) for links in _links([record]) if links)
    compared = {link.b for link in before}
    others = [record for record in linked if record.sha256 in compared]
    # Kept parts without stems, numbers or years: the text features of the pairs change, so they are what is read.
    empty = TextParts(frozenset(), frozenset(), frozenset())
    LinkingParts.objects.filter(record__in=others).delete()  # parts kept for the same text are never replaced
    linking.keep_parts([(record.pk, pack_parts(empty, record.text)) for record in others])
    emptied = _links([probe])[0]
    assert all(float(link.features["text_jaccard"]) <= 0 and float(link.features["numbers_jaccard"]) <= 0 for link in emptied)
    assert emptied != before
    # The same empty parts kept for another text are not used: the parts are made from the text again and kept.
    linking.keep_parts([(record.pk, pack_parts(empty, record.text + " (cleaned again)")) for record in others])
    assert _links([probe])[0] == before
    assert all(unpack_parts(_kept()[record.pk], record.text) == text_parts(record.text) for record in others)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_parts_of_an_existing_archives_linked_records(tmp_path: Path) -> None:
    from django.db.migrations.executor import MigrationExecutor

    linked = _archive(tmp_path, 30)
    kept = _kept()
    blocks = sorted(LinkBlock.objects.values_list("record_id", "name", "value", "issue_date", "code"))
    before = _links(linked[-6:])
    without, with_parts = [("archive", "0021_search_filters_unweighted")], [("archive", "0022_linking_parts_and_blocks")]
    executor = MigrationExecutor(connection)
    executor.migrate(without)  # the table goes: an archive written before it
    try:
        assert LinkingParts._meta.db_table not in connection.introspection.table_names()
        executor = MigrationExecutor(connection)
        executor.migrate(with_parts)
        assert _kept() == kept  # each linked record's parts, as ingestion keeps them
        assert sorted(LinkBlock.objects.values_list("record_id", "name", "value", "issue_date", "code")) == blocks
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _links(linked[-6:]) == before


def _from_facets(record: Record) -> list[tuple[int, str]]:
    """The candidates by their definition: the records with an incident report sharing a place or governorate
    facet row with the record (its own left out), those dated within a year of its year first, then newest first
    and by code, ``MAX_CANDIDATES`` at most."""
    places = [(key, governorate) for key, kind, governorate in record.places.values_list("key", "kind", "governorate_pcode") if kind != "country"]
    if not places:
        return []
    shared = RecordFacet.objects.filter(Q(name="place", value__in=[key for key, _ in places])
                                        | Q(name="governorate", value__in=[governorate for _, governorate in places if governorate]))
    rows = list(Record.objects.filter(pk__in=shared.values("record_id")).filter(pk__in=IncidentReport.objects.values("record_id"))
                .exclude(pk=record.pk).values_list("pk", "sha256", "issue_date", "code"))
    year = record.issue_date[:4]
    near = {str(int(year) + delta) for delta in (-1, 0, 1)} if year.isdigit() else set()
    rows.sort(key=lambda row: row[3])
    rows.sort(key=lambda row: row[2], reverse=True)
    rows.sort(key=lambda row: 0 if any(row[2].startswith(value) for value in near) else 1)
    return [(pk, sha256) for pk, sha256, _, _ in rows[:linking.MAX_CANDIDATES]]


def test_candidates_read_from_the_block_index_are_those_of_the_facet_blocks(
        transactional_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    linked = _archive(tmp_path, 40)
    assert LinkBlock.objects.count() == RecordFacet.objects.filter(name__in=linking.BLOCKS).count()
    # Dates edited (none, long after, long before, a year of three digits) and the facets refreshed: the blocks follow.
    for record, date in zip(linked[:4], ["", "2031-01-01", "1990-06", "0999-01-01"], strict=True):
        Record.objects.filter(pk=record.pk).update(issue_date=date)
        refresh_facets(Record.objects.get(pk=record.pk))
    records = list(Record.objects.order_by("pk"))
    for limit in (2, 5, 60):  # few, so that the year ranges and the cut are reached; and the default
        monkeypatch.setattr(linking, "MAX_CANDIDATES", limit)
        for record in records:
            expected = _from_facets(record)
            assert linking.candidate_records(record) == expected, (limit, record.issue_date)
    assert any(_from_facets(record) for record in records)


def _rewritten_parts(action: Callable[[], object], pk: int) -> bool:
    """Whether ``action`` wrote the record's kept parts again (PostgreSQL: the row's version; SQLite: a temporary
    trigger noting every update of the table)."""
    table = connection.ops.quote_name(LinkingParts._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            version = f"SELECT xmin::text FROM {table} WHERE record_id = %s"
            cursor.execute(version, [pk])
            before = cursor.fetchone()
            action()
            cursor.execute(version, [pk])
            return cursor.fetchone() != before
        cursor.execute("CREATE TEMP TABLE parts_written (record_id integer)")
        cursor.execute(f"CREATE TEMP TRIGGER parts_written_note AFTER UPDATE ON {table} "
                       "BEGIN INSERT INTO parts_written VALUES (NEW.record_id); END")
        try:
            action()
            cursor.execute("SELECT count(*) FROM parts_written WHERE record_id = %s", [pk])
            return bool(cursor.fetchone()[0])
        finally:
            cursor.execute("DROP TRIGGER parts_written_note")
            cursor.execute("DROP TABLE parts_written")


def test_relinking_a_record_rewrites_its_parts_only_when_its_text_changed(transactional_db: None, tmp_path: Path) -> None:
    linked = _archive(tmp_path, 20)
    record = linked[-1]
    kept = _kept()[record.pk]
    # The same text: the row is left as it is (no new row version, no update), and holds the same bytes.
    assert not _rewritten_parts(lambda: linking.relink(record), record.pk)
    assert _kept()[record.pk] == kept
    # Parts packed for the same text but other bytes (kept by an older version) are left too: the digest decides.
    stale = pack_parts(TextParts(frozenset(), frozenset(), frozenset()), record.text)
    linking.keep_parts([(record.pk, stale)])
    assert _kept()[record.pk] == kept
    # The text cleaned again: the parts are packed for it and the row is written.
    Record.objects.filter(pk=record.pk).update(text=record.text + " Cleaned again.")
    record.refresh_from_db()
    assert _rewritten_parts(lambda: linking.relink(record), record.pk)
    assert _kept()[record.pk] != kept and unpack_parts(_kept()[record.pk], record.text) == text_parts(record.text)


def test_block_values_are_cut_to_the_length_their_column_holds(transactional_db: None, tmp_path: Path) -> None:
    record = _archive(tmp_path, 3)[0]
    longest = LinkBlock._meta.get_field("value").max_length
    assert longest is not None
    value = "place:" + "x" * (2 * longest)
    linking.keep_blocks([record], {record.pk: {("place", value), ("language", value)}})
    assert list(LinkBlock.objects.filter(record=record).values_list("name", "value")) == [("place", value[:longest])]
