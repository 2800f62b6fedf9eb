"""What an incident is (kind, place, date, perpetrator), read from the reports a reader may see.

An incident is stored with the values of its first report, which a reader may not be allowed to see.
So nothing shown about it is taken from the stored row: each visible report says what it reports
(``IncidentReport.reported``), and the incident is what those reports say together:

* event types: every type a report asserts, those asserted by most reports first (then in the order
  of the ``incident_headlines`` vocabulary);
* date: the most precise date a report gives; among equally precise ones the one most reports give,
  then the earliest report's;
* place and perpetrator: the one most reports give, then the earliest report's (a perpetrator by its
  knowledge-base id when the extraction gives one, so that reports in both languages agree).

A report whose extraction does not say one of these (records linked by hand) stands for the stored
value only when it is the incident's origin report, whose values the stored row holds.
Reports linked as ``possible`` or rejected by a reviewer do not count while other reports do.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models.fields.json import KT

from dhakira.schema import vocabulary
from dhakira_web.archive import policy
from dhakira_web.archive.models import Incident, IncidentReport, Place

COUNTED_DECISIONS = ("origin", "same")


@dataclass(slots=True)
class ReportFacts:
    """What one report says of the incident, with when and by whom it was issued."""

    report_id: int
    record_id: int
    issue_date: str
    counted: bool
    event_types: tuple[str, ...] = ()
    place_key: str = ""
    date: str = ""
    perpetrator: str = ""


@dataclass(frozen=True)
class IncidentFacts:
    """The incident as its visible reports tell it; ``reports`` are those the values come from."""

    event_types: tuple[str, ...] = ()
    place_key: str = ""
    date: str = ""
    perpetrator: str = ""
    issued: str = ""
    reports: tuple[int, ...] = field(default=())

    @property
    def date_precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}.get(len(self.date), "unknown")


@cache
def _headline_order() -> dict[str, int]:
    return {entry.id: rank for rank, entry in enumerate(vocabulary("incident_headlines"))}


def counts_for_incident(decision: str, review: str) -> bool:
    """Whether a report counts for its incident: linked as the same incident, or confirmed by a reviewer."""
    return review != "rejected" and (decision in COUNTED_DECISIONS or review == "confirmed")


def report_facts(report_id: int, record_id: int, issue_date: str, decision: str, review: str,
                 reported: dict[str, Any] | None, stored: dict[str, Any] | None = None) -> ReportFacts:
    """One report's facts; ``stored`` (the incident row's values) fills gaps only for its origin report."""
    # A JSON null read by the database (SQLite gives the text "null") is no value.
    reported = {key: value for key, value in (reported or {}).items() if value not in (None, "null")}
    fallback = (stored or {}) if decision == "origin" else {}
    return ReportFacts(
        report_id=report_id,
        record_id=record_id,
        issue_date=issue_date or "",
        counted=counts_for_incident(decision, review),
        event_types=tuple(reported.get("event_types") or fallback.get("event_types") or ()),
        place_key=str(reported.get("place_id") or fallback.get("place_key") or ""),
        date=str(reported.get("date") or fallback.get("date") or ""),
        perpetrator=str(reported.get("perpetrator_id") or reported.get("perpetrator_en") or fallback.get("perpetrator") or ""),
    )


def _most_given(values: Sequence[str]) -> str:
    """The value most reports give (ties: the earliest report's); empty when none gives one."""
    given = [value for value in values if value]
    if not given:
        return ""
    counts = Counter(given)
    best = max(counts.values())
    return next(value for value in given if counts[value] == best)


def combine(reports: Iterable[ReportFacts]) -> IncidentFacts:
    """The incident from its reports (earliest first); counted reports only, unless none counts."""
    ordered = sorted(reports, key=lambda item: (item.issue_date or "9999", item.record_id, item.report_id))
    counted = [item for item in ordered if item.counted] or ordered
    if not counted:
        return IncidentFacts()
    rank = _headline_order()
    kinds = Counter(kind for item in counted for kind in dict.fromkeys(item.event_types))
    event_types = tuple(sorted(kinds, key=lambda kind: (-kinds[kind], rank.get(kind, len(rank)), kind)))
    dates = [item.date for item in counted if item.date]
    longest = max((len(date) for date in dates), default=0)
    issued = [item.issue_date for item in counted if item.issue_date]
    return IncidentFacts(
        event_types=event_types,
        place_key=_most_given([item.place_key for item in counted]),
        date=_most_given([date for date in dates if len(date) == longest]),
        perpetrator=_most_given([item.perpetrator for item in counted]),
        issued=min(issued) if issued else "",
        reports=tuple(item.report_id for item in counted),
    )


def _kinds(value: Any) -> list[str]:
    """Event types as read from the database: a JSON array (text from ``KT``), a list, or nothing."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [str(kind) for kind in value] if isinstance(value, list) else []


def visible_facts(user: Any, incident_ids: Iterable[int] | None = None) -> dict[int, IncidentFacts]:
    """The facts of every incident ``user`` may see (or of ``incident_ids``), from visible reports only.

    Two queries whatever the number of incidents: the visible reports (only the keys read here are
    taken out of their JSON, by the database), and the stored values of their incidents (used only to
    fill the gaps of origin reports, see :func:`report_facts`).
    """
    reports = IncidentReport.objects.filter(policy.record_condition(user, "record__"))
    if incident_ids is not None:
        reports = reports.filter(incident_id__in=list(incident_ids))
    rows = list(reports.order_by().annotate(
        kinds=KT("reported__event_types"), place_id=KT("reported__place_id"), given_day=KT("reported__date"),
        perpetrator_id=KT("reported__perpetrator_id"), perpetrator_en=KT("reported__perpetrator_en"),
    ).values_list("id", "incident_id", "record_id", "record__issue_date", "decision", "review", "kinds", "place_id", "given_day",
                  "perpetrator_id", "perpetrator_en"))
    stored: dict[int, dict[str, Any]] = {}
    origins = {row[1] for row in rows if row[4] == "origin"}
    for pk, event_types, date, perpetrator, place_key in (Incident.objects.filter(pk__in=origins)
                                                          .values_list("pk", "event_types", "date", "perpetrator", "place__key")):
        stored[pk] = {"event_types": event_types, "date": date, "perpetrator": perpetrator, "place_key": place_key or ""}
    grouped: dict[int, list[ReportFacts]] = {}
    for pk, incident_id, record_id, issue_date, decision, review, kinds, place_id, day, perpetrator_id, perpetrator_en in rows:
        reported = {"event_types": _kinds(kinds), "place_id": place_id, "date": day, "perpetrator_id": perpetrator_id,
                    "perpetrator_en": perpetrator_en}
        grouped.setdefault(incident_id, []).append(
            report_facts(pk, record_id, issue_date, decision, review, reported, stored.get(incident_id)))
    return {incident_id: combine(items) for incident_id, items in grouped.items()}


def facts_of(incident: Incident, reports: Sequence[IncidentReport]) -> IncidentFacts:
    """The facts of one incident from the given reports (their records loaded)."""
    stored = {"event_types": incident.event_types, "date": incident.date, "perpetrator": incident.perpetrator,
              "place_key": incident.place.key if incident.place else ""}
    return combine(report_facts(report.pk, report.record_id, report.record.issue_date, report.decision, report.review,
                                report.reported, stored) for report in reports)


def places_of(facts: Iterable[IncidentFacts]) -> dict[str, Place]:
    """The places named by some facts, by key, in one query."""
    keys = {item.place_key for item in facts if item.place_key}
    return {place.key: place for place in Place.objects.filter(key__in=keys)} if keys else {}


def stored_values(facts: IncidentFacts | None) -> dict[str, Any]:
    """An incident's stored columns as ``facts`` (its visible reports) tell them; the values made from every
    report (its title, suggested grade and the reasons for it) are left empty, and ``place_key`` names its place."""
    return {"title": "", "suggested_credibility": "", "credibility_reasons": [],
            "event_types": list(facts.event_types) if facts else [], "date": facts.date if facts else "",
            "date_precision": facts.date_precision if facts else "unknown", "perpetrator": facts.perpetrator if facts else "",
            "place_key": facts.place_key if facts else ""}


def partly_hidden(user: Any, incident_ids: Iterable[int]) -> set[int]:
    """Those of ``incident_ids`` with a report ``user`` may not see (one query for all of them)."""
    hidden = IncidentReport.objects.filter(incident_id__in=list(incident_ids)).exclude(policy.record_condition(user, "record__"))
    return set(hidden.values_list("incident_id", flat=True).distinct())


def as_seen(user: Any, incidents: Sequence[Incident]) -> list[Incident]:
    """``incidents`` as ``user`` may see them, for exports: one with a report ``user`` may not see is replaced by an
    unsaved copy holding what its visible reports tell (``stored_values``), never its stored row's values."""
    hidden = partly_hidden(user, [incident.pk for incident in incidents])
    if not hidden:
        return list(incidents)
    facts = visible_facts(user, hidden)
    places = places_of(facts.values())
    shown: list[Incident] = []
    for incident in incidents:
        if incident.pk not in hidden:
            shown.append(incident)
            continue
        values = stored_values(facts.get(incident.pk))
        place = places.get(values.pop("place_key"))
        copy = Incident(**{column.attname: getattr(incident, column.attname) for column in Incident._meta.concrete_fields})
        for name, value in values.items():
            setattr(copy, name, value)
        copy.place = place
        shown.append(copy)
    return shown
