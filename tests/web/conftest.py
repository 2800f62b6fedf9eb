from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dhakira_web.archive.models import Record

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.database)


@pytest.fixture
def add_record(db: None) -> Callable[..., Record]:
    """Ingest a short text written in the test; returns its record."""
    from dhakira_web.archive.services import ingest_bytes

    def add(text: str, *, name: str = "note.txt", access: str = "public") -> Record:
        outcome = ingest_bytes(text.encode("utf-8"), name=name, access_level=access)
        assert outcome.record is not None, outcome.error
        return outcome.record

    return add


@pytest.fixture
def demo_archive(db: None) -> list[Record]:
    from dhakira_web.archive.demo import build_demo

    build_demo()
    return list(Record.objects.order_by("id"))
