"""What review adds to the record and incident payloads, under keys of its own.

Everyone who may see a record sees its review state and grades (with words, never bare codes) and, on an
incident, each reviewed figure beside the machine's. Reviewers also get each claim to review; editors and
up the history. Names of reviewers are shown to signed-in editors and up only.
"""

from __future__ import annotations

from typing import Any

from dhakira.knowledge import knowledge
from dhakira.schema import term
from dhakira_web.archive import policy
from dhakira_web.archive.models import Claim, Incident, Record
from dhakira_web.archive.review import grades, history
from dhakira_web.archive.review.claims import field_of
from dhakira_web.archive.review.states import last_step


def _label(vocabulary: str, value: str, language: str) -> str:
    try:
        return term(vocabulary, value).label(language)
    except KeyError:
        return value


def _history(entries: list[dict[str, Any]] | None, language: str) -> list[dict[str, Any]] | None:
    if entries is None:
        return None
    return [{**entry, "action_label": _label("history_actions", entry["action"], language)} for entry in entries]


def review_state(record: Record, user: Any, language: str = "en") -> dict[str, Any]:
    step = last_step(record)
    state: dict[str, Any] = {"state": record.review_state, "label": _label("review_states", record.review_state, language),
                             "at": step.at.isoformat() if step else None}
    if policy.may_edit(user):
        state.update(by=step.actor if step else None, reason=(step.reason or None) if step else None)
    return state


def value_label(claim: Claim, language: str = "en") -> str:
    """A claim's value in words of the interface language: event types and counts from the vocabularies,
    places, organisations and perpetrators by their knowledge-base names."""
    kb = knowledge()
    if claim.field == "event":
        separator = "، " if language == "ar" else ", "
        return separator.join(_label("event_types", kind, language) for kind in claim.value.split(",") if kind)
    if claim.field == "count":
        qualifier = _label("count_qualifiers", claim.qualifier, language) + " " if claim.qualifier else ""
        return f"{qualifier}{claim.value}"
    if claim.field == "place" and claim.value_id in kb.places:
        place = kb.places[claim.value_id]
        return (place.name_ar or place.name_en) if language == "ar" else place.name_en
    if claim.field in ("organisation", "perpetrator") and claim.value_id:
        organisation = kb.organisations.get(claim.value_id)
        if organisation is not None:
            return (organisation.name_ar or organisation.name_en) if language == "ar" else organisation.name_en
        actor = kb.actors.get(claim.value_id)
        if actor is not None:
            return (actor.label_ar or actor.label_en) if language == "ar" else actor.label_en
    return claim.value


def _claim(claim: Claim, text: str, language: str, corrections: list[Claim]) -> dict[str, Any]:
    kind = field_of(claim)
    current = next((item for item in corrections if item.review == "correction"), None)
    return {
        "id": claim.pk, "field": kind, "field_label": _label("claim_fields", kind, language), "value": claim.value,
        "value_label": value_label(claim, language),
        "value_id": claim.value_id or None, "qualifier": claim.qualifier or None, "what": claim.what or None,
        "span": [claim.start, claim.end], "quote": text[claim.start:claim.end][:300], "extractor": claim.extractor,
        "review": claim.review or "unreviewed", "review_label": _label("claim_reviews", claim.review or "unreviewed", language),
        "reviewed_by": claim.reviewed_by or None, "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
        "stale": claim.stale, "incident_report": claim.incident_report_id,
        "correction": None if current is None else {
            "id": current.pk, "value": current.value, "value_label": value_label(current, language), "value_id": current.value_id or None, "qualifier": current.qualifier or None,
            "what": current.what or None, "author": current.author, "reason": current.reason,
            "at": current.reviewed_at.isoformat() if current.reviewed_at else None},
        "earlier_corrections": [{"id": item.pk, "value": item.value, "author": item.author, "reason": item.reason}
                                for item in corrections if item.review != "correction"],
    }


def claims_to_review(record: Record, user: Any, language: str = "en") -> list[dict[str, Any]] | None:
    """Every machine claim of the record with its review and current correction (reviewers only)."""
    if not policy.may_review(user):
        return None
    claims = list(record.claims.order_by("start", "end", "pk"))
    corrections: dict[int, list[Claim]] = {}
    for claim in claims:
        if claim.corrects_id:
            corrections.setdefault(claim.corrects_id, []).append(claim)
    return [{**_claim(claim, record.text, language, corrections.get(claim.pk, [])), "direction": record.direction}
            for claim in claims if not claim.author]


