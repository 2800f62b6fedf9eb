"""Per-site line statistics: on how many stored pages of a site each line occurs."""

from __future__ import annotations

from django.db import models

from dhakira_web.archive.storage import CompactJSONEncoder


class SiteTemplate(models.Model):
    """The template of one site (host name), learned from the pages the archive holds."""

    site = models.CharField(max_length=255, unique=True)
    pages = models.PositiveIntegerField(default=0)
    lines = models.JSONField(default=dict, encoder=CompactJSONEncoder, blank=True)
    sources = models.JSONField(default=list, encoder=CompactJSONEncoder, blank=True)  # SHA-256 of the originals counted
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "archive"

    def __str__(self) -> str:
        return f"{self.site} ({self.pages} pages)"
