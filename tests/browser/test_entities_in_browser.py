"""Facility, organisation and person pages in Chromium, in English and Arabic, at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from dhakira_web.archive.models import Person, Place, Record
from tests.browser.conftest import shoot

HAMA = ("Guards fired tear gas into Hama Central Prison on 6 May 2016, the Syrian Network for Human Rights said. "
        "At least 25 prisoners suffered suffocation. Detainee Mazen Darwish was among them.")
HAMA_AR = ("أطلقت قوات النظام الغاز المسيل للدموع داخل سجن حماة المركزي في 6 أيار 2016، وأصيب ما لا يقل عن 30 سجيناً "
           "بحالات اختناق بحسب الشبكة السورية لحقوق الإنسان. وكان المعتقل مازن درويش بين المصابين.")
HUNGER = "Detainees in Hama Central Prison began a hunger strike on 2 June 2016, relatives said."


@pytest.fixture
def entities(transactional_db: None, chromium: Any) -> dict[str, Any]:
    from dhakira_web.archive.services import ingest_bytes

    records = [ingest_bytes(text.encode(), name=name).record for text, name in
               ((HAMA, "hama-en.txt"), (HAMA_AR, "hama-ar.txt"), (HUNGER, "hunger.txt"))]
    assert all(isinstance(record, Record) for record in records)
    prison = Place.objects.get(name_en="Hama Central Prison")
    person = Person.objects.filter(mentions__name="Mazen Darwish").first()
    organisation = records[0].organisations.first()
    return {"prison": prison, "person": person, "organisation": organisation, "records": records}


def _switch_to_arabic(page: Any) -> None:
    page.click("#switch-language")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_facility_page(page: Any, live_server: Any, entities: dict[str, Any]) -> None:
    prison = entities["prison"]
    page.goto(f"{live_server.url}/places/{prison.pk}")
    assert page.locator("h1").inner_text() == "Hama Central Prison"
    assert page.locator(".mini-map circle.place-point").count() == 1
    assert page.locator(".months-chart li").count() == 2  # May and June 2016
    assert page.locator(".figure .value").count() >= 2
    assert page.locator("ol.results li").count() == 3
    shoot(page, "place-facility-en")
    _switch_to_arabic(page)
    assert page.locator("h1").inner_text() == "سجن حماة المركزي"
    assert "مرفق احتجاز" in page.content()
    shoot(page, "place-facility-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # nothing wider than the phone
    shoot(page, "place-facility-ar-390")


def test_organisation_and_person_pages(page: Any, live_server: Any, entities: dict[str, Any]) -> None:
    organisation, person = entities["organisation"], entities["person"]
    page.goto(f"{live_server.url}/organisations/{organisation.pk}")
    assert page.locator("ol.results li a").count() >= 1
    shoot(page, "organisation-en")
    page.goto(f"{live_server.url}/records/{entities['records'][0].code}")
    page.click("a.person")
    page.wait_for_load_state()
    assert page.url.endswith(f"/persons/{person.pk}")
    names = page.locator(".names-list li").all_inner_texts()
    assert "Mazen Darwish" in names and "مازن درويش" in names
    assert page.locator("section.mention").count() == 2
    shoot(page, "person-en")
    _switch_to_arabic(page)
    assert "الكتابات الواردة" in page.content()
    assert page.locator("h1").inner_text() == "مازن درويش"  # the spelling in the script of the interface
    shoot(page, "person-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/persons?q=مازن درويش")
    assert page.locator("ol.results li a.hit-title").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    shoot(page, "persons-search-ar-390")
    page.goto(f"{live_server.url}/organisations/{organisation.pk}")
    shoot(page, "organisation-ar-390")
