"""Claim review, re-extraction that keeps human decisions, grades with words, history, and publish on review."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client, override_settings

from dhakira_web.archive import audit
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.models import AuditEntry, Claim, Record
from dhakira_web.archive.review import claims as claim_review
from dhakira_web.archive.review.grades import grade_words
from dhakira_web.archive.review.reextract import extraction_for, reextract
from tests.web.test_linking import hama_reports  # noqa: F401  (fixture)

STRIKE = ("On 3 May 2022, about 40 detainees at Hama Central Prison began a hunger strike against their treatment. "
          "Guards beat several of them, the families said.")


def signed_in(role: str) -> Client:
    client = Client()
    add_user(role, role, password="pw-for-tests")
    assert client.login(username=role, password="pw-for-tests")
    return client


def machine_claim(record: Record, field: str, **extra: Any) -> Claim:
    return Claim.objects.get(record=record, field=field, author="", stale=False, **extra)


def test_a_correction_is_a_new_claim_beside_the_machines(add_record) -> None:
    record = add_record(STRIKE)
    count = machine_claim(record, "count")
    reviewer = signed_in("reviewer")
    url = f"/api/review/claims/{count.pk}"
    assert reviewer.post(url, {"decision": "corrected", "value": "45"}, content_type="application/json").status_code == 400  # no reason
    assert reviewer.post(url, {"decision": "corrected", "value": "many", "reason": "x"}, content_type="application/json").status_code == 400
    answer = reviewer.post(url, {"decision": "corrected", "value": "45", "reason": "The families' list names 45.", "what": "participants"},
                           content_type="application/json")
    assert answer.status_code == 200, answer.content
    count.refresh_from_db()
    assert count.value == "40" and count.review == "corrected" and count.reviewed_by == "reviewer"  # the machine's stays
    correction = Claim.objects.get(pk=answer.json()["correction"]["id"])
    assert (correction.value, correction.author, correction.corrects_id) == ("45", "reviewer", count.pk)
    assert correction.reason == "The families' list names 45."
    entry = AuditEntry.objects.get(action="claim_corrected")
    assert entry.details["before"]["value"] == "40" and entry.details["after"]["value"] == "45"
    assert audit.verify() == (True, None)


def test_only_reviewers_review_claims(add_record) -> None:
    record = add_record(STRIKE)
    count = machine_claim(record, "count")
    for client in (Client(), signed_in("editor")):
        assert client.post(f"/claims/{count.pk}/review?format=json", {"decision": "rejected"}).status_code == 403
        assert client.post(f"/api/review/claims/{count.pk}", {"decision": "rejected"}, content_type="application/json").status_code in (401, 403)
    assert signed_in("reviewer").post(f"/claims/{count.pk}/review?format=json", {"decision": "rejected"}).json()["claim"]["review"] == "rejected"


def test_correcting_a_place_moves_the_records_place_and_facets(add_record) -> None:
    record = add_record(STRIKE)
    place = machine_claim(record, "place", value_id="fac:hama-central")
    assert claim_review.field_of(place) == "facility"
    claim_review.correct(place, "reviewer", "The prison named is Adra, as the report's title says.", "سجن عدرا")
    assert set(record.places.values_list("key", flat=True)) == {"fac:adra"}
    assert set(record.facets.filter(name="facility").values_list("value", flat=True)) == {"fac:adra"}
    with pytest.raises(claim_review.ReviewError):
        claim_review.correct(place, "reviewer", "no such place", "Atlantis Prison")


def test_reextraction_keeps_every_decision(add_record) -> None:
    record = add_record(STRIKE)
    count = machine_claim(record, "count")
    place = machine_claim(record, "place", value_id="fac:hama-central")
    claim_review.correct(count, "reviewer", "45 by the families' list", "45")
    claim_review.correct(place, "reviewer", "Adra, per the title", "Adra Prison")
    date = machine_claim(record, "date")
    claim_review.decide(date, "accepted", "reviewer")
    outcome = reextract(record, actor="operator")
    assert outcome.kept == 3 and outcome.unanchored == []
    new_count = machine_claim(record, "count")
    assert new_count.pk != count.pk and new_count.review == "corrected"
    assert new_count.corrections.get().value == "45"
    assert machine_claim(record, "place", value_id="fac:hama-central").corrections.get().value_id == "fac:adra"
    assert machine_claim(record, "date").review == "accepted"
    assert set(record.places.values_list("key", flat=True)) == {"fac:adra"}
    assert AuditEntry.objects.filter(action="reextracted", actor="operator").count() == 1


def test_reextraction_reports_what_it_could_not_reanchor(add_record) -> None:
    record = add_record(STRIKE)
    count = machine_claim(record, "count")
    claim_review.correct(count, "reviewer", "45 by the families' list", "45")
    changed = copy.deepcopy(extraction_for(record))
    for incident in changed["incidents"]:
        incident["counts"] = []  # a new extractor that no longer reads the figure
    outcome = reextract(record, extraction=changed)
    assert [item["id"] for item in outcome.unanchored] == [count.pk]
    assert outcome.unanchored[0]["quote"] in STRIKE
    count.refresh_from_db()
    assert count.stale and count.review == "corrected" and count.corrections.get().value == "45"  # nothing lost


def test_grades_are_shown_with_words_in_both_languages(add_record) -> None:
    assert grade_words("B", "2", "en") == "B2 — usually reliable, probably true"
    assert grade_words("B", "2", "ar") == "B2 — موثوق عادةً، مرجّح الصحة"
    record = add_record(STRIKE)
    Record.objects.filter(pk=record.pk).update(issuer="Families of detainees in Hama")
    reviewer = signed_in("reviewer")
    page = reviewer.get(f"/records/{record.code}?format=json").json()
    assert page["grades"]["combined"]["suggested"] is True and page["grades"]["source"]["suggestion"]["value"] == "F"
    assert reviewer.post(f"/records/{record.code}/grade?format=json", {"information": "2", "source": "B"}).status_code == 400  # no rationale
    answer = reviewer.post(f"/records/{record.code}/grade?format=json",
                           {"information": "2", "source": "B", "rationale": "Names victims, dates and places; counts conservatively."})
    assert answer.status_code == 200
    page = Client().get(f"/records/{record.code}?format=json").json()
    assert page["grades"]["combined"] == {"code": "B2", "words": "B2 — usually reliable, probably true", "suggested": False}
    assert page["grades"]["information"]["suggestion"]["suggested"] is True  # the machine's stays beside
    arabic = Client(headers={"Accept-Language": "ar"}).get(f"/records/{record.code}").content.decode()
    assert "B2 — موثوق عادةً، مرجّح الصحة" in arabic
    assert {"source_graded", "information_graded"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_syrian_memory_grades_map_onto_the_information_axis(add_record) -> None:
    from dhakira_web.archive.models import Assessment
    from dhakira_web.archive.review.grades import third_party

    record = add_record(STRIKE)
    found = {}
    for value in ("correct", "incorrect", "unconfirmed", "unspecified"):
        assessment = Assessment.objects.create(record=record, scheme="syrian_memory_grade", value=value, assessed_by="Syrian Memory",
                                               imported=True)
        found[value] = third_party([assessment])[0]["information"]["value"]
    assert found == {"correct": "2", "incorrect": "5", "unconfirmed": "6", "unspecified": "not_assessed"}


def test_history_shows_each_change_with_diff_author_and_reason(add_record) -> None:
    record = add_record(STRIKE)
    claim_review.correct(machine_claim(record, "count"), "reviewer", "45 by the families' list", "45")
    editor = signed_in("editor")
    editor.post(f"/records/{record.code}/review-state?format=json", {"state": "reviewed", "reason": "checked"})
    history = editor.get(f"/records/{record.code}?format=json").json()["history"]
    corrected = next(item for item in history if item["action"] == "claim_corrected")
    assert corrected["author"] == "reviewer" and corrected["reason"] == "45 by the families' list"
    assert {"field": "value", "before": "40", "after": "45"} in corrected["changes"]
    state = next(item for item in history if item["action"] == "review_state")
    assert state["changes"] == [{"field": "review_state", "before": "machine_extracted", "after": "reviewed"}]
    assert Client().get(f"/records/{record.code}?format=json").json()["history"] is None
    incident_id = machine_claim(record, "count").incident_report.incident_id
    incident_history = editor.get(f"/incidents/{incident_id}?format=json").json()["history"]
    assert [item["action"] for item in incident_history] == ["claim_corrected"]


def test_incident_shows_the_corrected_figure_beside_the_machines(add_record) -> None:
    record = add_record(STRIKE)
    count = machine_claim(record, "count")
    claim_review.correct(count, "reviewer", "45 by the families' list", "45")
    data = Client().get(f"/api/incidents/{count.incident_report.incident_id}").json()
    figure = data["reviewed_figures"][0]
    assert (figure["machine"]["value"], figure["corrected"]["value"], figure["review"]) == ("40", "45", "corrected")
    assert figure["corrected"]["author"] is None  # reviewers' names are for signed-in editors and up


def test_publish_on_review_shows_the_public_published_records_only(add_record) -> None:
    draft = add_record(STRIKE, name="draft.txt")
    published = add_record("In June 2021, 12 detainees were released from Adra Prison after an amnesty.", name="published.txt")
    signed_in("reviewer").post(f"/records/{published.code}/review-state?format=json", {"state": "published"})
    with override_settings(DHAKIRA_PUBLISH_REVIEWED_ONLY=True):
        anonymous = Client()
        assert anonymous.get(f"/records/{draft.code}").status_code == 404
        assert anonymous.get(f"/records/{published.code}").status_code == 200
        assert anonymous.get("/api/stats").json()["records"] == 1
        assert anonymous.get("/api/search", {"q": "detainees"}).json()["total"] == 1
        assert anonymous.get("/api/search", {"q": "Hama"}).json()["total"] == 0
        incident = machine_claim(draft, "count").incident_report.incident_id
        assert anonymous.get(f"/api/incidents/{incident}").status_code == 404
        assert "2022-05" not in {row["month"] for row in anonymous.get("/api/chronicle").json()["months"]}
        assert "2022-05" in {row["month"] for row in signed_in("viewer").get("/api/chronicle").json()["months"]}
        places = {row["name_en"] for row in anonymous.get("/places", {"format": "json"}).json()["results"]}
        assert any("Adra" in name for name in places) and not any("Hama" in name for name in places)
        assert any("Hama" in row["name_en"] for row in signed_in("viewer").get("/places", {"format": "json"}).json()["results"])
        assert signed_in("viewer").get(f"/records/{draft.code}").status_code == 200
    assert Client().get(f"/records/{draft.code}").status_code == 200  # off by default


def test_history_keeps_corrected_names_of_persons_for_reviewers(add_record) -> None:
    record = add_record(STRIKE + " Ahmad Khalil was among those beaten.", access="restricted")
    person = machine_claim(record, "person")
    claim_review.correct(person, "reviewer", "spelled as in the family's letter", "Ahmed Khalil")
    as_editor = signed_in("editor").get(f"/api/review/records/{record.code}/history").json()
    as_reviewer = signed_in("reviewer").get(f"/api/review/records/{record.code}/history").json()
    assert "Khalil" not in json.dumps(as_editor) and "letter" not in json.dumps(as_editor)
    corrected = next(item for item in as_reviewer if item["action"] == "claim_corrected")
    assert {"field": "value", "before": "Ahmad Khalil", "after": "Ahmed Khalil"} in corrected["changes"]


def test_reextraction_keeps_reviewed_links(hama_reports) -> None:  # noqa: F811
    from dhakira_web.archive.models import IncidentReport

    english, arabic, _ = hama_reports
    confirmed = IncidentReport.objects.get(record=arabic, decision="same")
    signed_in("reviewer").post(f"/incident-reports/{confirmed.pk}/review?format=json", {"decision": "confirmed"})
    reextract(Record.objects.get(pk=arabic.pk))
    kept = IncidentReport.objects.get(pk=confirmed.pk)
    assert kept.review == "confirmed" and kept.incident_id == confirmed.incident_id
    assert set(kept.incident.reports.values_list("record_id", flat=True)) == {english.pk, arabic.pk}
