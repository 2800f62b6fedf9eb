"""JSON-lines export and import: the round trip loses nothing, re-import changes nothing, the policy holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive import audit, blobs, policy
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.exchange.exporting import export_to_path
from dhakira_web.archive.exchange.importing import ImportError_, import_jsonl
from dhakira_web.archive.models import AuditEntry, Claim, Incident, IncidentReport, Person, Record


def comparable(path: Path) -> list[str]:
    """An export's lines without its header and without the custody an import itself writes, sorted."""
    kept = []
    for text in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(text)
        if item["type"] == "header" or (item["type"] == "custody" and item["data"]["action"] == "imported"):
            continue
        kept.append(json.dumps(item, sort_keys=True, ensure_ascii=False))
    return sorted(kept)


def empty_the_archive(blob_dir: Path, settings: Any) -> None:
    """Make the test database an empty archive (every archive table emptied) with a fresh blob store."""
    for model in apps.get_app_config("archive").get_models():
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    settings.BLOB_DIR = blob_dir


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("archive").get_models()}


def test_admin_round_trip_keeps_everything_and_reimport_changes_nothing(demo_archive: list[Record], tmp_path: Path, settings: Any) -> None:
    admin = get_user_model().objects.get(username="admin")
    restricted = [record.code for record in demo_archive if record.access_level != "public"]
    assert restricted, "the demo archive holds restricted records"
    first = tmp_path / "first.jsonl"
    result = export_to_path(first, "jsonl", admin, originals=True)
    assert len(result.record_ids) == len(demo_archive)
    originals = {record.sha256: blobs.read(record.sha256) for record in demo_archive}
    codes = sorted(record.code for record in demo_archive)
    texts = {record.code: record.text for record in demo_archive}
    assert all(texts.values())

    empty_the_archive(tmp_path / "blobs", settings)
    report = import_jsonl(first, actor="importer")
    assert report.ok, report.as_json()
    assert report.records_added == len(demo_archive)
    assert sorted(Record.objects.values_list("code", flat=True)) == codes
    assert dict(Record.objects.values_list("code", "text")) == texts  # the clean texts as they were, every character
    for sha256, data in originals.items():
        assert blobs.read(sha256) == data
    assert audit.verify() == (True, None)
    assert AuditEntry.objects.filter(action="imported").count() == len(demo_archive)

    before = counts()
    again = import_jsonl(first, actor="importer")
    assert again.records_added == 0 and again.records_present == len(demo_archive)
    assert sum(again.rows_added.values()) == 0
    assert counts() == before

    add_user("admin", "admin", password="x-admin-password")
    second = tmp_path / "second.jsonl"
    export_to_path(second, "jsonl", get_user_model().objects.get(username="admin"), originals=True)
    assert comparable(second) == comparable(first)
    assert any(json.loads(line)["data"].get("code") in restricted for line in comparable(second) if '"type": "record"' in line)


def test_visitor_export_holds_public_records_only_and_round_trips(demo_archive: list[Record], tmp_path: Path, settings: Any) -> None:
    first = tmp_path / "visitor.jsonl"
    result = export_to_path(first, "jsonl", AnonymousUser())
    public = {record.pk for record in demo_archive if record.access_level == "public"}
    assert set(result.record_ids) == public
    lines = [json.loads(text) for text in first.read_text(encoding="utf-8").splitlines()]
    assert {line["data"]["access_level"] for line in lines if line["type"] == "record"} == {"public"}
    assert not [line for line in lines if line["type"] == "custody"], "custody names staff: not for anonymous visitors"
    empty_the_archive(tmp_path / "blobs", settings)
    assert import_jsonl(first).ok
    second = tmp_path / "again.jsonl"
    export_to_path(second, "jsonl", AnonymousUser())
    assert comparable(second) == comparable(first)


def test_persons_the_reader_may_not_see_are_left_out_everywhere(demo_archive: list[Record], tmp_path: Path) -> None:
    person = Person.objects.create(name="Samer Example", normalised_name="samer example", access_level="confidential")
    public = next(record for record in demo_archive if record.access_level == "public")
    public.persons.add(person)
    Claim.objects.create(record=public, field="person", value=person.name, start=0, end=5, extractor="test")
    path = tmp_path / "persons.jsonl"
    export_to_path(path, "jsonl", AnonymousUser())
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    assert person.normalised_name not in {line["data"].get("normalised_name") for line in lines if line["type"] == "person"}
    for line in lines:
        if line["type"] == "record":
            assert person.normalised_name not in line["data"]["persons"]
            assert person.name not in {entry.get("text") for entry in line["data"]["extraction"].get("persons") or []}
        if line["type"] == "claim" and line["data"]["field"] == "person":
            assert line["data"]["value"] != person.name
    admin_path = tmp_path / "admin.jsonl"
    export_to_path(admin_path, "jsonl", get_user_model().objects.get(username="admin"))
    assert f'"normalised_name":"{person.normalised_name}"' in admin_path.read_text(encoding="utf-8")


