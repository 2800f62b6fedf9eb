"""Person mentions: where a record names a person, in which role, and how the mention was joined to them."""

from __future__ import annotations

from django.db import models

from dhakira_web.archive.storage import CompactJSONEncoder


class PersonMention(models.Model):
    """One record naming one person: the span and quote, the role, and the matcher's decision with its features.

    ``decision`` is ``new`` (the mention started the person), ``merged`` (joined by the matcher, with
    ``score`` and ``features``) or ``reviewed`` (placed by a reviewer). A reviewer may separate a
    mention from its person; every such change is in the audit log.
    """

    # Indexed by ``mention_by_person`` (person, record): no index of its own.
    person = models.ForeignKey("archive.Person", on_delete=models.CASCADE, related_name="mentions", db_index=False)
    record = models.ForeignKey("archive.Record", on_delete=models.CASCADE, related_name="person_mentions")
    name = models.CharField(max_length=300)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    role = models.CharField(max_length=30, blank=True)
    quote = models.TextField(blank=True)
    decision = models.CharField(max_length=12, default="new")
    score = models.FloatField(default=1.0)
    features = models.JSONField(default=dict, encoder=CompactJSONEncoder, blank=True)

    class Meta:
        app_label = "archive"
        indexes = [models.Index(fields=["person", "record"], name="mention_by_person")]
