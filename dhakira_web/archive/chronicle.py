"""The daily chronicle (يوميات): incidents by day, one month per page.

An incident's day is its own date when known to the day; otherwise the issue date of the earliest
visible record reporting it (when that date agrees with what is known of the incident's date).
Only incidents with at least one record the user may see appear, and only those records count: the
incident's date, place, kinds and title are those its visible reports give (``incidents.visible_facts``).

A month page reads only the incidents whose day can fall in that month (``aggregate.month_candidates``,
ranges over indexes) and computes their facts; the month list, the filter choices and the map's counts
come from one aggregate statement over the visible reports (``aggregate.tallies``). A month shows at most
``PART_SIZE`` incidents on a page, days in order: a larger month is read in parts (``?part=2``, …), each
linked to the next, so a page stays small however many incidents a month holds; it still says how many
visible incidents the whole month has.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dhakira_web.archive import policy
from dhakira_web.archive.counts.kept import kept
from dhakira_web.archive.geography import governorate_names
from dhakira_web.archive.incidents import IncidentFacts, headline, places_of, visible_facts
from dhakira_web.archive.incidents.aggregate import Tally, month_candidates, tallies
from dhakira_web.archive.models import IncidentReport, Place, Record, RecordFacet
from dhakira_web.archive.payloads import label, local_name

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_PART = re.compile(r"^[0-9]{1,6}$")
PART_SIZE = 200  # incidents on one page of a month: the page's size and work stay bounded in a month of thousands
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
    """Visible incidents with a day, filtered; every value from the reports ``user`` may see.

    ``facts`` limits them to some incidents (a month's candidates); without it, every visible incident.
    """
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


def month_counts(user: Any, filters: dict[str, str] | None = None,
                 counted: list[Tally] | None = None) -> list[dict[str, Any]]:
    """The months with incidents, newest first, each with its number of incidents (filtered)."""
    filters = filters or {}
    if counted is None or filters.get("event_type"):
        counted = tallies(user, filters.get("event_type"))
    allowed: set[str] | None = None
    if filters.get("facility"):
        allowed = {filters["facility"]}
    if filters.get("governorate"):
        keys = Place.objects.filter(governorate_pcode=filters["governorate"]).values_list("key", flat=True)
        allowed = set(keys) & allowed if allowed is not None else set(keys)
    per_month: Counter[str] = Counter()
    for row in counted:
        if row.month and (allowed is None or row.place in allowed):
            per_month[row.month] += row.count
    return [{"month": key, "count": per_month[key]} for key in sorted(per_month, reverse=True)]


def part_number(text: str | None) -> int:
    """The part of a month a reader asks for (``?part=``): 1 unless it is a plain number."""
    return int(text) if text and _PART.match(text) else 1


def chronicle_payload(user: Any, month: str | None = None, filters: dict[str, str] | None = None,
                      language: str = "en", part: int | None = None) -> dict[str, Any]:
    """One part of a month of the chronicle (at most ``PART_SIZE`` incidents, days in order): days with their
    incidents, how many the whole month has, links to the month's other parts, the months there are, and the
    filter choices."""
    filters = {name: value for name, value in (filters or {}).items() if name in CHRONICLE_FILTERS and value}
    counted = tallies(user)
    months = month_counts(user, filters, counted)
    known = [row["month"] for row in months]
    if not month or not _MONTH.match(month):
        month = known[0] if known else None
    rows: list[DatedIncident] = []
    if month:
        facts = visible_facts(user, month_candidates(user, month))
        rows = sorted((item for item in dated_incidents(user, filters, facts) if item.month == month),
                      key=lambda item: (item.day, item.id))
    total = len(rows)
    parts = max(1, -(-total // PART_SIZE))
    part = min(max(part or 1, 1), parts)
    rows = rows[(part - 1) * PART_SIZE:part * PART_SIZE]
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

    def link(target: str | None, number: int = 1) -> str | None:
        if not target:
            return None
        return "/chronicle?" + urlencode({**filters, "month": target, **({"part": number} if number > 1 else {})})

    return {
        "month": month,
        "filters": filters,
        "days": [{"day": day, "incidents": items} for day, items in sorted(days.items())],
        "months": months,
        "newer": newer, "older": older, "newer_url": link(newer), "older_url": link(older),
        "count": total, "part": part, "parts": parts,
        "first": (part - 1) * PART_SIZE + 1 if rows else 0, "last": (part - 1) * PART_SIZE + len(rows),
        "previous_part_url": link(month, part - 1) if part > 1 else None,
        "next_part_url": link(month, part + 1) if part < parts else None,
        "options": chronicle_options(user, language, counted),
    }


def _reports_of(incident_ids: list[int], user: Any) -> dict[int, list[dict[str, Any]]]:
    """The visible records reporting each incident, earliest first, in one query (titles masked as the policy says)."""
    reports: dict[int, list[dict[str, Any]]] = {}
    listed: set[tuple[int, int]] = set()
    rows = list(IncidentReport.objects.filter(policy.record_condition(user, "record__"), incident_id__in=incident_ids)
                .order_by("record__issue_date", "record_id")
                .values_list("incident_id", "record_id", "record__code", "record__title", "record__issuer", "record__language"))
    records = {row[1]: Record(pk=row[1]) for row in rows}  # titles masked as the policy says, read for all at once
    policy.read_hidden_phrases(user, records.values())
    for incident_id, record_id, code, title, issuer, language in rows:
        if (incident_id, record_id) in listed:  # a record reporting the incident at several places in its text
            continue
        listed.add((incident_id, record_id))
        shown = policy.shown_text(user, records[record_id], title)
        reports.setdefault(incident_id, []).append(
            {"code": code, "title": shown, "issuer": issuer, "language": language, "url": f"/records/{code}"})
    return reports


def chronicle_options(user: Any, language: str = "en", counted: list[Tally] | None = None) -> dict[str, list[dict[str, str]]]:
    """Choices for the chronicle's filters: governorates and facilities where visible incidents are placed, and
    the event types of visible records."""
    counted = tallies(user) if counted is None else counted
    keys = {row.place for row in counted if row.place}
    places = Place.objects.filter(key__in=keys)
    pcodes = set(places.exclude(governorate_pcode="").values_list("governorate_pcode", flat=True))
    names = governorate_names()
    governorates = [{"value": pcode, "label": names.get(pcode, (pcode, pcode))[1 if language == "ar" else 0]}
                    for pcode in sorted(pcodes)]
    facilities = [{"value": place.key, "label": local_name(place.name_en, place.name_ar, language)}
                  for place in places.filter(kind="facility").order_by("name_en")]
    kinds = kept("event-type-choices", user, lambda: sorted(
        RecordFacet.objects.filter(policy.record_condition(user, "record__"), name="event_type")
        .values_list("value", flat=True).distinct()))
    return {"governorate": governorates, "facility": facilities,
            "event_type": [{"value": kind, "label": label("event_types", kind, language)} for kind in kinds]}


__all__ = ["CHRONICLE_FILTERS", "PART_SIZE", "DatedIncident", "chronicle_options", "chronicle_payload", "dated_incidents", "incident_day", "month_counts", "part_number"]
