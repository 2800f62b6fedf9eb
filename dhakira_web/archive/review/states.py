"""Review states of a record: machine extracted → needs review → reviewed → published, with who, when and why."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dhakira.schema import ids
from dhakira_web.archive import audit
from dhakira_web.archive.models import Record
from dhakira_web.archive.review.claims import ReviewError
from dhakira_web.archive.review.models import ReviewStep


def set_state(record: Record, state: str, actor: str, *, reason: str = "", may_publish: bool = False) -> ReviewStep:
    """Move ``record`` to ``state``; publishing needs a reviewer (``may_publish``). Audited."""
    if state not in ids("review_states"):
        raise ReviewError(f"state must be one of {sorted(ids('review_states'))}")
    if state == "published" and not may_publish:
        raise PermissionError("Only reviewers may publish a record.")
    with transaction.atomic():
        previous = record.review_state
        record.review_state = state
        record.save(update_fields=["review_state"])
        step = ReviewStep.objects.create(record=record, state=state, previous=previous, actor=actor, at=timezone.now(), reason=reason)
        from dhakira_web.archive.services import refresh_facets  # here: pages never load ingestion

        refresh_facets(record)
        audit.append(actor, "review_state", record=record,
                     details={"from": previous, "to": state, "before": {"review_state": previous},
                              "after": {"review_state": state}, "reason": reason})
    return step


def last_step(record: Record) -> ReviewStep | None:
    """Who moved the record to its current state, and when (None for a state set by the machine)."""
    return record.review_steps.order_by("-at", "-id").first()
