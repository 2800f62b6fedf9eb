"""The data behind every page, as plain JSON-ready dicts.

The HTML pages render these, their JSON twins return them as they are, the API and the CLI use
them too, so all views agree. Each starts from the access policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, QuerySet

from dhakira.schema import term
from dhakira.text.query import Query, parse_query
from dhakira.text.snippet import Snippet, make_snippet
from dhakira_web.archive import policy
from dhakira_web.archive.counts.kept import kept
from dhakira_web.archive.incidents import IncidentFacts, headline, incident_view, places_of, visible_facts
from dhakira_web.archive.models import (
    Claim,
    Incident,
    IncidentReport,
    Organisation,
    Place,
    Record,
    RecordFacet,
)
from dhakira_web.archive.search import (
    count_limit,
    facet_sample,
    filter_token,
    first_matching_records,
    records_among,
    search,
)
from dhakira_web.archive.search.crosslingual import expand

FACET_TABLE = ("place", "facility", "governorate", "organisation", "event_type", "issuer", "reliability")
FILTERS = ("language", "document_type", "year", "access_level", "review_state", *FACET_TABLE)
DATE_RANGE = ("date_from", "date_to")
# The facets the search page offers, in the order shown; all are read from ``RecordFacet`` rows.
FACETS = ("document_type", "governorate", "facility", "event_type", "issuer", "language", "year", "reliability", "review_state")
FACET_VALUES_SHOWN = 12
MAX_OFFSET = 1_000_000  # deeper pages are refused (a clear error, never a database overflow)
NAMED_FACETS = ("governorate", "facility", "place", "organisation")
# What ``record_summary`` reads: lists of records load these columns only, never the full text.
SUMMARY_FIELDS = ("id", "code", "title", "language", "issue_date", "document_type", "issuer")
LANGUAGE_NAMES = {"ar": ("Arabic", "العربية"), "en": ("English", "الإنجليزية"), "mixed": ("Mixed", "مختلطة"),
                  "und": ("Undetermined", "غير محددة")}
_PCODE = re.compile(r"^SY\d\d$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def label(vocabulary: str, value: str, language: str = "en") -> str:
    try:
        return term(vocabulary, value).label(language)
    except KeyError:
        return value


def local_name(name_en: str, name_ar: str, language: str) -> str:
    """A place's or organisation's name in the interface language (English when no Arabic name is known)."""
    return (name_ar or name_en) if language == "ar" else name_en


def search_filters(params: Any) -> dict[str, str]:
    """The filters named in request parameters: facet values and the date range (unknown names are ignored)."""
    return {name: params[name] for name in (*FILTERS, *DATE_RANGE) if params.get(name)}


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
        elif name == "date_from" and _DATE.match(value):
            records = records.filter(issue_date__gte=value)
        elif name == "date_to" and _DATE.match(value):
            records = records.filter(issue_date__lte=value + "~")
    return records


def policy_scope(user: Any) -> list[list[str]]:
    """What ``policy.visible_records(user)`` selects, as groups of filter tokens (the first groups of ``filter_scope``)."""
    scope = [[filter_token("access_level", level) for level in policy.visible_levels(user)]]
    if policy.required_states(user):
        scope.append([filter_token("review_state", state) for state in policy.required_states(user) or []])
    return scope


def filter_scope(user: Any, filters: dict[str, str]) -> list[list[str]] | None:
    """What ``filtered(policy.visible_records(user), filters)`` selects, as groups of filter tokens.

    None when a filter (a date range) has no token; the search then narrows by the queryset alone.
    """
    scope = policy_scope(user)
    for name, value in filters.items():
        if not value:
            continue
        if name in DATE_RANGE:
            return None
        if name in FILTERS:
            scope.append([filter_token(name, value[:4] if name == "year" else value[:200])])
    return scope


def facet_label(name: str, value: str, language: str = "en", names: dict[str, tuple[str, str]] | None = None) -> str:
    """The label of one facet value in the interface language (place and organisation names from ``names``)."""
    if names and name in NAMED_FACETS and value in names:
        return local_name(*names[value], language)
    if name == "document_type":
        return label("document_types", value, language)
    if name == "event_type":
        return label("event_types", value, language)
    if name == "review_state":
        return label("review_states", value, language)
    if name == "language":
        pair = LANGUAGE_NAMES.get(value)
        return (pair[1] if language == "ar" else pair[0]) if pair else value
    if name == "reliability" and ":" in value:
        scheme, grade = value.split(":", 1)
        vocabulary = {"syrian_memory_grade": "syrian_memory_grades"}.get(scheme, scheme)
        return label(vocabulary, grade, language)
    return value


def _names_for(values: set[str]) -> dict[str, tuple[str, str]]:
    """Bilingual names of place and organisation keys and governorate P-codes among ``values``."""
    from dhakira_web.archive.geography import governorate_names  # here: the map module uses ``local_name``

    names: dict[str, tuple[str, str]] = {}
    for pcode, pair in governorate_names().items():
        if pcode in values:
            names[pcode] = pair
    for model in (Place, Organisation):
        for key, name_en, name_ar in model.objects.filter(key__in=values).values_list("key", "name_en", "name_ar"):
            names[key] = (name_en, name_ar)
    return names


def facet_counts(records: QuerySet[Record], *, language: str = "en", chosen: dict[str, str] | None = None,
                 query: str = "") -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value over ``records`` (already the visible records matching the query), in one SQL query.

    Each value carries its label in ``language``, whether it is chosen, and the search URL that toggles it.
    """
    chosen = chosen or {}
    rows = (RecordFacet.objects.filter(record_id__in=records.order_by().values("id"), name__in=FACETS)
            .values("name", "value").annotate(count=Count("record_id")).order_by())
    grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for row in rows:
        if row["name"] == "governorate" and not _PCODE.match(row["value"]):
            continue  # not a governorate P-code (SY01…SY14): a place code kept by mistake, not a facet value
        grouped[row["name"]].append((row["value"], row["count"]))
    shown: dict[str, list[tuple[str, int]]] = {}
    for name, values in grouped.items():
        if name == "year":
            values.sort(key=lambda item: item[0], reverse=True)
        else:
            values.sort(key=lambda item: (-item[1], item[0]))
        selected = [item for item in values if chosen.get(name) == item[0]]
        shown[name] = selected + [item for item in values[:FACET_VALUES_SHOWN] if item not in selected]
    names = _names_for({value for name, values in shown.items() if name in NAMED_FACETS for value, _ in values})
    result: dict[str, list[dict[str, Any]]] = {}
    for name, values in shown.items():
        if not values:
            continue
        entries = []
        for value, count in values:
            is_chosen = chosen.get(name) == value
            params = {key: item for key, item in chosen.items() if key != name}
            if not is_chosen:
                params[name] = value
            url = "/search?" + urlencode({**({"q": query} if query else {}), **params})
            entries.append({"value": value, "label": facet_label(name, value, language, names), "count": count,
                            "selected": is_chosen, "url": url})
        result[name] = entries
    return result


