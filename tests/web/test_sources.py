"""Sources as a documentation team receives them, through the archive: URLs and another archive's record pages."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client

from dhakira_web.archive.ingestion import ingest_sources
from dhakira_web.archive.models import IngestFailure, Record

FIXTURES = Path(__file__).parent.parent / "ingest" / "fixtures"
PAGE = ("<html><head><title>Releases from Adra Prison</title></head><body><article><h1>Releases from Adra Prison</h1>"
        "<p>Dozens of detainees were released from Adra Prison on 3 May 2022 under the amnesty decree.</p></article></body></html>")


@pytest.fixture
def local_site():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/releases/adra.html"
    server.shutdown()


def test_url_on_a_private_address_is_refused_and_nothing_is_touched(add_record, local_site: str) -> None:
    kept = add_record("A record that must not be touched by a refused URL.")
    summary = ingest_sources([local_site])
    assert summary.ingested == 0 and len(summary.failed) == 1
    assert "127.0.0.1" in summary.failed[0]["error"] or "private" in summary.failed[0]["error"].lower() or "loopback" in summary.failed[0]["error"].lower()
    assert IngestFailure.objects.filter(path=local_site).exists()
    assert list(Record.objects.values_list("code", flat=True)) == [kept.code]


def test_url_from_an_allowed_host_keeps_the_fetched_bytes(db, local_site: str) -> None:
    summary = ingest_sources([local_site], allow_hosts=frozenset({"127.0.0.1"}))
    assert summary.as_json() == {"ingested": 1, "duplicates": 0, "failed": []}
    record = Record.objects.get()
    assert record.source_url == local_site and record.capture_method == "http_get"
    assert record.title == "Releases from Adra Prison" and "<p>" not in record.text
    original = b"".join(Client().get(f"/records/{record.code}/original").streaming_content)
    assert original == PAGE.encode()


@pytest.mark.parametrize("name", ["syrian_memory_record.html", "syrian_memory_record.txt"])
def test_syrian_memory_record_keeps_code_and_grade(db, name: str) -> None:
    summary = ingest_sources([str(FIXTURES / name)])
    assert summary.ingested == 1, summary.failed
    record = Record.objects.get()
    assert [item["scheme"] for item in record.external_ids] == ["syrian_memory_code"]
    assessment = record.assessments.get()
    assert assessment.scheme == "syrian_memory_grade" and assessment.imported and not assessment.suggested
    assert "الذاكرة السورية هي ملك" not in record.text
    data = json.loads(Client().get(f"/records/{record.code}?format=json").content)
    assert data["external_ids"][0]["value"] == record.external_ids[0]["value"]
    assert data["assessments"][0]["imported"] is True
