"""Restricted means restricted: in pages, JSON twins, the API, search results and counts."""

from __future__ import annotations

import pytest
from django.test import Client

from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.payloads import search_payload, stats_payload
from dhakira_web.archive.policy import visible_levels

SECRET = "Testimony of a former detainee of Branch 215 about torture during interrogation in Kafr Sousa."
OPEN = "Public report about torture in Branch 215 in Kafr Sousa, Damascus."


@pytest.fixture
def records(add_record):
    return add_record(OPEN, name="open.txt"), add_record(SECRET, name="secret.txt", access="restricted")


def _client(role: str | None) -> Client:
    client = Client()
    if role:
        add_user(f"{role}-user", role, password="pw-for-tests")
        assert client.login(username=f"{role}-user", password="pw-for-tests")
    return client


def test_levels_by_role(db) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert visible_levels(AnonymousUser()) == ["public"]
    add_user("v", "viewer")
    add_user("r", "reviewer")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert visible_levels(users.get(username="v")) == ["public", "restricted"]
    assert visible_levels(users.get(username="r")) == ["public", "restricted", "confidential"]


def test_anonymous_never_sees_restricted(records) -> None:
    from django.contrib.auth.models import AnonymousUser

    public, secret = records
    client = _client(None)
    assert client.get(f"/records/{secret.code}").status_code == 404
    assert client.get(f"/records/{secret.code}?format=json").status_code == 404
    assert client.get(f"/api/records/{secret.code}").status_code == 404
    assert client.get(f"/records/{secret.code}/original").status_code == 404
    found = client.get("/search", {"q": "Branch 215", "format": "json"}).json()
    assert [hit["code"] for hit in found["results"]] == [public.code] and found["total"] == 1
    assert client.get("/api/search", {"q": "torture"}).json()["total"] == 1
    assert stats_payload(AnonymousUser())["records"] == 1
    assert "former detainee" not in client.get("/").content.decode()


def test_viewer_sees_restricted(records) -> None:
    _, secret = records
    client = _client("viewer")
    assert client.get(f"/records/{secret.code}").status_code == 200
    assert client.get("/api/search", {"q": "Branch 215"}).json()["total"] == 2


def test_search_payload_respects_the_user(records) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert search_payload("interrogation", AnonymousUser())["total"] == 0
