"""A reviewer corrects a count and a place, grades the record, re-extraction keeps both, and the incident page
shows the corrected figure beside the machine's, in English and in Arabic (screenshots in the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

STRIKE = ("On 3 May 2022, about 40 detainees at Hama Central Prison began a hunger strike against their treatment. "
          "Guards beat several of them, the families said.")


@pytest.fixture
def reviewed_record(transactional_db: None, chromium: Any) -> Any:
    from dhakira_web.archive.accounts import add_user
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.services import ingest_bytes

    add_user("rana", "reviewer", password="a-long-test-password")
    record = ingest_bytes(STRIKE.encode(), name="strike.txt").record
    assert record is not None
    Record.objects.filter(pk=record.pk).update(issuer="Families of detainees in Hama")
    return record


def sign_in(page: Any, server: str) -> None:
    page.goto(server + "/login/")
    page.fill("input[name=username]", "rana")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("form.login button[type=submit]")
    page.wait_for_load_state()


def correct(page: Any, field: str, value: str, reason: str) -> None:
    row = page.locator(f"tr.claim-row[data-field={field}]").first
    row.locator("details.correct summary").click()
    row.locator("form.claim-correct input[name=value]").fill(value)
    row.locator("form.claim-correct input[name=reason]").fill(reason)
    row.locator("form.claim-correct button[type=submit]").click()
    page.wait_for_load_state()


def shoot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_reviewer_corrects_grades_and_reextraction_keeps_it(page: Any, live_server: Any, reviewed_record: Any,
                                                            tmp_path: Path) -> None:
    from dhakira_web.archive.review.reextract import reextract

    server, code = live_server.url, reviewed_record.code
    sign_in(page, server)
    page.goto(f"{server}/records/{code}")
    correct(page, "count", "45", "The families' list names 45 detainees.")
    correct(page, "facility", "Adra Prison", "The families wrote from Adra; Hama is their home town.")
    page.select_option("form.grade-form select[name=source]", "B")
    page.select_option("form.grade-form select[name=information]", "2")
    page.fill("form.grade-form input[name=rationale]", "Families name each detainee; figures match the prison's list.")
    page.click("form.grade-form button.grade-submit")
    page.wait_for_load_state()
    assert page.inner_text(".grade-words") == "B2 — usually reliable, probably true"

    outcome = reextract(type(reviewed_record).objects.get(pk=reviewed_record.pk), actor="operator")
    assert outcome.kept == 2 and outcome.unanchored == []

    page.goto(f"{server}/records/{code}")
    count_row = page.locator("tr.claim-row[data-field=count]")
    assert "45" in count_row.locator(".corrected-value").inner_text() and "40" in count_row.locator(".machine-value").inner_text()
    assert "Adra Prison" in page.locator("tr.claim-row[data-field=facility] .corrected-value").inner_text()
    assert "Adra Prison" in page.inner_text("dl.metadata")
    assert page.inner_text(".grade-words") == "B2 — usually reliable, probably true"
    assert page.locator("section.history tr.change[data-action=reextracted]").count() == 1
    shoot(page, tmp_path, "record-reviewed-en")

    page.click("dd a.incident")
    page.wait_for_load_state()
    figure = page.locator(".figure.reviewed").first
    assert "45" in figure.locator(".corrected-figure").inner_text()
    assert "40" in figure.locator(".machine-figure").inner_text()
    shoot(page, tmp_path, "incident-reviewed-en")

    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    figure = page.locator(".figure.reviewed").first
    assert "45" in figure.locator(".corrected-figure").inner_text() and "المراجع" in figure.inner_text()
    shoot(page, tmp_path, "incident-reviewed-ar")
    page.goto(f"{server}/records/{code}")
    assert page.inner_text(".grade-words") == "B2 — موثوق عادةً، مرجّح الصحة"
    assert "سجن عدرا" in page.inner_text("dl.metadata")
    shoot(page, tmp_path, "record-reviewed-ar")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/records/{code}")
    # The review sections fit a phone's width (their tables scroll inside themselves).
    for section in ("section.grades", "section.review-state", "section.claims-review", "section.history"):
        box = page.locator(section).bounding_box()
        assert box is not None and box["x"] >= -1 and box["x"] + box["width"] <= 391, section
    shoot(page, tmp_path, "record-reviewed-ar-phone")
    print(f"screenshots in {tmp_path}")
