"""Hostile content is shown as text, never run: script, event-handler, iframe and SVG payloads in an
ingested title, text and file name, on every page that shows them, to the public and to a reviewer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import shoot

TITLE_PAYLOAD = '<img src=x onerror="alert(\'title\')"><script>alert("title")</script>'
TEXT_PAYLOADS = ['<script>alert("text")</script>', '<img src=x onerror=alert("text-img")>',
                 '<iframe src="javascript:alert(\'frame\')"></iframe>', '<svg onload=alert("svg")><circle r=7.25></circle></svg>']
FILE_NAME = '<svg onload=alert("file")>report.html'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _document() -> bytes:
    written = " ".join(_escape(payload) for payload in TEXT_PAYLOADS)
    live = "".join(TEXT_PAYLOADS)  # real markup in the source too: the reader must drop it, the page must not run it
    return (f"<html><head><title>{_escape(TITLE_PAYLOAD)} Adra hunger strike</title></head><body>"
            f"<h1>{_escape(TITLE_PAYLOAD)} Adra hunger strike</h1>"
            f"<p>Detainees in Adra Central Prison began a hunger strike on 4 May 2021. {written}</p>{live}"
            f"<p>Families asked for news of the detainees held in Adra Central Prison.</p></body></html>").encode()


@pytest.fixture
def hostile(transactional_db: None, chromium: Any) -> Any:
    from dhakira_web.archive.accounts import add_user
    from dhakira_web.archive.protection import services
    from dhakira_web.archive.services import ingest_bytes

    outcome = ingest_bytes(_document(), name=FILE_NAME)
    assert outcome.record is not None, outcome.error
    services.redact(outcome.record, "hunger strike", actor="tester")
    add_user("xss-reviewer", "reviewer", password="pw-for-browser-tests")
    return outcome.record


INJECTED = """() => document.querySelectorAll(
  '[onerror], [onload], iframe, img[src="x"], script:not([src]):not([type="application/json"]), circle[r="7.25"]').length"""


def _visit(page: Any, url: str, dialogs: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert dialogs == [], f"{url} ran a script: {dialogs}"
    assert page.evaluate(INJECTED) == 0, f"{url} holds an injected element"


@pytest.mark.parametrize("role", [None, "reviewer"])
def test_payloads_are_text_on_every_page(page: Any, live_server: Any, hostile: Any, role: str | None) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    server = live_server.url
    if role:
        page.goto(server + "/login/")
        page.fill("input[name=username]", "xss-reviewer")
        page.fill("input[name=password]", "pw-for-browser-tests")
        page.click("form.login button[type=submit]")
        page.wait_for_load_state()
        assert "xss-reviewer" in page.content()
    for url in (f"/records/{hostile.code}", "/search?q=Adra", "/search?q=detainees&sort=date", "/", "/chronicle", "/map",
                "/api/docs"):
        _visit(page, server + url, dialogs)
    _visit(page, server + f"/records/{hostile.code}", dialogs)
    heading = page.inner_text("h1")
    assert "onerror" in heading or "<script>" in heading or "Adra" in heading
    text = page.inner_text(".text")
    assert '<script>alert("text")</script>' in text  # shown, as written, never run
    assert page.inner_text("dd.source").strip().startswith("<svg") or "report.html" in page.inner_text("dd.source")
    if role == "reviewer":  # the redaction, marked, and the reviewer's forms, with the payload phrase selected into one
        assert page.locator(".text mark.redacted").count() == 1 and page.locator("form.redact-form").count() == 1
        page.fill("#redact-phrase", TEXT_PAYLOADS[1])
        page.click("form.redact-form button")
        page.wait_for_load_state()
        _visit(page, server + f"/records/{hostile.code}", dialogs)
        assert page.locator("ul.redactions li").count() == 2
    shoot(page, f"hostile-record-{role or 'anonymous'}")


def test_api_docs_run_from_local_assets_under_the_csp(page: Any, live_server: Any, transactional_db: None) -> None:
    blocked: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None)
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Dhakira" in page.inner_text(".swagger-ui .info .title")
    assert outside == [] and blocked == []
