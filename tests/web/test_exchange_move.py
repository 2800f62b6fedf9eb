"""Moving a whole archive from SQLite to PostgreSQL (export --all, import): every page answers the same.

Needs a PostgreSQL server: DHAKIRA_DATABASE_URL or DHAKIRA_TEST_DATABASE_URL names one (a database
of its own is created and dropped here); without one the test is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from tests.web.test_cli import dhakira

PAGES = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from dhakira_web.archive.models import Incident, Record

answers = {}
codes = list(Record.objects.order_by("code").values_list("code", flat=True))
incidents = list(Incident.objects.order_by("pk").values_list("pk", flat=True))
for who in ("visitor", "viewer", "admin"):
    client = Client()
    if who != "visitor":
        client.force_login(get_user_model().objects.get(username=who))
    urls = ["/?format=json", "/search?q=prison&format=json", "/search?q=%D8%B3%D8%AC%D9%86&format=json",
            "/search?format=json&language=ar&sort=date", "/search?q=hunger+strike&format=json&facets=1", "/chronicle?format=json",
            "/map?format=json", "/api/search?q=Hama", "/api/stats"]
    urls += [f"/records/{code}?format=json" for code in codes] + [f"/records/{code}/original" for code in codes]
    urls += [f"/incidents/{pk}?format=json" for pk in incidents]
    for url in urls:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers[f"{who} {url}"] = [response.status_code, body.decode("utf-8", "replace")]
print(json.dumps({"records": len(codes), "answers": answers}))
"""


def pages(env: dict[str, str], archive: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PAGES], capture_output=True, text=True, timeout=600,
                          env={**env, "DHAKIRA_ARCHIVE": str(archive)})
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _without_ranking(value: Any) -> Any:
    """A JSON answer with what each database orders in its own way set aside: relevance scores and the order
    of lists of items (relevance ranking is bm25 on SQLite, ts_rank on PostgreSQL; items that tie on the
    pages' sort keys, such as two reports of one record or two facts on one span, come in storage order)."""
    if isinstance(value, dict):
        return {key: _without_ranking(item) for key, item in value.items() if key != "score"}
    if isinstance(value, list):
        # The move itself is in each record's history (an ``imported`` custody entry): the one thing added.
        items = [_without_ranking(item) for item in value if not (isinstance(item, dict) and item.get("action") == "imported")]
        if items and all(isinstance(item, dict) for item in items):
            items.sort(key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
        return items
    return value


def comparable(answer: Any) -> Any:
    status, body = answer
    try:
        return status, _without_ranking(json.loads(body))
    except ValueError:
        return status, body


def test_a_whole_archive_moves_from_sqlite_to_postgresql_and_every_page_answers_the_same(tmp_path: Path) -> None:
    url = os.environ.get("DHAKIRA_DATABASE_URL") or os.environ.get("DHAKIRA_TEST_DATABASE_URL")
    if not url:
        pytest.skip("no PostgreSQL server named (DHAKIRA_DATABASE_URL or DHAKIRA_TEST_DATABASE_URL)")
    import psycopg

    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    name = f"dhakira_move_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    target_env = {**base, "DHAKIRA_DATABASE_URL": urlunparse(urlparse(url)._replace(path=f"/{name}"))}
    try:
        old, new = tmp_path / "laptop", tmp_path / "server"
        built = subprocess.run([*dhakira(), "--archive", str(old), "demo", "--no-serve"], capture_output=True, text=True, env=base, timeout=600)
        assert built.returncode == 0, built.stderr
        before = pages(base, old)
        whole = tmp_path / "whole.jsonl"
        exported = subprocess.run([*dhakira(), "--archive", str(old), "export", "--all", "--output", str(whole)],
                                  capture_output=True, text=True, env=base, timeout=600)
        assert exported.returncode == 0, exported.stderr
        imported = subprocess.run([*dhakira(), "--archive", str(new), "import", str(whole), "--json"],
                                  capture_output=True, text=True, env=target_env, timeout=600)
        assert imported.returncode == 0, imported.stderr
        after = pages(target_env, new)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    assert after["records"] == before["records"] > 0
    before_answers, after_answers = before["answers"], after["answers"]
    assert isinstance(before_answers, dict) and isinstance(after_answers, dict)
    assert sorted(after_answers) == sorted(before_answers)
    different = [page for page in before_answers if comparable(before_answers[page]) != comparable(after_answers[page])]
    assert not different, f"{len(different)} pages differ, e.g. {different[:5]}"
    assert {status for status, _ in before_answers.values()} >= {200, 404}
