"""The daily chronicle (يوميات): incidents by day, one month per page.

An incident's day is its own date when known to the day; otherwise the issue date of the earliest
visible record reporting it (when that date agrees with what is known of the incident's date).
Only incidents with at least one record the user may see appear, and only those records count.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    When,
)
from django.db.models.functions import Cast, Length, Substr

from dhakira.schema import ids
from dhakira_web.archive import policy
from dhakira_web.archive.geography import governorate_names
from dhakira_web.archive.models import Incident, IncidentReport, Place, RecordFacet
from dhakira_web.archive.payloads import label, local_name

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_EVENT = re.compile(r"^[a-z_]+$")
CHRONICLE_FILTERS = ("governorate", "facility", "event_type")


def dated_incidents(user: Any, filters: dict[str, str] | None = None) -> QuerySet[Incident]:
    """Visible incidents annotated with ``day`` (YYYY-MM-DD, or shorter when only that is known) and ``month``."""
    filters = filters or {}
    levels = policy.visible_levels(user)
    earliest = (IncidentReport.objects.filter(incident=OuterRef("pk"), record__access_level__in=levels)
                .exclude(record__issue_date="").order_by("record__issue_date").values("record__issue_date")[:1])
    incidents = policy.visible_incidents(user)
    if filters.get("governorate"):
        incidents = incidents.filter(place__governorate_pcode=filters["governorate"])
    if filters.get("facility"):
        incidents = incidents.filter(place__key=filters["facility"])
    if filters.get("event_type") and _EVENT.match(filters["event_type"]):
        incidents = incidents.annotate(types_text=Cast("event_types", TextField())).filter(
            types_text__contains=f'"{filters["event_type"]}"')
    incidents = incidents.annotate(issued=Subquery(earliest, output_field=CharField()), date_length=Length("date"))
    day = Case(
        When(date_length=10, then=F("date")),
        When(Q(date="") & Q(issued__isnull=False), then=F("issued")),
        When(issued__startswith=F("date"), then=F("issued")),
        default=F("date"),
        output_field=CharField(),
    )
    return incidents.annotate(day=day).annotate(month=Substr("day", 1, 7)).exclude(day="").exclude(day__isnull=True)


def chronicle_payload(user: Any, month: str | None = None, filters: dict[str, str] | None = None,
                      language: str = "en") -> dict[str, Any]:
    """One month of the chronicle: days with their incidents, the months there are, and the filter choices."""
    filters = {name: value for name, value in (filters or {}).items() if name in CHRONICLE_FILTERS and value}
    incidents = dated_incidents(user, filters)
    months = [{"month": row["month"], "count": row["count"]}
              for row in incidents.values("month").annotate(count=Count("id")).order_by("-month") if row["month"]]
    known = [row["month"] for row in months]
    if not month or not _MONTH.match(month):
        month = known[0] if known else None
    rows = list(incidents.filter(in_month(user, month), month=month).select_related("place").order_by("day", "id")
                if month else incidents.none())
    reports = _reports_of([incident.pk for incident in rows], user)
    days: dict[str, list[dict[str, Any]]] = {}
    for incident in rows:
        place = incident.place
        days.setdefault(incident.day, []).append({
            "id": incident.pk,
            "title": incident.title,
            "date": incident.date or None,
            "day": incident.day,
            "event_types": [{"id": kind, "label": label("event_types", kind, language)} for kind in incident.event_types],
            "place": {"id": place.key, "name_en": place.name_en, "name_ar": place.name_ar,
                      "name": local_name(place.name_en, place.name_ar, language)} if place else None,
            "reports": reports.get(incident.pk, []),
            "url": f"/incidents/{incident.pk}",
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
        "options": chronicle_options(user, language),
    }


def _month_end(month: str) -> str:
    """The month after ``month`` (``2016-12`` → ``2017-01``): the end of a range over ISO dates."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def in_month(user: Any, month: str) -> Q:
    """A condition that every incident whose chronicle day falls in ``month`` meets, read from indexes.

    Such an incident either has its own date in that month, or takes its day from a visible report
    issued in that month; both are range scans (``Incident.date``, ``Record.issue_date``), so one
    month costs what that month holds, whatever the size of the archive. The exact day is then
    computed for these candidates only.
    """
    if not _MONTH.match(month or ""):
        return Q()
    end = _month_end(month)
    issued = IncidentReport.objects.filter(record__issue_date__gte=month, record__issue_date__lt=end,
                                           record__access_level__in=policy.visible_levels(user)).values("incident_id")
    return Q(date__gte=month, date__lt=end) | Q(pk__in=issued)


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
            {"code": code, "title": title, "issuer": issuer, "language": language, "url": f"/records/{code}"})
    return reports


def chronicle_options(user: Any, language: str = "en") -> dict[str, list[dict[str, str]]]:
    """Choices for the chronicle's filters: governorates, facilities and event types of visible incidents."""
    # One probe per place and per event type (each stops at the first visible example), never a pass over every incident.
    visible_here = policy.visible_incidents(user).filter(place=OuterRef("pk"))
    places = Place.objects.filter(Exists(visible_here))
    pcodes = set(places.exclude(governorate_pcode="").values_list("governorate_pcode", flat=True))
    names = governorate_names()
    governorates = [{"value": pcode, "label": names.get(pcode, (pcode, pcode))[1 if language == "ar" else 0]}
                    for pcode in sorted(pcodes)]
    facilities = [{"value": place.key, "label": local_name(place.name_en, place.name_ar, language)}
                  for place in places.filter(kind="facility").order_by("name_en")]
    levels = policy.visible_levels(user)
    kinds = sorted(kind for kind in ids("event_types")
                   if RecordFacet.objects.filter(name="event_type", value=kind, record__access_level__in=levels).exists())
    return {"governorate": governorates, "facility": facilities,
            "event_type": [{"value": kind, "label": label("event_types", kind, language)} for kind in kinds]}


__all__ = ["CHRONICLE_FILTERS", "chronicle_options", "chronicle_payload", "dated_incidents"]