def _corrections_of(claims: list[Claim]) -> dict[int, list[Claim]]:
    found: dict[int, list[Claim]] = {}
    for correction in Claim.objects.filter(corrects__in=[claim.pk for claim in claims]).order_by("pk"):
        found.setdefault(correction.corrects_id or 0, []).append(correction)
    return found


def incident_claims_to_review(incident: Incident, user: Any, language: str = "en") -> list[dict[str, Any]] | None:
    """The machine claims of the incident's visible reports (counts, date, perpetrator, event types), for reviewers."""
    if not policy.may_review(user):
        return None
    reports = policy.visible_reports(user, incident)
    claims = list(Claim.objects.filter(incident_report__in=reports, author="").select_related("record")
                  .order_by("record__issue_date", "record_id", "start", "pk"))
    corrections = _corrections_of(claims)
    return [{**_claim(claim, claim.record.text, language, corrections.get(claim.pk, [])), "record": claim.record.code,
             "direction": claim.record.direction} for claim in claims]


def extend_record(payload: dict[str, Any], record: Record, user: Any, language: str = "en") -> dict[str, Any]:
    """The record payload with ``review_state``, ``grades``, ``claims_to_review`` and ``history``."""
    incidents = list(policy.visible_incidents(user).filter(reports__record=record).distinct())
    payload["review_state_detail"] = review_state(record, user, language)
    payload["grades"] = grades.record_grades(record, incidents, language, names=policy.may_edit(user))
    payload["claims_to_review"] = claims_to_review(record, user, language)
    payload["history"] = _history(history.record_history(record, user), language)
    payload["may_review"] = policy.may_review(user)
    payload["may_edit"] = policy.may_edit(user)
    return payload


def reviewed_figures(incident: Incident, user: Any, language: str = "en") -> list[dict[str, Any]]:
    """Each reviewed count of the visible reports: the machine's figure and the reviewer's decision or corrected figure."""
    reports = policy.visible_reports(user, incident)
    machine = (Claim.objects.filter(incident_report__in=reports, field="count", author="").exclude(review="")
               .select_related("record").order_by("record__issue_date", "record_id", "start"))
    names = policy.may_edit(user)
    figures = []
    for claim in machine:
        correction = claim.corrections.filter(review="correction").order_by("-pk").first()
        figures.append({
            "claim": claim.pk, "record": claim.record.code, "issuer": claim.record.issuer or None,
            "what": claim.what or None,
            "machine": {"value": claim.value, "qualifier": claim.qualifier or None,
                        "qualifier_label": _label("count_qualifiers", claim.qualifier, language) if claim.qualifier else None},
            "review": claim.review, "review_label": _label("claim_reviews", claim.review, language),
            "reviewed_by": claim.reviewed_by if names else None,
            "corrected": None if correction is None else {
                "value": correction.value, "what": correction.what or None, "qualifier": correction.qualifier or None,
                "qualifier_label": _label("count_qualifiers", correction.qualifier, language) if correction.qualifier else None,
                "reason": correction.reason if names else None, "author": correction.author if names else None},
        })
    return figures


def links_to_review(incident: Incident, user: Any) -> list[dict[str, Any]] | None:
    if not policy.may_review(user):
        return None
    reports = (policy.visible_reports(user, incident).select_related("record").order_by("record__issue_date", "record_id"))
    return [{"report_id": report.pk, "code": report.record.code, "title": report.record.title, "url": f"/records/{report.record.code}",
             "decision": report.decision, "score": report.score, "review": report.review or None} for report in reports]


def extend_incident(payload: dict[str, Any], incident: Incident, user: Any, language: str = "en") -> dict[str, Any]:
    """The incident payload with ``reviewed_figures``, ``grades``, ``links_to_review`` and ``history``."""
    payload["reviewed_figures"] = reviewed_figures(incident, user, language)
    payload["grades"] = grades.incident_grades(incident, language, names=policy.may_edit(user))
    if payload.get("suggested_grade"):  # the suggestion from the reports this user may see, not the stored one
        payload["grades"]["information"]["suggestion"] = payload["suggested_grade"]
    payload["links_to_review"] = links_to_review(incident, user)
    payload["claims_to_review"] = incident_claims_to_review(incident, user, language)
    payload["history"] = _history(history.incident_history(incident, user), language)
    payload["may_review"] = policy.may_review(user)
    return payload