def record_summary(record: Record, language: str = "en", user: Any = None) -> dict[str, Any]:
    """A record in a list. Its title is shown as ``user`` may read it (without ``user``: as the public may)."""
    return {
        "code": record.code,
        "title": policy.shown_text(user, record, record.title),
        "language": record.language,
        "language_label": facet_label("language", record.language, language),
        "issue_date": record.issue_date or None,
        "document_type": record.document_type,
        "document_type_label": label("document_types", record.document_type, language),
        "issuer": policy.shown_text(user, record, record.issuer) or None,
        "url": f"/records/{record.code}",
    }


def record_summaries(records: Iterable[Record], language: str = "en", user: Any = None) -> list[dict[str, Any]]:
    """``record_summary`` of each of ``records``, their hidden phrases read for all of them at once (two queries,
    not two per record)."""
    listed = list(records)
    policy.read_hidden_phrases(user, listed)
    return [record_summary(record, language, user) for record in listed]


def record_payload(record: Record, user: Any, language: str = "en") -> dict[str, Any]:
    """Everything a user may see of one record (the caller has checked the policy)."""
    if not policy.can_view(user, record):
        raise PermissionError(record.code)
    persons = list(policy.visible_persons(user).filter(records=record))
    reports = list(record.incident_reports.select_related("incident", "incident__place").exclude(review="rejected").order_by("position"))
    other_reports = _other_reports(record, {report.incident_id for report in reports}, user)
    incidents: list[dict[str, Any]] = []
    seen: dict[int, dict[str, Any]] = {}
    # What each incident is, as the reports this user may see tell it (never a hidden report's values).
    facts = visible_facts(user, {report.incident_id for report in reports})
    places = places_of(facts.values())
    for report in reports:
        incident = report.incident
        if incident.pk in seen:  # one incident, reported at several places in the text: listed once, strongest link kept
            if seen[incident.pk]["decision"] == "possible" and report.decision != "possible":
                seen[incident.pk]["decision"] = report.decision
            continue
        known = facts.get(incident.pk) or IncidentFacts()
        place = places.get(known.place_key)
        place_name = local_name(place.name_en, place.name_ar, language) if place else ""
        incidents.append({
            "id": incident.pk,
            "title": headline(known.event_types, place_name, known.date, language),
            "event_types": list(known.event_types),
            "event_type_labels": [label("event_types", kind, language) for kind in known.event_types],
            "place": place.name_en if place else None,
            "place_name": place_name or None,
            "date": known.date or None,
            "url": f"/incidents/{incident.pk}",
            "decision": report.decision,
            "other_reports": other_reports.get(incident.pk, []),
        })
        seen[incident.pk] = incidents[-1]
    claims = []
    for claim in record.claims.order_by("start", "end"):
        if claim.field == "person" and not persons:
            continue
        value = policy.shown_claim_value(user, record, claim.value, (claim.start, claim.end))
        masked = value != claim.value
        claims.append({"field": claim.field, "value": value, "value_id": None if masked else (claim.value_id or None),
                       "qualifier": claim.qualifier or None, "what": claim.what or None, "span": [claim.start, claim.end],
                       "extractor": claim.extractor.split(":")[0] if masked else claim.extractor, "confidence": claim.confidence,
                       "id": claim.pk, "review": claim.review or None, "corrects": claim.corrects_id, "stale": claim.stale})
    hidden_keys = policy.hidden_keys(user, record)
    shown = policy.shown_text
    return {
        **record_summary(record, language, user),
        "issue_date_precision": record.issue_date_precision,
        "languages": record.languages,
        "geographic_area": shown(user, record, record.geographic_area) or None,
        "places": [{"id": p.key, "name_en": p.name_en, "name_ar": p.name_ar, "kind": p.kind, "pcode": p.pcode or None, "url": f"/places/{p.pk}"} for p in record.places.order_by("kind", "name_en") if p.key not in hidden_keys],
        "organisations": [{"id": o.key, "name_en": o.name_en, "name_ar": o.name_ar, "url": f"/organisations/{o.pk}"} for o in record.organisations.order_by("name_en") if o.key not in hidden_keys],
        "persons": [{"id": p.pk, "name": p.name, "url": f"/persons/{p.pk}"} for p in persons if policy.shown_text(user, record, p.name) == p.name],
        "incidents": incidents,
        "related": related_records(record, user, language),
        "claims": claims,
        "external_ids": record.external_ids,
        "assessments": [{"scheme": a.scheme, "value": a.value, "label": label({"syrian_memory_grade": "syrian_memory_grades"}.get(a.scheme, a.scheme), a.value, language),
                          "assessed_by": a.assessed_by or None, "imported": a.imported, "suggested": a.suggested} for a in record.assessments.all()],
        "access_level": record.access_level,
        "review_state": record.review_state,
        "source": shown(user, record, record.source_url or record.source_name),
        "source_url": shown(user, record, record.source_url) or None,
        "source_name": shown(user, record, record.source_name) or None,
        "captured_at": record.captured_at.isoformat(),
        "capture_method": record.capture_method,
        "sha256": record.sha256,
        "size": record.size,
        "media_type": record.media_type,
        "duplicate_of": record.duplicate_of.code if record.duplicate_of and policy.can_view(user, record.duplicate_of) else None,
        "text": shown(user, record, record.text),
        "direction": record.direction,
        **_redactions(record, user),
        "removed": record.fields.get("removed", []) if policy.may_review(user) else [],
    }


