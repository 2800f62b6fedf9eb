"""Review actions as a signed-in user does them (pages and API call these); each checks its input and is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dhakira_web.archive import audit, linking, policy
from dhakira_web.archive.models import Claim, Incident, IncidentReport, Record
from dhakira_web.archive.review import claims, grades, states
from dhakira_web.archive.review.claims import ReviewError
from dhakira_web.archive.review.models import ReviewStep


def set_state(user: Any, record: Record, state: str, reason: str = "") -> ReviewStep:
    return states.set_state(record, state, user.get_username(), reason=reason, may_publish=policy.may_review(user))


def review_claim(user: Any, claim: Claim, decision: str, *, reason: str = "", value: str = "", what: str | None = None,
                 qualifier: str | None = None) -> dict[str, Any]:
    """Accept, reject or correct a claim; returns the machine claim and the correction (if any)."""
    if decision == "corrected":
        correction = claims.correct(claim, user.get_username(), reason, value, what=what, qualifier=qualifier)
        machine = correction.corrects
        assert machine is not None
        return {"claim": claims.claim_state(machine), "correction": claims.claim_state(correction)}
    return {"claim": claims.claim_state(claims.decide(claim, decision, user.get_username(), reason)), "correction": None}


def review_link(user: Any, report: IncidentReport, decision: str, reason: str = "", incident: str | None = None) -> IncidentReport:
    """Confirm or reject a link, or move it to another incident (``moved`` with the incident's id)."""
    actor = user.get_username()
    if decision == "moved":
        target = policy.visible_incidents(user).filter(pk=int(incident)).first() if incident and incident.isdigit() else None
        if target is None:
            raise LookupError("No such incident, or you may not see it.")
        with transaction.atomic():
            moved, _ = IncidentReport.objects.get_or_create(
                incident=target, record=report.record, position=report.position,
                defaults={"reported": report.reported, "decision": "same", "score": report.score, "features": {}})
            linking.review_report(report, "rejected", user)
            linking.review_report(moved, "confirmed", user)
            audit.append(actor, "link_moved", record=report.record, details={
                "incident": report.incident_id, "to_incident": target.pk, "position": report.position, "reason": reason,
                "before": {"incident": report.incident_id}, "after": {"incident": target.pk}})
        return moved
    if decision not in ("confirmed", "rejected"):
        raise ReviewError("decision must be 'confirmed', 'rejected' or 'moved'")
    previous = report.review
    linking.review_report(report, decision, user)
    audit.append(actor, f"link_{decision}", record=report.record, details={
        "incident": report.incident_id, "position": report.position, "previous_decision": report.decision, "reason": reason,
        "before": {"review": previous or None}, "after": {"review": decision}})
    return report


def grade_record(user: Any, record: Record, information: str, source: str, rationale: str) -> dict[str, Any]:
    """Grade a record's information and, when ``source`` is given, its source."""
    if not information and not source:
        raise ReviewError("give an information grade (1–6), a source grade (A–F) or both")
    with transaction.atomic():
        if source:
            grades.grade_source(record, source, rationale, user.get_username())
        if information:
            grades.grade_information(record, information, rationale, user.get_username())
    return grades.record_grades(record, list(policy.visible_incidents(user).filter(reports__record=record).distinct()))


def grade_incident(user: Any, incident: Incident, information: str, rationale: str) -> dict[str, Any]:
    grades.grade_information(incident, information, rationale, user.get_username())
    return grades.incident_grades(incident)
