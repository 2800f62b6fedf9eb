"""Record, incident and place pages are built from a bounded number of SQL queries: the number does not
grow with the archive (docs/scale.md, "Pages at 100,000 records").

An archive about one facility is made, each page is fetched and its queries counted; the archive is then
grown tenfold with more records, reports, figures and incidents at the same facility, and the same pages
must take exactly as many queries again, for an anonymous visitor and for a signed-in reviewer.
"""

from __future__ import annotations

import hashlib
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record
from dhakira_web.archive.search import index_record
from dhakira_web.archive.services import refresh_facets

_numbers = itertools.count()


def _add_records(place: Place, count: int) -> list[Record]:
    """``count`` records reporting incidents at ``place`` (three reports an incident), each quoting a figure;
    one in ten restricted."""
    made = []
    incident = None
    for _ in range(count):
        number = next(_numbers)
        text = f"Report {number}: detainees at the facility said {number % 90 + 10} prisoners were moved to solitary cells."
        issue_date = f"{2012 + number % 10}-{number % 12 + 1:02d}-{number % 27 + 1:02d}"
        record = Record.objects.create(
            code=f"Q-{number:05d}", title=f"Report {number} on the facility", issuer="Rights Watchers", document_type="report",
            issue_date=issue_date, issue_date_precision="day", language="en", languages=["en"], captured_at=timezone.now(),
            sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text), media_type="text/plain", text=text,
            access_level="restricted" if number % 10 == 9 else "public", source_name=f"q-{number}.txt")
        if number % 3 == 0 or incident is None:
            incident = Incident.objects.create(title=f"Transfer {number}", event_types=["transfer"], place=place,
                                               date=issue_date[:7], date_precision="month")
        report = IncidentReport.objects.create(incident=incident, record=record, position=0,
                                               reported={"event_types": ["transfer"]})
        value = str(number % 90 + 10)
        start = text.index(value + " prisoners")
        Claim.objects.create(record=record, incident_report=report, field="count", value=value, what="transferred",
                             start=start, end=start + len(value), extractor="test")
        record.places.add(place)
        refresh_facets(record)
        index_record(record, [place.key, "event:transfer"])
        made.append(record)
    return made


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_record_incident_and_place_pages_take_as_many_queries_on_a_tenfold_archive(django_user_model) -> None:
    from dhakira_web.archive.accounts import add_user

    place = Place.objects.create(key="fac:query-test-prison", name_en="Query Test Prison", name_ar="سجن الاختبار",
                                 kind="facility", governorate_pcode="SY03", latitude=33.5, longitude=36.3)
    first = _add_records(place, 15)
    record, incident = first[4], first[4].incident_reports.get().incident
    add_user("page-counter", "reviewer", password="x-password-1")
    reviewer = Client()
    reviewer.force_login(django_user_model.objects.get(username="page-counter"))
    pages = [f"/records/{record.code}", f"/incidents/{incident.pk}", f"/places/{place.pk}"]
    pages += [page + "?format=json" for page in pages]

    def counts() -> dict[tuple[str, str], int]:
        found = {}
        for name, client in (("anonymous", Client()), ("reviewer", reviewer)):
            client.get(pages[0])  # the first request of a session or process reads what later ones keep
            for page in pages:
                found[(name, page)] = _queries(client, page)
        return found

    small = counts()
    _add_records(place, 135)
    assert Record.objects.filter(places=place).count() == 150
    large = counts()
    assert large == small
    assert all(count > 0 for count in small.values())


@pytest.mark.django_db
def test_a_place_page_lists_its_newest_incidents_with_their_figures() -> None:
    from dhakira_web.archive import policy
    from dhakira_web.archive.entities.payloads import RECORDS_SHOWN

    place = Place.objects.create(key="fac:query-test-prison", name_en="Query Test Prison", name_ar="سجن الاختبار",
                                 kind="facility", governorate_pcode="SY03")
    _add_records(place, 120)  # 40 incidents, more than a page lists
    data = Client().get(f"/places/{place.pk}", {"format": "json"}).json()
    visible = policy.visible_incidents(None).filter(place=place).order_by("-date", "-id")
    newest = list(visible.values_list("id", flat=True)[:RECORDS_SHOWN])
    assert [incident["id"] for incident in data["incidents"]] == newest
    assert data["incident_total"] == visible.count() > RECORDS_SHOWN
    assert sum(month["incidents"] for month in data["timeline"]) == visible.count()
    shown = {figure["incident"] for group in data["figures"] for figure in group["figures"]}
    assert shown and shown <= set(newest)


@pytest.mark.django_db
@pytest.mark.parametrize("walked_from", [0, 10**9])
def test_a_place_lists_its_newest_visible_records_walked_by_date_or_sorted(monkeypatch, walked_from: int) -> None:
    """A place holding many records lists its newest by walking the archive's records in date order (each asked
    whether it names the place); one holding few sorts its own. Both give the same page; the total is counted
    up to a bound and then says it is a lower bound."""
    from dhakira_web.archive.entities import payloads

    place = Place.objects.create(key="fac:query-test-prison", name_en="Query Test Prison", name_ar="سجن الاختبار",
                                 kind="facility", governorate_pcode="SY03")
    other = Place.objects.create(key="fac:query-other-prison", name_en="Other Prison", name_ar="سجن آخر", kind="facility")
    _add_records(place, 40)
    _add_records(other, 10)  # newer and older records of another place, never listed here
    monkeypatch.setattr(payloads, "WALKED_FROM", walked_from)
    monkeypatch.setattr(payloads, "RECORDS_SHOWN", 7)
    visible = Record.objects.filter(places=place, access_level="public").order_by("-issue_date", "-id")
    for page in (1, 2, 6):
        data = Client().get(f"/places/{place.pk}", {"format": "json", "page": page}).json()["records"]
        assert [row["code"] for row in data["results"]] == list(visible.values_list("code", flat=True)[(page - 1) * 7:page * 7])
        assert data["total"] == visible.count() == 36 and data["total_exact"] is True  # the restricted four never counted
    monkeypatch.setattr(payloads, "RECORDS_COUNTED", 20)
    response = Client().get(f"/places/{place.pk}")
    data = Client().get(f"/places/{place.pk}", {"format": "json"}).json()["records"]
    assert (data["total"], data["total_exact"], data["more"]) == (20, False, True)
    assert "20+" in response.content.decode()
