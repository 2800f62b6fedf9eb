"""Incident facts counted by the database: how many visible incidents per month and per place.

:func:`facts.visible_facts` computes an incident's facts in Python, which is right for the incidents
of one page but not for counting all of them. Here the same rules (see ``facts``: counted reports,
the most precise date most reports give, the place most reports give, ties to the earliest report,
the chronicle's day) are applied by one grouped SQL statement over the visible reports, which returns
a few numbers per incident; only incidents whose reports disagree in a way a vote must settle are
computed by ``visible_facts``. The chronicle's month list, its filter choices and the map read the
resulting (month, place) counts. It runs the same on SQLite (≥ 3.38) and PostgreSQL. Its cost is one
pass over the visible reports in the database, paid once per visibility class and generation of the
archive: the result is kept until a record, incident or report changes (``counts.kept``).

And :func:`month_candidates` finds, by ranges over indexes, the incidents whose day can fall in a
month: a visible report giving a date in it (``IncidentReport.day``), a visible record issued in it
(``Record.issue_date``), or an origin report whose incident's stored date is in it (``Incident.date``,
what an origin report without a date of its own stands for).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf

from dhakira_web.archive import policy
from dhakira_web.archive.counts.kept import kept
from dhakira_web.archive.incidents.facts import COUNTED_DECISIONS
from dhakira_web.archive.models import IncidentReport

_KIND = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class Tally:
    """Visible incidents whose chronicle month is ``month`` ('' when they have no day) and whose place is ``place``."""

    month: str
    place: str
    count: int


def _key(name: str) -> RawSQL:
    """One key of a report's ``reported`` JSON as text: ``->>`` reads it in one pass on SQLite (≥ 3.38) and PostgreSQL."""
    return RawSQL(f'"{IncidentReport._meta.db_table}"."reported" ->> %s', (name,), output_field=TextField())


def _visible_reports_sql(user: Any, kinds: bool) -> tuple[str, tuple[Any, ...]]:
    """The visible reports, each with what it says (origin reports fall back on the stored row), as SQL.

    ``kinds``: with their event types (only a filter by event type needs them).
    """
    origin = Q(decision="origin")
    counted = ~Q(review="rejected") & (Q(decision__in=COUNTED_DECISIONS) | Q(review="confirmed"))
    reports = (IncidentReport.objects.filter(policy.record_condition(user, "record__")).order_by()
               .annotate(
                   r_counted=Case(When(counted, then=Value(1)), default=Value(0), output_field=IntegerField()),
                   r_day=Case(When(~Q(day=""), then=F("day")), When(origin, then=F("incident__date")), default=Value(""),
                              output_field=CharField()),  # ``day``: the report's own date, kept by ``save``
                   r_place=Coalesce(NullIf(_key("place_id"), Value("")),
                                    Case(When(origin, then=Coalesce(F("incident__place__key"), Value(""))), default=Value("")),
                                    output_field=CharField()),
                   r_sort=Case(When(record__issue_date="", then=Value("9999")), default=F("record__issue_date"), output_field=CharField()),
                   r_issued=F("record__issue_date"),
               ))
    if kinds:
        reports = reports.annotate(kinds_given=Coalesce(_key("event_types"), Value(""), output_field=TextField())).annotate(
            r_kinds=Case(When(origin & Q(kinds_given__in=("", "[]")), then=Cast("incident__event_types", TextField())),
                         default=F("kinds_given"), output_field=TextField()))
    else:
        reports = reports.annotate(r_kinds=Value("", output_field=TextField()))
    reports = reports.values("id", "incident_id", "record_id", "r_counted", "r_day", "r_place", "r_kinds", "r_sort", "r_issued")
    sql, params = reports.query.sql_with_params()
    return sql, tuple(params)


def _class_columns(condition: str) -> str:
    """Aggregates over one class of an incident's reports: dates by precision, earliest issue date, places, a kind."""
    parts = []
    for width in (10, 7, 4):
        parts.append(f"MIN(CASE WHEN {condition} AND LENGTH(r_day) = {width} THEN r_day END)")
        parts.append(f"MAX(CASE WHEN {condition} AND LENGTH(r_day) = {width} THEN r_day END)")
    parts.append(f"MIN(CASE WHEN {condition} AND r_issued <> '' THEN r_issued END)")
    parts.append(f"MIN(CASE WHEN {condition} AND r_place <> '' THEN r_place END)")
    parts.append(f"MAX(CASE WHEN {condition} AND r_place <> '' THEN r_place END)")
    parts.append(f"MAX(CASE WHEN {condition} AND r_kinds LIKE %s ESCAPE '!' THEN 1 ELSE 0 END)")
    return ", ".join(parts)


