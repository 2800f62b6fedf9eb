"""Review actions: only reviewers confirm or reject links; editors set review states; all audited."""

from __future__ import annotations

import pytest
from django.test import Client

from dhakira_web.archive import audit
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.models import AuditEntry, IncidentReport
from tests.web.test_linking import hama_reports  # noqa: F401  (fixture)


def signed_in(role: str) -> Client:
    client = Client()
    add_user(role, role, password="pw-for-tests")
    assert client.login(username=role, password="pw-for-tests")
    return client


def test_only_reviewers_review_links(hama_reports) -> None:  # noqa: F811
    report = IncidentReport.objects.get(record=hama_reports[1], decision="same")
    url = f"/incident-reports/{report.pk}/review?format=json"
    assert Client().post(url, {"decision": "rejected"}).status_code == 403
    assert signed_in("editor").post(url, {"decision": "rejected"}).status_code == 403
    reviewer = signed_in("reviewer")
    assert reviewer.post(url, {"decision": "maybe"}).status_code == 400
    response = reviewer.post(url, {"decision": "rejected"})
    assert response.status_code == 200 and response.json()["review"] == "rejected"
    report.refresh_from_db()
    assert report.review == "rejected" and report.reviewed_by is not None
    assert AuditEntry.objects.filter(action="link_rejected", actor="reviewer").exists()
    assert audit.verify() == (True, None)


def test_review_state_changes(add_record) -> None:
    record = add_record("A report on releases from Adra Prison in May 2022.")
    url = f"/records/{record.code}/review-state?format=json"
    assert Client().post(url, {"state": "reviewed"}).status_code == 403
    editor = signed_in("editor")
    assert editor.post(url, {"state": "reviewed"}).json()["review_state"] == "reviewed"
    assert editor.post(url, {"state": "published"}).status_code == 403
    assert signed_in("reviewer").post(url, {"state": "published"}).status_code == 200
    record.refresh_from_db()
    assert record.review_state == "published"
    assert list(AuditEntry.objects.filter(record=record, action="review_state").values_list("details__to", flat=True)) == ["reviewed", "published"]


@pytest.mark.parametrize("method", ["get", "put"])
def test_review_actions_need_post(add_record, method: str) -> None:
    record = add_record("Another note about Adra Prison.")
    response = getattr(signed_in("admin"), method)(f"/records/{record.code}/review-state")
    assert response.status_code == 405


def test_incident_page_offers_review_to_reviewers_only(hama_reports) -> None:  # noqa: F811
    report = IncidentReport.objects.get(record=hama_reports[1], decision="same")
    page = f"/incidents/{report.incident_id}"
    assert f"/incident-reports/{report.pk}/review" not in Client().get(page).content.decode()
    assert f"/incident-reports/{report.pk}/review" in signed_in("reviewer").get(page).content.decode()


def test_record_lists_each_incident_once(hama_reports) -> None:  # noqa: F811
    data = Client().get(f"/records/{hama_reports[1].code}?format=json").json()
    ids = [incident["id"] for incident in data["incidents"]]
    assert len(ids) == len(set(ids))
