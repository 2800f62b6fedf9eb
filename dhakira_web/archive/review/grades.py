"""Admiralty grades: source reliability A–F per source, information credibility 1–6 per record and per incident.

A reviewer's grade carries a rationale and the reviewer; the machine's suggestion stays beside it, labelled
as a suggestion. Syrian Memory's grade of a document is a third-party assessment mapped onto the
information axis (standards E2: correct → 2, incorrect → 5, not confirmed → 6, unspecified → not assessed);
it never grades the source. Labels come from the vocabularies, in Arabic and English.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dhakira.schema import ids, term
from dhakira_web.archive import audit
from dhakira_web.archive.models import Assessment, Incident, Record
from dhakira_web.archive.review.claims import ReviewError
from dhakira_web.archive.review.models import SourceGrade

INFORMATION = "information_credibility"
SOURCE = "source_reliability"
THIRD_PARTY = {"syrian_memory_grade": "syrian_memory_grades"}  # imported scheme → vocabulary (with its mapping)
DEFAULT_SOURCE = "F"  # standards E1: a source cannot be judged until someone grades it


def grade_words(source: str | None, information: str | None, language: str = "en") -> str:
    """``B2 — usually reliable, probably true`` (or in Arabic), from the vocabularies; never a bare code."""
    parts, words = [], []
    if source:
        parts.append(source)
        words.append(_words(SOURCE, source, language))
    if information and information != "not_assessed":
        parts.append(information)
        words.append(_words(INFORMATION, information, language))
    elif information == "not_assessed":
        words.append(_words(INFORMATION, information, language))
    separator = "، " if language == "ar" else ", "
    code = "".join(parts)
    return f"{code} — {separator.join(words)}" if code else separator.join(words)


def _words(vocabulary: str, value: str, language: str) -> str:
    words = term(vocabulary, value).label(language)
    return words if language == "ar" else words[:1].lower() + words[1:]


def source_key(record: Record) -> str | None:
    """The source a record's reliability grade belongs to: its issuing organisation, else its issuer's name."""
    if record.issuer_organisation_id and record.issuer_organisation is not None:
        return record.issuer_organisation.key
    return f"issuer:{record.issuer.strip()}" if record.issuer.strip() else None


def grade_source(record: Record, value: str, rationale: str, actor: str) -> SourceGrade:
    """Grade the source (publisher or organisation) of ``record``; every record of that source shows it."""
    if value not in ids(SOURCE):
        raise ReviewError(f"a source grade is one of {', '.join(sorted(ids(SOURCE)))}")
    if not rationale.strip():
        raise ReviewError("a grade needs a rationale")
    key = source_key(record)
    if key is None:
        raise ReviewError("this record names no source (issuer) to grade")
    with transaction.atomic():
        grade = SourceGrade.objects.filter(source=key).first()
        before = _source_state(grade)
        if grade is None:
            grade = SourceGrade(source=key, organisation=record.issuer_organisation)
        grade.value, grade.rationale, grade.assessed_by, grade.assessed_at = value, rationale.strip(), actor, timezone.now()
        grade.save()
        audit.append(actor, "source_graded", record=record,
                     details={"source": key, "before": before, "after": _source_state(grade), "reason": rationale.strip()})
    return grade


def _source_state(grade: SourceGrade | None) -> dict[str, Any] | None:
    return None if grade is None else {"source_reliability": grade.value, "rationale": grade.rationale, "by": grade.assessed_by}


def grade_information(target: Record | Incident, value: str, rationale: str, actor: str) -> Assessment:
    """A reviewer's information grade (1–6, or not assessed) of a record or an incident, replacing their earlier one."""
    if value not in ids(INFORMATION):
        raise ReviewError(f"an information grade is one of {', '.join(sorted(ids(INFORMATION)))}")
    if not rationale.strip():
        raise ReviewError("a grade needs a rationale")
    owner = {"record": target} if isinstance(target, Record) else {"incident": target}
    with transaction.atomic():
        assessment = Assessment.objects.filter(scheme=INFORMATION, imported=False, suggested=False, **owner).first()
        before = _information_state(assessment)
        if assessment is None:
            assessment = Assessment(scheme=INFORMATION, **owner)
        assessment.value, assessment.rationale, assessment.assessed_by = value, rationale.strip(), actor
        assessment.save()
        Assessment.objects.filter(pk=assessment.pk).update(assessed_at=timezone.now())
        details = {"before": before, "after": _information_state(assessment), "reason": rationale.strip()}
        if isinstance(target, Record):
            audit.append(actor, "information_graded", record=target, details=details)
            from dhakira_web.archive.services import refresh_facets  # the reliability facet

            refresh_facets(target)
        else:
            audit.append(actor, "information_graded", target=f"incident:{target.pk}", details={**details, "incident": target.pk})
    return assessment


