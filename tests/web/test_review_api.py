"""The review API (/api/review/…): states with who and when, link review and moves, incident grades, histories."""

from __future__ import annotations

import json

from django.test import Client

from dhakira_web.archive import audit
from dhakira_web.archive.models import Assessment, AuditEntry, IncidentReport
from dhakira_web.archive.review.models import ReviewStep
from tests.web.test_linking import hama_reports  # noqa: F401  (fixture)
from tests.web.test_review_claims import STRIKE, signed_in


def post(client: Client, url: str, body: dict[str, object]) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_states_move_with_who_when_and_why(add_record) -> None:
    record = add_record(STRIKE)
    editor, reviewer = signed_in("editor"), signed_in("reviewer")
    url = f"/api/review/records/{record.code}/state"
    assert post(Client(), url, {"state": "reviewed"}).status_code == 401
    assert post(editor, url, {"state": "unknown"}).status_code == 400
    assert post(editor, url, {"state": "needs_review", "reason": "figures to check"}).status_code == 200
    assert post(editor, url, {"state": "published"}).status_code == 403
    assert post(reviewer, url, {"state": "reviewed"}).status_code == 200
    answer = post(reviewer, url, {"state": "published", "reason": "checked against the families' list"})
    assert answer.status_code == 200 and answer.json()["by"] == "reviewer"
    steps = list(ReviewStep.objects.filter(record=record).values_list("previous", "state", "actor"))
    assert steps == [("machine_extracted", "needs_review", "editor"), ("needs_review", "reviewed", "reviewer"),
                     ("reviewed", "published", "reviewer")]
    detail = editor.get(f"/records/{record.code}?format=json").json()["review_state_detail"]
    assert detail["state"] == "published" and detail["by"] == "reviewer" and detail["reason"] == "checked against the families' list"
    assert Client().get(f"/records/{record.code}?format=json").json()["review_state_detail"].get("by") is None
    assert record.facets.get(name="review_state").value == "published"


def test_links_are_confirmed_rejected_or_moved(hama_reports) -> None:  # noqa: F811
    english, arabic, homs = hama_reports
    report = IncidentReport.objects.get(record=arabic, decision="same")
    reviewer = signed_in("reviewer")
    assert post(signed_in("editor"), f"/api/review/links/{report.pk}", {"decision": "rejected"}).status_code == 403
    assert post(reviewer, f"/api/review/links/{report.pk}", {"decision": "maybe"}).status_code == 400
    homs_incident = IncidentReport.objects.get(record=homs).incident_id
    moved = post(reviewer, f"/api/review/links/{report.pk}", {"decision": "moved", "incident": homs_incident, "reason": "a different strike"})
    assert moved.status_code == 200 and moved.json()["incident"] == homs_incident
    report.refresh_from_db()
    assert report.review == "rejected"
    assert IncidentReport.objects.get(record=arabic, incident_id=homs_incident).review == "confirmed"
    history = reviewer.get(f"/api/review/incidents/{homs_incident}/history").json()
    assert [item["action"] for item in history] == ["link_moved"] and history[0]["reason"] == "a different strike"
    assert post(reviewer, f"/api/review/links/{report.pk}", {"decision": "moved", "incident": 999999}).status_code == 404
    assert audit.verify() == (True, None)


