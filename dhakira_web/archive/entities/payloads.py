"""The data behind the place, organisation and person pages and their lists (JSON-ready, policy first).

Each payload reads a bounded number of queries whatever the size of the archive: records are
counted once and listed a page at a time, incidents, figures and mentions are read in one query each.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from dhakira.schema import vocabulary
from dhakira_web.archive import geography, policy
from dhakira_web.archive.models import Claim, IncidentReport, Organisation, Person, Place, Record
from dhakira_web.archive.payloads import SUMMARY_FIELDS, label, local_name, record_summaries, record_summary

RECORDS_SHOWN = 30
RECORDS_COUNTED = 2_000  # a page's records are counted up to this many, then shown as "more than" (as search counts)
WALKED_FROM = 1_000  # a place holding more records than this lists its newest by walking the records in date order
INCIDENTS_READ = 2000
FIGURES_SHOWN = 200
MENTIONS_READ = 300
LIST_SIZE = 50
KIND_LABELS = {"facility": ("Detention facility", "مرفق احتجاز"), "city": ("Town", "بلدة"),
               "governorate": ("Governorate", "محافظة"), "country": ("Country", "دولة"), "other": ("Place", "مكان")}
# What an incident in a record tells about a person named there (detained at, died in custody, released).
TIES = [({"death_in_custody", "execution"}, "died_in_custody"), ({"release", "amnesty"}, "released"),
        ({"arrest", "enforced_disappearance", "transfer"}, "detained_at")]
TIE_LABELS = {"died_in_custody": ("Died in custody", "توفي في الاحتجاز"), "released": ("Released", "أفرج عنه"),
              "detained_at": ("Detained at", "محتجز في"), "named_in": ("Named in a report on", "ورد في تقرير عن")}


def place_url(place_id: int) -> str:
    return f"/places/{place_id}"


def organisation_url(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}"


def person_url(person_id: int) -> str:
    return f"/persons/{person_id}"


def _pair(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "ar" else pair[0]


def _records_page(records: QuerySet[Record], language: str, page: int, newest: QuerySet[Record] | None = None) -> dict[str, Any]:
    """One page of records, newest first, with their total: counted up to ``RECORDS_COUNTED`` (``total_exact`` says
    whether it is all of them). ``newest`` holds the same records as a queryset to walk in date order, for when
    they are many (a facility of 100,000 records: sorting them all for a page of 30 cost most of the page)."""
    counted = records.order_by()[:RECORDS_COUNTED + 1].count()
    start = (max(page, 1) - 1) * RECORDS_SHOWN
    listed = newest if newest is not None and counted > WALKED_FROM else records
    shown = listed.only(*SUMMARY_FIELDS).order_by("-issue_date", "-id")[start:start + RECORDS_SHOWN]
    return {"total": min(counted, RECORDS_COUNTED), "total_exact": counted <= RECORDS_COUNTED, "page": page,
            "results": record_summaries(shown, language), "more": start + RECORDS_SHOWN < counted}


def _timeline(incidents: list[tuple[str, list[str]]], language: str) -> list[dict[str, Any]]:
    """Incidents per month with their event types, from ``(date, event types)`` of each incident."""
    months: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for date, event_types in incidents:
        month = date[:7] if date else ""
        if not month:
            continue
        totals[month] += 1
        months.setdefault(month, Counter()).update(event_types or ["other"])
    return [{"month": month, "incidents": totals[month],
             "event_types": [{"id": kind, "label": label("event_types", kind, language), "count": count}
                             for kind, count in months[month].most_common()]}
            for month in sorted(months)]


def _figures(incident_ids: list[int], user: Any, language: str = "en") -> list[dict[str, Any]]:
    # Claims are reached from the incidents' reports (their index), never by scanning every figure of the archive.
    # The quotes are cut from the records' texts here, not in SQL: the text is kept compressed (storage.CompressedTextField).
    reports = IncidentReport.objects.filter(incident_id__in=incident_ids).values("id")
    claims = list(Claim.objects.filter(policy.record_condition(user, "record__"), incident_report_id__in=reports, field="count")
                  .select_related("record", "incident_report").only(
                      "field", "what", "value", "qualifier", "start", "end", "incident_report__incident_id", "record__code",
                      "record__issuer", "record__language", "record__issue_date", "record__text")
                  .order_by("what", "record__issue_date", "record_id")[:FIGURES_SHOWN])
    policy.read_hidden_phrases(user, [claim.record for claim in claims])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        grouped.setdefault(claim.what or "", []).append({
            "value": int(claim.value) if claim.value.isdigit() else claim.value, "qualifier": claim.qualifier or None,
            "qualifier_label": label("count_qualifiers", claim.qualifier, language) if claim.qualifier else None,
            "record": claim.record.code, "issuer": claim.record.issuer or None, "language": claim.record.language,
            "incident": claim.incident_report.incident_id if claim.incident_report else None,
            "quote": _shown_quote(user, claim), "url": f"/records/{claim.record.code}"})
    return [{"what": what, "figures": items} for what, items in sorted(grouped.items())]


def _shown_quote(user: Any, claim: Claim) -> str:
    """The words a figure was read from, as ``user`` may read them: where the record holds a phrase hidden from
    ``user``, cut from the masked text, so that a phrase the quote only partly covers is masked too."""
    text = claim.record.text
    if policy.hidden_phrases(user, claim.record):
        text = policy.shown_text(user, claim.record, text)
    return text[claim.start:claim.end]


def _map(place: Place) -> dict[str, Any]:
    """Where the place is on the small offline map: its governorate and, when known, its point (SVG units)."""
    point = None
    if place.latitude is not None and place.longitude is not None:
        x, y = geography.projection().point(place.longitude, place.latitude)
        point = {"x": x, "y": y}
    return {"governorate": place.governorate_pcode or (place.pcode if place.kind == "governorate" else None),
            "point": point, "width": geography.WIDTH, "height": geography.projection().height}


@lru_cache(maxsize=32)
def map_outlines(governorate: str | None) -> SafeString:
    """The governorates as SVG paths, ``governorate`` shaded: drawn once per governorate, then reused."""
    paths = "".join(
        f'<path d="{item.path}" fill="{"#e9b896" if item.pcode == governorate else "#f1eee8"}" fill-rule="evenodd" '
        f'stroke="#8a8278" stroke-width="0.8"/>' for item in geography.governorates())
    return mark_safe(paths)  # noqa: S308 - our own path data (numbers and letters), no user input


def _hierarchy(place: Place, language: str) -> list[dict[str, Any]]:
    from dhakira.knowledge import knowledge

    keys = knowledge().ancestors(place.key)
    governorate_key = f"adm:{place.governorate_pcode}" if place.governorate_pcode else ""
    if governorate_key and governorate_key not in keys and governorate_key != place.key:
        keys.append(governorate_key)
    rows = {row.key: row for row in Place.objects.filter(key__in=keys)}
    known = knowledge().places
    result = []
    for key in keys:
        row = rows.get(key)
        if row is not None:
            result.append({"id": key, "name": local_name(row.name_en, row.name_ar, language), "url": place_url(row.pk)})
        elif key in known:
            entry = known[key]
            result.append({"id": key, "name": local_name(entry.name_en, entry.name_ar or "", language),
                           "url": None})
    return result


def place_payload(place: Place, user: Any, language: str = "en", page: int = 1) -> dict[str, Any]:
    """A place: names, kind, hierarchy, map, incidents by month, figures side by side, its records."""
    scope = [place.pk]
    if place.kind == "governorate" and place.pcode:
        scope += list(Place.objects.filter(governorate_pcode=place.pcode).values_list("pk", flat=True))
    # A join from the place's link rows (indexed), narrowed by the levels the policy lets the user see:
    # the archive's size does not enter.
    records = Record.objects.filter(policy.record_condition(user), places__id__in=scope)
    if len(scope) > 1:
        records = records.distinct()
    # The same records walked newest first, each asked whether it names the place (a place holding many records).
    named = Record.places.through.objects.filter(record_id=OuterRef("pk"), place_id__in=scope)
    newest = Record.objects.filter(policy.record_condition(user), Exists(named))
    # The newest incidents (at most ``INCIDENTS_READ``, as plain rows, not model instances) for the timeline;
    # the figures are those of the incidents listed, so that a facility of thousands of incidents does not
    # sort every figure ever reported there.
    incidents = list(policy.visible_incidents(user).filter(place_id__in=scope).order_by("-date", "-id")
                     .values_list("id", "date", "event_types", "title")[:INCIDENTS_READ])
    listed = incidents[:RECORDS_SHOWN]
    return {
        "id": place.pk, "key": place.key, "name_en": place.name_en, "name_ar": place.name_ar,
        "name": local_name(place.name_en, place.name_ar, language), "kind": place.kind,
        "kind_label": _pair(KIND_LABELS.get(place.kind, KIND_LABELS["other"]), language),
        "pcode": place.pcode or None, "governorate": place.governorate_pcode or None,
        "latitude": place.latitude, "longitude": place.longitude,
        "hierarchy": _hierarchy(place, language),
        "map": _map(place),
        "timeline": _timeline([(date, event_types) for _, date, event_types, _ in incidents], language),
        "incidents": [{"id": pk, "date": date or None, "title": title,
                       "event_types": [label("event_types", kind, language) for kind in event_types or []],
                       "url": f"/incidents/{pk}"} for pk, date, event_types, title in listed],
        "incident_total": len(incidents),
        "figures": _figures([pk for pk, *_ in listed], user, language),
        "records": _records_page(records, language, page, newest),
        "url": place_url(place.pk),
    }


def organisation_payload(organisation: Organisation, user: Any, language: str = "en") -> dict[str, Any]:
    """An organisation: names, kind, records naming it, records it issued, incidents it is said to have perpetrated."""
    naming = Record.objects.filter(policy.record_condition(user), organisations__id=organisation.pk)
    issued = Record.objects.filter(policy.record_condition(user), issuer_organisation_id=organisation.pk)
    perpetrated = list(policy.visible_incidents(user).filter(perpetrator__in=[organisation.name_en, organisation.key])
                       .select_related("place").order_by("-date", "-id")[:RECORDS_SHOWN])
    return {
        "id": organisation.pk, "key": organisation.key, "name_en": organisation.name_en, "name_ar": organisation.name_ar,
        "name": local_name(organisation.name_en, organisation.name_ar, language), "kind": organisation.kind or None,
        "records": _records_page(naming, language, 1),
        "issued": _records_page(issued, language, 1),
        "perpetrator_of": [{"id": incident.pk, "date": incident.date or None,
                            "event_types": [label("event_types", kind, language) for kind in incident.event_types],
                            "place": local_name(incident.place.name_en, incident.place.name_ar, language) if incident.place else None,
                            "url": f"/incidents/{incident.pk}"} for incident in perpetrated],
        "url": organisation_url(organisation.pk),
    }


def _role_label(role: str, language: str) -> str:
    return label("person_roles", role, language) if role else ""


def _spelling_for(names: list[str], language: str) -> str:
    """The first spelling in the script of the interface (Arabic letters for ``ar``), else the first one."""
    from dhakira.text import is_arabic

    return next((name for name in names if is_arabic(name) == (language == "ar")), names[0])


def person_payload(person: Person, user: Any, language: str = "en") -> dict[str, Any]:
    """A person: every spelling, roles per mention with the quoted span, records, incidents, what ties them to places."""
    mentions = list(person.mentions.filter(policy.record_condition(user, "record__")).select_related("record")
                    .only("name", "start", "end", "role", "quote", "decision", "score", "features", "record__code",
                          "record__title", "record__issue_date", "record__language", "record__issuer",
                          "record__document_type").order_by("record__issue_date", "record_id", "start")[:MENTIONS_READ])
    record_ids = list(dict.fromkeys(mention.record_id for mention in mentions))
    reports = list(IncidentReport.objects.filter(record_id__in=record_ids).exclude(review="rejected")
                   .select_related("incident", "incident__place").order_by("incident__date", "incident_id"))
    incidents: dict[int, dict[str, Any]] = {}
    ties: list[dict[str, Any]] = []
    roles_by_record: dict[int, set[str]] = {}
    for mention in mentions:
        if mention.role:
            roles_by_record.setdefault(mention.record_id, set()).add(mention.role)
    for report in reports:
        incident = report.incident
        place_name = local_name(incident.place.name_en, incident.place.name_ar, language) if incident.place else None
        if incident.pk not in incidents:
            incidents[incident.pk] = {"id": incident.pk, "date": incident.date or None, "place": place_name,
                                      "place_url": place_url(incident.place_id) if incident.place_id else None,
                                      "event_types": [label("event_types", kind, language) for kind in incident.event_types],
                                      "url": f"/incidents/{incident.pk}"}
        roles = roles_by_record.get(report.record_id, set())
        if roles & {"detainee", "victim"}:
            kinds = set(incident.event_types)
            tie = next((name for types, name in TIES if kinds & types), "named_in")
            ties.append({"tie": tie, "label": _pair(TIE_LABELS[tie], language), "date": incident.date or None,
                         "place": place_name, "place_url": place_url(incident.place_id) if incident.place_id else None,
                         "incident": incident.pk})
    records: dict[int, dict[str, Any]] = {}
    policy.read_hidden_phrases(None, [mention.record for mention in mentions])  # for every listed record at once
    for mention in mentions:
        entry = records.setdefault(mention.record_id, {**record_summary(mention.record, language), "mentions": []})
        entry["mentions"].append({"name": mention.name, "span": [mention.start, mention.end], "role": mention.role or None,
                                  "role_label": _role_label(mention.role, language) or None, "quote": mention.quote,
                                  "decision": mention.decision, "score": mention.score, "features": mention.features})
    roles = sorted({mention.role for mention in mentions if mention.role})
    return {
        "id": person.pk, "name": person.name, "names": person.names or [person.name], "kb_id": person.kb_id or None,
        "display_name": _spelling_for(person.names or [person.name], language),
        "roles": [{"id": role, "label": _role_label(role, language)} for role in roles],
        "access_level": person.access_level, "access_reviewed": person.access_reviewed,
        "records": list(records.values()), "incidents": list(incidents.values()),
        "ties": [tie for index, tie in enumerate(ties) if tie not in ties[:index]],
        "url": person_url(person.pk),
    }


def place_list_payload(user: Any, query: str = "", kind: str = "", language: str = "en") -> dict[str, Any]:
    """Places named by visible records, most recorded first (filtered by a name in either language)."""
    places = Place.objects.filter(policy.record_condition(user, "records__"))
    if query:
        places = places.filter(Q(name_en__icontains=query) | Q(name_ar__icontains=query) | Q(key__icontains=query))
    if kind:
        places = places.filter(kind=kind)
    rows = places.values("id", "name_en", "name_ar", "kind").annotate(records=Count("records", distinct=True)).order_by("-records", "name_en")[:LIST_SIZE]
    return {"query": query, "kind": kind or None, "results": [
        {"id": row["id"], "name": local_name(row["name_en"], row["name_ar"], language), "name_en": row["name_en"],
         "name_ar": row["name_ar"], "kind": row["kind"], "kind_label": _pair(KIND_LABELS.get(row["kind"], KIND_LABELS["other"]), language),
         "records": row["records"], "url": place_url(row["id"])} for row in rows]}


def organisation_list_payload(user: Any, query: str = "", language: str = "en") -> dict[str, Any]:
    """Organisations named by (or issuing) visible records, most recorded first."""
    organisations = Organisation.objects.filter(policy.record_condition(user, "records__"))
    if query:
        organisations = organisations.filter(Q(name_en__icontains=query) | Q(name_ar__icontains=query) | Q(key__icontains=query))
    rows = (organisations.values("id", "name_en", "name_ar", "kind").annotate(records=Count("records", distinct=True))
            .order_by("-records", "name_en")[:LIST_SIZE])
    return {"query": query, "results": [
        {"id": row["id"], "name": local_name(row["name_en"], row["name_ar"], language), "name_en": row["name_en"],
         "name_ar": row["name_ar"], "kind": row["kind"] or None, "records": row["records"], "url": organisation_url(row["id"])}
        for row in rows]}


def person_list_payload(user: Any, query: str = "", language: str = "en") -> dict[str, Any]:
    """Persons the user may see: matched by a name in either script (best first), or the most recent ones."""
    from dhakira_web.archive.entities.search import describe_persons, search_persons

    if query.strip():
        results = search_persons(query, user, limit=LIST_SIZE)
    else:
        persons = list(policy.visible_persons(user).order_by("-id")[:LIST_SIZE])
        results = describe_persons(persons, user)
    roles = {entry.id: entry.label(language) for entry in vocabulary("person_roles")}
    for result in results:
        result["role_labels"] = [roles.get(role, role) for role in result["roles"]]
    return {"query": query, "results": results}
