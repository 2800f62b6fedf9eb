"""The one access policy: who may see what. Every page, API response, search, count and export asks here.

Anonymous visitors see public records only. A signed-in viewer or editor also sees restricted
records; reviewers and administrators see confidential ones too. Roles are Django groups named after
the ``roles`` vocabulary; superusers are administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from dhakira.schema import term, vocabulary
from dhakira_web.archive.models import Incident, IncidentReport, Person, Record

LEVELS = [entry.id for entry in sorted(vocabulary("access_levels"), key=lambda entry: entry.get("rank"))]


def role_of(user: Any) -> str | None:
    """The highest role of a user, or None for an anonymous visitor or a user with no role."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return "admin"
    if not hasattr(user, "_dhakira_group_role"):
        # Read once per user object (one request, one command), as Django caches a user's permissions.
        names = set(user.groups.values_list("name", flat=True))
        user._dhakira_group_role = next((role.id for role in reversed(vocabulary("roles")) if role.id in names), None)
    role: str | None = user._dhakira_group_role
    return role


def visible_levels(user: Any) -> list[str]:
    """Access levels whose records ``user`` may see."""
    role = role_of(user)
    if role is None:
        return ["public"]
    highest = term("roles", role).get("sees")
    return LEVELS[: LEVELS.index(highest) + 1]


def visible_records(user: Any) -> QuerySet[Record]:
    """The records ``user`` may see; every query path starts here."""
    return Record.objects.filter(access_level__in=visible_levels(user))


def visible_record(user: Any, code: str) -> Record | None:
    """The record with archive code ``code``, or None when there is none or ``user`` may not see it."""
    return visible_records(user).filter(code=code).first()


def can_view(user: Any, record: Record) -> bool:
    return record.access_level in visible_levels(user)


def visible_incidents(user: Any) -> QuerySet[Incident]:
    """Incidents reported by at least one record the user may see (no join, so safe to count and group)."""
    reported = IncidentReport.objects.filter(incident=OuterRef("pk"), record__access_level__in=visible_levels(user))
    return Incident.objects.filter(Exists(reported))


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons the user may see: their own level and the level of a record naming them both allow it."""
    levels = visible_levels(user)
    return Person.objects.filter(Q(access_level__in=levels) & Q(records__access_level__in=levels)).distinct()


def may_edit(user: Any) -> bool:
    return role_of(user) in ("editor", "reviewer", "admin")


def may_review(user: Any) -> bool:
    return role_of(user) in ("reviewer", "admin")


def shown_text(user: Any, record: Record, text: str) -> str:
    """``text`` of ``record`` as ``user`` may see it (redactions masked); identity until redactions exist."""
    return text
