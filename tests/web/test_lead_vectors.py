"""Lead-sentence vectors are made where a record is read, kept with it, and reused by linking."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.link import embedding
from dhakira.link.index import lead_vector
from dhakira_web.archive.jobs.models import RecordEmbedding, vector_of
from dhakira_web.archive.models import Record

ENGLISH = "Guards fired tear gas into Hama Central Prison on 6 May 2016.\n\nAt least 25 prisoners suffered suffocation."
ARABIC = "أطلقت قوات النظام الغاز المسيل للدموع داخل سجن حماة المركزي في 6 أيار 2016.\n\nأصيب ما لا يقل عن 25 سجيناً بحالات اختناق."


@pytest.mark.skipif(not embedding.available(), reason="the bundled sentence encoder is not installed")
def test_vectors_come_from_the_workers_and_link_across_languages(db: None, tmp_path: Path) -> None:
    from dhakira_web.archive.ingestion import ingest_sources

    (tmp_path / "hama-en.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "hama-ar.txt").write_text(ARABIC, encoding="utf-8")
    summary = ingest_sources([str(tmp_path)], workers=2)
    assert summary.ingested == 2 and not summary.failed
    for record in Record.objects.all():
        kept = vector_of(RecordEmbedding.objects.get(record=record).vector)
        fresh = lead_vector(record.extraction, record.text)
        assert kept.shape == fresh.shape and float(kept @ fresh) > 0.999  # the same vector, made in another process
    english, arabic = Record.objects.get(language="en"), Record.objects.get(language="ar")
    # The two reports of one incident were linked with the kept vectors: they share an incident.
    assert set(english.incidents.values_list("pk", flat=True)) & set(arabic.incidents.values_list("pk", flat=True))


def test_a_record_read_in_the_writing_process_keeps_its_vector_too(add_record) -> None:
    record = add_record(ENGLISH, name="hama.txt")
    stored = RecordEmbedding.objects.filter(record=record).exists()
    assert stored == (embedding.available() and bool(record.extraction.get("incidents")))
