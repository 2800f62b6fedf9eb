"""Site templates kept in the archive and updated as pages arrive."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from dhakira.documents import Document
from dhakira.ingest.template import SiteTemplate as Counts
from dhakira.ingest.template import SiteTemplates, site_of
from dhakira_web.archive.cleaning.models import SiteTemplate

_MAX_LINES = 5000  # lines kept per site (the most frequent)


def observe(document: Document) -> None:
    """Count the lines of a newly stored page for its site (once per original)."""
    site = site_of(document)
    if not site or document.media_type != "text/html":
        return
    with transaction.atomic():
        stored, _ = SiteTemplate.objects.select_for_update().get_or_create(site=site[:255])
        if document.sha256 in stored.sources:
            return
        counts = Counts(stored.pages, Counter(stored.lines))
        counts.observe(document.text)
        stored.pages = counts.pages
        stored.lines = dict(counts.lines.most_common(_MAX_LINES))
        stored.sources = [*stored.sources, document.sha256][-_MAX_LINES:]
        stored.save()


def templates_for(document: Document) -> SiteTemplates:
    """The stored template of the document's site (empty when none)."""
    site = site_of(document)
    stored = SiteTemplate.objects.filter(site=(site or "")[:255]).first()
    if stored is None:
        return SiteTemplates()
    return SiteTemplates({stored.site: Counts(stored.pages, Counter(stored.lines))})


def apply(document: Document) -> Document:
    """The document without the lines its site's stored template marks as chrome."""
    return templates_for(document).apply(document)
