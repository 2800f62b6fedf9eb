"""An incident told by eleven reports in two languages, as a visitor sees it, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import shoot
from tests.web.incident_fixtures import HIDDEN_VALUES, StormingArchive, build_storming_archive

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def storming(transactional_db: None, chromium: Any) -> StormingArchive:
    return build_storming_archive()


def check_page(page: Any, headline: str, summary: str) -> None:
    assert page.inner_text("h1.headline") == headline
    assert page.inner_text("#independence-summary") == summary
    assert page.locator("ol.timeline > li").count() == 11
    assert page.locator("ol.sources > li").count() == 8
    assert page.locator(".figure-group").count() >= 3
    assert page.locator(".grade.suggested .reasons li").count() >= 3
    assert page.locator(".grade.reviewers").count() == 1
    text = page.inner_text("main")
    for value in HIDDEN_VALUES:
        assert value not in text, value
    for identifier in ("at_least", "suffocation_cases", "tear_gas"):
        assert identifier not in page.inner_text("article.incident"), identifier
    # Nothing wider than the window: no sideways scrolling at any width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_incident_page_in_english_and_arabic(page: Any, live_server: Any, storming: StormingArchive) -> None:
    url = f"{live_server.url}/incidents/{storming.incident.pk}"
    page.goto(url)
    check_page(page, "Storming of Hama Central Prison, 6 May 2016", "11 reports from 8 independent sources")
    suffocation = page.locator('.figure-group[data-what="suffocation"]')
    assert "25 to 40" in suffocation.locator("p.range").inner_text()
    assert "cases of suffocation · حالات اختناق" in suffocation.locator("h3").inner_text()
    assert "at least 25 cases of suffocation" in suffocation.inner_text()
    shoot(page, "incident-storming-english")
    page.set_viewport_size(PHONE)
    page.reload()
    check_page(page, "Storming of Hama Central Prison, 6 May 2016", "11 reports from 8 independent sources")
    shoot(page, "incident-storming-english-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    check_page(page, "اقتحام سجن حماة المركزي، 6 أيار 2016", "11 تقريراً من 8 مصادر مستقلة")
    assert "25 حالة اختناق على الأقل" in page.inner_text(".figures-section")
    assert "نحو 2000 سجيناً" in page.inner_text(".figures-section")
    shoot(page, "incident-storming-arabic")
    page.set_viewport_size(PHONE)
    page.reload()
    check_page(page, "اقتحام سجن حماة المركزي، 6 أيار 2016", "11 تقريراً من 8 مصادر مستقلة")
    shoot(page, "incident-storming-arabic-390")


def test_chronicle_names_the_incident_by_its_public_reports(page: Any, live_server: Any, storming: StormingArchive) -> None:
    page.goto(f"{live_server.url}/chronicle")
    assert page.locator("section.day h2").all_inner_texts() == ["2016-05-06"]
    assert page.inner_text("a.incident-link") == "Storming of Hama Central Prison, 6 May 2016"
    assert page.locator("ul.reports > li").count() == 11
    for value in HIDDEN_VALUES:
        assert value not in page.inner_text("main"), value
    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.inner_text("a.incident-link") == "اقتحام سجن حماة المركزي، 6 أيار 2016"
    shoot(page, "chronicle-storming-arabic")
    page.click("a.incident-link")
    page.wait_for_load_state()
    assert page.url.endswith(f"/incidents/{storming.incident.pk}")
