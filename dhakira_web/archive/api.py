"""The JSON API, described by OpenAPI at /api/openapi.json (docs at /api/docs). Same payloads as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema

from dhakira_web.archive import payloads, policy
from dhakira_web.archive.models import Incident

api = NinjaAPI(title="Dhakira archive API", version="1", urls_namespace="api")


class SearchFilters(Schema):
    q: str = ""
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"
    language: str | None = None
    document_type: str | None = None
    year: str | None = None
    place: str | None = None
    governorate: str | None = None
    organisation: str | None = None
    event_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None


@api.get("/search", summary="Search records")
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    chosen = {name: value for name, value in filters.dict().items() if name not in ("q", "limit", "offset", "sort") and value}
    return payloads.search_payload(filters.q, request.user, limit=filters.limit, offset=filters.offset, filters=chosen, order=filters.sort)


@api.get("/records/{code}", summary="One record with its metadata, claims and incidents")
def record(request: HttpRequest, code: str) -> dict[str, Any]:
    found = policy.visible_records(request.user).filter(code=code).first()
    if found is None:
        raise Http404("No such record, or you may not see it.")
    return payloads.record_payload(found, request.user)


@api.get("/incidents/{pk}", summary="One incident with its reports and figures side by side")
def incident(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = Incident.objects.filter(pk=pk).first()
    try:
        if found is None:
            raise PermissionError(pk)
        return payloads.incident_payload(found, request.user)
    except PermissionError:
        raise Http404("No such incident, or you may not see it.") from None


@api.get("/stats", summary="Counts of what you may see")
def stats(request: HttpRequest) -> dict[str, int]:
    return payloads.stats_payload(request.user)
