"""A small linked archive written for the search and page tests, and tests of how it is indexed.

Records are created directly (no extraction run), then given places, incidents, figures, facet rows and
index keys the way ``services.store_extraction`` does, so the tests do not depend on what extraction
finds today. Other test modules import :func:`build_linked_archive` from here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record, RecordFacet
from dhakira_web.archive.search import index_record
from dhakira_web.archive.services import refresh_facets

SAYDNAYA_AR = "نقل المعتقلون إلى سجن صيدنايا العسكري حيث تعرضوا للتعذيب، وقضى ثلاثة منهم في الزنازين."
SAYDNAYA_EN = "Former detainees of Saydnaya military prison described torture and the death of 3 inmates in solitary cells."
HAMA_AR = "بدأ السجناء في السجن المركزي بحماة إضراباً عن الطعام احتجاجاً على أحكام الإعدام، وعددهم 40 سجيناً."
HAMA_EN = "Inmates at Hama Central Prison began a hunger strike against death sentences; about 45 prisoners took part."
CAFE_EN = "A reading club met at a cafe in Latakia to discuss novels about exile and return."
SECRET_AR = "شهادة محمية: معتقل سابق في سجن صيدنايا يروي ما جرى في الزنزانة الجماعية."


@dataclass
class LinkedArchive:
    """The records by short name, and the incidents and places made for them."""

    records: dict[str, Record] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def make_record(name: str, text: str, *, language: str, issue_date: str = "", access: str = "public",
                title: str = "", issuer: str = "") -> Record:
    """A record written straight to the database, with its search entry and facet rows."""
    data = text.encode("utf-8")
    record = Record.objects.create(
        code=f"T-{name}", title=title or text[:60], issuer=issuer, document_type="report", issue_date=issue_date,
        issue_date_precision={10: "day", 7: "month", 4: "year"}.get(len(issue_date), "unknown"), language=language,
        languages=[language], captured_at=timezone.now(), sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        media_type="text/plain", text=text, access_level=access, source_name=f"{name}.txt",
    )
    refresh_facets(record)
    index_record(record)
    return record


def link(record: Record, *, place: Place | None = None, incident: Incident | None = None,
         figures: tuple[tuple[str, int], ...] = ()) -> None:
    """Give ``record`` a place and a report of ``incident`` (with figures quoted from its text), then re-index it."""
    if place is not None:
        record.places.add(place)
    report = None
    if incident is not None:
        position = record.incident_reports.count()
        report = IncidentReport.objects.create(incident=incident, record=record, position=position,
                                               reported={"event_types": incident.event_types})
    for what, value in figures:
        start = record.text.index(str(value))
        Claim.objects.create(record=record, incident_report=report, field="count", value=str(value), what=what,
                             start=start, end=start + len(str(value)), extractor="test")
    keys = [place.key for place in record.places.all()]
    for kinds in record.incident_reports.values_list("reported", flat=True):
        keys += [f"event:{kind}" for kind in kinds.get("event_types", [])]
    refresh_facets(record)
    index_record(record, keys)


def build_linked_archive() -> LinkedArchive:
    """Six records in two languages about two facilities, one of them restricted, and two incidents."""
    archive = LinkedArchive()
    saydnaya = Place.objects.create(key="fac:saydnaya", name_en="Saydnaya Military Prison", name_ar="سجن صيدنايا العسكري",
                                    kind="facility", governorate_pcode="SY03", latitude=33.665, longitude=36.332)
    hama = Place.objects.create(key="fac:hama-central", name_en="Hama Central Prison", name_ar="سجن حماة المركزي",
                                kind="facility", governorate_pcode="SY05", latitude=35.15, longitude=36.73)
    archive.places = {"saydnaya": saydnaya, "hama": hama}
    deaths = Incident.objects.create(title="Torture, Saydnaya", event_types=["torture", "death_in_custody"], place=saydnaya,
                                     date="2016-03", date_precision="month")
    strike = Incident.objects.create(title="Hunger strike, Hama Central Prison", event_types=["hunger_strike"], place=hama,
                                     date="2016-05-02", date_precision="day")
    archive.incidents = {"deaths": deaths, "strike": strike}
    made = archive.records
    made["saydnaya_ar"] = make_record("saydnaya-ar", SAYDNAYA_AR, language="ar", issue_date="2016-03-14", issuer="شبكة محلية")
    made["saydnaya_en"] = make_record("saydnaya-en", SAYDNAYA_EN, language="en", issue_date="2016-04-20", issuer="Rights Watchers")
    made["hama_ar"] = make_record("hama-ar", HAMA_AR, language="ar", issue_date="2016-05-03", issuer="شبكة محلية")
    made["hama_en"] = make_record("hama-en", HAMA_EN, language="en", issue_date="2016-05-04", issuer="Rights Watchers")
    made["cafe_en"] = make_record("cafe-en", CAFE_EN, language="en", issue_date="2019-01-10")
    made["secret_ar"] = make_record("secret-ar", SECRET_AR, language="ar", issue_date="2016-02-01", access="restricted")
    link(made["saydnaya_ar"], place=saydnaya, incident=deaths)
    link(made["saydnaya_en"], place=saydnaya, incident=deaths, figures=(("killed", 3),))
    link(made["hama_ar"], place=hama, incident=strike, figures=(("detained", 40),))
    link(made["hama_en"], place=hama, incident=strike, figures=(("detained", 45),))
    link(made["secret_ar"], place=saydnaya, incident=deaths)
    for record in made.values():
        record.refresh_from_db()
    return archive


def test_links_become_facets_and_index_keys(db: None) -> None:
    archive = build_linked_archive()
    record = archive.records["hama_ar"]
    facets = set(RecordFacet.objects.filter(record=record).values_list("name", "value"))
    assert {("facility", "fac:hama-central"), ("governorate", "SY05"), ("event_type", "hunger_strike"),
            ("language", "ar"), ("year", "2016")} <= facets
    assert "kfachamacentral" in record.search_entry.keys.split()
    assert "keventhungerstrike" in record.search_entry.keys.split()


def test_the_restricted_record_is_kept_from_visitors(db: None) -> None:
    from dhakira_web.archive import policy

    archive = build_linked_archive()
    assert not policy.can_view(AnonymousUser(), archive.records["secret_ar"])
    assert policy.visible_records(AnonymousUser()).count() == 5
