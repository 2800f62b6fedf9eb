"""The JSON API, described by OpenAPI at /api/openapi.json (docs at /api/docs). Same payloads as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError

from dhakira_web.archive import chronicle as chronicles
from dhakira_web.archive import geography, payloads
from dhakira_web.archive.review import payloads as review_payloads
from dhakira_web.archive.review.api import router as review_router
from dhakira_web.archive.views import interface_language, visible_incident_or_404, visible_record_or_404

api = NinjaAPI(title="Dhakira archive API", version="1", urls_namespace="api")
api.add_router("/review/", review_router)
api.add_router("/", "dhakira_web.archive.entities.api.router")


class SearchFilters(Schema):
    q: str = ""
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"
    facets: bool = True
    language: str | None = None
    document_type: str | None = None
    year: str | None = None
    review_state: str | None = None
    place: str | None = None
    facility: str | None = None
    governorate: str | None = None
    organisation: str | None = None
    event_type: str | None = None
    issuer: str | None = None
    reliability: str | None = None
    date_from: str | None = None
    date_to: str | None = None


class ChronicleFilters(Schema):
    month: str | None = None
    part: int | None = Field(None, ge=1, le=999_999, description="the part of a long month (at most 200 incidents each)")
    governorate: str | None = None
    facility: str | None = None
    event_type: str | None = None


@api.get("/search", summary="Search records (Arabic and English), with facet counts over what you may see")
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    if not 0 <= filters.offset <= payloads.MAX_OFFSET:
        raise HttpError(400, f"offset must be between 0 and {payloads.MAX_OFFSET}")
    return payloads.search_payload(filters.q, request.user, limit=filters.limit, offset=filters.offset,
                                   filters=payloads.search_filters(filters.dict()), order=filters.sort,
                                   language=interface_language(), facets=filters.facets)


@api.get("/records/{code}", summary="One record with its metadata, claims and incidents")
def record(request: HttpRequest, code: str) -> dict[str, Any]:
    record = visible_record_or_404(request, code)
    return review_payloads.extend_record(payloads.record_payload(record, request.user, interface_language()), record, request.user,
                                         interface_language())


@api.get("/incidents/{id}", summary="One incident with its reports, figures side by side and a timeline")
def incident(request: HttpRequest, id: int) -> dict[str, Any]:  # noqa: A002 - the documented path parameter
    incident = visible_incident_or_404(request, id)
    return review_payloads.extend_incident(payloads.incident_payload(incident, request.user, interface_language()), incident,
                                           request.user, interface_language())


@api.get("/stats", summary="Counts of what you may see")
def stats(request: HttpRequest) -> dict[str, int]:
    return payloads.stats_payload(request.user)


@api.get("/chronicle", summary="The daily chronicle: incidents by day, one month at a time")
def chronicle(request: HttpRequest, filters: Query[ChronicleFilters]) -> dict[str, Any]:
    return chronicles.chronicle_payload(request.user, filters.month, filters.dict(), interface_language(), filters.part)


@api.get("/map", summary="Visible records and incidents per governorate and per facility")
def map_counts(request: HttpRequest) -> dict[str, Any]:
    return geography.map_payload(request.user, interface_language())
