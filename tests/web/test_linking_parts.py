"""What linking takes from a record's text is kept with the record and read back for candidates: the links are
those made from the texts, parts absent (an archive from before they were kept) or kept for another text are
made again and kept, and the migration adding them leaves an archive that links as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from dhakira.link.packing import pack_parts, unpack_parts
from dhakira.link.records import TextParts, text_parts
from dhakira.synthetic import MANIFEST, write_corpus
from dhakira_web.archive import linking
from dhakira_web.archive.ingestion import ingest_sources
from dhakira_web.archive.jobs.models import LinkingParts
from dhakira_web.archive.models import IncidentReport, Record

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
    linking.keep_parts([(record.pk, pack_parts(empty, record.text)) for record in others])
    emptied = _links([probe])[0]
    assert all(float(link.features["text_jaccard"]) <= 0 and float(link.features["numbers_jaccard"]) <= 0 for link in emptied)
    assert emptied != before
    # The same empty parts kept for another text are not used: the parts are made from the text again and kept.
    linking.keep_parts([(record.pk, pack_parts(empty, record.text + " (cleaned again)")) for record in others])
    assert _links([probe])[0] == before
    assert all(unpack_parts(_kept()[record.pk], record.text) == text_parts(record.text) for record in others)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeping_parts_leaves_an_archive_that_links_as_before(tmp_path: Path) -> None:
    from django.db.migrations.executor import MigrationExecutor

    linked = _archive(tmp_path, 30)
    before = _links(linked[-6:])
    without, kept = [("archive", "0018_protected_spellings_reindexed")], [("archive", "0019_linking_parts_kept")]
    executor = MigrationExecutor(connection)
    executor.migrate(without)  # the table goes, as in an archive written before it
    try:
        assert LinkingParts._meta.db_table not in connection.introspection.table_names()
        executor = MigrationExecutor(connection)
        executor.migrate(kept)
        assert not LinkingParts.objects.exists()
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _links(linked[-6:]) == before
    assert LinkingParts.objects.exists()  # kept as the records were read as candidates
