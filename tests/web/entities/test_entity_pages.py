"""Place, organisation and person pages, their JSON twins, the lists, and the links from record pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from dhakira_web.archive.models import Claim, Organisation, Person, Place, Record
from tests.web.entities.test_persons import ARABIC, ENGLISH

HAMA = ("Guards fired tear gas into Hama Central Prison on 6 May 2016, the Syrian Network for Human Rights said. "
        "At least 25 prisoners suffered suffocation. Detainee Mazen Darwish was among them.")
HAMA_AR = ("أطلقت قوات النظام الغاز المسيل للدموع داخل سجن حماة المركزي في 6 أيار 2016، وأصيب ما لا يقل عن 30 سجيناً "
           "بحالات اختناق بحسب الشبكة السورية لحقوق الإنسان.")


def _json(client: Client, url: str) -> Any:
    response = client.get(url, {"format": "json"})
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def test_facility_page_gathers_incidents_figures_and_records(add_record: Callable[..., Record], client: Client,
                                                              django_assert_max_num_queries: Any) -> None:
    english = add_record(HAMA, name="hama-en.txt")
    arabic = add_record(HAMA_AR, name="hama-ar.txt")
    record = _json(client, f"/records/{english.code}")
    prison = next(place for place in record["places"] if place["kind"] == "facility")
    assert prison["url"].startswith("/places/")
    with django_assert_max_num_queries(14):
        data = _json(client, prison["url"])
    assert data["name_en"] == "Hama Central Prison" and data["name_ar"]
    assert {english.code, arabic.code} <= {item["code"] for item in data["records"]["results"]}
    assert data["timeline"] and data["timeline"][0]["month"] == "2016-05"
    assert any(kind["id"] == "tear_gas" for month in data["timeline"] for kind in month["event_types"])
    values = {figure["value"] for group in data["figures"] for figure in group["figures"]}
    assert {25, 30} <= values  # figures of both reports side by side
    spans = Claim.objects.filter(record__in=[english, arabic], field="count").values_list("record_id", "start", "end")
    texts = {english.pk: english.text, arabic.pk: arabic.text}
    quotes = {figure["quote"] for group in data["figures"] for figure in group["figures"]}
    assert quotes <= {texts[pk][start:end] for pk, start, end in spans}  # the very words of the texts, both languages
    assert any("25" in quote for quote in quotes) and any("30" in quote for quote in quotes)
    assert data["hierarchy"] and data["map"]["point"] is not None
    html = client.get(prison["url"]).content.decode()
    assert "Hama Central Prison" in html and "<svg" in html and "place-point" in html


def test_organisation_and_person_pages(add_record: Callable[..., Record], client: Client) -> None:
    english = add_record(HAMA, name="hama-en.txt")
    add_record(ARABIC, name="ar.txt")
    record = _json(client, f"/records/{english.code}")
    organisation = record["organisations"][0]
    data = _json(client, organisation["url"])
    assert english.code in [item["code"] for item in data["records"]["results"]]
    person = next(item for item in record["persons"] if item["name"] == "Mazen Darwish")
    page = _json(client, person["url"])
    assert {"Mazen Darwish", "مازن درويش"} <= set(page["names"])
    assert len(page["records"]) == 2 and any(m["role"] == "detainee" for r in page["records"] for m in r["mentions"])
    assert any("Mazen Darwish" in m["quote"] for r in page["records"] for m in r["mentions"])
    html = client.get(person["url"]).content.decode()
    assert "مازن درويش" in html and english.code in html or english.title in html


def test_protected_person_has_no_public_page(add_record: Callable[..., Record], client: Client) -> None:
    record = add_record(ENGLISH, name="en.txt", access="restricted")
    person = Person.objects.get(mentions__record=record, name="Mazen Darwish")
    assert client.get(f"/persons/{person.pk}").status_code == 404
    assert client.get(f"/api/persons/{person.pk}").status_code == 404
    assert _json(client, "/persons?q=Mazen+Darwish")["results"] == []
    assert _json(client, "/persons")["results"] == []


def test_lists_search_in_both_languages(add_record: Callable[..., Record], client: Client) -> None:
    add_record(HAMA, name="hama-en.txt")
    add_record(ARABIC, name="ar.txt")
    for query in ("Hama", "حماة"):
        names = [item["name_en"] for item in _json(client, f"/places?q={query}")["results"]]
        assert "Hama Central Prison" in names, query
    assert _json(client, "/organisations")["results"]
    found = _json(client, "/persons?q=مازن درويش")["results"]
    assert found and "Mazen Darwish" in found[0]["names"]
    assert client.get("/api/persons", {"q": "Mazen Darwish"}).json()["results"][0]["id"] == found[0]["id"]
    place = Place.objects.get(name_en="Hama Central Prison")
    assert client.get(f"/api/places/{place.pk}").json()["name_en"] == "Hama Central Prison"
    organisation = Organisation.objects.first()
    assert organisation is not None and client.get(f"/api/organisations/{organisation.pk}").status_code == 200
    for url in ("/places", "/organisations", "/persons", "/persons?q=محمد"):
        assert client.get(url).status_code == 200


def test_reviewer_sets_access_level_from_the_page(add_record: Callable[..., Record], client: Client,
                                                  django_user_model: Any) -> None:
    from django.contrib.auth.models import Group

    record = add_record(ENGLISH, name="en.txt")
    person = Person.objects.get(mentions__record=record, name="Mazen Darwish")
    viewer = django_user_model.objects.create_user("viewer1", password="x")
    viewer.groups.add(Group.objects.get_or_create(name="viewer")[0])
    client.force_login(viewer)
    assert client.post(f"/persons/{person.pk}/access", {"level": "restricted"}).status_code == 403
    reviewer = django_user_model.objects.create_user("reviewer1", password="x")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    client.force_login(reviewer)
    assert client.post(f"/persons/{person.pk}/access", {"level": "restricted"}).status_code == 302
    client.logout()
    assert client.get(f"/persons/{person.pk}").status_code == 404


def test_a_figure_quoted_on_a_place_page_hides_a_redacted_name_it_partly_covers(add_record: Callable[..., Record],
                                                                               client: Client) -> None:
    from dhakira_web.archive.protection import services

    record = add_record(HAMA, name="hama-en.txt")
    figure = Claim.objects.filter(record=record, field="count", incident_report__isnull=False).first()
    assert figure is not None
    name = record.text.index("Darwish")  # the quote is stretched to end inside the witness's name
    Claim.objects.filter(pk=figure.pk).update(start=figure.start, end=name + 3)
    services.redact(record, "Mazen Darwish", actor="tester", reason="protect the detainee")
    prison = Place.objects.get(name_en="Hama Central Prison")
    quotes = [item["quote"] for group in _json(client, f"/places/{prison.pk}")["figures"] for item in group["figures"]]
    assert quotes and all("Dar" not in quote and "Mazen" not in quote for quote in quotes), quotes
    assert any("█" in quote for quote in quotes)
