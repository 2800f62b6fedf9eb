"""The demo archive: our own sample documents (facts of real events, written for Dhakira) and demo accounts."""

from __future__ import annotations

import csv
from importlib import resources

from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.services import ingest_bytes

DEMO_ACCOUNTS = (("viewer", "viewer"), ("editor", "editor"), ("reviewer", "reviewer"), ("admin", "admin"))


def demo_documents() -> list[tuple[str, bytes, str | None, str]]:
    """``(file name, bytes, source URL, access level)`` of each bundled demo document."""
    folder = resources.files(__package__).joinpath("demo_documents")
    rows = csv.DictReader(folder.joinpath("manifest.csv").read_text("utf-8").splitlines())
    return [(row["path"], folder.joinpath(row["path"]).read_bytes(), row["source_url"] or None, row["access"]) for row in rows]


def build_demo() -> list[tuple[str, str, str]]:
    """Ingest the demo documents (again: a second build adds nothing) and set up one account per role."""
    for name, data, source_url, access in demo_documents():
        outcome = ingest_bytes(data, name=name, source_url=source_url, access_level=access)
        if outcome.error:
            raise RuntimeError(f"demo document {name} could not be ingested: {outcome.error}")
    accounts = []
    for username, role in DEMO_ACCOUNTS:
        password = f"{username}-demo"
        add_user(username, role, password=password)
        accounts.append((username, password, role))
    return accounts