def _redactions(record: Record, user: Any) -> dict[str, Any]:
    """For reviewers and administrators: the record's redactions and where the text holds a phrase the
    public reads masked (``marked``); nothing for anyone else."""
    if not policy.sees_redacted(user):
        return {}
    items = [{"phrase": item.phrase, "reason": item.reason, "by": item.created_by, "at": item.created_at.isoformat()}
             for item in record.redactions.order_by("created_at", "id")]
    return {"redactions": items, "marked": [list(span) for span in policy.marked_spans(user, record, record.text)]}


def _other_reports(record: Record, incident_ids: set[int], user: Any) -> dict[int, list[str]]:
    """Codes of the other visible records reporting each incident, newest first, in one query."""
    codes: dict[int, list[str]] = {}
    rows = (IncidentReport.objects.filter(policy.record_condition(user, "record__"), incident_id__in=incident_ids)
            .exclude(record_id=record.pk).order_by("-record__issue_date", "record__code").values_list("incident_id", "record__code"))
    for incident_id, code in rows:
        listed = codes.setdefault(incident_id, [])
        if code not in listed:  # a record reporting the incident at several places in its text is listed once
            listed.append(code)
    return codes


SHARED_FACILITY_WALK = 2000  # from this many records of one facility on, related records are found by walking dates


