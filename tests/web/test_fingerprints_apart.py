"""A record's MinHash fingerprint kept in a table of its own (``RecordFingerprint``, migration 0029): written by the
one-file and the batch paths, read by the near-duplicate check, carried by exports in the record's line and stored
by imports, gone with its record, and moved out of the record table and back by the migration (SQLite and
PostgreSQL); 16 bits a value since migration 0031, which narrows stored fingerprints and makes their bands again,
and imports of older exports narrow their 61-bit values."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dhakira.ingest import similarity
from dhakira.synthetic import MANIFEST, write_corpus
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.exchange.exporting import export_to_path
from dhakira_web.archive.exchange.importing import import_jsonl
from dhakira_web.archive.ingestion import ingest_sources
from dhakira_web.archive.jobs.models import NearDuplicateBand, RecordFingerprint
from dhakira_web.archive.models import Record
from dhakira_web.archive.services import near_duplicate_of
from dhakira_web.archive.storage import pack_minhash16, pack_minhash61, unpack_minhash16, unpack_minhash61
from tests.ingest.test_ingest_similarity import _full_values
from tests.web.test_disk_storage import _migrated, _raises_generation

TEXT = ("Witnesses said security forces detained 25 people in Adra on 6 May 2016 and took them to Branch 215.\n\n"
        + " ".join(f"Witness {number} said the guards moved the detainees to the branch {number + 200} at night." for number in range(12)))
BEFORE, AFTER, NARROWED = "0028_disk_byte_vectors", "0029_disk_fingerprints_apart", "0031_disk_fingerprints_16_bits"


def _kept() -> dict[int, list[int]]:
    return dict(RecordFingerprint.objects.values_list("record_id", "signature"))


def _record_columns() -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, "archive_record")}


def test_the_one_file_path_keeps_the_fingerprint_apart_and_still_finds_near_duplicates(add_record: Callable[..., Record]) -> None:
    first = add_record(TEXT, name="first.txt")
    assert "fingerprint" not in _record_columns()
    assert _kept() == {first.pk: similarity.fingerprint(first.text)}
    repost = add_record("Share on Facebook\n\n" + TEXT + "\n\nAll rights reserved", name="repost.txt")
    assert repost.duplicate_of_id == first.pk and repost.review_state == "needs_review"
    other = add_record("The council met on Tuesday to discuss the water supply of the northern villages.", name="other.txt")
    assert other.duplicate_of_id is None and set(_kept()) == {first.pk, repost.pk, other.pk}
    first.delete()  # the fingerprint and the bands go with their record
    assert first.pk not in _kept() and not NearDuplicateBand.objects.filter(record_id=first.pk).exists()


def test_the_batch_path_keeps_the_fingerprint_apart_and_finds_near_duplicates_in_and_out_of_a_slice(
        transactional_db: None, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_corpus(folder, 3, seed=5, manifest=tmp_path / MANIFEST)
    paths = sorted(folder.iterdir())
    texts = [path.read_text(encoding="utf-8") for path in paths]
    (folder / "z-near.txt").write_text(texts[0] + "\n\nShared by the monitoring network.", encoding="utf-8")
    summary = ingest_sources([str(folder)], workers=1)
    assert (summary.ingested, summary.failed) == (4, [])
    records = {record.source_name: record for record in Record.objects.all()}
    assert _kept() == {record.pk: similarity.fingerprint(record.text) for record in records.values()}
    first = records[paths[0].name]
    assert records["z-near.txt"].duplicate_of_id == first.pk  # found among the slice's own records
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "again.txt").write_text(texts[0] + "\n\nAll rights reserved.", encoding="utf-8")
    assert ingest_sources([str(tmp_path / "later")], workers=1).ingested == 1
    assert Record.objects.get(source_name="again.txt").duplicate_of_id == first.pk  # found among the stored ones


def _record_lines(path: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    return {item["data"]["code"]: item["data"] for item in lines if item["type"] == "record"}


def test_an_export_carries_the_fingerprint_in_the_record_line_and_an_import_keeps_it_apart(
        add_record: Callable[..., Record], tmp_path: Path, settings: Any) -> None:
    first = add_record(TEXT, name="first.txt")
    empty = add_record("A short note from Adra.", name="note.txt")
    RecordFingerprint.objects.filter(record=empty).delete()  # a record without a fingerprint (as from an old import)
    add_user("admin", "admin", password="x-admin-password")
    exported = tmp_path / "archive.jsonl"
    export_to_path(exported, "jsonl", get_user_model().objects.get(username="admin"), originals=True)
    lines = _record_lines(exported)
    assert lines[first.code]["fingerprint"] == similarity.fingerprint(TEXT) and lines[empty.code]["fingerprint"] == []

    Record.objects.all().delete()
    assert not RecordFingerprint.objects.exists() and not NearDuplicateBand.objects.exists()
    settings.BLOB_DIR = tmp_path / "blobs"
    report = import_jsonl(exported, actor="importer")
    assert report.ok, report.as_json()
    imported = {record.code: record.pk for record in Record.objects.all()}
    assert _kept() == {imported[first.code]: similarity.fingerprint(TEXT)}
    assert add_record(TEXT + "\n\nAll rights reserved.", name="repost.txt").duplicate_of_id == imported[first.code]
    again = tmp_path / "again.jsonl"
    export_to_path(again, "jsonl", get_user_model().objects.get(username="admin"))
    assert {code: data["fingerprint"] for code, data in _record_lines(again).items() if code in lines} == \
        {code: data["fingerprint"] for code, data in lines.items()}


def test_an_older_exports_61_bit_fingerprint_is_imported_narrowed_to_the_one_this_version_makes(
        add_record: Callable[..., Record], tmp_path: Path, settings: Any) -> None:
    first = add_record(TEXT, name="first.txt")
    empty = add_record("A short note from Adra.", name="note.txt")  # given an empty text's old fingerprint below
    add_user("admin", "admin", password="x-admin-password")
    exported = tmp_path / "archive.jsonl"
    export_to_path(exported, "jsonl", get_user_model().objects.get(username="admin"), originals=True)
    assert {data["fingerprint"] == similarity.fingerprint(TEXT) for data in _record_lines(exported).values()} == {True, False}
    older = {first.code: _full_values(TEXT), empty.code: [2**61 - 1] * similarity.PERMUTATIONS}  # as exports carried them
    assert any(value >= 2**16 for value in older[first.code])
    lines = [json.loads(text) for text in exported.read_text(encoding="utf-8").splitlines()]
    for item in lines:
        if item["type"] == "record":
            item["data"]["fingerprint"] = older[item["data"]["code"]]
    (tmp_path / "older.jsonl").write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
    Record.objects.all().delete()
    settings.BLOB_DIR = tmp_path / "blobs"
    report = import_jsonl(tmp_path / "older.jsonl", actor="importer")
    assert report.ok, report.as_json()
    imported = {record.code: record.pk for record in Record.objects.all()}
    assert _kept() == {imported[first.code]: similarity.fingerprint(TEXT), imported[empty.code]: similarity.fingerprint("")}
    assert set(NearDuplicateBand.objects.filter(record_id=imported[first.code]).values_list("key", flat=True)) == \
        set(similarity.band_keys(similarity.fingerprint(TEXT)))
    assert add_record(TEXT + "\n\nAll rights reserved.", name="repost.txt").duplicate_of_id == imported[first.code]


def test_an_imported_line_with_a_broken_fingerprint_is_refused_and_writes_nothing(
        add_record: Callable[..., Record], tmp_path: Path, settings: Any) -> None:
    record = add_record(TEXT, name="first.txt")
    add_user("admin", "admin", password="x-admin-password")
    exported = tmp_path / "archive.jsonl"
    export_to_path(exported, "jsonl", get_user_model().objects.get(username="admin"), originals=True)
    Record.objects.all().delete()
    settings.BLOB_DIR = tmp_path / "blobs"
    # Wrong values, and lengths other than a fingerprint's (a long one would cost time to check): refused.
    for broken in (["7"], [2**61], [-1], "0123", [1.5], [True], [1] * 127, [1] * 200_000):
        lines = [json.loads(text) for text in exported.read_text(encoding="utf-8").splitlines()]
        for item in lines:
            if item["type"] == "record":
                item["data"]["fingerprint"] = broken
        damaged = tmp_path / "damaged.jsonl"
        damaged.write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
        report = import_jsonl(damaged)
        assert any("fingerprint" in error for error in report.errors), (broken, report.errors)
        assert not Record.objects.filter(code=record.code).exists() and not RecordFingerprint.objects.exists()
    lines = [json.loads(text) for text in exported.read_text(encoding="utf-8").splitlines()]
    for item in lines:  # a record line without its text is refused too, not stored with an empty one
        if item["type"] == "record":
            item["data"]["text"] = None
    damaged.write_text("".join(json.dumps(item) + "\n" for item in lines), encoding="utf-8")
    report = import_jsonl(damaged)
    assert any("text" in error for error in report.errors) and not Record.objects.filter(code=record.code).exists()


@pytest.fixture
def latest_schema() -> Iterator[None]:
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _statistics_of_records() -> int | None:
    """Rows SQLite's planner holds of the record table (None on PostgreSQL): a copied table loses them."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'archive_record'")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_migration_0029_moves_every_fingerprint_apart_and_back(latest_schema: None) -> None:
    from django.utils import timezone

    old = _migrated(BEFORE)
    written = {"OLD-1": similarity.fingerprint(TEXT), "OLD-2": [], "OLD-3": [0, 7, 2**61 - 2, 2**61 - 1]}
    for number, (code, fingerprint) in enumerate(written.items()):
        old.get_model("archive", "Record").objects.create(
            code=code, captured_at=timezone.now(), sha256=str(number) * 64, size=10, media_type="text/plain",
            text=TEXT, language="en", fingerprint=fingerprint)
    columns = ("id", "code", "sha256", "title", "language", "text", "access_level", "duplicate_of_id")
    others = sorted(old.get_model("archive", "Record").objects.values_list(*columns))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    new = _migrated(AFTER)
    assert _statistics_of_records() != 0  # SQLite dropped the column in place: the table was not copied
    assert "fingerprint" not in _record_columns()
    ids = dict(new.get_model("archive", "Record").objects.values_list("code", "id"))
    kept = dict(new.get_model("archive", "RecordFingerprint").objects.values_list("record_id", "signature"))
    assert kept == {ids[code]: values for code, values in written.items() if values}  # no fingerprint, no row
    with connection.cursor() as cursor:
        cursor.execute("SELECT signature FROM archive_recordfingerprint WHERE record_id = %s", [ids["OLD-1"]])
        assert len(bytes(cursor.fetchone()[0])) == 976  # 61 bits a value
    assert sorted(new.get_model("archive", "Record").objects.values_list(*columns)) == others
    assert _raises_generation(lambda: new.get_model("archive", "Record").objects.filter(code="OLD-1").update(title="changed"))
    others = sorted(new.get_model("archive", "Record").objects.values_list(*columns))

    back = _migrated(BEFORE)
    assert dict(back.get_model("archive", "Record").objects.values_list("code", "fingerprint")) == written
    assert sorted(back.get_model("archive", "Record").objects.values_list(*columns)) == others
    assert "archive_recordfingerprint" not in connection.introspection.table_names()
    assert _raises_generation(lambda: back.get_model("archive", "Record").objects.filter(code="OLD-2").update(title="again"))


