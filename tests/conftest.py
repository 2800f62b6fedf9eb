"""Shared test set-up. Web and archive tests (tests/web) carry the ``database`` marker: ``make test``
runs them a second time on PostgreSQL when DHAKIRA_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile

# Every test run gets its own archive directory (blobs, quarantine, SQLite file) before Django loads.
os.environ.setdefault("DHAKIRA_ARCHIVE", tempfile.mkdtemp(prefix="dhakira-test-archive-"))
