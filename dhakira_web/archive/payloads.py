"""The data behind every page, as plain JSON-ready dicts.

The HTML pages render these, their JSON twins return them as they are, the API and the CLI use
them too, so all views agree. Each starts from the access policy.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from dhakira.schema import term
from dhakira.text.snippet import make_snippet
from dhakira_web.archive import policy
from dhakira_web.archive.models import Claim, Incident, Place, Record, RecordFacet
from dhakira_web.archive.search import search

FACET_TABLE = ("place", "facility", "governorate", "organisation", "event_type", "issuer", "reliability")
FILTERS = ("language", "document_type", "year", "access_level", "review_state", *FACET_TABLE)


def label(vocabulary: str, value: str, language: str = "en") -> str:
    try:
        return term(vocabulary, value).label(language)
    except KeyError:
        return value


def filtered(records: QuerySet[Record], filters: dict[str, str]) -> QuerySet[Record]:
    """Apply facet filters (unknown names are ignored, never an error)."""
    for name, value in filters.items():
        if not value:
            continue
        if name in ("language", "document_type", "access_level", "review_state"):
            records = records.filter(**{name: value})
        elif name == "year":
            records = records.filter(issue_date__startswith=value[:4])
        elif name in FACET_TABLE:
            records = records.filter(pk__in=RecordFacet.objects.filter(name=name, value=value).values("record_id"))
        elif name == "date_from":
            records = records.filter(issue_date__gte=value)
        elif name == "date_to":
            records = records.filter(issue_date__lte=value + "~")
    return records


def record_summary(record: Record, language: str = "en") -> dict[str, Any]:
    return {
        "code": record.code,
        "title": record.title,
        "language": record.language,
        "issue_date": record.issue_date or None,
        "document_type": record.document_type,
        "document_type_label": label("document_types", record.document_type, language),
        "issuer": record.issuer or None,
        "url": f"/records/{record.code}",
    }


def record_payload(record: Record, user: Any, language: str = "en") -> dict[str, Any]:
    """Everything a user may see of one record (the caller has checked the policy)."""
    if not policy.can_view(user, record):
        raise PermissionError(record.code)
    visible = policy.visible_records(user)
    persons = policy.visible_persons(user).filter(records=record)
    incidents = []
    for report in record.incident_reports.select_related("incident", "incident__place").order_by("position"):
        incident = report.incident
        incidents.append({
            "id": incident.pk,
            "title": incident.title,
            "event_types": incident.event_types,
            "place": incident.place.name_en if incident.place else None,
            "date": incident.date or None,
            "url": f"/incidents/{incident.pk}",
            "other_reports": [r.code for r in visible.filter(incident_reports__incident=incident).exclude(pk=record.pk).distinct()],
        })
    claims = [
        {"field": claim.field, "value": claim.value, "value_id": claim.value_id or None, "qualifier": claim.qualifier or None,
         "what": claim.what or None, "span": [claim.start, claim.end], "extractor": claim.extractor, "confidence": claim.confidence}
        for claim in record.claims.order_by("start", "end")
        if claim.field != "person" or persons.exists()
    ]
    return {
        **record_summary(record, language),
        "issue_date_precision": record.issue_date_precision,
        "languages": record.languages,
        "geographic_area": record.geographic_area or None,
        "places": [{"id": p.key, "name_en": p.name_en, "name_ar": p.name_ar, "kind": p.kind, "pcode": p.pcode or None} for p in record.places.order_by("kind", "name_en")],
        "organisations": [{"id": o.key, "name_en": o.name_en, "name_ar": o.name_ar} for o in record.organisations.order_by("name_en")],
        "persons": [{"name": p.name} for p in persons],
        "incidents": incidents,
        "claims": claims,
        "external_ids": record.external_ids,
        "assessments": [{"scheme": a.scheme, "value": a.value, "label": label("syrian_memory_grades", a.value, language) if a.scheme == "syrian_memory_grade" else a.value,
                          "assessed_by": a.assessed_by or None, "imported": a.imported, "suggested": a.suggested} for a in record.assessments.all()],
        "access_level": record.access_level,
        "review_state": record.review_state,
        "source": record.source_url or record.source_name,
        "source_url": record.source_url or None,
        "source_name": record.source_name or None,
        "captured_at": record.captured_at.isoformat(),
        "capture_method": record.capture_method,
        "sha256": record.sha256,
        "size": record.size,
        "media_type": record.media_type,
        "duplicate_of": record.duplicate_of.code if record.duplicate_of and policy.can_view(user, record.duplicate_of) else None,
        "text": record.text,
        "direction": record.direction,
    }


def search_payload(query: str, user: Any, *, limit: int = 20, offset: int = 0, filters: dict[str, str] | None = None,
                   order: str = "relevance", language: str = "en") -> dict[str, Any]:
    """Search results in the shape ``{"total": N, "results": [{code, title, language, issue_date, snippet, …}]}``."""
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    records = filtered(policy.visible_records(user), filters or {})
    page = search(query, records, limit=limit, offset=offset, order=order)
    by_id = {record.pk: record for record in Record.objects.filter(pk__in=[hit for hit, _ in page.hits])}
    results = []
    for record_id, score in page.hits:
        record = by_id[record_id]
        snippet = make_snippet(record.text, page.query)
        results.append({**record_summary(record, language), "score": round(score, 4), "snippet": snippet.text,
                        "highlights": [list(span) for span in snippet.highlights]})
    return {"query": query, "total": page.total, "limit": limit, "offset": offset, "filters": filters or {}, "results": results}


def stats_payload(user: Any) -> dict[str, int]:
    """Counts of what the user may see."""
    records = policy.visible_records(user)
    return {
        "records": records.count(),
        "incidents": policy.visible_incidents(user).count(),
        "claims": Claim.objects.filter(record__in=records).count(),
        "places": Place.objects.filter(records__in=records).distinct().count(),
        "organisations": records.values("organisations").exclude(organisations=None).distinct().count(),
        "persons": policy.visible_persons(user).count(),
        "languages": records.values("language").distinct().count(),
    }


def incident_payload(incident: Incident, user: Any, language: str = "en") -> dict[str, Any]:
    """An incident with the reports the user may see, each figure with its source."""
    reports = incident.reports.filter(record__in=policy.visible_records(user)).select_related("record")
    if not reports.exists():
        raise PermissionError(incident.pk)
    figures = []
    for claim in Claim.objects.filter(incident_report__in=reports, field="count").select_related("record"):
        figures.append({"what": claim.what, "value": int(claim.value) if claim.value.isdigit() else claim.value, "qualifier": claim.qualifier,
                        "record": claim.record.code, "issuer": claim.record.issuer or None, "span": [claim.start, claim.end],
                        "quote": claim.record.text[claim.start:claim.end]})
    return {
        "id": incident.pk,
        "title": incident.title,
        "event_types": [{"id": kind, "label": label("event_types", kind, language)} for kind in incident.event_types],
        "place": {"id": incident.place.key, "name_en": incident.place.name_en, "name_ar": incident.place.name_ar} if incident.place else None,
        "date": incident.date or None,
        "date_precision": incident.date_precision,
        "perpetrator": incident.perpetrator or None,
        "status": incident.status,
        "suggested_credibility": incident.suggested_credibility or None,
        "credibility_reasons": incident.credibility_reasons,
        "reports": [{**record_summary(report.record, language), "decision": report.decision, "score": report.score,
                     "features": report.features, "review": report.review or None} for report in reports],
        "figures": figures,
    }


def facet_counts(records: QuerySet[Record]) -> dict[str, list[dict[str, Any]]]:
    """Counts per language, document type and year of the given records."""
    result: dict[str, list[dict[str, Any]]] = {}
    for name in ("language", "document_type"):
        rows = records.order_by().values(name).annotate(count=Count("id", distinct=True)).order_by("-count")
        result[name] = [{"value": row[name], "count": row["count"]} for row in rows]
    return result