def related_records(record: Record, user: Any, language: str = "en", limit: int = 10) -> list[dict[str, Any]]:
    """Visible records reporting the same incidents, then records about the same facilities (each with why)."""
    visible = policy.visible_records(user).exclude(pk=record.pk).only(*SUMMARY_FIELDS)
    incident_ids = record.incident_reports.values("incident_id")
    same_incident = list(visible.filter(incident_reports__incident_id__in=incident_ids).distinct().order_by("-issue_date", "id")[:limit])
    same_facility: list[Record] = []
    if len(same_incident) < limit:
        # From the facility's facet rows (index by name and value), not from every visible record.
        facilities = RecordFacet.objects.filter(record=record, name="facility").values("value")
        sharing = RecordFacet.objects.filter(name="facility", value__in=facilities)
        others = visible.exclude(pk__in=[other.pk for other in same_incident])
        if sharing.values("pk")[:SHARED_FACILITY_WALK].count() < SHARED_FACILITY_WALK:
            others = others.filter(pk__in=sharing.values("record_id"))  # a few records: read them all, then sort
        else:  # many: walk the records newest first (index by date) and stop at the first that share a facility
            others = others.filter(Exists(sharing.filter(record_id=OuterRef("pk"))))
        same_facility = list(others.order_by("-issue_date", "-id")[: limit - len(same_incident)])
    summaries = record_summaries(same_incident + same_facility, language, user)  # two queries for all of them
    return ([{**summary, "reason": "same_incident"} for summary in summaries[:len(same_incident)]]
            + [{**summary, "reason": "same_facility"} for summary in summaries[len(same_incident):]])


def snippet_of(text: str, query: Query, chunk: int = 6000, reach: int = 300_000) -> Snippet:
    """The snippet of a hit, read chunk by chunk so that a long document costs only up to its first match."""
    for start in range(0, min(len(text), reach), chunk):
        snippet = make_snippet(text[start:start + chunk + 400], query)
        if snippet.highlights:
            return snippet
    return make_snippet(text[:chunk], query)