def test_every_exported_text_passes_through_the_redaction_policy(demo_archive: list[Record], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    word = "Prison"
    assert Claim.objects.filter(value__contains=word).exists() and Record.objects.filter(title__contains=word).exists()
    monkeypatch.setattr(policy, "shown_text", lambda user, record, text: text.replace(word, "█" * len(word)))
    path = tmp_path / "masked.jsonl"
    export_to_path(path, "jsonl", get_user_model().objects.get(username="admin"))
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["type"] == "record":
            assert word not in item["data"]["title"] + item["data"]["text"] + json.dumps(item["data"]["extraction"], ensure_ascii=False)
        if item["type"] == "claim":
            assert word not in item["data"]["value"]


def test_each_record_carried_gets_an_exported_custody_entry(demo_archive: list[Record], tmp_path: Path) -> None:
    path = tmp_path / "custody.jsonl"
    result = export_to_path(path, "jsonl", AnonymousUser(), filters={"language": "ar"})
    assert result.record_ids and set(Record.objects.filter(pk__in=result.record_ids).values_list("language", flat=True)) == {"ar"}
    import hashlib

    entries = AuditEntry.objects.filter(action="exported")
    assert sorted(entries.values_list("record_id", flat=True)) == sorted(result.record_ids)
    assert {entry.details["sha256"] for entry in entries} == {hashlib.sha256(path.read_bytes()).hexdigest()}
    assert {entry.details["format"] for entry in entries} == {"jsonl"} and {entry.actor for entry in entries} == {"anonymous"}
    assert audit.verify() == (True, None)


def test_query_selects_what_search_finds(demo_archive: list[Record], tmp_path: Path) -> None:
    from dhakira_web.archive.payloads import search_payload

    found = {hit["code"] for hit in search_payload("hunger strike", AnonymousUser(), limit=200)["results"]}
    assert found
    result = export_to_path(tmp_path / "q.jsonl", "jsonl", AnonymousUser(), query="hunger strike")
    assert set(Record.objects.filter(pk__in=result.record_ids).values_list("code", flat=True)) == found


def test_conflicting_code_is_reported_and_nothing_overwritten(demo_archive: list[Record], tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    export_to_path(path, "jsonl", get_user_model().objects.get(username="admin"))
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = []
    for text in lines:
        item = json.loads(text)
        if item["type"] == "record" and item["data"]["code"] == demo_archive[0].code:
            item["data"]["sha256"] = "0" * 64
            item["data"]["title"] = "another document"
        changed.append(json.dumps(item, ensure_ascii=False))
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    report = import_jsonl(path)
    assert not report.ok and any(demo_archive[0].code in line for line in report.conflicts)
    assert Record.objects.get(code=demo_archive[0].code).title == demo_archive[0].title
    assert Incident.objects.count() and IncidentReport.objects.filter(record=demo_archive[0]).count() == demo_archive[0].incident_reports.count()


def test_broken_lines_are_reported_and_the_rest_lands(demo_archive: list[Record], tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "good.jsonl"
    export_to_path(path, "jsonl", get_user_model().objects.get(username="admin"))
    lines = path.read_text(encoding="utf-8").splitlines()
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join([lines[0], "{not json", "[1, 2]", '{"type": "record", "data": {"title": "no code"}}',
                                   '{"type": "kind_of_a_later_version", "v": 1, "data": {}}', *lines[1:]]) + "\n", encoding="utf-8")
    empty_the_archive(tmp_path / "blobs", settings)
    report = import_jsonl(damaged)
    assert [error.split(":")[0] for error in report.errors] == ["line 2", "line 3", "line 4"]
    assert report.records_added == len(demo_archive)
    assert report.skipped_kinds == {"kind_of_a_later_version": 1}


def test_an_earlier_shape_of_a_kind_is_upgraded_as_it_is_read(demo_archive: list[Record], tmp_path: Path, settings: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from dhakira_web.archive.exchange import importing, serial

    path = tmp_path / "v1.jsonl"
    export_to_path(path, "jsonl", get_user_model().objects.get(username="admin"))
    empty_the_archive(tmp_path / "blobs", settings)
    upgraded = []

    def upgrade(data: dict[str, Any]) -> dict[str, Any]:
        upgraded.append(data["value"])
        return {**data, "review": data.get("review") or ""}

    monkeypatch.setitem(serial.KINDS, "claim", serial.Kind("claim", Claim, version=2))
    monkeypatch.setitem(importing.UPGRADES, ("claim", 1), upgrade)
    report = importing.import_jsonl(path)
    assert report.ok and upgraded and Claim.objects.count() == len(upgraded)


def test_a_file_that_is_not_an_export_or_is_newer_is_refused(db: None, tmp_path: Path) -> None:
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"\x00\x01 not json\n")
    with pytest.raises(ImportError_):
        import_jsonl(junk)
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps({"type": "header", "format": "dhakira-export", "version": 99}) + "\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="99"):
        import_jsonl(newer)
    assert Record.objects.count() == 0


def test_redactions_travel_to_reviewers_only_and_stay_hidden_after_import(demo_archive: list[Record], tmp_path: Path,
                                                                          settings: Any) -> None:
    from dhakira_web.archive import payloads
    from dhakira_web.archive.protection.services import redact

    record = next(record for record in demo_archive if record.access_level == "public" and record.language == "en")
    phrase = next(word for word in record.text.split() if len(word) > 7 and word.isalpha())
    redact(record, phrase, actor="reviewer", reason="a witness")
    admin = get_user_model().objects.get(username="admin")
    visitor_file, admin_file = tmp_path / "visitor.jsonl", tmp_path / "admin.jsonl"
    export_to_path(visitor_file, "jsonl", AnonymousUser())
    export_to_path(admin_file, "jsonl", admin, originals=True)
    assert phrase not in visitor_file.read_text(encoding="utf-8")
    assert '"type":"redaction"' not in visitor_file.read_text(encoding="utf-8")
    assert '"type":"redaction"' in admin_file.read_text(encoding="utf-8")

    empty_the_archive(tmp_path / "blobs", settings)
    assert import_jsonl(admin_file, actor="importer").ok
    imported = Record.objects.get(code=record.code)
    assert imported.redactions.filter(phrase=phrase).exists()
    assert phrase not in payloads.record_payload(imported, None)["text"]
    assert record.code not in {hit["code"] for hit in payloads.search_payload(phrase, None)["results"]}
