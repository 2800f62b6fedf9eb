"""The daily chronicle (يوميات): incidents by day, one month per page.

An incident's day is its own date when known to the day; otherwise the issue date of the earliest
visible record reporting it (when that date agrees with what is known of the incident's date).
Only incidents with at least one record the user may see appear, and only those records count: the
incident's date, place, kinds and title are those its visible reports give (``incidents.visible_facts``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dhakira_web.archive import policy
from dhakira_web.archive.geography import governorate_names
from dhakira_web.archive.incidents import IncidentFacts, headline, places_of, visible_facts
from dhakira_web.archive.models import IncidentReport, Place, Record, RecordFacet
from dhakira_web.archive.payloads import label, local_name

_MONTH = re.compile(r"^\d{4}-\d{2}$")
CHRONICLE_FILTERS = ("governorate", "facility", "event_type")


@dataclass(frozen=True)
class DatedIncident:
    """A visible incident with its day (YYYY-MM-DD, or shorter when only that is known), from visible reports."""

    id: int
    day: str
    facts: IncidentFacts
    place: Place | None

    @property
    def month(self) -> str:
        return self.day[:7]


def incident_day(facts: IncidentFacts) -> str:
    """The incident's own date when known to the day; else the earliest visible report's issue date when it agrees."""
    if len(facts.date) == 10 or not facts.issued:
        return facts.date
    if not facts.date or facts.issued.startswith(facts.date):
        return facts.issued
    return facts.date


def dated_incidents(user: Any, filters: dict[str, str] | None = None,
                    facts: dict[int, IncidentFacts] | None = None) -> list[DatedIncident]:
    """Visible incidents with a day, filtered; every value from the reports ``user`` may see."""
    filters = filters or {}
    facts = visible_facts(user) if facts is None else facts
    places = places_of(facts.values())
    result = []
    for pk, item in facts.items():
        place = places.get(item.place_key)
        day = incident_day(item)
        if not day:
            continue
        if filters.get("governorate") and (place is None or place.governorate_pcode != filters["governorate"]):
            continue
        if filters.get("facility") and (place is None or place.key != filters["facility"]):
            continue
        if filters.get("event_type") and filters["event_type"] not in item.event_types:
            continue
        result.append(DatedIncident(pk, day, item, place))
    return result


def chronicle_payload(user: Any, month: str | None = None, filters: dict[str, str] | None = None,
                      language: str = "en") -> dict[str, Any]:
    """One month of the chronicle: days with their incidents, the months there are, and the filter choices."""
    filters = {name: value for name, value in (filters or {}).items() if name in CHRONICLE_FILTERS and value}
    facts = visible_facts(user)
    incidents = dated_incidents(user, filters, facts)
    per_month = Counter(item.month for item in incidents)
    known = sorted(per_month, reverse=True)
    months = [{"month": key, "count": per_month[key]} for key in known]
    if not month or not _MONTH.match(month):
        month = known[0] if known else None
    rows = sorted((item for item in incidents if month and item.month == month), key=lambda item: (item.day, item.id))
    reports = _reports_of([item.id for item in rows], user)
    days: dict[str, list[dict[str, Any]]] = {}
    for item in rows:
        place = item.place
        place_name = local_name(place.name_en, place.name_ar, language) if place else ""
        days.setdefault(item.day, []).append({
            "id": item.id,
            "title": headline(item.facts.event_types, place_name, item.facts.date, language),
            "date": item.facts.date or None,
            "day": item.day,
            "event_types": [{"id": kind, "label": label("event_types", kind, language)} for kind in item.facts.event_types],
            "place": {"id": place.key, "name_en": place.name_en, "name_ar": place.name_ar, "name": place_name} if place else None,
            "reports": reports.get(item.id, []),
            "url": f"/incidents/{item.id}",
        })
    index = known.index(month) if month in known else -1
    newer = known[index - 1] if index > 0 else None
    older = known[index + 1] if 0 <= index < len(known) - 1 else None

    def link(target: str | None) -> str | None:
        return "/chronicle?" + urlencode({**filters, "month": target}) if target else None

    return {
        "month": month,
        "filters": filters,
        "days": [{"day": day, "incidents": items} for day, items in sorted(days.items())],
        "months": months,
        "newer": newer, "older": older, "newer_url": link(newer), "older_url": link(older),
        "options": chronicle_options(user, language, facts),
    }


def _reports_of(incident_ids: list[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The visible records reporting each incident, earliest first, in one query."""
    reports: dict[int, list[dict[str, Any]]] = {}
    listed: set[tuple[int, int]] = set()
    rows = (IncidentReport.objects.filter(incident_id__in=incident_ids, record__in=policy.visible_records(user))
            .order_by("record__issue_date", "record_id")
            .values_list("incident_id", "record_id", "record__code", "record__title", "record__issuer", "record__language"))
    for incident_id, record_id, code, title, issuer, language in rows:
        if (incident_id, record_id) in listed:  # a record reporting the incident at several places in its text
            continue
        listed.add((incident_id, record_id))
        reports.setdefault(incident_id, []).append(
            {"code": code, "title": policy.shown_text(user, Record(pk=record_id), title), "issuer": issuer, "language": language, "url": f"/records/{code}"})
    return reports


def chronicle_options(user: Any, language: str = "en",
                      facts: dict[int, IncidentFacts] | None = None) -> dict[str, list[dict[str, str]]]:
    """Choices for the chronicle's filters: governorates, facilities and event types of visible incidents."""
    facts = visible_facts(user) if facts is None else facts
    keys = {item.place_key for item in facts.values() if item.place_key}
    places = Place.objects.filter(key__in=keys)
    pcodes = set(places.exclude(governorate_pcode="").values_list("governorate_pcode", flat=True))
    names = governorate_names()
    governorates = [{"value": pcode, "label": names.get(pcode, (pcode, pcode))[1 if language == "ar" else 0]}
                    for pcode in sorted(pcodes)]
    facilities = [{"value": place.key, "label": local_name(place.name_en, place.name_ar, language)}
                  for place in places.filter(kind="facility").order_by("name_en")]
    kinds = sorted(RecordFacet.objects.filter(name="event_type", record__in=policy.visible_records(user))
                   .values_list("value", flat=True).distinct())
    return {"governorate": governorates, "facility": facilities,
            "event_type": [{"value": kind, "label": label("event_types", kind, language)} for kind in kinds]}


__all__ = ["CHRONICLE_FILTERS", "DatedIncident", "chronicle_options", "chronicle_payload", "dated_incidents", "incident_day"]
