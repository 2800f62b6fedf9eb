"""An import indexes a batch of records at a time: facets, search entries, token counts and heads end as
indexing each record alone would leave them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from dhakira_web.archive import policy
from dhakira_web.archive.exchange.importing import import_jsonl, search_keys
from dhakira_web.archive.exchange.jsonl import write_jsonl
from dhakira_web.archive.exchange.selection import selected_records
from dhakira_web.archive.models import Record, RecordFacet, SearchEntry, SearchHead, SearchToken
from dhakira_web.archive.search import heads, index_record
from dhakira_web.archive.services import refresh_facets
from tests.web.test_exchange_jsonl import empty_the_archive


def index_state() -> dict[str, Any]:
    return {
        "facets": sorted(RecordFacet.objects.values_list("record__code", "name", "value")),
        "entries": sorted(SearchEntry.objects.values_list("record__code", "title_stem", "body_stem", "body_norm", "keys")),
        "tokens": sorted(SearchToken.objects.values_list("token", "documents", "has_head", "head_size", "head_floor")),
        "heads": sorted(SearchHead.objects.values_list("token", "record__code", "impact")),
    }


def test_an_import_indexes_as_records_indexed_one_at_a_time(demo_archive: list[Record], tmp_path: Path, settings: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heads, "HEAD_SIZE", 2)  # frequent tokens get heads, which later batches must enter
    admin = get_user_model().objects.get(username="admin")
    path = tmp_path / "small-batches.jsonl"
    with path.open("wb") as handle:
        write_jsonl(handle, admin, selected_records(admin), originals=True, batch=2)
    empty_the_archive(tmp_path / "blobs", settings)
    report = import_jsonl(path)
    assert report.ok and report.records_added == len(demo_archive)
    imported = index_state()
    assert imported["heads"] and imported["facets"]

    for record in Record.objects.order_by("pk"):
        refresh_facets(record)
        index_record(record, [key for key in search_keys(record) if key not in policy.hidden_keys(None, record)])
    heads.rebuild()
    assert index_state() == imported
