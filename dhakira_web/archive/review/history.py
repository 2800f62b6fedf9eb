"""History of a record or an incident: every change with its diff, author, time and reason, read from the audit log.

Review actions write ``before`` and ``after`` (and ``reason``) into their audit entries' details; the
history shows the fields that changed. Entries of other kinds are listed with their action, author and
time only, so that no detail another part of the archive keeps (a redacted phrase) is shown here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from dhakira_web.archive import policy
from dhakira_web.archive.models import AuditEntry, Incident, Record

CLAIM_ACTIONS = ("claim_accepted", "claim_rejected", "claim_corrected", "reextracted")
DIFFED = ("claim_accepted", "claim_rejected", "claim_corrected", "review_state", "source_graded", "information_graded",
          "reextracted", "link_confirmed", "link_rejected", "link_moved")


# Bookkeeping in the states that is not a change a reader needs (who did it is the entry's author).
NOT_SHOWN = ("id", "corrects", "author", "by", "review", "span")


def diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """The fields that differ between two states (dicts, or plain values under the key ``value``)."""
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    return [{"field": key, "before": before.get(key), "after": after.get(key)}
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key) and key not in NOT_SHOWN]


def _entry(entry: AuditEntry, names_of_persons: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.pk, "at": entry.at.isoformat(), "author": entry.actor, "action": entry.action}
    if entry.action in DIFFED:
        details = entry.details or {}
        item["reason"] = details.get("reason") or None
        item["changes"] = diff(details.get("before"), details.get("after"))
        if details.get("field") == "person" and not names_of_persons:
            item["reason"], item["changes"] = None, []  # a person's name, as written, is for reviewers only
        if "field" in details:
            item["field"] = details["field"]
    return item


def record_history(record: Record, user: Any) -> list[dict[str, Any]] | None:
    """The record's changes, oldest first; None for users who may not read histories (only editors and up may)."""
    if not policy.may_edit(user):
        return None
    return [_entry(entry, policy.may_review(user)) for entry in AuditEntry.objects.filter(record=record).order_by("id")]


def incident_history(incident: Incident, user: Any) -> list[dict[str, Any]] | None:
    """Changes to the incident (grades, link reviews, reviews of its figures) about records the user may see."""
    if not policy.may_edit(user):
        return None
    visible = policy.visible_records(user)
    # Incidents are made again when their reports are re-extracted: the reviews of the reporting records'
    # claims belong to the incident's history whatever incident they were first made under.
    reporting = visible.filter(incident_reports__incident=incident).values("pk")
    entries = AuditEntry.objects.filter(Q(target=f"incident:{incident.pk}") | Q(details__incident=incident.pk)
                                       | Q(details__to_incident=incident.pk) | Q(record__in=reporting, action__in=CLAIM_ACTIONS))
    # asked per entry (EXISTS on the entry's record), not as a list of every visible record of the archive
    entries = entries.filter(Q(record__isnull=True) | Exists(visible.filter(pk=OuterRef("record_id"))))
    return [_entry(entry, policy.may_review(user)) for entry in entries.order_by("id")]
