"""Web pages. Each has a JSON twin (``?format=json``) that returns the same payload the page renders."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dhakira_web.archive import blobs, chronicle, geography, payloads, policy
from dhakira_web.archive.counts import kept
from dhakira_web.archive.incidents.words import page_words
from dhakira_web.archive.models import Incident, Record
from dhakira_web.archive.review import payloads as review_payloads

PAGE_SIZE = 20
FACET_TITLES = {
    "document_type": _("Document type"), "governorate": _("Governorate"), "facility": _("Facility"),
    "event_type": _("Event type"), "issuer": _("Issuer"), "language": _("Language"), "year": _("Year"),
    "reliability": _("Reliability"), "review_state": _("Review state"),
}


def interface_language() -> str:
    """The language of the interface for this request: ``en`` or ``ar``."""
    return (get_language() or "en")[:2]


def wants_json(request: HttpRequest) -> bool:
    """Whether the request asks for the JSON twin (``?format=json`` or an ``Accept: application/json`` header)."""
    return request.GET.get("format") == "json" or request.headers.get("Accept", "").startswith("application/json")


def _respond(request: HttpRequest, template: str, payload: dict[str, Any], **context: Any) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    return render(request, template, {"data": payload, **context})


TOKEN_SLOT = "dhakira-form-token-slot"
_FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def kept_html(name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Keep the whole HTML page ``name`` until the archive changes (``kept.page_key``: per reader; a signed-in
    reader's pages for that reader alone).

    The page is kept with its form token taken out and given back, made for each answer (``get_token``), so
    no reader ever receives another's token. JSON twins, anything but a 200 HTML answer and pages asked
    inside a transaction go through the view as before. The pages hold nothing else of the request or the
    session (no messages, no clock)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = None if request.method != "GET" or wants_json(request) else kept.page_key(request, name, args, sorted(kwargs.items()))
            if key is None:
                return view(request, *args, **kwargs)
            page = cache.get(key)
            if page is not None:
                return HttpResponse(page.replace(TOKEN_SLOT, get_token(request)), content_type="text/html; charset=utf-8")
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and response.get("Content-Type", "").startswith("text/html"):
                text = response.content.decode("utf-8")
                tokens = set(_FORM_TOKEN.findall(text))
                if len(tokens) <= 1:  # one rendering holds one token; anything else is not kept
                    for token in tokens:
                        text = text.replace(f'value="{token}"', f'value="{TOKEN_SLOT}"')
                    cache.set(key, text, kept.TIMEOUT)
            return response

        return wrapped

    return decorate


def visible_record_or_404(request: HttpRequest, code: str) -> Record:
    record = policy.visible_record(request.user, code)
    if record is None:
        raise Http404("No such record, or you may not see it.")
    return record


def visible_incident_or_404(request: HttpRequest, pk: int) -> Incident:
    incident = policy.visible_incidents(request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404("No such incident, or you may not see it.")
    return incident


@kept_html("home")
def home(request: HttpRequest) -> HttpResponse:
    recent = policy.visible_records(request.user).only(*payloads.SUMMARY_FIELDS).order_by("-captured_at")[:10]
    payload = {
        "stats": payloads.stats_payload(request.user),
        "recent": payloads.record_summaries(recent, interface_language(), request.user),
    }
    return _respond(request, "archive/home.html", payload)


@kept_html("search")
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    filters = payloads.search_filters(request.GET)
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    order = "date" if request.GET.get("sort") == "date" else "relevance"

    def compute() -> dict[str, Any]:
        payload = payloads.search_payload(query, request.user, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, filters=filters,
                                          order=order, language=interface_language(), facets=True)
        payload["page"] = page
        base = {**({"q": query} if query else {}), **filters, **({"sort": order} if order == "date" else {})}
        payload["previous_url"] = "/search?" + urlencode({**base, "page": page - 1}) if page > 1 else None
        more = page * PAGE_SIZE < payload["total"] or (payload["total_exact"] is False and len(payload["results"]) == PAGE_SIZE)
        payload["next_url"] = "/search?" + urlencode({**base, "page": page + 1}) if more else None
        payload["sort_urls"] = {"relevance": "/search?" + urlencode({k: v for k, v in base.items() if k != "sort"}),
                                "date": "/search?" + urlencode({**base, "sort": "date"})}
        return payload

    payload = kept.kept_page(request, "search", compute)
    facet_groups = [(FACET_TITLES[name], name, values) for name, values in payload["facets"].items()]
    return _respond(request, "archive/search.html", payload, query=query, hits=_highlighted_hits(payload["results"]),
                    facet_groups=facet_groups, filters=filters, order=order, export_links=export_links(request.user, query, filters))


EXPORT_LABELS = {"jsonl": _("JSON lines"), "csv": _("CSV (zip)"), "jsonld": "JSON-LD", "acled": _("ACLED table")}


def export_links(user: Any, query: str, filters: dict[str, str]) -> list[tuple[str, str]]:
    """``(label, address)`` of an export of these results in each format, for signed-in users (exports need one:
    each writes a custody entry); what an export holds is what the user may see, as the search shows it."""
    if not getattr(user, "is_authenticated", False):
        return []
    base = {**({"q": query} if query else {}), **filters}
    return [(label, "/export?" + urlencode({"format": name, **base})) for name, label in EXPORT_LABELS.items()]


def _highlighted_hits(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each hit with its snippet cut into ``(text, highlighted)`` segments for the template."""
    hits = []
    for hit in results:
        segments: list[tuple[str, bool]] = []
        position = 0
        for start, end in hit["highlights"]:
            if start < position:
                continue
            segments += [(hit["snippet"][position:start], False), (hit["snippet"][start:end], True)]
            position = end
        segments.append((hit["snippet"][position:], False))
        hits.append({**hit, "segments": segments})
    return hits


