"""Exports on the web: signed-in users only, what they may see, narrowed by the search parameters, audited."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth import get_user_model
from django.test import Client

from dhakira_web.archive.models import AuditEntry, Record


def test_web_export_needs_a_user_and_holds_what_that_user_may_see(demo_archive: list[Record]) -> None:
    assert Client().get("/export?format=jsonl").status_code == 401
    client = Client()
    client.force_login(get_user_model().objects.get(username="viewer"))
    response = client.get("/export", {"format": "jsonl", "language": "en"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert response["X-Dhakira-SHA256"] == hashlib.sha256(body).hexdigest()
    codes = {json.loads(line)["data"]["code"] for line in body.decode("utf-8").splitlines() if '"type":"record"' in line}
    expected = {record.code for record in demo_archive if record.language == "en" and record.access_level in ("public", "restricted")}
    assert codes == expected
    entries = AuditEntry.objects.filter(action="exported", actor="viewer")
    assert set(entries.values_list("target", flat=True)) == expected
    assert {entry.details["sha256"] for entry in entries} == {response["X-Dhakira-SHA256"]}


def test_api_export_in_every_format_and_a_bad_format_is_refused(demo_archive: list[Record]) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    for format_name, start in (("csv", b"PK"), ("acled", b"\xef\xbb\xbf"), ("jsonld", b"{")):
        response = client.get("/api/export", {"format": format_name, "q": "prison"})
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(start)
    assert client.get("/api/export", {"format": "xml"}).status_code == 400


def test_search_page_offers_an_export_of_its_results_to_signed_in_users(demo_archive: list[Record]) -> None:
    from urllib.parse import parse_qs, urlsplit

    from dhakira_web.archive.exchange.exporting import FORMATS

    searched = {"q": "prison", "language": "en"}
    visitor = Client().get("/search", searched)
    assert visitor.status_code == 200 and b'class="export-link"' not in visitor.content  # exports need a signed-in user
    client = Client()
    client.force_login(get_user_model().objects.get(username="viewer"))
    page = client.get("/search", searched)
    links = list(page.context["export_links"])
    assert {parse_qs(urlsplit(url).query)["format"][0] for _, url in links} == set(FORMATS)
    for _, url in links:
        assert url.replace("&", "&amp;").encode() in page.content
        asked = parse_qs(urlsplit(url).query)
        assert asked["q"] == ["prison"] and asked["language"] == ["en"]  # the search's words and facets travel
    jsonl = next(url for _, url in links if "format=jsonl" in url)
    body = b"".join(client.get(jsonl).streaming_content).decode("utf-8")
    exported = {json.loads(line)["data"]["code"] for line in body.splitlines() if '"type":"record"' in line}
    found = {hit["code"] for hit in client.get("/search", {**searched, "format": "json"}).json()["results"]}
    assert exported == found and exported, "the export holds what the search found, for this user"
    assert {record.access_level for record in demo_archive if record.code in exported} <= {"public", "restricted"}
