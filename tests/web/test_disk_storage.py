"""A smaller archive on disk keeps every value as it was: compact JSON, packed fingerprints, vectors a byte a dimension,
facets and bands keyed by their columns, the indexes that remain, compressed extractions, link features, search texts
and clean texts, and the claims' indexes their queries use, and migrations 0016, 0019, 0020, 0023-0028 on archives
written before them (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import numpy
import pytest
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import connection

from dhakira.ingest import similarity
from dhakira_web.archive import audit
from dhakira_web.archive.exchange.serial import RECORD, References, serialise
from dhakira_web.archive.jobs.models import (
    NearDuplicateBand,
    RecordFingerprint,
    float16_bytes,
    vector_bytes,
    vector_of,
)
from dhakira_web.archive.models import (
    AuditEntry,
    Claim,
    Incident,
    IncidentReport,
    PersonMention,
    Record,
    RecordFacet,
)
from dhakira_web.archive.storage import (
    PACKED_WITH_FEATURE_KEYS,
    TEXT_PACKED,
    TEXT_PLAIN,
    CompactJSONEncoder,
    pack_text,
    planner_statistics,
    unpack_json,
    unpack_text,
)

ARABIC = "أفادت مصادر أن قوات الأمن اعتقلت 25 شخصاً في سجن صيدنايا يوم 6 أيار 2016.\n\nوطالب الأهالي بالإفراج عنهم."
REPORT = ("أفادت مصادر حقوقية أن قوات الأمن اعتقلت 25 شخصاً من حي الميدان في دمشق يوم 6 أيار 2016 ونقلتهم إلى سجن صيدنايا.\n\n"
          "وقالت الشبكة السورية لحقوق الإنسان إن المعتقلين تعرضوا للتعذيب، وطالب الأهالي بالإفراج الفوري عنهم.")
# Link features as linking writes them (``linking._plain``): numbers, words, a place's name, the compared record.
FEATURES = {"place": "same_facility", "place_a": "سجن صيدنايا", "place_b": "Sednaya Prison", "country_level": 0.0,
            "date_gap_days": 0.0, "date_precision": "day", "date_source": "incident", "published_gap_days": 14.0,
            "type_jaccard": 0.6897, "type_relation": "shared", "perpetrator": "same", "text_jaccard": 0.6019,
            "entities_shared": 2, "lead_cosine": 0.7912, "points_place": 2.5, "points_text": 2.5, "veto": None,
            "cap": "no date on either side and no support from text or figures", "lasting": True, "compared_record": 691}
EXTRACTION = {"document": {"title": "بيان بشأن الفرع 215", "language": "ar"}, "places": [{"text": "سجن صيدنايا", "spans": [[40, 51]]}]}


def _raw(table: str, column: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _migrated(name: str) -> Any:
    """The archive migrated (forwards or backwards) to ``name``; returns the models as they were then."""
    from django.db.migrations.executor import MigrationExecutor

    target = [("archive", name)]
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _migrated_analysed(name: str, table: str) -> tuple[Any, set[str] | None]:
    """An archive the planner holds statistics of, migrated to ``name``: the models then, and the indexes of
    ``table`` SQLite still holds statistics of (None on PostgreSQL, which keeps its own)."""
    if connection.vendor != "sqlite":
        return _migrated(name), None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    apps = _migrated(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        return apps, {row[0] for row in cursor.fetchall()}


@pytest.fixture
def latest_schema() -> Iterator[None]:
    """Migrates the archive back to the latest schema after a test that moved it."""
    yield
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_records(apps: Any, count: int) -> list[Any]:
    """Records written through the models of an earlier schema (``apps``)."""
    from django.utils import timezone

    return [apps.get_model("archive", "Record").objects.create(
        code=f"OLD-{number}", captured_at=timezone.now(), sha256=str(number) * 64, size=10, media_type="text/plain",
        text=ARABIC, language="ar") for number in range(count)]


def _old_report(apps: Any, letter: str) -> Any:
    """A record of :data:`REPORT` written through the models of an earlier schema (``apps``)."""
    from django.utils import timezone

    return apps.get_model("archive", "Record").objects.create(
        code="OLD-1", captured_at=timezone.now(), sha256=letter * 64, size=10, media_type="text/plain", text=REPORT, language="ar")


def _raises_generation(change: Callable[[], Any]) -> bool:
    """Whether ``change`` raises the archive's generation: the triggers of the table it writes are there."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_archivegeneration")
        cursor.execute("INSERT INTO archive_archivegeneration (id, value) VALUES (1, 0)")
    change()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM archive_archivegeneration WHERE id = 1")
        return bool(cursor.fetchone()[0] != 0)


def test_json_is_written_without_escapes_and_read_back_the_same(add_record: Callable[..., Record]) -> None:
    record = add_record(ARABIC, name="saydnaya.txt")
    record.fields = EXTRACTION
    record.save(update_fields=["fields"])
    assert Record.objects.get(pk=record.pk).fields == EXTRACTION
    stored = _raw("archive_record", "fields", record.pk)
    if connection.vendor == "sqlite":  # PostgreSQL keeps jsonb parsed: nothing to gain there
        assert "سجن صيدنايا" in stored and "\\u" not in stored and ", " not in stored.replace("سجن صيدنايا", "")
        assert len(stored.encode("utf-8")) < len(json.dumps(EXTRACTION).encode("utf-8")) * 0.6


