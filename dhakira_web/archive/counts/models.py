"""The archive's generation: one number the database itself raises whenever what counts depend on changes."""

from __future__ import annotations

from django.db import models


class ArchiveGeneration(models.Model):
    """A single row (id 1) whose ``value`` triggers raise on every insert, update or delete of records,
    incidents and incident reports (see ``counts.kept`` and migration 0011). It is raised inside the
    writing transaction, so a reader sees the new value exactly when it sees the change."""

    value = models.BigIntegerField(default=0)

    class Meta:
        app_label = "archive"