def search_payload(query: str, user: Any, *, limit: int = 20, offset: int = 0, filters: dict[str, str] | None = None,
                   order: str = "relevance", language: str = "en", facets: bool = False) -> dict[str, Any]:
    """Search results in the shape ``{"total": N, "results": [{code, title, language, issue_date, snippet, …}]}``.

    Names of known places, facilities, organisations and event types in the query also match records in
    the other language (``search.crosslingual``). A blank query lists the (filtered) records by date.
    With ``facets``, counts per facet value over the visible matching records are added under ``"facets"``.
    """
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    if offset > MAX_OFFSET:
        raise ValueError(f"offset must be at most {MAX_OFFSET}")
    order = "date" if order == "date" else "relevance"
    filters = {name: value for name, value in (filters or {}).items() if value}
    records = filtered(policy.visible_records(user), filters)
    parsed = parse_query(query or "")
    extra_keys = expand(query or "", parsed)
    scope = filter_scope(user, filters)
    sample = min(facet_sample(), count_limit())
    first_ids = None
    if (query or "").strip():
        # With no filter, how many records the reader may not see (kept until the archive changes): a common word
        # then needs no count to be known to match more than the count limit.
        hidden = None if filters else lambda: kept("records-hidden", user, lambda: Record.objects.count() - records.count())
        page = search(parsed, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys,
                      scope=scope, sample=sample if facets else 0, hidden=hidden,
                      filters=len(scope) - len(policy_scope(user)) if scope is not None else 0)
        total, hits, exact, first_ids = page.total, page.hits, page.exact, page.first_ids
    else:  # browsing: the total and the facet panel depend on the reader's class and the filters alone
        total, exact = kept("browse-total", user, records.count, *sorted(filters.items())), True
        hits = [(pk, 0.0) for pk in records.order_by("-issue_date", "-id").values_list("pk", flat=True)[offset:offset + limit]]
    # Read through ``records`` (the policy and filters): a record the index holds under stale tokens is left out.
    by_id = {record.pk: record for record in records.filter(pk__in=[hit for hit, _ in hits]).only(*SUMMARY_FIELDS, "text")}
    policy.read_hidden_phrases(user, by_id.values())
    results = []
    for record_id, score in hits:
        record = by_id.get(record_id)
        if record is None:
            continue
        snippet = snippet_of(policy.shown_text(user, record, record.text), parsed)
        results.append({**record_summary(record, language, user), "score": round(score, 4), "snippet": snippet.text,
                        "highlights": [list(span) for span in snippet.highlights]})
    payload: dict[str, Any] = {"query": query, "total": total, "total_exact": exact, "limit": limit, "offset": offset, "filters": filters,
                               "order": order, "results": results}
    if facets:
        # Beyond ``facet_sample()`` matches the panel counts the first matches only, and says so
        # (``facets_exact``, ``facets_counted``): the work per page stays bounded however common the words are.
        sampled = bool((query or "").strip()) and (not exact or total > sample)
        if first_ids is not None:  # read with the count, checked again against the policy and filters
            payload["facets"] = facet_counts(records_among(records, first_ids), language=language, chosen=filters, query=query)
        elif (query or "").strip():
            counted = first_matching_records(parsed, records, extra_keys=extra_keys, scope=scope, first=sample)
            payload["facets"] = facet_counts(counted, language=language, chosen=filters, query=query)
        else:
            payload["facets"] = kept("browse-facets", user, lambda: facet_counts(records, language=language, chosen=filters),
                                     language, *sorted(filters.items()))
        payload["facets_exact"] = not sampled
        payload["facets_counted"] = sample if sampled else total
        payload["expanded"] = sorted({key for keys in extra_keys for key in keys})
    return payload


def stats_payload(user: Any) -> dict[str, int]:
    """Counts of what the user may see (kept until the archive changes: ``counts.kept``)."""
    return kept("stats", user, lambda: _stats(user))


def _stats(user: Any) -> dict[str, int]:
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
    """An incident as ``user`` may see it: everything computed from the reports the user may see."""
    reports = list(policy.visible_reports(user, incident)
                   .select_related("record", "record__issuer_organisation", "record__duplicate_of")
                   .order_by("record__issue_date", "record__id", "position"))
    loaded = {report.record_id: report.record for report in reports}  # one instance a record: its hidden phrases read once
    return incident_view(incident, reports, language, show_link_features=not policy.hides_reports(user, incident),
                         shown=lambda record, text: policy.shown_text(user, loaded.get(record.pk, record), text))
