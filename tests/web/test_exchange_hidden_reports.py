"""An incident some of whose reports a reader may not see is exported as the visible reports tell it, in every format."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from django.contrib.auth.models import AnonymousUser

from dhakira_web.archive.exchange.exporting import export_to_path
from tests.web.incident_fixtures import HIDDEN_VALUES, build_storming_archive


def test_a_visitor_export_holds_nothing_only_hidden_reports_say(db: None, tmp_path: Path) -> None:
    archive = build_storming_archive()
    assert archive.incident is not None and "2016-05-04" in archive.incident.title  # the stored row speaks of a hidden report
    texts = {}
    for format_name, name in (("jsonl", "export.jsonl"), ("acled", "events.csv"), ("jsonld", "graph.jsonld"), ("csv", "tables.zip")):
        path = tmp_path / name
        export_to_path(path, format_name, AnonymousUser())
        if format_name == "csv":
            with zipfile.ZipFile(path) as archive_file:
                texts[format_name] = "".join(io.TextIOWrapper(archive_file.open(item), encoding="utf-8-sig").read()
                                             for item in archive_file.namelist())
        else:
            texts[format_name] = path.read_text(encoding="utf-8-sig")
    # Times of this run, record codes, database ids and hashes are no values of a report: left out, so that
    # their digits (ids grow from test to test) never match by chance.
    noise = r"\d{4}-\d\d-\d\dT[0-9:.+\-Z]+|[A-Z]+-\d{4}-[0-9A-Z]+|\b[0-9a-f]{64}\b|\"id\": ?\d+"
    texts = {name: re.sub(noise, "", text) for name, text in texts.items()}
    for format_name, text in texts.items():
        assert "Hama Central Prison" in text, f"{format_name}: the incident is exported"
    leaked = {format_name: [value for value in HIDDEN_VALUES if value in text] for format_name, text in texts.items()}
    assert leaked == {format_name: [] for format_name in texts}
