"""The review part of the JSON API (mounted at ``/api/review/``): claims, states, links, grades and history.

Signed-in users only (Django session, with its CSRF check on changes); each route asks the access policy.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from dhakira_web.archive import policy
from dhakira_web.archive.review import actions, history
from dhakira_web.archive.review import payloads as review_payloads
from dhakira_web.archive.review.claims import ReviewError
from dhakira_web.archive.views import interface_language, visible_incident_or_404, visible_record_or_404

router = Router(auth=django_auth, tags=["review"])


class ClaimDecision(Schema):
    decision: str  # accepted, rejected or corrected
    reason: str = ""
    value: str = ""
    what: str | None = None
    qualifier: str | None = None


class StateChange(Schema):
    state: str
    reason: str = ""


class LinkDecision(Schema):
    decision: str  # confirmed, rejected or moved
    reason: str = ""
    incident: int | None = None


class RecordGrade(Schema):
    information: str = ""
    source: str = ""
    rationale: str


class IncidentGrade(Schema):
    information: str
    rationale: str


def _reviewer(request: HttpRequest) -> None:
    if not policy.may_review(request.user):
        raise HttpError(403, "Only reviewers may do this.")


@router.get("/records/{code}/claims", summary="Every claim of a record with its review and correction (reviewers)")
def record_claims(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    _reviewer(request)
    return review_payloads.claims_to_review(visible_record_or_404(request, code), request.user, interface_language()) or []


@router.post("/claims/{claim_id}", summary="Accept, reject or correct a claim; a correction is a new claim beside it")
def review_claim(request: HttpRequest, claim_id: int, body: ClaimDecision) -> dict[str, Any]:
    _reviewer(request)
    claim = policy.visible_claim(request.user, claim_id)
    if claim is None:
        raise HttpError(404, "No such claim, or you may not see it.")
    try:
        return actions.review_claim(request.user, claim, body.decision, reason=body.reason, value=body.value, what=body.what,
                                    qualifier=body.qualifier)
    except ReviewError as error:
        raise HttpError(400, str(error)) from error


@router.post("/records/{code}/state", summary="Move a record to a review state (publishing needs a reviewer)")
def record_state(request: HttpRequest, code: str, body: StateChange) -> dict[str, Any]:
    if not policy.may_edit(request.user):
        raise HttpError(403, "Only editors and reviewers may change a record's review state.")
    record = visible_record_or_404(request, code)
    try:
        step = actions.set_state(request.user, record, body.state, body.reason)
    except PermissionError as error:
        raise HttpError(403, str(error)) from error
    except ReviewError as error:
        raise HttpError(400, str(error)) from error
    return {"code": record.code, "review_state": step.state, "by": step.actor, "at": step.at.isoformat()}


@router.post("/links/{report_id}", summary="Confirm, reject or move a record's link to an incident")
def review_link(request: HttpRequest, report_id: int, body: LinkDecision) -> dict[str, Any]:
    _reviewer(request)
    report = policy.visible_link(request.user, report_id)
    if report is None:
        raise HttpError(404, "No such link, or you may not see it.")
    try:
        report = actions.review_link(request.user, report, body.decision, body.reason,
                                     str(body.incident) if body.incident is not None else None)
    except ReviewError as error:
        raise HttpError(400, str(error)) from error
    except LookupError as error:
        raise HttpError(404, str(error)) from error
    return {"id": report.pk, "incident": report.incident_id, "review": report.review}


@router.post("/records/{code}/grade", summary="Grade a record's information (1–6) and its source (A–F), with a rationale")
def grade_record(request: HttpRequest, code: str, body: RecordGrade) -> dict[str, Any]:
    _reviewer(request)
    try:
        return actions.grade_record(request.user, visible_record_or_404(request, code), body.information, body.source, body.rationale)
    except ReviewError as error:
        raise HttpError(400, str(error)) from error


@router.post("/incidents/{incident_id}/grade", summary="Grade an incident's information (1–6), with a rationale")
def grade_incident(request: HttpRequest, incident_id: int, body: IncidentGrade) -> dict[str, Any]:
    _reviewer(request)
    try:
        return actions.grade_incident(request.user, visible_incident_or_404(request, incident_id), body.information, body.rationale)
    except ReviewError as error:
        raise HttpError(400, str(error)) from error


@router.get("/records/{code}/history", summary="Every change to a record: diff, author, time, reason (editors and up)")
def record_history(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    entries = history.record_history(visible_record_or_404(request, code), request.user)
    if entries is None:
        raise HttpError(403, "Only editors and reviewers may read histories.")
    return entries


@router.get("/incidents/{incident_id}/history", summary="Every change to an incident (editors and up)")
def incident_history(request: HttpRequest, incident_id: int) -> list[dict[str, Any]]:
    entries = history.incident_history(visible_incident_or_404(request, incident_id), request.user)
    if entries is None:
        raise HttpError(403, "Only editors and reviewers may read histories.")
    return entries