def test_text_utf8_cannot_hold_is_kept_escaped(add_record: Callable[..., Record]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's jsonb refuses a lone surrogate escaped or not, as it did before")
    record = add_record(ARABIC, name="named.txt")
    fields = {"source": "/inbox/report-\udcff.txt", "note": "تقرير"}  # a file name read with surrogateescape
    record.fields = fields
    record.save(update_fields=["fields"])
    assert Record.objects.get(pk=record.pk).fields == fields


def test_audit_details_stay_verifiable(db: None) -> None:
    details = {"sha256": "0" * 64, "source": "/inbox/تقرير.txt"}
    entry = audit.append("tester", "collected", details=details)
    assert AuditEntry.objects.get(pk=entry.pk).details == details
    assert audit.check().intact


def test_fingerprints_are_packed_and_near_duplicates_still_found(add_record: Callable[..., Record]) -> None:
    long = ARABIC + "\n\n" + " ".join(f"وقال الشاهد رقم {number} إن الحراس نقلوا المعتقلين إلى الفرع {number + 200}."
                                        for number in range(12))
    first = add_record(long, name="first.txt")
    stored = RecordFingerprint.objects.get(record=first).signature
    assert stored == similarity.fingerprint(first.text) and len(stored) == similarity.PERMUTATIONS
    with connection.cursor() as cursor:
        cursor.execute("SELECT signature FROM archive_recordfingerprint WHERE record_id = %s", [first.pk])
        assert len(bytes(cursor.fetchone()[0])) == 2 * similarity.PERMUTATIONS  # 16 bits a value (migration 0031)
    repost = add_record("شارك على فيسبوك\n\n" + long + "\n\nجميع الحقوق محفوظة", name="repost.txt")
    assert repost.duplicate_of_id == first.pk


def test_extractions_are_kept_compressed_and_read_back_the_same(add_record: Callable[..., Record]) -> None:
    record = add_record(REPORT, name="report.txt")
    made = record.extraction
    assert made["places"] and made["incidents"]  # a real extraction, as ingestion leaves it
    raw = bytes(_raw("archive_record", "extraction", record.pk))
    compact = CompactJSONEncoder().encode(made).encode("utf-8")
    assert unpack_json(raw) == made and len(raw) < len(compact) * 0.5
    assert Record.objects.get(pk=record.pk).extraction == made
    assert Record.objects.filter(pk=record.pk).values_list("extraction", flat=True).get() == made
    assert serialise(RECORD, record, References())["data"]["extraction"] == made  # exports carry the value itself
    record.extraction = EXTRACTION
    record.save(update_fields=["extraction"])
    assert Record.objects.get(pk=record.pk).extraction == EXTRACTION
    record.extraction = {}  # nothing extracted: NULL, read back as an empty dictionary
    record.save(update_fields=["extraction"])
    assert _raw("archive_record", "extraction", record.pk) is None and Record.objects.get(pk=record.pk).extraction == {}


def test_link_features_are_kept_compressed_and_read_back_the_same(add_record: Callable[..., Record]) -> None:
    record = add_record(REPORT, name="report.txt")
    incident = Incident.objects.create(title="Sednaya")
    report = IncidentReport.objects.create(incident=incident, record=record, position=5, decision="same", score=0.9, features=FEATURES)
    raw = bytes(_raw("archive_incidentreport", "features", report.pk))
    compact = CompactJSONEncoder().encode(FEATURES).encode("utf-8")
    assert raw[0] == PACKED_WITH_FEATURE_KEYS and unpack_json(raw) == FEATURES and len(raw) < len(compact) * 0.6
    assert IncidentReport.objects.get(pk=report.pk).features == FEATURES
    assert IncidentReport.objects.filter(pk=report.pk).values_list("features", flat=True).get() == FEATURES
    report.features = {}  # an origin report has none: NULL, read back as an empty dictionary
    report.save(update_fields=["features"])
    assert _raw("archive_incidentreport", "features", report.pk) is None
    assert IncidentReport.objects.get(pk=report.pk).features == {}


def test_clean_texts_are_kept_compressed_and_read_back_the_same(add_record: Callable[..., Record], client: Any) -> None:
    text = "\n\n".join([REPORT] * 6)  # about 3.5 KB of Arabic, as a news report
    record = add_record(text, name="report.txt")
    raw = bytes(_raw("archive_record", "text", record.pk))
    assert record.text == text and raw[0] == TEXT_PACKED and len(raw) < len(text.encode("utf-8")) * 0.3
    assert unpack_text(raw) == text and Record.objects.get(pk=record.pk).text == text
    assert Record.objects.filter(pk=record.pk).values_list("text", flat=True).get() == text
    assert serialise(RECORD, record, References())["data"]["text"] == text  # exports carry the text itself
    page = client.get(f"/records/{record.code}", {"format": "json"}).json()
    assert page["text"] == text
    for changed in ("صيدنايا", "x", "سجن\u200fصيدنايا 25 " * 40):  # short texts are kept as they are, longer ones deflated
        record.text = changed
        record.save(update_fields=["text"])
        raw = bytes(_raw("archive_record", "text", record.pk))
        assert raw[0] == (TEXT_PLAIN if len(changed) < 20 else TEXT_PACKED) and Record.objects.get(pk=record.pk).text == changed
    record.text = ""  # no text: NULL, read back as an empty text
    record.save(update_fields=["text"])
    assert _raw("archive_record", "text", record.pk) is None and Record.objects.get(pk=record.pk).text == ""
    assert Record().text == ""


def test_a_text_utf8_cannot_hold_and_bad_bytes_never_pass_as_text() -> None:
    odd = "report \udce9t\u00e9 " * 10  # a lone surrogate, as a name read with surrogateescape leaves it
    assert unpack_text(pack_text(odd)) == odd and unpack_text(None) == ""
    with pytest.raises(ValueError, match="not a packed text"):
        unpack_text(b"\x01plain words")  # a packed JSON value (or anything else) is refused, never shown as text
    damaged = bytearray(pack_text("قالت مصادر إن المعتقلين نقلوا إلى سجن صيدنايا. " * 20))
    damaged[6:12] = b"\xff" * 6  # a damaged value is refused with a clear error, never shown as text
    with pytest.raises(ValueError, match="cannot be read"):
        unpack_text(bytes(damaged))


def test_a_query_into_the_compressed_text_is_refused(add_record: Callable[..., Record]) -> None:
    add_record(REPORT, name="report.txt")
    for lookup in ("text__contains", "text__icontains", "text", "text__startswith"):
        with pytest.raises(FieldError):
            Record.objects.filter(**{lookup: "صيدنايا"}).count()
    assert Record.objects.filter(text__isnull=False).count() == 1


def test_lead_vectors_take_a_byte_a_dimension_and_keep_their_direction() -> None:
    rng = numpy.random.default_rng(7)
    vector = rng.normal(size=512).astype(numpy.float32)
    vector /= numpy.linalg.norm(vector)
    other = vector + rng.normal(scale=0.5, size=512).astype(numpy.float32)
    other /= numpy.linalg.norm(other)
    data = vector_bytes(vector)
    assert data is not None and len(data) == 1 + 4 + 512
    kept = vector_of(data)
    assert kept.dtype == numpy.float32 and kept.shape == (512,) and float(kept @ vector) > 0.9995
    assert abs(float(kept @ vector_of(vector_bytes(other))) - float(vector @ other)) < 2e-3
    assert numpy.abs(kept - vector).max() <= numpy.abs(vector).max() / 127  # a step at most (half, and the norm's correction)
    assert abs(float(numpy.linalg.norm(kept)) - 1) < 1e-5  # a unit vector read back as one: dot products are cosines
    assert vector_of(vector_bytes(vector * 3)) == pytest.approx(vector * 3, abs=0.01)  # others keep their length
    odd = vector[:511]  # an odd number of dimensions is kept too, with as many
    assert vector_of(vector_bytes(odd)).shape == (511,)
    assert numpy.allclose(vector_of(vector_bytes(numpy.zeros(4))), 0.0)
    assert numpy.allclose(vector_of(float16_bytes(vector)), vector, atol=1e-3)  # as kept before migration 0028
    assert vector_bytes(None) is None and vector_of(None) is None
    with pytest.raises(ValueError):
        vector_of(b"\x07" + bytes(8))


def test_lookups_the_dropped_indexes_served_use_the_wider_ones(add_record: Callable[..., Record]) -> None:
    add_record(ARABIC, name="one.txt")
    if connection.vendor != "sqlite":
        pytest.skip("query plans are checked on SQLite (PostgreSQL plans a table this small by scanning it)")
    plans = {
        "facets of a record": RecordFacet.objects.filter(record_id=1),
        "figures of reports": Claim.objects.filter(field="count", incident_report_id__in=[1, 2]),
        "claims of a record by field": Claim.objects.filter(field="place", record_id=1),
        "records by issue date": Record.objects.filter(issue_date__gte="2016").order_by("issue_date", "id").values("id"),
        "reports of a record": IncidentReport.objects.filter(record_id=1),
        "mentions of a person": PersonMention.objects.filter(person_id=1),
        "places of a record": Record.places.through.objects.filter(record_id=1),
        "persons of a record": Record.persons.through.objects.filter(record_id=1),
    }
    for what, queryset in plans.items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "USING" in plan and "SCAN" not in plan.replace("USING COVERING INDEX", ""), (what, plan)


def test_planner_statistics_tell_an_archive_never_analysed_from_a_table_left_out(add_record: Callable[..., Record]) -> None:
    add_record(ARABIC, name="one.txt")
    if connection.vendor != "sqlite":  # PostgreSQL keeps statistics of every table itself
        assert planner_statistics(connection, "archive_record") == (True, True)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("DELETE FROM sqlite_stat1")
    assert planner_statistics(connection, "archive_record") == (False, False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE archive_record")
    assert planner_statistics(connection, "archive_record") == (True, True)
    assert planner_statistics(connection, "archive_claim") == (True, False)  # statistics held, none of it: lost


@pytest.mark.django_db(transaction=True)
def test_migration_0016_keeps_every_value_of_an_archive_written_before_it(latest_schema: None) -> None:
    from django.utils import timezone

    old = _migrated("0015_claim_rule_length")
    fingerprint = similarity.fingerprint(ARABIC)
    vector = numpy.linspace(-1, 1, 512, dtype=numpy.float32)
    record = old.get_model("archive", "Record").objects.create(
        code="OLD-1", title="قديم", captured_at=timezone.now(), sha256="a" * 64, size=10, media_type="text/plain",
        text=ARABIC, language="ar", languages=["ar"], extraction=EXTRACTION, fingerprint=fingerprint)
    old.get_model("archive", "Record").objects.create(
        code="OLD-2", captured_at=timezone.now(), sha256="b" * 64, size=10, media_type="text/plain", text="x",
        language="en", fingerprint=[])
    old.get_model("archive", "RecordEmbedding").objects.create(record_id=record.pk, vector=vector.tobytes())
    new = _migrated("0016_disk_compact_storage")
    migrated = new.get_model("archive", "Record").objects.get(code="OLD-1")
    assert migrated.extraction == EXTRACTION and migrated.fingerprint == fingerprint and migrated.languages == ["ar"]
    assert new.get_model("archive", "Record").objects.get(code="OLD-2").fingerprint == []
    kept = vector_of(new.get_model("archive", "RecordEmbedding").objects.get(record_id=record.pk).vector)
    assert numpy.abs(kept - vector).max() < 1e-3
    if connection.vendor == "sqlite":
        assert "\\u" not in _raw("archive_record", "extraction", record.pk)
    with connection.cursor() as cursor:  # the claim triggers 0015 lost on SQLite are back: a claim raises the generation
        cursor.execute("SELECT value FROM archive_archivegeneration WHERE id = 1")
        generation = cursor.fetchone()[0]
    new.get_model("archive", "Claim").objects.create(record_id=record.pk, field="count", value="25", start=0, end=2,
                                                     extractor="test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM archive_archivegeneration WHERE id = 1")
        assert cursor.fetchone()[0] != generation


@pytest.mark.django_db(transaction=True)
def test_migration_0019_compresses_extractions_of_an_archive_written_before_it(latest_schema: None) -> None:
    from django.utils import timezone

    from dhakira.documents import Document
    from dhakira.extract import extract_document

    before, after = "0018_protected_spellings_reindexed", "0019_disk_compressed_extraction"
    old = _migrated(before)
    made = extract_document(Document(text=REPORT, sha256="c" * 64, size=len(REPORT), media_type="text/plain", language="ar"))
    written = {"OLD-1": made, "OLD-2": EXTRACTION, "OLD-3": {}}
    for number, (code, extraction) in enumerate(written.items()):
        old.get_model("archive", "Record").objects.create(
            code=code, captured_at=timezone.now(), sha256=str(number) * 64, size=10, media_type="text/plain",
            text=REPORT, language="ar", extraction=extraction)
    new, statistics = _migrated_analysed(after, "archive_record")
    assert statistics is None or statistics  # the planner's statistics of the record table stay: it is not copied
    migrated = {record.code: record.extraction for record in new.get_model("archive", "Record").objects.all()}
    assert migrated == written
    pk = new.get_model("archive", "Record").objects.get(code="OLD-1").pk
    assert unpack_json(_raw("archive_record", "extraction", pk)) == made
    assert _raw("archive_record", "extraction", new.get_model("archive", "Record").objects.get(code="OLD-3").pk) is None
    with connection.cursor() as cursor:  # the record table's triggers are back: a change raises the generation
        cursor.execute("DELETE FROM archive_archivegeneration")
        cursor.execute("INSERT INTO archive_archivegeneration (id, value) VALUES (1, 0)")
    new.get_model("archive", "Record").objects.filter(pk=pk).update(title="changed")
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM archive_archivegeneration WHERE id = 1")
        assert cursor.fetchone()[0] != 0
    back = _migrated(before)  # and back: the JSON as it was
    assert {record.code: record.extraction for record in back.get_model("archive", "Record").objects.all()} == written


def test_facets_and_bands_are_keyed_by_their_columns(add_record: Callable[..., Record]) -> None:
    long = ARABIC + "\n\n" + " ".join(f"وقال الشاهد رقم {number} إن الحراس نقلوا المعتقلين إلى الفرع {number + 200}."
                                        for number in range(12))
    first = add_record(long, name="first.txt")
    facets = set(RecordFacet.objects.filter(record=first).values_list("name", "value"))
    assert ("language", "ar") in facets
    bands = set(NearDuplicateBand.objects.filter(record=first).values_list("key", flat=True))
    assert bands == set(similarity.band_keys(similarity.fingerprint(first.text)))
    assert add_record("شارك على فيسبوك\n\n" + long, name="repost.txt").duplicate_of_id == first.pk
    if connection.vendor == "sqlite":  # no row id: each table is its own index, and the lookups use it
        with connection.cursor() as cursor:
            for table in ("archive_recordfacet", "archive_nearduplicateband"):
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
                assert cursor.fetchone()[0].endswith("WITHOUT ROWID")
            for queryset in (RecordFacet.objects.filter(record_id=first.pk), RecordFacet.objects.filter(name="language", value="ar"),
                             NearDuplicateBand.objects.filter(key=1), NearDuplicateBand.objects.filter(record_id=first.pk)):
                sql, params = queryset.query.sql_with_params()
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING" in plan and "SCAN" not in plan, plan
    Record.objects.filter(pk=first.pk).delete()
    assert not RecordFacet.objects.filter(record_id=first.pk).exists()
    assert not NearDuplicateBand.objects.filter(record_id=first.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_migration_0020_keeps_every_facet_and_band_of_an_archive_written_before_it(latest_schema: None) -> None:
    before, after = "0019_disk_compressed_extraction", "0020_disk_keyed_tables"
    old = _migrated(before)
    records = _old_records(old, 3)
    facets = {(record.pk, name, value) for record in records
              for name, value in (("language", "ar"), ("facility", "سجن صيدنايا"), ("year", "2016"))}
    old.get_model("archive", "RecordFacet").objects.bulk_create(
        [old.get_model("archive", "RecordFacet")(record_id=pk, name=name, value=value) for pk, name, value in facets])
    keys = similarity.band_keys(similarity.fingerprint(ARABIC))
    bands = [(record.pk, key) for record in records for key in keys]
    old.get_model("archive", "NearDuplicateBand").objects.bulk_create(  # the first record's first band twice
        [old.get_model("archive", "NearDuplicateBand")(record_id=pk, key=key) for pk, key in [*bands, bands[0]]])
    new, statistics = _migrated_analysed(after, "archive_recordfacet")
    assert statistics in (None, {"archive_recordfacet", "facet_by_value"})  # the remade table analysed again
    assert set(new.get_model("archive", "RecordFacet").objects.values_list("record_id", "name", "value")) == facets
    kept = list(new.get_model("archive", "NearDuplicateBand").objects.values_list("record_id", "key"))
    assert sorted(kept) == sorted(set(bands))
    # The facet table's triggers were made again: a change raises the generation.
    assert _raises_generation(new.get_model("archive", "RecordFacet").objects.filter(record_id=records[0].pk, name="year").delete)
    facets = {facet for facet in facets if facet[:2] != (records[0].pk, "year")}
    back = _migrated(before)  # and back: row ids again, the same rows
    assert set(back.get_model("archive", "RecordFacet").objects.values_list("record_id", "name", "value")) == facets
    assert sorted(back.get_model("archive", "NearDuplicateBand").objects.values_list("record_id", "key")) == sorted(set(bands))


HEAD_LINES = [  # "prison" in every line, weighing differently in each
    "The prison committee met relatives in Idlib to record the names of the missing.",
    "Prison guards beat prison inmates; the prison doctor was not allowed into the prison wing.",
    "Relatives said the prison in Adra moved detainees at night.",
    "Prison prison prison: the word the statement repeats about the overcrowded cells.",
    "A court in Damascus sentenced two former prison officers.",
]


def _plan(sql: str, params: Any) -> str:
    """The plan of a query: SQLite's own; on PostgreSQL with sequential scans refused, so that a plan names the index
    that can serve the lookup (a table this small is otherwise scanned whatever its indexes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(str(row[0]) for row in cursor.fetchall())


def test_heads_are_keyed_by_token_and_record(add_record: Callable[..., Record], monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import transaction
    from django.db.models import Count, Min

    from dhakira_web.archive.models import SearchEntry, SearchHead, SearchToken
    from dhakira_web.archive.search import heads

    monkeypatch.setattr(heads, "HEAD_SIZE", 3)
    records = [add_record(line, name=f"head{number}.txt") for number, line in enumerate(HEAD_LINES)]
    def strongest() -> list[tuple[int, float]]:  # the head "prison" should have: its three records of highest impact
        weighed = {entry.record_id: heads.impacts(entry.title_stem, entry.body_stem, entry.keys, entry.body_norm)["prison"]
                   for entry in SearchEntry.objects.all()}
        return sorted(weighed.items(), key=lambda item: (-item[1], item[0]))[:3]

    head = list(SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", "impact"))
    assert head == strongest() and heads.candidates(["prison"], 3) == [pk for pk, _ in head]
    token = SearchToken.objects.get(token="prison")
    assert (token.head_size, token.head_floor) == (3, head[-1][1])
    # The record left out indexed again with a heavier "prison" enters the head, which is cut back to its three best;
    # then the head's first indexed twice in one batch with a lighter and a heavier text: its impact is updated in
    # place, the later one stays, never two entries.
    from dhakira_web.archive.search import index_record

    def indexed_again(record: Record, text: str) -> None:
        Record.objects.filter(pk=record.pk).update(text=text)
        record.refresh_from_db()
        index_record(record)

    weakest = next(record for record in records if record.pk not in dict(head))
    indexed_again(weakest, "Prison prison prison prison prison: the prison wing.")
    moved = list(SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", "impact"))
    assert moved == strongest() and weakest.pk in dict(moved)
    first = records[[record.pk for record in records].index(moved[0][0])]
    with transaction.atomic(), heads.deferred():
        indexed_again(first, "A prison.")
        indexed_again(first, "Prison prison prison prison prison prison: the prison.")
    assert list(SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", "impact")) == strongest()
    assert SearchHead.objects.filter(token="prison", record_id=first.pk).count() == 1
    kept = sorted(SearchHead.objects.values_list("token", "record_id", "impact"))
    assert len(kept) == len(set((token, record) for token, record, _ in kept)) and SearchHead.objects.filter(token="prison").count() == 3
    heads.rebuild()
    assert sorted(SearchHead.objects.values_list("token", "record_id", "impact")) == kept
    table = SearchHead._meta.db_table
    with connection.cursor() as cursor:  # two b-trees: the table keyed by (token, record) and the record's index
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert cursor.fetchone()[0].endswith("WITHOUT ROWID")
            cursor.execute(f"PRAGMA index_list({table})")
            assert sorted(row[3] for row in cursor.fetchall()) == ["c", "pk"]
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
            definitions = sorted(row[0] for row in cursor.fetchall())
            assert len(definitions) == 2 and any("(token, record_id)" in definition for definition in definitions)
            cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
            assert {row[0] for row in cursor.fetchall()} == {"token", "record_id", "impact"}
    # Every query on the table finds its rows through the key or the record's index.
    lookups = [
        SearchHead.objects.filter(token="prison").values_list("record_id", "impact"),
        SearchHead.objects.filter(token="prison").order_by("-impact", "record_id").values_list("record_id", "impact")[:3],
        SearchHead.objects.filter(record_id=weakest.pk).values_list("token", flat=True),
        SearchHead.objects.filter(token__in=["prison", "idlib"]).values("token").annotate(size=Count("record"), floor=Min("impact")),
    ]
    queries = [queryset.query.sql_with_params() for queryset in lookups] + [
        (f"SELECT record_id FROM {table} WHERE token = %s ORDER BY impact ASC, record_id DESC LIMIT %s", ["prison", 1]),
        (f"DELETE FROM {table} WHERE token = %s AND record_id IN (SELECT record_id FROM {table} WHERE token = %s "
         "ORDER BY impact ASC, record_id DESC LIMIT %s)", ["prison", "prison", 1]),
        (f"DELETE FROM {table} WHERE record_id = %s", [weakest.pk])]
    with transaction.atomic():
        for sql, params in queries:
            plan = _plan(sql, params)
            assert ("USING" in plan and "SCAN" not in plan) if connection.vendor == "sqlite" else "Index" in plan, (sql, plan)
    Record.objects.filter(pk=weakest.pk).delete()
    assert not SearchHead.objects.filter(record_id=weakest.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_migration_0023_keeps_every_head_entry_of_an_archive_written_before_it(latest_schema: None) -> None:
    from dhakira_web.archive.counts.kept import table_statements

    before, after = "0022_linking_parts_and_blocks", "0023_disk_keyed_heads"
    old = _migrated(before)
    records = _old_records(old, 4)
    entries = {(token, record.pk, round(1.0 / (number + 3) + index / 7, 6)) for index, token in enumerate(("سجن", "prison", "kfacility"))
               for number, record in enumerate(records)}
    old.get_model("archive", "SearchHead").objects.bulk_create(
        [old.get_model("archive", "SearchHead")(token=token, record_id=pk, impact=impact) for token, pk, impact in entries])
    create, _ = table_statements(connection.vendor, ("archive_searchhead",))
    with connection.cursor() as cursor:  # a head table whose changes raise the archive's generation: its triggers stay
        for statement in create:
            cursor.execute(statement)
    new, statistics = _migrated_analysed(after, "archive_searchhead")
    assert statistics is None or "archive_searchhead" in statistics  # the remade table analysed again
    head = new.get_model("archive", "SearchHead")
    assert set(head.objects.values_list("token", "record_id", "impact")) == entries
    assert _raises_generation(head.objects.filter(record_id=records[0].pk).delete)
    entries = {entry for entry in entries if entry[1] != records[0].pk}
    back = _migrated(before)  # and back: row ids and the three indexes again, the same entries
    assert set(back.get_model("archive", "SearchHead").objects.values_list("token", "record_id", "impact")) == entries
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "archive_searchhead"))
        assert {"one_head_entry", "head_by_impact"} <= names
    # The triggers were made again going back too.
    assert _raises_generation(back.get_model("archive", "SearchHead").objects.filter(record_id=records[1].pk).delete)
    with connection.cursor() as cursor:
        for statement in table_statements(connection.vendor, ("archive_searchhead",))[1]:
            cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_migration_0024_compresses_link_features_of_an_archive_written_before_it(latest_schema: None) -> None:
    before, after = "0023_disk_keyed_heads", "0024_disk_compressed_link_features"
    old = _migrated(before)
    record = _old_report(old, "d")
    incident = old.get_model("archive", "Incident").objects.create(title="Sednaya")
    written = {0: FEATURES, 1: {}, 2: {**FEATURES, "compared_record": 7, "veto": "conflict_country"}, 3: {"reason": "تعذيب"}}
    for position, features in written.items():
        old.get_model("archive", "IncidentReport").objects.create(
            incident_id=incident.pk, record_id=record.pk, position=position, reported={"date": "2016-05-06", "n": position},
            decision="same", score=0.5 + position, day="2016-05-06", features=features)
    columns = ("id", "incident_id", "record_id", "position", "reported", "decision", "score", "review", "reviewed_by_id", "day")
    others = sorted(old.get_model("archive", "IncidentReport").objects.values_list(*columns))
    new, statistics = _migrated_analysed(after, "archive_incidentreport")
    assert statistics is None or statistics  # the planner's statistics of the report table stay: it is not copied
    reports = new.get_model("archive", "IncidentReport").objects
    assert {report.position: report.features for report in reports.all()} == written
    assert sorted(reports.values_list(*columns)) == others  # every other column as it was
    assert unpack_json(_raw("archive_incidentreport", "features", reports.get(position=0).pk)) == FEATURES
    assert _raw("archive_incidentreport", "features", reports.get(position=1).pk) is None
    with connection.cursor() as cursor:  # the report table's triggers are back: a change raises the generation
        cursor.execute("DELETE FROM archive_archivegeneration")
        cursor.execute("INSERT INTO archive_archivegeneration (id, value) VALUES (1, 0)")
    reports.filter(position=3).update(score=0.5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM archive_archivegeneration WHERE id = 1")
        assert cursor.fetchone()[0] != 0
    others = sorted(reports.values_list(*columns))
    back = _migrated(before)  # and back: the JSON as it was, and the statistics of the table SQLite made again
    assert {report.position: report.features for report in back.get_model("archive", "IncidentReport").objects.all()} == written
    assert sorted(back.get_model("archive", "IncidentReport").objects.values_list(*columns)) == others
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'archive_incidentreport'")
            assert cursor.fetchone()[0]


# Lines of our own in both languages for the search entries' packed texts: words, a phrase, a word to exclude.
SEARCHED_LINES = [
    ("Hunger strike in Saydnaya Prison: detainees refused food for nine days.", "en", "public"),
    ("Prison guards beat prison inmates; the prison doctor was not allowed into the prison wing.", "en", "public"),
    ("Relatives said the prison in Adra moved detainees at night, and the guards refused visits.", "en", "public"),
    ("نقل المعتقلون من السجن إلى سجن صيدنايا ليلا وقال الأهالي إن السجن مكتظ.", "ar", "public"),
    ("وقال شاهد إن الحراس في السجن منعوا الزيارة، وبالسجن زنازين بلا ضوء.", "ar", "public"),
    ("أضرب المعتقلون في سجن صيدنايا عن الطعام تسعة أيام.", "ar", "public"),
    ("Prison prison prison: a restricted testimony from the prison in Saydnaya.", "en", "restricted"),
]
SEARCHES = [("prison", {}), ("السجن", {}), ("سجن صيدنايا", {}), ('"Saydnaya Prison"', {}), ("prison -guards", {}),
            ("prison OR المعتقلون", {}), ("prison", {"language": "en"}), ("السجن", {"language": "ar"}),
            ("detainees refused", {}), ("صيدنايا -الطعام", {})]


@pytest.fixture
def searched(add_record: Callable[..., Record]) -> list[Record]:
    return [add_record(text, name=f"line{number}.txt", access=access) for number, (text, _, access) in enumerate(SEARCHED_LINES)]


def _index_checked() -> None:
    """FTS5's check of its index against what it reads of the entries (SQLite; raises when they differ)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO archive_search_fts(archive_search_fts, rank) VALUES ('integrity-check', 1)")


def _holding(word: str) -> int:
    """How many entries the full-text index (FTS5, or PostgreSQL's vectors) finds holding ``word``."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM archive_search_fts WHERE archive_search_fts MATCH %s", [word])
        else:
            cursor.execute("SELECT count(*) FROM archive_searchvector WHERE search_vector @@ to_tsquery('simple', %s)", [word])
        return int(cursor.fetchone()[0])


def _found(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str, str], Any]:
    """What every search of ``SEARCHES`` finds as a visitor makes it: the page's total and codes in order; on SQLite
    also every record ranked by the backend with the records scored from their texts (``search.bm25``, reading the
    packed texts), which must be FTS5's own ranking (its walk of the matches)."""
    from django.contrib.auth.models import AnonymousUser

    from dhakira.text.query import parse_query
    from dhakira_web.archive.payloads import filter_scope, search_payload
    from dhakira_web.archive.search import sqlite
    from dhakira_web.archive.search.crosslingual import expand

    found: dict[tuple[str, str, str], Any] = {}
    ids = list(Record.objects.values_list("pk", flat=True))
    for text, filters in SEARCHES:
        page = search_payload(text, AnonymousUser(), filters=filters, limit=50)
        found[("page", text, json.dumps(filters))] = (page["total"], [hit["code"] for hit in page["results"]])
        if connection.vendor != "sqlite":
            continue
        query = parse_query(text)
        ranked = {}
        for way, walk in (("texts", 0), ("walk", 10**12)):
            monkeypatch.setattr(sqlite, "WALK_PER_RECORD", walk)
            ranked[way] = [(pk, round(score, 9)) for pk, score in sqlite.SqliteBackend().rank_among(
                query, ids, expand(text, query), filter_scope(AnonymousUser(), filters))]
        assert ranked["texts"] == ranked["walk"]
        found[("ranked", text, json.dumps(filters))] = ranked["texts"]
    return found


def test_search_texts_are_kept_compressed_and_read_back_the_same(searched: list[Record]) -> None:
    from dhakira.text import normalised_text, stemmed_text
    from dhakira_web.archive.models import SearchEntry
    from dhakira_web.archive.storage import unpack_text

    for record in searched:
        entry = SearchEntry.objects.get(record=record)
        body = f"{record.title}\n{record.text}"
        assert (entry.body_norm, entry.body_stem) == (normalised_text(body), stemmed_text(body))
        with connection.cursor() as cursor:
            cursor.execute("SELECT body_norm, body_stem FROM archive_searchentry WHERE record_id = %s", [record.pk])
            norm, stem = cursor.fetchone()
        if connection.vendor == "sqlite":  # packed bytes, smaller than the text's UTF-8 once the text is long enough
            assert isinstance(norm, bytes) and (unpack_text(norm), unpack_text(stem)) == (entry.body_norm, entry.body_stem)
        else:  # PostgreSQL keeps the text (its trigger reads it to make the vector)
            assert (norm, stem) == (entry.body_norm, entry.body_stem)
    long = normalised_text(" ".join(text for text, _, _ in SEARCHED_LINES) * 20)
    from dhakira_web.archive.storage import pack_text

    assert len(pack_text(long)) * 4 < len(long.encode()) and unpack_text(pack_text(long)) == long
    assert pack_text("") == b"" and unpack_text(b"") == "" and unpack_text(None) == ""


def test_the_index_stays_in_step_when_an_entry_changes_or_goes(searched: list[Record], monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction

    from dhakira_web.archive.payloads import search_payload
    from dhakira_web.archive.protection.expunge import expunge
    from dhakira_web.archive.search import index_records, refresh_filter_tokens
    from dhakira_web.archive.storage import pack_text

    def codes(text: str) -> list[str]:
        return [hit["code"] for hit in search_payload(text, AnonymousUser(), limit=50)["results"]]

    _index_checked()
    assert len(codes("prison")) >= 3  # the comparisons below are not between empty lists
    edited, gone = searched[1], searched[2]
    assert edited.code in codes("doctor")
    edited.title, edited.text = "Guards moved", "Prison guards were moved to the courthouse in Homs."
    edited.save()
    index_records([(edited, [])])  # the entry's texts written again: the update trigger deletes the old tokens
    edited.language = "ar"  # a facet value: only the entry's filter tokens are written again
    edited.save()
    refresh_filter_tokens(edited)
    expunge(gone, actor="tester", reason="a test")  # the entry goes with its record (the delete trigger), its token counts too
    _index_checked()
    assert codes("courthouse") == [edited.code] and not codes("doctor")
    assert all(gone.pk not in {pk for pk, _ in ranked} for key, ranked in _found(monkeypatch).items() if key[0] == "ranked")
    assert edited.code not in codes("prison -guards") and edited.code in codes("prison")
    if connection.vendor == "sqlite":  # the check finds an entry changed behind the index's back
        with pytest.raises(Exception, match="malformed"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER archive_search_fts_update")
                cursor.execute("UPDATE archive_searchentry SET body_norm = %s WHERE record_id = %s",
                               [connection.Database.Binary(pack_text("other words")), edited.pk])
            _index_checked()
        _index_checked()  # rolled back: the trigger and the entry as they were


@pytest.mark.django_db(transaction=True)
def test_migration_0025_compresses_search_texts_of_an_archive_written_before_it(
        latest_schema: None, monkeypatch: pytest.MonkeyPatch, add_record: Callable[..., Record]) -> None:
    from dhakira_web.archive.search import shadow_texts
    from dhakira_web.archive.storage import unpack_text

    before, after = "0024_disk_compressed_link_features", "0025_disk_compressed_search_texts"
    records = [add_record(text, name=f"line{number}.txt", access=access) for number, (text, _, access) in enumerate(SEARCHED_LINES)]
    found = _found(monkeypatch)
    old = _migrated(before)  # backwards: the texts as text, the index reading the entries' table, every search the same
    entries = old.get_model("archive", "SearchEntry").objects
    texts = {entry.record_id: (entry.body_stem, entry.body_norm) for entry in entries.all()}
    assert all(isinstance(stem, str) and isinstance(norm, str) for stem, norm in texts.values())
    _index_checked()
    assert _found(monkeypatch) == found
    # An entry written by the earlier schema, as text (of words no search looks for; the scores move with the index's size).
    shadow = shadow_texts("Courthouse", "Families waited at the courthouse gate in Homs; the courthouse was shut.")
    written = _old_records(old, 1)[0]
    entries.create(record_id=written.pk, title_stem=shadow["title_stem"], body_stem=shadow["body_stem"],
                   body_norm=shadow["body_norm"], keys="", filters="")
    texts[written.pk] = (shadow["body_stem"], shadow["body_norm"])
    held, found = _holding("courthouse"), _found(monkeypatch)
    # Forwards: packed on SQLite, the index rebuilt over the view, analysed again as it was, every search the same.
    _, statistics = _migrated_analysed(after, "archive_search_fts_docsize")
    assert statistics is None or statistics
    from dhakira_web.archive.models import SearchEntry

    assert {entry.record_id: (entry.body_stem, entry.body_norm) for entry in SearchEntry.objects.all()} == texts
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_id, body_stem, body_norm FROM archive_searchentry")
        raw = {pk: (stem, norm) for pk, stem, norm in cursor.fetchall()}
    assert _holding("courthouse") == held == 1
    packed = connection.vendor == "sqlite"
    assert all(isinstance(value, bytes if packed else str) for pair in raw.values() for value in pair)
    assert {pk: tuple(unpack_text(value) for value in pair) for pk, pair in raw.items()} == texts
    _index_checked()
    assert _found(monkeypatch) == found
    assert _raises_generation(SearchEntry.objects.filter(record_id=records[0].pk).delete)  # its triggers are back
    _index_checked()


@pytest.mark.django_db(transaction=True)
def test_migration_0026_compresses_clean_texts_of_an_archive_written_before_it(latest_schema: None) -> None:
    from django.utils import timezone

    before, after = "0025_disk_compressed_search_texts", "0026_disk_compressed_record_text"
    old = _migrated(before)
    written = {"OLD-1": REPORT, "OLD-2": "\n\n".join([ARABIC, REPORT] * 5), "OLD-3": "", "OLD-4": "Adra"}
    for number, (code, text) in enumerate(written.items()):
        old.get_model("archive", "Record").objects.create(
            code=code, captured_at=timezone.now(), sha256=str(number) * 64, size=10, media_type="text/plain",
            text=text, language="ar", extraction=EXTRACTION, fingerprint=[number, 2**61 - 1])
    columns = ("id", "code", "sha256", "title", "language", "extraction", "fingerprint", "access_level")
    others = sorted(old.get_model("archive", "Record").objects.values_list(*columns))
    new, statistics = _migrated_analysed(after, "archive_record")
    assert statistics is None or statistics  # the planner's statistics of the record table stay: it is not copied
    records = new.get_model("archive", "Record").objects
    assert dict(records.values_list("code", "text")) == written
    assert sorted(records.values_list(*columns)) == others  # every other column as it was
    raw = bytes(_raw("archive_record", "text", records.get(code="OLD-2").pk))
    assert raw[0] == TEXT_PACKED and unpack_text(raw) == written["OLD-2"] and len(raw) < len(written["OLD-2"].encode()) * 0.3
    assert _raw("archive_record", "text", records.get(code="OLD-3").pk) is None
    assert bytes(_raw("archive_record", "text", records.get(code="OLD-4").pk)) == bytes([TEXT_PLAIN]) + b"Adra"
    assert _raises_generation(lambda: records.filter(code="OLD-1").update(title="changed"))  # the triggers are back
    others = sorted(records.values_list(*columns))
    back = _migrated(before)  # and back: the texts as they were, in a text column again
    assert dict(back.get_model("archive", "Record").objects.values_list("code", "text")) == written
    assert sorted(back.get_model("archive", "Record").objects.values_list(*columns)) == others
    assert _raw("archive_record", "text", back.get_model("archive", "Record").objects.get(code="OLD-1").pk) == REPORT
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'archive_record'")
            assert cursor.fetchone()[0]


def _claim_indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "archive_claim")
    return {name for name, about in found.items() if about["index"] and not about["primary_key"] and not about["unique"]}


KEPT_CLAIM_INDEXES = {"archive_claim_record_id_7e4f9d4d", "archive_claim_incident_report_id_7c615df7"}
OLD_CLAIM_INDEXES = {"archive_cla_field_aed1f7_idx", "archive_claim_value_id_d0243e74", "archive_claim_corrects_id_b4918753"}


def test_a_records_corrections_are_found_by_the_partial_index_with_statistics(add_record: Callable[..., Record]) -> None:
    from dhakira_web.archive.review.claims import correct

    record = add_record(REPORT, name="report.txt")
    figure = Claim.objects.filter(record=record, field="count").first()
    assert figure is not None and Claim.objects.filter(record=record).count() > 3
    fixed = correct(figure, "reviewer", "misread", "26")
    if connection.vendor == "sqlite":  # statistics that hold the corrections' column all NULL but one
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert _claim_indexes() >= KEPT_CLAIM_INDEXES | {"claim_corrections"} and not _claim_indexes() & OLD_CLAIM_INDEXES
    for queryset in (Claim.objects.filter(corrects__in=[figure.pk]).order_by("pk"), Claim.objects.filter(corrects=figure.pk)):
        plan = _plan(*queryset.query.sql_with_params())
        assert "claim_corrections" in plan and "SCAN archive_claim" not in plan, plan
    assert list(Claim.objects.filter(corrects__in=[figure.pk])) == [fixed]
    Claim.objects.filter(pk=figure.pk).delete()  # the correction's pointer is cleared through the same index
    assert Claim.objects.get(pk=fixed.pk).corrects_id is None


@pytest.mark.django_db(transaction=True)
def test_migration_0027_keeps_the_claim_indexes_queries_use(latest_schema: None) -> None:
    before, after = "0026_disk_compressed_record_text", "0027_disk_claim_indexes"
    old = _migrated(before)
    record = _old_report(old, "e")
    claims = old.get_model("archive", "Claim").objects
    first = claims.create(record_id=record.pk, field="count", value="25", value_id="", start=30, end=38, extractor="dhakira.extract")
    claims.create(record_id=record.pk, field="place", value="Saydnaya", value_id="fac:saydnaya", start=40, end=51, extractor="gazetteer:x")
    claims.create(record_id=record.pk, field="count", value="26", start=30, end=38, extractor="review", corrects_id=first.pk)
    columns = ("id", "record_id", "field", "value", "value_id", "start", "end", "extractor", "corrects_id")
    written = sorted(claims.values_list(*columns))
    assert _claim_indexes() >= KEPT_CLAIM_INDEXES | OLD_CLAIM_INDEXES and "claim_corrections" not in _claim_indexes()
    new, statistics = _migrated_analysed(after, "archive_claim")
    assert statistics is None or KEPT_CLAIM_INDEXES | {"claim_corrections"} <= statistics  # no table copied; the new index analysed
    assert _claim_indexes() >= KEPT_CLAIM_INDEXES | {"claim_corrections"} and not _claim_indexes() & OLD_CLAIM_INDEXES
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'archive_claim' AND indexname LIKE %s", ["%value_id%"])
            assert cursor.fetchall() == []  # the pattern index of value_id went too
    assert sorted(new.get_model("archive", "Claim").objects.values_list(*columns)) == written
    assert list(new.get_model("archive", "Claim").objects.filter(corrects_id=first.pk).values_list("value", flat=True)) == ["26"]
    _migrated(before)  # and back: every index as it was
    assert _claim_indexes() >= KEPT_CLAIM_INDEXES | OLD_CLAIM_INDEXES and "claim_corrections" not in _claim_indexes()
    assert sorted(old.get_model("archive", "Claim").objects.values_list(*columns)) == written


@pytest.mark.django_db(transaction=True)
def test_migration_0028_keeps_lead_vectors_a_byte_a_dimension(latest_schema: None) -> None:
    before, after = "0027_disk_claim_indexes", "0028_disk_byte_vectors"
    old = _migrated(before)
    records = _old_records(old, 3)
    rng = numpy.random.default_rng(11)
    vectors = [rng.normal(size=512).astype(numpy.float32) for _ in records]
    vectors = [vector / numpy.linalg.norm(vector) for vector in vectors]
    for record, vector in zip(records, vectors, strict=True):
        old.get_model("archive", "RecordEmbedding").objects.create(record_id=record.pk, vector=float16_bytes(vector))
    _migrated(after)
    for record, vector in zip(records, vectors, strict=True):
        data = bytes(_raw_vector(record.pk))
        assert len(data) == 517
        assert float(vector_of(data) @ vector) > 0.9995
    first = vector_of(_raw_vector(records[0].pk))
    _migrated(before)  # and back: float16, the byte form's values
    data = bytes(_raw_vector(records[0].pk))
    assert len(data) == 1024 and numpy.allclose(numpy.frombuffer(data, dtype=numpy.float16), first, atol=1e-3)


def _raw_vector(pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector FROM archive_recordembedding WHERE record_id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_new_sqlite_archive_has_pages_of_16_kb(db: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's pages are its own")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_size")
        assert cursor.fetchone()[0] == settings.SQLITE_PAGE_SIZE == 16384  # rows of 2-3 KB share a page
