"""Incident facts counted by the database: how many visible incidents per month and per place.

:func:`facts.visible_facts` computes an incident's facts in Python, which is right for the incidents
of one page but not for counting all of them. Here the same rules (see ``facts``: counted reports,
the most precise date most reports give, the place most reports give, ties to the earliest report,
the chronicle's day) are written as one SQL statement over the visible reports, grouped down to
(month, place) pairs, so that the chronicle's month list, its filter choices and the map read a few
hundred rows whatever the size of the archive. It runs the same on SQLite and PostgreSQL (window
functions, ``SUBSTR``, ``LENGTH``).

And :func:`month_candidates` finds, by ranges over indexes, the incidents whose day can fall in a
month: a visible report giving a date in it (``IncidentReport.day``), a visible record issued in it
(``Record.issue_date``), or an origin report whose incident's stored date is in it (``Incident.date``,
what an origin report without a date of its own stands for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Q, TextField, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, NullIf

from dhakira_web.archive import policy
from dhakira_web.archive.incidents.facts import COUNTED_DECISIONS
from dhakira_web.archive.models import IncidentReport

_KIND = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class Tally:
    """Visible incidents whose chronicle month is ``month`` ('' when they have no day) and whose place is ``place``."""

    month: str
    place: str
    count: int


def _visible_reports_sql(user: Any) -> tuple[str, tuple[Any, ...]]:
    """The visible reports, each with what it says (origin reports fall back on the stored row), as SQL."""
    origin = Q(decision="origin")
    counted = ~Q(review="rejected") & (Q(decision__in=COUNTED_DECISIONS) | Q(review="confirmed"))
    reports = (IncidentReport.objects.filter(policy.record_condition(user, "record__")).order_by()
               .annotate(kinds_given=Coalesce(KT("reported__event_types"), Value(""), output_field=TextField()))
               .annotate(
                   r_counted=Case(When(counted, then=Value(1)), default=Value(0), output_field=IntegerField()),
                   r_day=Coalesce(NullIf(KT("reported__date"), Value("")),
                                  Case(When(origin, then=F("incident__date")), default=Value("")), output_field=CharField()),
                   r_place=Coalesce(NullIf(KT("reported__place_id"), Value("")),
                                    Case(When(origin, then=Coalesce(F("incident__place__key"), Value(""))), default=Value("")),
                                    output_field=CharField()),
                   r_kinds=Case(When(origin & Q(kinds_given__in=("", "[]")),
                                     then=Cast("incident__event_types", TextField())),
                                default=F("kinds_given"), output_field=TextField()),
                   r_sort=Case(When(record__issue_date="", then=Value("9999")), default=F("record__issue_date"), output_field=CharField()),
                   r_issued=F("record__issue_date"),
               ).values("id", "incident_id", "record_id", "r_counted", "r_day", "r_place", "r_kinds", "r_sort", "r_issued"))
    sql, params = reports.query.sql_with_params()
    return sql, tuple(params)


# One row per visible incident (``d``): its date, earliest issue date, place, day, and whether it has an event type.
_FACTS = """
WITH r AS ({reports}),
k AS (SELECT incident_id, MAX(r_counted) AS best FROM r GROUP BY incident_id),
c AS (SELECT r.incident_id, COALESCE(r.r_day, '') AS day, COALESCE(r.r_place, '') AS place, r.r_kinds AS kinds,
             r.r_issued AS issued,
             ROW_NUMBER() OVER (PARTITION BY r.incident_id ORDER BY r.r_sort, r.record_id, r.id) AS seq
      FROM r JOIN k ON k.incident_id = r.incident_id AND r.r_counted = k.best),
w AS (SELECT incident_id, MAX(LENGTH(day)) AS width, MIN(CASE WHEN issued <> '' THEN issued END) AS issued,
             MAX(CASE WHEN kinds LIKE %s ESCAPE '!' THEN 1 ELSE 0 END) AS has_kind
      FROM c GROUP BY incident_id),
dl AS (SELECT c.incident_id, c.day, COUNT(*) AS n, MIN(c.seq) AS first FROM c JOIN w ON w.incident_id = c.incident_id
       WHERE c.day <> '' AND LENGTH(c.day) = w.width GROUP BY c.incident_id, c.day),
dd AS (SELECT incident_id, day FROM (SELECT incident_id, day, ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY n DESC, first) AS pick
                                    FROM dl) ranked WHERE pick = 1),
pl AS (SELECT incident_id, place, COUNT(*) AS n, MIN(seq) AS first FROM c WHERE place <> '' GROUP BY incident_id, place),
pp AS (SELECT incident_id, place FROM (SELECT incident_id, place, ROW_NUMBER() OVER (PARTITION BY incident_id ORDER BY n DESC, first) AS pick
                                      FROM pl) ranked WHERE pick = 1),
f AS (SELECT w.incident_id, COALESCE(dd.day, '') AS date, w.issued, COALESCE(pp.place, '') AS place, w.has_kind
      FROM w LEFT JOIN dd ON dd.incident_id = w.incident_id LEFT JOIN pp ON pp.incident_id = w.incident_id),
d AS (SELECT f.incident_id, f.place, f.has_kind,
             CASE WHEN LENGTH(f.date) = 10 OR f.issued IS NULL THEN f.date
                  WHEN f.date = '' OR SUBSTR(f.issued, 1, LENGTH(f.date)) = f.date THEN f.issued
                  ELSE f.date END AS day
      FROM f)
"""


def _like_kind(kind: str) -> str:
    """A LIKE pattern finding ``"kind"`` in a JSON array's text (``!`` escapes LIKE's wildcards)."""
    return '%"' + kind.replace("!", "!!").replace("_", "!_").replace("%", "!%") + '"%'


def tallies(user: Any, event_type: str | None = None) -> list[Tally]:
    """Visible incidents counted by (chronicle month, place), with ``event_type`` among their kinds if given.

    Each incident's month and place are those :func:`facts.visible_facts` and the chronicle's
    ``incident_day`` give it, computed by the database from the reports ``user`` may see.
    """
    reports, params = _visible_reports_sql(user)
    kind = event_type if event_type and _KIND.match(event_type) else None
    sql = _FACTS.format(reports=reports) + (
        "SELECT SUBSTR(day, 1, 7) AS month, place, COUNT(*) FROM d"
        + (" WHERE has_kind = 1" if kind else "") + " GROUP BY SUBSTR(day, 1, 7), place")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, _like_kind(kind or "")))
        return [Tally(month or "", place or "", int(count)) for month, place, count in cursor.fetchall()]


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
