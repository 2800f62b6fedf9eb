"""CSV, JSON-LD and ACLED-style exports: shapes, encodings, the policy and the taxonomy mapping."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dhakira.schema import ids
from dhakira_web.archive.exchange import acled
from dhakira_web.archive.exchange.exporting import export_to_path
from dhakira_web.archive.models import AuditEntry, Incident, Record


def rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_zip_holds_three_files_with_english_headers_and_arabic_values(demo_archive: list[Record], tmp_path: Path) -> None:
    admin = get_user_model().objects.get(username="admin")
    result = export_to_path(tmp_path / "all.zip", "csv", admin)
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert sorted(archive.namelist()) == ["claims.csv", "incidents.csv", "records.csv"]
        records = rows(archive.read("records.csv"))
        incidents = rows(archive.read("incidents.csv"))
        claims = rows(archive.read("claims.csv"))
    assert sorted(row["code"] for row in records) == sorted(record.code for record in demo_archive)
    arabic = next(row for row in records if row["language"] == "ar")
    assert any("\u0600" <= char <= "\u06ff" for char in arabic["title"])
    assert {"code", "title", "issue_date", "document_type", "governorates", "facilities", "sha256"} <= set(records[0])
    assert len(incidents) == Incident.objects.count() and all(row["incident"].count("#") == 2 for row in incidents)
    quoted = next(row for row in claims if row["field"] == "place")
    record = Record.objects.get(code=quoted["record"])
    assert quoted["quote"] == record.text[int(quoted["start"]):int(quoted["end"])]
    assert AuditEntry.objects.filter(action="exported", details__format="csv").count() == len(result.record_ids)


def test_csv_folder_for_a_visitor_leaves_restricted_records_and_their_claims_out(demo_archive: list[Record], tmp_path: Path) -> None:
    export_to_path(tmp_path / "visitor", "csv", AnonymousUser())
    records = rows((tmp_path / "visitor" / "records.csv").read_bytes())
    claims = rows((tmp_path / "visitor" / "claims.csv").read_bytes())
    public = {record.code for record in demo_archive if record.access_level == "public"}
    assert {row["code"] for row in records} == public and {row["access_level"] for row in records} == {"public"}
    assert {row["record"] for row in claims} <= public
    assert (tmp_path / "visitor" / "manifest.json").is_file()


def test_jsonld_uses_schema_org_types_with_coordinates(demo_archive: list[Record], tmp_path: Path) -> None:
    export_to_path(tmp_path / "graph.jsonld", "jsonld", AnonymousUser())
    document = json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == "https://schema.org/"
    by_type: dict[str, list[dict]] = {}
    for node in document["@graph"]:
        by_type.setdefault(node["@type"], []).append(node)
    assert {"Report", "Event", "Place", "Organization"} <= set(by_type)
    assert len(by_type["Report"]) == sum(record.access_level == "public" for record in demo_archive)
    prison = next(node for node in by_type["Place"] if "geo" in node)
    assert {"latitude", "longitude"} <= set(prison["geo"]) and {name["@language"] for name in prison["name"]} == {"en", "ar"}
    event = by_type["Event"][0]
    assert event["subjectOf"] and all(item["@id"].startswith("urn:dhakira:record:") for item in event["subjectOf"])
    report_ids = {node["@id"] for node in by_type["Report"]}
    assert all(item["@id"] in report_ids for node in by_type["Event"] for item in node["subjectOf"])


def test_acled_rows_one_per_incident_with_mapped_types(demo_archive: list[Record], tmp_path: Path) -> None:
    admin = get_user_model().objects.get(username="admin")
    export_to_path(tmp_path / "acled.csv", "acled", admin)
    table = rows((tmp_path / "acled.csv").read_bytes())
    assert list(table[0]) == acled.COLUMNS
    assert len(table) == Incident.objects.count()
    allowed = {(entry["event_type"], entry["sub_event_type"]) for entry in acled.mapping()["types"].values()}
    assert all((row["event_type"], row["sub_event_type"]) in allowed for row in table)
    located = [row for row in table if row["latitude"]]
    assert located and all(row["admin1"] and row["geo_precision"] in {"1", "2", "3"} for row in located)


def test_acled_mapping_covers_every_event_type_and_prefers_the_most_serious() -> None:
    table = acled.mapping()
    assert set(table["types"]) == ids("event_types") and set(table["order"]) == ids("event_types")
    assert acled.event_type_of(["hunger_strike", "death_in_custody"])["event_type"] == "Violence against civilians"
    assert acled.event_type_of(["hunger_strike"]) == {"event_type": "Protests", "sub_event_type": "Peaceful protest"}
