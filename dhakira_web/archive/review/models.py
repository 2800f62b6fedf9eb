"""Tables of review and grading (imported by ``archive.models``, so they belong to the ``archive`` app)."""

from __future__ import annotations

from django.db import models

from dhakira.schema import choices


class ReviewStep(models.Model):
    """One move of a record through the review states: to which state, by whom, when and why."""

    record = models.ForeignKey("archive.Record", on_delete=models.CASCADE, related_name="review_steps")
    state = models.CharField(max_length=20, choices=choices("review_states"))
    previous = models.CharField(max_length=20, blank=True)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class SourceGrade(models.Model):
    """A reviewer's Admiralty grade (A–F) of a source: a publisher or organisation, by its key or its name."""

    source = models.CharField(max_length=300, unique=True)
    organisation = models.ForeignKey("archive.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="source_grades")
    value = models.CharField(max_length=2, choices=choices("source_reliability"))
    rationale = models.TextField()
    assessed_by = models.CharField(max_length=150)
    assessed_at = models.DateTimeField()