def _information_state(assessment: Assessment | None) -> dict[str, Any] | None:
    return None if assessment is None else {"information_credibility": assessment.value, "rationale": assessment.rationale,
                                             "by": assessment.assessed_by}


def _grade(value: str, vocabulary: str, language: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "label": term(vocabulary, value).label(language),
            "words": grade_words(value if vocabulary == SOURCE else None, value if vocabulary == INFORMATION else None, language),
            **extra}


def third_party(assessments: list[Assessment], language: str = "en") -> list[dict[str, Any]]:
    """Imported assessments, each with the information grade it maps to (standards E2)."""
    found = []
    for assessment in assessments:
        vocabulary = THIRD_PARTY.get(assessment.scheme)
        if not assessment.imported or vocabulary is None or assessment.value not in ids(vocabulary):
            continue
        mapped = str(term(vocabulary, assessment.value).get("information") or "not_assessed")
        found.append({"scheme": assessment.scheme, "value": assessment.value,
                      "label": term(vocabulary, assessment.value).label(language),
                      "assessed_by": assessment.assessed_by or None, "third_party": True,
                      "information": _grade(mapped, INFORMATION, language)})
    return found


def _human(assessments: list[Assessment], language: str) -> dict[str, Any] | None:
    for assessment in assessments:
        if assessment.scheme == INFORMATION and not assessment.imported and not assessment.suggested:
            return _grade(assessment.value, INFORMATION, language, rationale=assessment.rationale,
                          assessed_by=assessment.assessed_by, assessed_at=assessment.assessed_at.isoformat())
    return None


def _without_names(grade: dict[str, Any] | None, names: bool) -> dict[str, Any] | None:
    if grade is None or names:
        return grade
    return {key: value for key, value in grade.items() if key not in ("assessed_by", "assessed_at")}


def record_grades(record: Record, visible_incidents: list[Incident], language: str = "en", *, names: bool = True) -> dict[str, Any]:
    """A record's grades: source and information, each the reviewer's and the suggestion, plus third parties.

    ``names`` False leaves out who graded and when (for visitors who are not editors or up)."""
    assessments = list(record.assessments.all())
    imported = third_party(assessments, language)
    key = source_key(record)
    source_grade = SourceGrade.objects.filter(source=key).first() if key else None
    if imported and imported[0]["information"]["value"] != "not_assessed":
        suggested_information = imported[0]["information"]["value"]
        why = "third_party"
    else:
        best = sorted(incident.suggested_credibility for incident in visible_incidents if incident.suggested_credibility in ids(INFORMATION))
        suggested_information, why = (best[0], "incidents") if best else ("6", "single_report")
    human = _human(assessments, language)
    source = (_grade(source_grade.value, SOURCE, language, rationale=source_grade.rationale, assessed_by=source_grade.assessed_by,
                     assessed_at=source_grade.assessed_at.isoformat()) if source_grade else None)
    chosen_source = source["value"] if source else DEFAULT_SOURCE
    chosen_information = human["value"] if human else suggested_information
    return {
        "source": {"key": key, "name": record.issuer or None, "grade": _without_names(source, names),
                   "suggestion": _grade(DEFAULT_SOURCE, SOURCE, language, suggested=True, reason="default")},
        "information": {"grade": _without_names(human, names),
                        "suggestion": _grade(suggested_information, INFORMATION, language, suggested=True, reason=why)},
        "third_party": imported,
        "combined": {"code": f"{chosen_source}{chosen_information if chosen_information != 'not_assessed' else ''}",
                     "words": grade_words(chosen_source, chosen_information, language),
                     "suggested": source is None or human is None},
    }


def incident_grades(incident: Incident, language: str = "en", *, names: bool = True) -> dict[str, Any]:
    """An incident's information grade: the reviewer's, and the machine's suggestion."""
    human = _without_names(_human(list(incident.assessments.all()), language), names)
    suggestion = None
    if incident.suggested_credibility in ids(INFORMATION):
        suggestion = _grade(incident.suggested_credibility, INFORMATION, language, suggested=True)
    return {"information": {"grade": human, "suggestion": suggestion}}
