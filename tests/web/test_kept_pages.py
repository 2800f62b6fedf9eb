"""Kept pages: a page computed once per archive generation and reader, never shown after a change or to
another kind of reader, and gone from the disk cache after a safety removal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.counts.models import ArchiveGeneration
from dhakira_web.archive.models import Record
from dhakira_web.archive.protection import services
from dhakira_web.archive.protection.expunge import expunge

WITNESS = "Tamarind Oskellwyn"
TEXT = (f"Detainees held in Adra Central Prison began refusing food on 2 March 2022. {WITNESS} described the "
        f"cells of the third wing, and {WITNESS} said forty men were moved at night.")
OTHER = "Families waited at the gate of Adra Central Prison on 9 March 2022 asking about the detainees moved at night."

pytestmark = pytest.mark.django_db(transaction=True)  # each change committed: kept pages are kept outside transactions only


@pytest.fixture
def archive() -> None:
    ArchiveGeneration.objects.get_or_create(id=1)  # a flushed test database lost the row the migration wrote


def _ingest(text: str, name: str, access: str = "public") -> Record:
    from dhakira_web.archive.services import ingest_bytes

    outcome = ingest_bytes(text.encode("utf-8"), name=name, access_level=access)
    assert outcome.record is not None, outcome.error
    return outcome.record


def _signed_in(role: str) -> Client:
    add_user(f"kept-{role}", role, password="pw-for-tests")
    client = Client()
    client.force_login(get_user_model().objects.get(username=f"kept-{role}"))
    return client


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    return len(captured.captured_queries), body


def test_a_page_asked_again_is_served_from_what_was_kept(archive) -> None:
    record = _ingest(TEXT, "refusal.txt")
    visitor = Client()
    for url in (f"/records/{record.code}", "/search?q=Adra", "/chronicle", "/map"):
        first, body = _queries(visitor, url)
        again, body_again = _queries(visitor, url)
        assert again < first and again <= 2, (url, first, again)  # the generation, at most the session
        assert _without_tokens(body_again) == _without_tokens(body), url  # the same page; each answer has its own form token


def test_a_kept_page_is_never_shown_after_a_redaction_or_a_change_of_access(archive) -> None:
    record = _ingest(TEXT, "refusal.txt")
    _ingest(OTHER, "families.txt")
    visitor = Client()
    for url in (f"/records/{record.code}", "/search?q=Adra", "/search?q=Adra&format=json"):
        assert "Oskellwyn" in visitor.get(url).content.decode(), url
    services.redact(record, WITNESS, actor="tester", reason="protect the witness")
    for url in (f"/records/{record.code}", "/search?q=Adra", "/search?q=Adra&format=json"):
        assert "Oskellwyn" not in visitor.get(url).content.decode(), url
    services.set_access(record, "restricted", actor="tester", reason="witness safety")
    assert visitor.get(f"/records/{record.code}").status_code == 404
    assert visitor.get("/search?q=Adra&format=json").json()["total"] == 1


def test_a_page_kept_for_one_kind_of_reader_is_not_shown_to_another(archive) -> None:
    restricted = _ingest(TEXT, "refusal.txt", access="restricted")
    _ingest(OTHER, "families.txt")
    reviewer, visitor = _signed_in("reviewer"), Client()
    url = "/search?q=Adra&format=json"
    assert reviewer.get(url).json()["total"] == 2  # kept for reviewers first
    assert visitor.get(url).json()["total"] == 1
    assert reviewer.get(url).json()["total"] == 2
    assert reviewer.get(f"/records/{restricted.code}").status_code == 200
    assert visitor.get(f"/records/{restricted.code}").status_code == 404
    assert visitor.get("/search?q=Adra&language=ar&format=json").json()["total"] == 0
    page = visitor.get("/search?q=Adra", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar"' in page or 'dir="rtl"' in page  # the Arabic page is not the English one kept before


def test_a_safety_removal_leaves_no_kept_page_of_the_record_on_disk(archive) -> None:
    record = _ingest(TEXT, "refusal.txt")
    for client in (Client(), _signed_in("reviewer")):
        assert "Oskellwyn" in client.get(f"/records/{record.code}").content.decode()
        assert "Oskellwyn" in client.get("/search?q=Adra").content.decode()
    folder = Path(settings.CACHES["default"]["LOCATION"])

    def held() -> list[str]:
        return [str(path) for path in folder.rglob("*") if path.is_file() and b"Oskellwyn" in path.read_bytes()]

    assert held(), "the pages were kept on disk"
    expunge(Record.objects.get(pk=record.pk), actor="tester", reason="witness asked to be removed")
    assert held() == []


def test_a_visitors_kept_page_carries_a_form_token_of_its_own_that_works(archive) -> None:
    record = _ingest(TEXT, "refusal.txt")
    first = Client(enforce_csrf_checks=True)
    _queries(first, f"/records/{record.code}")  # computed and kept
    second = Client(enforce_csrf_checks=True)
    count, page = _queries(second, f"/records/{record.code}")
    assert count == 1 and "Oskellwyn" in page  # the kept page: only the generation is read
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1 and "dhakira-form-token-slot" not in page
    answer = second.post("/i18n/setlang/", {"language": "ar", "next": "/", "csrfmiddlewaretoken": tokens.pop()})
    assert answer.status_code == 302  # the token given with the kept page is this visitor's own
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/search")  # a cookie of its own, and another visitor's token
    other = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.get(f"/records/{record.code}").content.decode())
    assert other is not None
    assert stranger.post("/i18n/setlang/", {"language": "ar", "next": "/", "csrfmiddlewaretoken": other.group(1)}).status_code == 403


def test_a_signed_in_readers_kept_page_is_their_own_with_forms_that_work(archive) -> None:
    record = _ingest(TEXT, "refusal.txt")
    first, second = _signed_in("reviewer"), Client(enforce_csrf_checks=True)
    add_user("kept-other", "reviewer", password="pw-for-tests")
    second.force_login(get_user_model().objects.get(username="kept-other"))
    url = f"/records/{record.code}"
    first.get(url)
    count, page = _queries(first, url)
    assert count <= 5 and "kept-reviewer" in page  # kept: session, user, groups and the generation
    other = second.get(url).content.decode()
    assert "kept-other" in other and "kept-reviewer" not in other  # not the first reviewer's page
    _, again = _queries(second, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again)
    assert token is not None and "kept-other" in again
    answer = second.post(f"/records/{record.code}/access", {"level": "restricted", "reason": "witness safety",
                                                            "csrfmiddlewaretoken": token.group(1)})
    assert answer.status_code in (200, 302)  # the kept page's form works for its reader
    assert Client().get(url).status_code == 404