@pytest.mark.django_db(transaction=True)
def test_migration_0029_stops_rather_than_lose_a_value_61_bits_cannot_hold(latest_schema: None) -> None:
    from django.utils import timezone

    old = _migrated(BEFORE)
    records = old.get_model("archive", "Record").objects
    records.create(code="OLD-1", captured_at=timezone.now(), sha256="1" * 64, size=10, media_type="text/plain", text=TEXT,
                   language="en", fingerprint=similarity.fingerprint(TEXT))
    records.create(code="OLD-2", captured_at=timezone.now(), sha256="2" * 64, size=10, media_type="text/plain", text=TEXT,
                   language="en", fingerprint=[5, 2**61])
    with pytest.raises(ValueError, match="61 bits"):
        _migrated(AFTER)
    assert "fingerprint" in _record_columns() and "archive_recordfingerprint" not in connection.introspection.table_names()
    assert dict(records.values_list("code", "fingerprint")) == {"OLD-1": similarity.fingerprint(TEXT), "OLD-2": [5, 2**61]}
    records.filter(code="OLD-2").delete()


def _bands() -> set[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_id, " + connection.ops.quote_name("key") + " FROM archive_nearduplicateband")
        return set(cursor.fetchall())


def _signatures() -> dict[int, bytes]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_id, signature FROM archive_recordfingerprint")
        return {pk: bytes(value) for pk, value in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_migration_0031_narrows_every_fingerprint_to_16_bits_and_makes_its_bands_again(latest_schema: None) -> None:
    from django.utils import timezone

    old = _migrated(AFTER)
    other = "The council met on Tuesday to discuss the water supply of the northern villages and the roads."
    written = {"OLD-1": _full_values(TEXT), "OLD-2": [2**61 - 1] * similarity.PERMUTATIONS, "OLD-3": None,
               "OLD-4": _full_values(other), "OLD-5": [5, 2**61 - 2]}
    ids = {}
    for number, (code, values) in enumerate(written.items()):
        record = old.get_model("archive", "Record").objects.create(
            code=code, captured_at=timezone.now(), sha256=str(number) * 64, size=10, media_type="text/plain",
            text=TEXT, language="en")
        ids[code] = record.pk
        if values is not None:  # as the code before wrote them: the 61-bit values and their bands
            old.get_model("archive", "RecordFingerprint").objects.create(record_id=record.pk, signature=values)
            old.get_model("archive", "NearDuplicateBand").objects.bulk_create([
                old.get_model("archive", "NearDuplicateBand")(record_id=record.pk, key=key)
                for key in (set(similarity.band_keys(values)) if len(values) == similarity.PERMUTATIONS else ())])
    bands_before = _bands()
    assert len(bands_before) == 3 * similarity.BANDS and len(_signatures()[ids["OLD-1"]]) == 976

    new = _migrated(NARROWED)
    narrowed = {ids[code]: similarity.narrowed(values) for code, values in written.items() if values is not None}
    assert narrowed[ids["OLD-1"]] == similarity.fingerprint(TEXT) and narrowed[ids["OLD-4"]] == similarity.fingerprint(other)
    assert narrowed[ids["OLD-2"]] == similarity.fingerprint("")
    assert dict(new.get_model("archive", "RecordFingerprint").objects.values_list("record_id", "signature")) == narrowed
    assert {pk: len(value) for pk, value in _signatures().items()} == {pk: 2 * len(values) for pk, values in narrowed.items()}
    bands = {(pk, key) for pk, values in narrowed.items() if len(values) == similarity.PERMUTATIONS
             and pk != ids["OLD-2"] for key in similarity.band_keys(values)}  # an empty text's has none now
    assert _bands() == bands and not bands & bands_before  # every band made again from the narrowed values
    found = near_duplicate_of(similarity.fingerprint(TEXT + "\n\nAll rights reserved."))
    assert found is not None and found.pk == ids["OLD-1"]
    assert near_duplicate_of(similarity.fingerprint("")) is None

    back = _migrated(AFTER)  # back: 61 bits a value again, holding the narrowed values; the bands stay theirs
    widened = {**narrowed, ids["OLD-2"]: [2**61 - 1] * similarity.PERMUTATIONS}  # the empty text as the code before marks it
    assert dict(back.get_model("archive", "RecordFingerprint").objects.values_list("record_id", "signature")) == widened
    assert {pk: len(value) for pk, value in _signatures().items()} == {pk: -(-61 * len(values) // 8) for pk, values in narrowed.items()}
    assert _bands() == bands

    _migrated(NARROWED)  # and forwards again: the same values and bands
    assert {pk: unpack_minhash16(value) for pk, value in _signatures().items()} == narrowed and _bands() == bands


@pytest.mark.parametrize("values", [[], [0], [1, 2**61 - 1], [2**61 - 1] * 3, list(range(200)), [7] * 128])
def test_61_bits_a_value_hold_every_fingerprint_value_and_their_count(values: list[int]) -> None:
    packed = pack_minhash61(values)
    assert unpack_minhash61(packed) == values
    assert packed is None if not values else len(packed) == -(-61 * len(values) // 8)


def test_a_fingerprint_takes_976_bytes_and_a_value_61_bits_cannot_hold_is_refused() -> None:
    packed = pack_minhash61(similarity.fingerprint(TEXT))
    assert packed is not None and len(packed) == 976 and unpack_minhash61(packed) == similarity.fingerprint(TEXT)
    for broken in ([2**61], [-1], [1.0], ["1"], [None]):
        with pytest.raises(ValueError):
            pack_minhash61(broken)


@pytest.mark.parametrize("values", [[], [0], [1, 2**16 - 1], [2**16 - 1] * 3, list(range(200)), [7] * 128])
def test_16_bits_a_value_hold_every_fingerprint_value_and_their_count(values: list[int]) -> None:
    packed = pack_minhash16(values)
    assert unpack_minhash16(packed) == values
    assert packed is None if not values else len(packed) == 2 * len(values)


def test_a_fingerprint_takes_256_bytes_and_a_value_16_bits_cannot_hold_is_refused_not_cut() -> None:
    packed = pack_minhash16(similarity.fingerprint(TEXT))
    assert packed is not None and len(packed) == 256 and unpack_minhash16(packed) == similarity.fingerprint(TEXT)
    for broken in ([2**16], [2**61 - 1], [-1], [1.0], ["1"], [None], [True]):
        with pytest.raises(ValueError):
            pack_minhash16(broken)


def test_an_empty_texts_fingerprint_has_no_band_and_finds_nothing(add_record: Callable[..., Record]) -> None:
    """Texts without words share every value: banded, each would be a candidate of every other (and score 0)."""
    from dhakira_web.archive.services import keep_fingerprints, near_duplicates_of

    records = [add_record(f"A note from Adra, number {number}.", name=f"note{number}.txt") for number in range(3)]
    keep_fingerprints([(record.pk, similarity.fingerprint("")) for record in records], replace=True)
    assert set(RecordFingerprint.objects.filter(record__in=records).values_list("record_id", flat=True)) == {r.pk for r in records}
    assert not NearDuplicateBand.objects.filter(record__in=records).exists()
    assert near_duplicates_of([similarity.fingerprint(""), similarity.fingerprint("— · —")]) == [None, None]
    assert similarity.empty(similarity.fingerprint("")) and not similarity.empty(similarity.fingerprint("Adra prison"))
