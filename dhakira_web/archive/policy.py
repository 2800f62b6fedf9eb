"""The one access policy: who may see what. Every page, API response, search, count and export asks here.

Anonymous visitors see public records only. A signed-in viewer or editor also sees restricted
records; reviewers and administrators see confidential ones too. Roles are Django groups named after
the ``roles`` vocabulary; superusers are administrators.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from dhakira.schema import term, vocabulary
from dhakira_web.archive.models import Claim, Incident, IncidentReport, Person, Record

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


def required_states(user: Any) -> list[str] | None:
    """Review states a record must be in for ``user`` to see it; None when any state will do.

    With ``DHAKIRA_PUBLISH_REVIEWED_ONLY`` ("publish on review"), anonymous visitors see published records only.
    """
    if role_of(user) is None and getattr(settings, "DHAKIRA_PUBLISH_REVIEWED_ONLY", False):
        return ["published"]
    return None


def record_condition(user: Any, prefix: str = "") -> Q:
    """The condition on records (``prefix`` like ``record__`` from a related table) that ``user`` may see."""
    condition = Q(**{f"{prefix}access_level__in": visible_levels(user)})
    states = required_states(user)
    return condition & Q(**{f"{prefix}review_state__in": states}) if states else condition


def visibility_key(user: Any) -> str:
    """A name for what ``record_condition`` lets ``user`` see: readers with the same key see the same records,
    so a count kept for one of them may be shown to the others (``counts.kept``)."""
    states = required_states(user)
    return ",".join(visible_levels(user)) + "|" + (",".join(states) if states else "*")


def visible_records(user: Any) -> QuerySet[Record]:
    """The records ``user`` may see; every query path starts here."""
    return Record.objects.filter(record_condition(user))


def visible_record(user: Any, code: str) -> Record | None:
    """The record with archive code ``code``, or None when there is none or ``user`` may not see it."""
    return visible_records(user).filter(code=code).first()


def visible_claim(user: Any, pk: int) -> Claim | None:
    """The claim ``pk`` with its record, or None when there is none or ``user`` may not see its record."""
    return Claim.objects.filter(record_condition(user, "record__"), pk=pk).select_related("record").first()


def visible_link(user: Any, pk: int) -> IncidentReport | None:
    """The incident report (a record's link to an incident) ``pk`` with its record, or None when hidden from ``user``."""
    return IncidentReport.objects.filter(record_condition(user, "record__"), pk=pk).select_related("record").first()


def can_view(user: Any, record: Record) -> bool:
    states = required_states(user)
    return record.access_level in visible_levels(user) and (states is None or record.review_state in states)


def visible_incidents(user: Any) -> QuerySet[Incident]:
    """Incidents reported by at least one record the user may see (no join, so safe to count and group)."""
    reported = IncidentReport.objects.filter(record_condition(user, "record__"), incident=OuterRef("pk"))
    return Incident.objects.filter(Exists(reported))


def visible_reports(user: Any, incident: Incident) -> QuerySet[IncidentReport]:
    """The reports of ``incident`` whose records ``user`` may see: everything shown about it is computed from these."""
    return IncidentReport.objects.filter(record_condition(user, "record__"), incident=incident)


def hides_reports(user: Any, incident: Incident) -> bool:
    """Whether ``incident`` has reports ``user`` may not see (then its stored, all-report values are not shown)."""
    return IncidentReport.objects.filter(incident=incident).exclude(record_condition(user, "record__")).exists()


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons the user may see: their own level and the level of a record naming them both allow it."""
    levels = visible_levels(user)
    return Person.objects.filter(Q(access_level__in=levels) & record_condition(user, "records__")).distinct()


def may_edit(user: Any) -> bool:
    return role_of(user) in ("editor", "reviewer", "admin")


def may_review(user: Any) -> bool:
    return role_of(user) in ("reviewer", "admin")


# ---------------------------------------------------------------- redaction: what of a record's text a user may read


def sees_redacted(user: Any) -> bool:
    """Reviewers and administrators read redacted phrases (marked); everyone else reads them masked."""
    return may_review(user)


def _hidden_key(user: Any) -> tuple[tuple[str, ...], bool]:
    """What decides a reader's hidden phrases: the levels they see and whether they read redactions."""
    return tuple(visible_levels(user)), sees_redacted(user)


def _keep_hidden(record: Record, key: tuple[tuple[str, ...], bool], phrases: Iterable[str]) -> None:
    record.__dict__.setdefault("_dhakira_hidden", {})[key] = tuple(sorted(phrase for phrase in phrases if phrase.strip()))


def hidden_phrases(user: Any, record: Record) -> tuple[str, ...]:
    """The phrases of ``record`` that ``user`` may not read: its redactions (below reviewer) and the names
    of the persons it names whose own access level ``user`` may not see (protected persons)."""
    key = _hidden_key(user)
    cache: dict[tuple[Any, ...], tuple[str, ...]] = record.__dict__.setdefault("_dhakira_hidden", {})
    if key not in cache:
        read_hidden_phrases(user, [record])
    return cache[key]


def read_hidden_phrases(user: Any, records: Iterable[Record]) -> None:
    """``hidden_phrases`` of many records read at once (two queries per 500 records), remembered on each record."""
    from dhakira_web.archive.models import Redaction

    key = _hidden_key(user)
    levels = key[0]
    pending = [record for record in records if key not in record.__dict__.get("_dhakira_hidden", {})]
    ids = [record.pk for record in pending if record.pk is not None]
    phrases: dict[int, set[str]] = {pk: set() for pk in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        if not key[1]:
            for record_id, phrase in Redaction.objects.filter(record_id__in=chunk).values_list("record_id", "phrase"):
                phrases[record_id].add(phrase)
        named = Person.records.through.objects.filter(record_id__in=chunk).exclude(person__access_level__in=levels)
        for record_id, name, names in named.values_list("record_id", "person__name", "person__names"):
            phrases[record_id].update(_spellings(name, names))
    for record in pending:
        _keep_hidden(record, key, phrases.get(record.pk, set()) if record.pk is not None else set())


def remember_public_hidden(record: Record, persons: Iterable[Person]) -> None:
    """For a record just written, with no redaction yet, ``persons`` all the persons it names: what the
    public may not read of it (the names of its protected persons) remembered without a query."""
    key = _hidden_key(None)
    _keep_hidden(record, key, {spelling for person in persons if person.access_level not in key[0]
                               for spelling in _spellings(person.name, person.names)})


def _spellings(name: str, names: list[str] | None) -> set[str]:
    """Every spelling of a protected person that a record may hold: the name the person was first met by and each
    name a record gave them (``Person.names``), so that a public record naming them in another script or
    spelling («مازن درويش», "Mazen Darwish") masks them too."""
    return {name, *(names or [])}


def forget_hidden(record: Record) -> None:
    """Drop what ``hidden_phrases`` remembered for ``record`` (after a redaction or a person's level changed)."""
    record.__dict__.pop("_dhakira_hidden", None)


def shown_text(user: Any, record: Record, text: str) -> str:
    """``text`` (of ``record``: its text, title, a quote, a claim value…) as ``user`` may see it: every hidden
    phrase masked by as many ``█`` as it has characters, so that spans into the text stay valid."""
    from dhakira_web.archive.protection.redaction import mask

    phrases = hidden_phrases(user, record)
    return mask(text, phrases) if phrases and text else text


def shown_claim_value(user: Any, record: Record, value: str, span: tuple[int, int] | list[int]) -> str:
    """A claim's value as ``user`` may see it: masked whole when its span in the record's text touches a
    hidden phrase (the value may be a canonical name spelt otherwise than the text), else ``shown_text``."""
    phrases = hidden_phrases(user, record)
    if not phrases:
        return value
    from dhakira_web.archive.protection.redaction import MASK

    start, end = int(span[0]), int(span[1])
    if end > start and any(hidden_start < end and start < hidden_end for hidden_start, hidden_end in _hidden_spans(record, phrases)):
        return MASK * len(value)
    return shown_text(user, record, value)


def _hidden_spans(record: Record, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    from dhakira_web.archive.protection.redaction import spans

    cache: dict[tuple[str, ...], list[tuple[int, int]]] = record.__dict__.setdefault("_dhakira_hidden_spans", {})
    if phrases not in cache:
        cache[phrases] = spans(record.text, phrases)
    return cache[phrases]


def marked_spans(user: Any, record: Record, text: str) -> list[tuple[int, int]]:
    """For reviewers and administrators: where ``text`` holds a phrase hidden from the public (redactions
    and protected persons), to mark it. Empty for everyone else, who read those phrases masked."""
    if not sees_redacted(user):
        return []
    from dhakira_web.archive.protection.redaction import spans

    return spans(text, hidden_phrases(None, record) + _redaction_phrases(record))


def _redaction_phrases(record: Record) -> tuple[str, ...]:
    from dhakira_web.archive.models import Redaction

    return tuple(Redaction.objects.filter(record=record).values_list("phrase", flat=True))


def public_text(record: Record, text: str) -> str:
    """``text`` as an anonymous visitor may see it: what the search index is built from."""
    return shown_text(None, record, text)


def may_download_original(user: Any, record: Record) -> bool:
    """Whether ``user`` may have the original bytes: not when the record holds a phrase hidden from them,
    as an original (a PDF, a web page) cannot be redacted; its text, masked, is on the record page."""
    return can_view(user, record) and not hidden_phrases(user, record)


def hidden_keys(user: Any, record: Record) -> set[str]:
    """Knowledge-base ids (places, organisations) that ``record`` names only inside phrases hidden from
    ``user``: they are left out of what the user sees of the record, its facets and its index keys."""
    phrases = hidden_phrases(user, record)
    if not phrases:
        return set()
    hidden = _hidden_spans(record, phrases)
    inside: set[str] = set()
    outside: set[str] = set()
    for value_id, start, end in record.claims.exclude(value_id="").values_list("value_id", "start", "end"):
        touched = any(hidden_start < end and start < hidden_end for hidden_start, hidden_end in hidden)
        (inside if touched else outside).add(value_id)
    return inside - outside
