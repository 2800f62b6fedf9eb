"""Safety removal: after ``dhakira expunge`` nothing of the record is left in the database, its files, the index or the blobs."""

from __future__ import annotations

import os
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models

from dhakira_web.archive import audit, blobs
from dhakira_web.archive.models import AuditEntry, Record
from dhakira_web.archive.payloads import search_payload
from dhakira_web.archive.protection import services
from dhakira_web.archive.protection.expunge import expunge
from dhakira_web.archive.storage import CompressedTextField, SqliteCompressedTextField
from tests.web.test_cli import environment, run  # noqa: F401  (the fixture gives each run its own database)

UNIQUE = "Quillfeather Marrowdane"
ENDANGERING = (f"Testimony of {UNIQUE}, held in Adra Central Prison since 2019. {UNIQUE} names the officers "
               f"of the interrogation branch. Quillfeatherish notes follow.\n\nA relative of {UNIQUE} confirmed the account.")
KEPT = "Families gathered outside Adra Central Prison on 6 May 2021 asking for news of the detainees."


def _rows_holding(fragment: str) -> list[str]:
    """Every archive table and text column still holding ``fragment`` (case-insensitive)."""
    found = []
    for model in apps.get_app_config("archive").get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (CompressedTextField, SqliteCompressedTextField)):  # kept packed: read in Python
                if any(fragment.lower() in value.lower() for value in model.objects.values_list(field.name, flat=True)):
                    found.append(f"{model.__name__}.{field.name}")
            elif isinstance(field, (models.CharField, models.TextField, models.JSONField)) and field.concrete:
                lookup = {f"{field.name}__icontains": fragment} if not isinstance(field, models.JSONField) else None
                if lookup and model.objects.filter(**lookup).exists():
                    found.append(f"{model.__name__}.{field.name}")
                elif lookup is None and any(fragment.lower() in str(value).lower() for value in model.objects.values_list(field.name, flat=True)):
                    found.append(f"{model.__name__}.{field.name}")
    return found


def test_expunge_leaves_nothing_in_any_table(add_record) -> None:
    record = add_record(ENDANGERING, name=f"testimony of {UNIQUE}.txt")
    kept = add_record(KEPT, name="families.txt")
    services.redact(kept, "Families", actor="tester")
    sha256 = record.sha256
    assert _rows_holding("Quillfeath")
    done = expunge(record, actor="tester", reason="the witness is in danger")
    assert done.removed_original and not blobs.blob_path(sha256).exists()
    assert _rows_holding("Quillfeath") == [] and _rows_holding("Marrowdane") == []
    assert not Record.objects.filter(sha256=sha256).exists()
    assert search_payload("Marrowdane", AnonymousUser())["total"] == 0
    assert search_payload("Adra", AnonymousUser())["total"] == 1
    assert audit.check().intact
    last = AuditEntry.objects.order_by("-id").first()
    assert last.action == "expunge" and last.details["reason"] == "the witness is in danger"
    assert AuditEntry.objects.filter(target=done.code, erased=True).count() == 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM archive_searchvector WHERE search_vector::text ILIKE %s", ["%quillfeath%"])
            assert cursor.fetchone()[0] == 0


def test_expunge_removes_a_record_whose_search_entry_is_damaged(add_record) -> None:
    import pytest

    record = add_record(ENDANGERING, name="damaged.txt")
    add_record(KEPT, name="families.txt")
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps the search texts as text")
    with connection.cursor() as cursor:  # a damaged page, behind SQLite's back: the packed stems no longer a zstd frame
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'archive_search_fts_update'")
        trigger = cursor.fetchone()[0]
        cursor.execute("DROP TRIGGER archive_search_fts_update")
        cursor.execute("UPDATE archive_searchentry SET body_stem = X'03FFFFFFFFFFFF' WHERE record_id = %s", [record.pk])
        cursor.execute(trigger)
    pk = record.pk
    expunge(record, actor="tester", reason="the witness is in danger")
    assert not Record.objects.filter(pk=pk).exists() and _rows_holding("Quillfeath") == []
    assert search_payload("Marrowdane", AnonymousUser())["total"] == 0
    assert search_payload("Adra", AnonymousUser())["total"] == 1  # the index made again from the other entries
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO archive_search_fts(archive_search_fts, rank) VALUES ('integrity-check', 1)")


def test_expunge_needs_a_reason(add_record) -> None:
    import pytest

    from dhakira_web.archive.protection.services import ProtectionError

    record = add_record(ENDANGERING, name="t.txt")
    with pytest.raises(ProtectionError):
        expunge(record, actor="tester", reason="  ")
    assert Record.objects.filter(pk=record.pk).exists()


def test_nothing_readable_stays_on_disk(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    if environment.get("DHAKIRA_DATABASE_URL"):
        return  # on PostgreSQL the operator runs VACUUM FULL (docs/safety-removal.md); the tables are checked above
    archive = tmp_path / "archive"
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "testimony.txt").write_text(ENDANGERING, encoding="utf-8")
    (sources / "families.txt").write_text(KEPT, encoding="utf-8")
    assert run(environment, archive, "ingest", str(sources)).returncode == 0
    head = run(environment, archive, "audit", "head").stdout.strip()
    hit = run(environment, archive, "search", "Marrowdane").stdout
    code = next(word for word in hit.split() if word.startswith("DHK-"))
    before = _files_holding(archive, b"quillfeath")
    assert before, "the phrase should be on disk before the removal"
    removed = run(environment, archive, "expunge", code, "--reason", "safety of a witness")
    assert removed.returncode == 0, removed.stderr
    assert _files_holding(archive, b"quillfeath") == []
    assert _files_holding(archive, b"marrowdane") == []
    assert run(environment, archive, "audit", "verify", "--head", head).returncode == 0
    assert "1 records" in run(environment, archive, "search", "Adra").stdout


def _files_holding(folder: Path, fragment: bytes) -> list[str]:
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if fragment in path.read_bytes().lower() or fragment.decode() in name.lower():
                found.append(str(path.relative_to(folder)))
    return found
