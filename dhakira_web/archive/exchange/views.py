"""Exports on the web and in the API: ``/export?format=…&q=…&<filters>`` (the search page's parameters).

Exports need a signed-in user (each one writes a custody entry per record it carries); what they hold
is what that user may see, narrowed as the search page narrows.
"""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dhakira_web.archive.exchange.exporting import FORMATS, write_export
from dhakira_web.archive.payloads import search_filters

DOWNLOADS = {"jsonl": ("application/x-ndjson", "jsonl"), "csv": ("application/zip", "zip"),
             "jsonld": ("application/ld+json", "jsonld"), "acled": ("text/csv; charset=utf-8", "csv")}


@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    """The records the signed-in user may see that match ``q`` and the filters, in ``format``, as a download."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "sign in to export"}, status=401)
    format_name = request.GET.get("format", "jsonl")
    if format_name not in FORMATS:
        return JsonResponse({"error": f"format is one of {', '.join(FORMATS)}"}, status=400)
    spool = tempfile.TemporaryFile()
    result = write_export(spool, format_name, request.user, query=request.GET.get("q", "")[:1000], filters=search_filters(request.GET))
    spool.seek(0)
    content_type, extension = DOWNLOADS[format_name]
    name = f"dhakira-{timezone.now():%Y%m%d-%H%M%S}.{extension}"
    response = FileResponse(spool, as_attachment=True, filename=name, content_type=content_type)
    response["X-Dhakira-SHA256"] = result.sha256
    response["X-Dhakira-Records"] = str(len(result.record_ids))
    return response