# One row per visible incident: whether some report counts, then for the counted reports and for all of them the
# earliest and latest date of each precision, the earliest issue date, the first and last place, and the event type.
# The visible reports are read once (MATERIALIZED: their JSON is read once per row, however often it is used).
_PER_INCIDENT = (
    "WITH r AS MATERIALIZED ({reports}) SELECT incident_id, MAX(r_counted), "
    + _class_columns("r_counted = 1") + ", " + _class_columns("1 = 1") + " FROM r GROUP BY incident_id"
)


def _like_kind(kind: str) -> str:
    """A LIKE pattern finding ``"kind"`` in a JSON array's text (``!`` escapes LIKE's wildcards)."""
    return '%"' + kind.replace("!", "!!").replace("_", "!_").replace("%", "!%") + '"%'


def _month_and_place(values: tuple[Any, ...]) -> tuple[str, str, bool] | None:
    """(chronicle month, place, has the kind) from one class's aggregates, or None when only the reports one by one
    can tell (reports of equal precision disagreeing on the month, or on the place: the most given one decides)."""
    lo10, hi10, lo7, hi7, lo4, hi4, issued, first_place, last_place, has_kind = values
    issued = issued or ""
    if first_place != last_place:
        return None
    place = first_place or ""
    if lo10:
        if lo10[:7] != hi10[:7]:
            return None
        month = lo10[:7]
    elif lo7 or lo4:
        date = lo7 or lo4
        if date != (hi7 or hi4):
            return None
        month = (issued if issued.startswith(date) else date)[:7]
    else:
        month = issued[:7]
    return month, place, bool(has_kind)


def tallies(user: Any, event_type: str | None = None) -> list[Tally]:
    """Visible incidents counted by (chronicle month, place), with ``event_type`` among their kinds if given.

    Each incident's month and place are those :func:`facts.visible_facts` and the chronicle's
    ``incident_day`` give it: read from one grouped statement over the reports ``user`` may see, and for
    the few incidents whose reports disagree in a way only a vote settles, from ``visible_facts``.
    Kept per visibility class until the archive changes (``counts.kept``).
    """
    kind = event_type if event_type and _KIND.match(event_type) else None
    return kept("tallies", user, lambda: _tallies(user, kind), kind or "")


def _tallies(user: Any, kind: str | None) -> list[Tally]:
    from dhakira_web.archive.chronicle import incident_day
    from dhakira_web.archive.incidents.facts import visible_facts

    reports, params = _visible_reports_sql(user, kinds=kind is not None)
    pattern = _like_kind(kind or "")
    counts: Counter[tuple[str, str]] = Counter()
    unsettled: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(_PER_INCIDENT.format(reports=reports), (*params, pattern, pattern))
        for row in cursor.fetchall():
            incident_id, best = row[0], row[1]
            found = _month_and_place(tuple(row[2:12]) if best == 1 else tuple(row[12:22]))
            if found is None:
                unsettled.append(incident_id)
            elif kind is None or found[2]:
                counts[(found[0], found[1])] += 1
    for facts in visible_facts(user, unsettled).values() if unsettled else ():
        if kind is None or kind in facts.event_types:
            counts[(incident_day(facts)[:7], facts.place_key)] += 1
    return [Tally(month, place, count) for (month, place), count in counts.items()]


def month_candidates(user: Any, month: str) -> set[int]:
    """Ids of the visible incidents whose chronicle day can fall in ``month`` (a superset), read by index ranges.

    ``month`` is a key as the month list gives it (``2016-05``; ``2016`` for incidents known only to the year).
    """
    start, end = month, month + "~"  # "~" sorts after every digit and "-": the range of keys starting with ``month``
    visible = IncidentReport.objects.filter(policy.record_condition(user, "record__")).order_by()
    found: set[int] = set()
    for condition in (Q(day__gte=start, day__lt=end),
                      Q(record__issue_date__gte=start, record__issue_date__lt=end),
                      Q(decision="origin", incident__date__gte=start, incident__date__lt=end)):
        found.update(visible.filter(condition).values_list("incident_id", flat=True).distinct())
    return found


__all__ = ["Tally", "month_candidates", "tallies"]
