"""Pages and their JSON twins over a linked archive: search, record, incident, chronicle, map, API."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.test_search_archive import build_linked_archive


@pytest.fixture
def linked(db):
    return build_linked_archive()


@pytest.fixture
def viewer_client(linked, django_user_model) -> Client:
    from dhakira_web.archive.accounts import add_user

    add_user("page-viewer", "viewer", password="x-password-1")
    client = Client()
    client.force_login(django_user_model.objects.get(username="page-viewer"))
    return client


def test_search_page_shows_facets_labels_and_highlights(linked) -> None:
    page = Client().get("/search", {"q": "Saydnaya"}).content.decode()
    assert "Saydnaya Military Prison" in page and 'data-facet="facility"' in page
    assert "<mark>Saydnaya</mark>" in page
    assert linked.records["secret_ar"].code not in page
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    arabic = client.get("/search", {"q": "Saydnaya"}).content.decode()
    assert 'dir="rtl"' in arabic and "سجن صيدنايا العسكري" in arabic and "المنشأة" in arabic


def test_search_json_twin_and_pagination(linked) -> None:
    data = Client().get("/search", {"q": "prison OR سجن", "format": "json"}).json()
    assert data["total"] == len(data["results"]) == 4 and data["next_url"] is None
    assert {"facility", "language", "event_type"} <= set(data["facets"])
    assert Client().get("/search", {"q": "", "format": "json", "page": "x"}).json()["page"] == 1


def test_record_page_lists_related_records_and_incidents(linked) -> None:
    record = linked.records["saydnaya_en"]
    data = Client().get(f"/records/{record.code}", {"format": "json"}).json()
    related = {item["code"]: item["reason"] for item in data["related"]}
    assert related == {linked.records["saydnaya_ar"].code: "same_incident"}
    assert data["incidents"][0]["other_reports"] == [linked.records["saydnaya_ar"].code]
    page = Client().get(f"/records/{record.code}").content.decode()
    assert "Related records" in page and linked.records["secret_ar"].code not in page


def test_related_records_by_facility(linked) -> None:
    from tests.web.test_search_archive import link, make_record

    later = make_record("later-en", "A second account from Hama Central Prison, written in 2018.", language="en", issue_date="2018-01-01")
    link(later, place=linked.places["hama"])
    related = Client().get(f"/records/{later.code}", {"format": "json"}).json()["related"]
    assert {item["reason"] for item in related} == {"same_facility"}
    assert {item["code"] for item in related} == {linked.records["hama_ar"].code, linked.records["hama_en"].code}


def test_related_records_by_facility_are_the_same_however_they_are_found(linked, monkeypatch) -> None:
    from dhakira_web.archive import payloads
    from tests.web.test_search_archive import link, make_record

    later = make_record("later-en", "A second account from Hama Central Prison, written in 2018.", language="en", issue_date="2018-01-01")
    link(later, place=linked.places["hama"])
    found = []
    for walk in (1, 10_000):  # walked newest first through the date index, or read whole and sorted
        monkeypatch.setattr(payloads, "SHARED_FACILITY_WALK", walk)
        found.append([(item["code"], item["reason"]) for item in Client().get(f"/records/{later.code}", {"format": "json"}).json()["related"]])
    assert found[0] == found[1]
    assert {code for code, _ in found[0]} == {linked.records["hama_ar"].code, linked.records["hama_en"].code}


def test_incident_page_sets_figures_side_by_side(linked, viewer_client) -> None:
    incident = linked.incidents["strike"]
    data = Client().get(f"/incidents/{incident.pk}", {"format": "json"}).json()
    assert {name: data["corroboration"][name] for name in ("reports", "sources", "languages")} == {
        "reports": 2, "sources": 2, "languages": ["ar", "en"]}
    assert [figure["value"] for figure in data["figures_by_what"][0]["figures"]] == [40, 45]
    assert [item["date"] for item in data["timeline"]] == ["2016-05-03", "2016-05-04"]
    page = Client().get(f"/incidents/{incident.pk}").content.decode()
    assert "<mark>40</mark>" in page and "<mark>45</mark>" in page and "Timeline of reports" in page
    assert "about <mark>45</mark> prisoners took part" in page
    deaths = linked.incidents["deaths"]
    assert Client().get(f"/incidents/{deaths.pk}", {"format": "json"}).json()["corroboration"]["reports"] == 2
    assert viewer_client.get(f"/incidents/{deaths.pk}", {"format": "json"}).json()["corroboration"]["reports"] == 3


def test_chronicle_by_day_month_and_filters(linked, viewer_client) -> None:
    data = Client().get("/chronicle", {"format": "json"}).json()
    assert data["month"] == "2016-05" and data["older"] == "2016-03" and data["newer"] is None
    assert [day["day"] for day in data["days"]] == ["2016-05-02"]
    march = Client().get("/chronicle", {"format": "json", "month": "2016-03"}).json()
    # The torture incident is dated to the month only: its day is the issue date of its first visible report.
    assert [day["day"] for day in march["days"]] == ["2016-03-14"]
    assert [months["month"] for months in viewer_client.get("/chronicle", {"format": "json"}).json()["months"]] == ["2016-05", "2016-03"]
    reports = viewer_client.get("/chronicle", {"format": "json", "month": "2016-03"}).json()["days"][0]["incidents"][0]["reports"]
    assert linked.records["secret_ar"].code in {report["code"] for report in reports}
    assert linked.records["secret_ar"].code not in {r["code"] for r in march["days"][0]["incidents"][0]["reports"]}
    only = Client().get("/chronicle", {"format": "json", "event_type": "torture"}).json()
    assert [item["month"] for item in only["months"]] == ["2016-03"]
    assert Client().get("/chronicle", {"format": "json", "governorate": "SY05"}).json()["month"] == "2016-05"
    assert Client().get("/chronicle", {"format": "json", "facility": "fac:nowhere"}).json()["days"] == []
    page = Client().get("/chronicle", {"month": "2016-05"}).content.decode()
    assert "2016-05-02" in page and "Older month" in page and "Hunger strike" in page


def test_map_counts_only_what_the_user_may_see(linked, viewer_client) -> None:
    data = Client().get("/map", {"format": "json"}).json()
    by_pcode = {row["pcode"]: row for row in data["governorates"]}
    assert len(by_pcode) == 14
    assert (by_pcode["SY03"]["records"], by_pcode["SY03"]["incidents"]) == (2, 1)
    assert by_pcode["SY05"]["records"] == 2 and by_pcode["SY01"]["records"] == 0
    facilities = {row["id"]: row["records"] for row in data["facilities"]}
    assert facilities == {"fac:saydnaya": 2, "fac:hama-central": 2}
    seen = viewer_client.get("/map", {"format": "json"}).json()
    assert {row["id"]: row["records"] for row in seen["facilities"]}["fac:saydnaya"] == 3
    page = Client().get("/map").content.decode()
    assert page.count('class="governorate"') == 14 and page.count("<circle") == 2
    assert 'href="/search?governorate=SY03"' in page
    assert "<script" not in page and "style=" not in page


def test_map_drawing_is_inside_its_view_box() -> None:
    from dhakira_web.archive.geography import governorates, projection

    frame = projection()
    for governorate in governorates():
        numbers = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", governorate.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= 800 and 0 <= min(ys) and max(ys) <= frame.height
        assert 0 < governorate.label_x < 800 and 0 < governorate.label_y < frame.height


def test_api_describes_and_serves_everything(linked) -> None:
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/records/{code}", "/api/incidents/{id}", "/api/chronicle", "/api/map", "/api/stats"} <= set(schema["paths"])
    found = client.get("/api/search", {"q": "سجن حماة المركزي", "facility": "fac:hama-central"}).json()
    assert {hit["code"] for hit in found["results"]} == {linked.records["hama_ar"].code, linked.records["hama_en"].code}
    assert found["facets"]["facility"][0]["selected"] is True
    assert client.get("/api/chronicle", {"month": "2016-03"}).json()["days"][0]["day"] == "2016-03-14"
    assert len(client.get("/api/map").json()["governorates"]) == 14
    assert client.get(f"/api/records/{linked.records['secret_ar'].code}").status_code == 404
    assert client.get("/api/stats").json()["records"] == 5
    strike = client.get(f"/api/incidents/{linked.incidents['strike'].pk}").json()
    assert strike["corroboration"]["reports"] == 2 and len(strike["timeline"]) == 2
    assert client.get("/api/incidents/999999").status_code == 404


@pytest.mark.parametrize("path", ["/search?q=%00%22", "/search?date_from=x&sort=date&page=-3", "/chronicle?month=garbage",
                                  "/chronicle?event_type=%27%3B--", "/map?format=json", "/api/search?q=((("])
def test_odd_requests_never_fail(linked, path: str) -> None:
    assert Client().get(path).status_code == 200


def test_an_incident_known_only_from_a_restricted_record_never_shows(linked, viewer_client) -> None:
    from dhakira_web.archive.models import Incident
    from tests.web.test_search_archive import link

    hidden = Incident.objects.create(title="Secret transfer", event_types=["transfer"], place=linked.places["hama"],
                                     date="2016-05-20", date_precision="day")
    link(linked.records["secret_ar"], incident=hidden)
    visitor = Client()
    assert visitor.get(f"/incidents/{hidden.pk}").status_code == 404
    assert visitor.get(f"/api/incidents/{hidden.pk}").status_code == 404
    days = visitor.get("/chronicle", {"format": "json", "month": "2016-05"}).json()["days"]
    assert "2016-05-20" not in {day["day"] for day in days}
    assert "transfer" not in {item["value"] for item in visitor.get("/chronicle", {"format": "json"}).json()["options"]["event_type"]}
    hama = {row["pcode"]: row for row in visitor.get("/map", {"format": "json"}).json()["governorates"]}["SY05"]
    assert hama["incidents"] == 1
    public_facets = visitor.get("/search", {"q": "", "format": "json"}).json()["facets"]["event_type"]
    assert "transfer" not in {item["value"] for item in public_facets}
    viewer_facets = viewer_client.get("/search", {"q": "", "format": "json"}).json()["facets"]["event_type"]
    assert "transfer" in {item["value"] for item in viewer_facets}
    seen = viewer_client.get("/chronicle", {"format": "json", "month": "2016-05"}).json()["days"]
    assert "2016-05-20" in {day["day"] for day in seen}
    assert viewer_client.get(f"/incidents/{hidden.pk}").status_code == 200