def test_incident_grade_beside_the_suggestion(hama_reports) -> None:  # noqa: F811
    english, arabic, homs = hama_reports
    incident = IncidentReport.objects.get(record=arabic, decision="same").incident
    reviewer = signed_in("reviewer")
    url = f"/api/review/incidents/{incident.pk}/grade"
    assert post(reviewer, url, {"information": "9", "rationale": "x"}).status_code == 400
    assert post(reviewer, url, {"information": "1", "rationale": ""}).status_code == 400
    assert post(reviewer, url, {"information": "2", "rationale": "Two outlets, possibly one upstream source."}).status_code == 200
    assert post(reviewer, url, {"information": "1", "rationale": "The prison's own list confirms it."}).status_code == 200
    assert Assessment.objects.filter(incident=incident, scheme="information_credibility").count() == 1
    grades = Client(headers={"Accept-Language": "ar"}).get(f"/api/incidents/{incident.pk}").json()["grades"]["information"]
    assert grades["grade"]["words"] == "1 — مؤكد من مصادر أخرى" and grades["suggestion"]["suggested"] is True
    history = reviewer.get(f"/api/review/incidents/{incident.pk}/history").json()
    assert [change["changes"] for change in history][-1] == [
        {"field": "information_credibility", "before": "2", "after": "1"},
        {"field": "rationale", "before": "Two outlets, possibly one upstream source.", "after": "The prison's own list confirms it."}]
    assert signed_in("viewer").get(f"/api/review/incidents/{incident.pk}/history").status_code == 403
    assert AuditEntry.objects.filter(action="information_graded", target=f"incident:{incident.pk}").count() == 2


def test_claims_listed_for_reviewers_only(add_record) -> None:
    record = add_record(STRIKE)
    listed = signed_in("reviewer").get(f"/api/review/records/{record.code}/claims").json()
    assert {"count", "facility", "date", "event"} <= {claim["field"] for claim in listed}
    count = next(claim for claim in listed if claim["field"] == "count")
    assert count["value_label"] == "about 40" and count["quote"] == STRIKE[count["span"][0]:count["span"][1]]
    assert signed_in("editor").get(f"/api/review/records/{record.code}/claims").status_code == 403
    assert Client().get(f"/records/{record.code}?format=json").json()["claims_to_review"] is None


def test_incident_page_offers_its_claims_and_returns_there(add_record) -> None:
    record = add_record(STRIKE)
    reviewer = signed_in("reviewer")
    # The incident whose report carries the count (report ids are random, so not simply the first row).
    incident = record.claims.get(field="count").incident_report.incident_id
    listed = reviewer.get(f"/incidents/{incident}?format=json").json()["claims_to_review"]
    count = next(claim for claim in listed if claim["field"] == "count")
    assert count["record"] == record.code
    assert Client().get(f"/incidents/{incident}?format=json").json()["claims_to_review"] is None
    answer = reviewer.post(f"/claims/{count['id']}/review", {"decision": "accepted", "next": f"/incidents/{incident}"})
    assert answer.status_code == 302 and answer["Location"] == f"/incidents/{incident}"
    answer = reviewer.post(f"/claims/{count['id']}/review", {"decision": "accepted", "next": "//elsewhere.example/"})
    assert answer["Location"] == f"/records/{record.code}"  # never sent to another site
    refused = reviewer.post(f"/claims/{count['id']}/review", {"decision": "corrected", "value": "forty", "reason": "r"})
    assert refused.status_code == 400 and "whole number" in refused.content.decode() and refused["Content-Type"].startswith("text/html")
    page = reviewer.get(f"/incidents/{incident}").content.decode()
    assert f'action="/claims/{count["id"]}/review"' in page


def test_public_sees_grades_and_corrections_marked_but_no_reviewer_names(add_record) -> None:
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.review import claims as claim_review

    record = add_record(STRIKE)
    Record.objects.filter(pk=record.pk).update(issuer="Families of detainees in Hama")
    reviewer = signed_in("reviewer")
    post(reviewer, f"/api/review/records/{record.code}/grade", {"information": "3", "source": "C", "rationale": "One family's account."})
    count = record.claims.get(field="count")
    claim_review.correct(count, "reviewer", "45 by the families' list", "45")
    data = Client().get(f"/api/records/{record.code}").json()
    assert data["grades"]["combined"]["words"] == "C3 — fairly reliable, possibly true"
    assert "assessed_by" not in data["grades"]["information"]["grade"] and "reviewer" not in json.dumps(data["grades"])
    marked = {(claim["value"], claim["review"], claim["corrects"]) for claim in data["claims"] if claim["field"] == "count"}
    assert marked == {("40", "corrected", None), ("45", "correction", count.pk)}
    assert "graded by" not in Client().get(f"/records/{record.code}").content.decode()
    assert "graded by" in reviewer.get(f"/records/{record.code}").content.decode()
