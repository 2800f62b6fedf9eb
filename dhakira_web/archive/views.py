"""Web pages. Each has a JSON twin (``?format=json``) that returns the same payload the page renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from dhakira_web.archive import blobs, payloads, policy
from dhakira_web.archive.models import Incident


def _language() -> str:
    return (get_language() or "en")[:2]


def _respond(request: HttpRequest, template: str, payload: dict[str, Any], **context: Any) -> HttpResponse:
    if request.GET.get("format") == "json" or request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    return render(request, template, {"data": payload, **context})


def home(request: HttpRequest) -> HttpResponse:
    records = policy.visible_records(request.user)
    payload = {
        "stats": payloads.stats_payload(request.user),
        "recent": [payloads.record_summary(record, _language()) for record in records.order_by("-captured_at")[:10]],
    }
    return _respond(request, "archive/home.html", payload)


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    filters = {name: request.GET[name] for name in payloads.FILTERS if request.GET.get(name)}
    for name in ("date_from", "date_to"):
        if request.GET.get(name):
            filters[name] = request.GET[name]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    order = "date" if request.GET.get("sort") == "date" else "relevance"
    payload = payloads.search_payload(query, request.user, limit=20, offset=(page - 1) * 20, filters=filters, order=order, language=_language())
    records = payloads.filtered(policy.visible_records(request.user), filters)
    payload["facets"] = payloads.facet_counts(records)
    payload["page"] = page
    return _respond(request, "archive/search.html", payload, query=query)


def record_page(request: HttpRequest, code: str) -> HttpResponse:
    record = policy.visible_records(request.user).filter(code=code).first()
    if record is None:
        raise Http404("No such record, or you may not see it.")
    payload = payloads.record_payload(record, request.user, _language())
    return _respond(request, "archive/record.html", payload, segments=_highlighted(payload))


def record_original(request: HttpRequest, code: str) -> FileResponse:
    """The original file, as evidence: always downloaded, never rendered by the browser."""
    record = policy.visible_records(request.user).filter(code=code).first()
    if record is None:
        raise Http404("No such record, or you may not see it.")
    response = FileResponse(open(blobs.blob_path(record.sha256), "rb"), as_attachment=True,
                            filename=record.source_name or f"{record.code}.bin", content_type="application/octet-stream")
    response["X-Content-SHA256"] = record.sha256
    return response


def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = Incident.objects.filter(pk=pk).first()
    if incident is None:
        raise Http404("No such incident.")
    try:
        payload = payloads.incident_payload(incident, request.user, _language())
    except PermissionError:
        raise Http404("No such incident, or you may not see it.") from None
    return _respond(request, "archive/incident.html", payload)


def _highlighted(payload: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The clean text cut into segments, each marked with the field of the claim it carries (or None)."""
    text = payload["text"]
    spans = sorted({(c["span"][0], c["span"][1], c["field"]) for c in payload["claims"] if c["field"] != "event" and c["span"][1] > c["span"][0]})
    segments: list[tuple[str, str | None]] = []
    position = 0
    for start, end, field in spans:
        if start < position or end > len(text):
            continue
        if start > position:
            segments.append((text[position:start], None))
        segments.append((text[start:end], field))
        position = end
    segments.append((text[position:], None))
    return segments


class LoginView(auth_views.LoginView):
    template_name = "archive/login.html"
