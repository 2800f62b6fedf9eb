"""Reports of one incident are linked in the archive; figures stay side by side; reviews survive re-linking."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from dhakira.documents import Document
from dhakira_web.archive import linking
from dhakira_web.archive.models import Incident, IncidentReport, Record
from dhakira_web.archive.services import ingest_document

HAMA = {"text": "Hama Central Prison", "canonical_en": "Hama Central Prison", "canonical_ar": "سجن حماة المركزي",
        "id": "fac:hama-central-prison", "kind": "facility", "pcode": "SY05", "spans": [[0, 19]]}
HOMS = {"text": "Homs Central Prison", "canonical_en": "Homs Central Prison", "canonical_ar": "سجن حمص المركزي",
        "id": "fac:homs-central-prison", "kind": "facility", "pcode": "SY04", "spans": [[0, 19]]}


def extraction(language: str, place: dict, date: str, counts: list[dict], issuer: str, types: list[str]) -> dict:
    return {
        "schema": "dhakira.extraction/1",
        "document": {"language": language, "title": None, "issuer": {"text": issuer, "canonical_en": issuer, "id": f"org:{issuer.lower()}"},
                     "doc_type": "news_article", "published": date},
        "places": [place], "organisations": [], "persons": [],
        "incidents": [{"event_types": types, "place_en": place["canonical_en"], "place_id": place["id"], "date": date,
                       "date_precision": "day", "perpetrator_en": "Syrian government forces", "perpetrator_id": "actor:sy-gov",
                       "counts": counts, "evidence": [[0, 19]]}],
    }


def add(text: str, result: dict, name: str) -> Record:
    data = text.encode("utf-8")
    document = Document(text=text, sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type="text/plain",
                        title=text.split("\n")[0], language=result["document"]["language"], source_name=name,
                        published=result["document"]["published"])
    outcome = ingest_document(document, data, extraction=result, source=name)
    assert outcome.record is not None
    return outcome.record


@pytest.fixture
def hama_reports(db):
    english = add("Hama Central Prison was stormed with tear gas on 6 May 2016; at least 25 cases of suffocation.",
                  extraction("en", HAMA, "2016-05-06", [{"what": "suffocation_cases", "value": 25, "qualifier": "at_least", "span": [70, 80]}], "JDS", ["storming", "tear_gas", "suffocation"]),
                  "en.txt")
    arabic = add("سجن حماة المركزي: اقتحام وغاز مسيل للدموع في 6 أيار 2016 ونحو 56 حالة اختناق.",
                 extraction("ar", HAMA, "2016-05-06", [{"what": "suffocation_cases", "value": 56, "qualifier": "about", "span": [50, 60]}], "SNHR", ["storming", "tear_gas", "suffocation"]),
                 "ar.txt")
    homs = add("Homs Central Prison detainees began a hunger strike on 16 October 2017.",
               extraction("en", HOMS, "2017-10-16", [], "Coalition", ["hunger_strike"]), "homs.txt")
    return english, arabic, homs


def test_reports_of_one_incident_share_it_across_languages(hama_reports) -> None:
    english, arabic, homs = hama_reports
    shared = IncidentReport.objects.get(record=arabic, decision="same").incident
    assert set(shared.reports.values_list("record__code", flat=True)) == {english.code, arabic.code}
    assert shared.status == "corroborated" and shared.suggested_credibility == "1"
    assert not IncidentReport.objects.filter(record=homs).exclude(decision="origin").exists()
    assert Incident.objects.count() == 2


def test_a_process_index_started_afresh_still_links_from_the_database(db, monkeypatch) -> None:
    """The process's incident index is a bounded cache: once full it starts empty, and the candidates of the
    next record come back from the database's place blocks, so the report is still linked."""
    monkeypatch.setattr(linking, "INDEX_LIMIT", 1)
    monkeypatch.setattr(linking, "_index_state", {})
    english = add("Hama Central Prison was stormed with tear gas on 6 May 2016; at least 25 cases of suffocation.",
                  extraction("en", HAMA, "2016-05-06", [], "JDS", ["storming", "tear_gas", "suffocation"]), "en.txt")
    index_before = linking._index_state["index"]
    arabic = add("سجن حماة المركزي: اقتحام وغاز مسيل للدموع في 6 أيار 2016 ونحو 56 حالة اختناق.",
                 extraction("ar", HAMA, "2016-05-06", [], "SNHR", ["storming", "tear_gas", "suffocation"]), "ar.txt")
    assert linking._index_state["index"] is not index_before  # started afresh for the second record
    shared = IncidentReport.objects.get(record=arabic, decision="same").incident
    assert set(shared.reports.values_list("record_id", flat=True)) == {english.pk, arabic.pk}


def test_incident_page_keeps_conflicting_figures_side_by_side(hama_reports) -> None:
    english, arabic, _ = hama_reports
    incident = IncidentReport.objects.get(record=arabic, decision="same").incident
    data = Client().get(f"/incidents/{incident.pk}?format=json").json()
    figures = {(figure["record"], figure["value"], figure["qualifier"]) for figure in data["figures"]}
    assert figures == {(english.code, 25, "at_least"), (arabic.code, 56, "about")}
    assert any("range" in reason["en"] for reason in data["credibility_reasons"])


def test_rejected_link_survives_relinking(hama_reports) -> None:
    _, arabic, _ = hama_reports
    report = IncidentReport.objects.get(record=arabic, decision="same")
    linking.review_report(report, "rejected", None)
    shared = report.incident
    linking.relink(arabic)
    assert IncidentReport.objects.filter(record=arabic, incident=shared, review="rejected").exists()
    assert not IncidentReport.objects.filter(record=arabic, incident=shared, review="").exists()
    assert IncidentReport.objects.filter(record=arabic, decision="origin").exclude(incident=shared).exists()


def test_confirmed_link_survives_relinking(hama_reports) -> None:
    _, arabic, _ = hama_reports
    report = IncidentReport.objects.get(record=arabic, decision="same")
    linking.review_report(report, "confirmed", None)
    linking.relink(arabic)
    assert list(IncidentReport.objects.filter(record=arabic).values_list("incident_id", "review")) == [(report.incident_id, "confirmed")]


def test_near_duplicate_is_marked_for_review_and_counts_once(db) -> None:
    text = ("Detainees in Adra Prison said guards beat eleven prisoners after a protest on 2 March 2019, "
            "and that three of them were taken to the military hospital without their families being told. "
            "Relatives who visited the prison the following week were turned away at the gate and told that "
            "visits had been suspended until further notice. A lawyer who follows the cases of several of the "
            "detainees said that none of them had been brought before a judge, and that two had been held for "
            "more than four years without charge. The prison administration did not answer questions.")
    first = add(text, extraction("en", HAMA, "2019-03-02", [], "Outlet", ["torture"]), "first.txt")
    repost = add("Share on Facebook\n\n" + text + "\n\nAll rights reserved", extraction("en", HAMA, "2019-03-02", [], "Other outlet", ["torture"]), "repost.txt")
    assert repost.duplicate_of == first and repost.review_state == "needs_review"
    incident = IncidentReport.objects.get(record=repost, decision="same").incident
    assert incident.suggested_credibility != "1"