@kept_html("chronicle")
def chronicle_page(request: HttpRequest) -> HttpResponse:
    payload = kept.kept_page(request, "chronicle", lambda: chronicle.chronicle_payload(
        request.user, request.GET.get("month"), request.GET.dict(), interface_language(), chronicle.part_number(request.GET.get("part"))))
    return _respond(request, "archive/chronicle.html", payload)


@kept_html("map")
def map_page(request: HttpRequest) -> HttpResponse:
    payload, drawing = kept.kept_page(request, "map", lambda: _with_drawing(geography.map_payload(request.user, interface_language())))
    return _respond(request, "archive/map.html", payload, drawing=drawing)


def _with_drawing(payload: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    return payload, geography.map_drawing(payload)


@kept_html("record")
def record_page(request: HttpRequest, code: str) -> HttpResponse:
    from dhakira_web.archive.protection.views import segments

    def compute() -> tuple[dict[str, Any], Any]:
        record = visible_record_or_404(request, code)
        payload = review_payloads.extend_record(payloads.record_payload(record, request.user, interface_language()), record,
                                                request.user, interface_language())
        return payload, segments(payload["text"], payload["claims"], [tuple(span) for span in payload.get("marked", [])])

    payload, shown = kept.kept_page(request, "record", compute)
    return _respond(request, "archive/record.html", payload, access_levels=policy.LEVELS, segments=shown)


def record_original(request: HttpRequest, code: str) -> FileResponse | HttpResponse:
    """The original file, as evidence: always downloaded, never rendered by the browser."""
    record = visible_record_or_404(request, code)
    if not policy.may_download_original(request.user, record):
        return HttpResponseForbidden("This original holds redacted content; its redacted text is on the record page.")
    response = FileResponse(open(blobs.blob_path(record.sha256), "rb"), as_attachment=True,
                            filename=record.source_name or f"{record.code}.bin", content_type="application/octet-stream")
    response["X-Content-SHA256"] = record.sha256
    return response


@kept_html("incident")
def incident_page(request: HttpRequest, pk: int) -> HttpResponse:
    def compute() -> dict[str, Any]:
        incident = visible_incident_or_404(request, pk)
        return review_payloads.extend_incident(payloads.incident_payload(incident, request.user, interface_language()), incident,
                                               request.user, interface_language())

    payload = kept.kept_page(request, "incident", compute)
    return _respond(request, "archive/incident.html", payload, may_review=policy.may_review(request.user),
                    words=page_words(interface_language()))


class LoginView(auth_views.LoginView):
    template_name = "archive/login.html"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 answer: JSON for a JSON request (``?format=json``, ``Accept: application/json``), else the page."""
    message = "Not found, or you may not see it."
    if wants_json(request):
        return JsonResponse({"error": message}, status=404)
    return HttpResponse(message, status=404, content_type="text/plain; charset=utf-8")
