"""Linked-data export in schema.org terms (JSON-LD): records as ``Report``, incidents as ``Event``,
places with coordinates, organisations, and persons only where the reader may see them.

Identifiers are URNs (``urn:dhakira:record:DHK-2016-000012``), so that graphs exported from one
archive at different times merge. The document is written item by item, never held whole in memory.
"""

from __future__ import annotations

import json
from typing import IO, Any

from django.db.models import QuerySet

from dhakira_web.archive.exchange.jsonl import ExportResult, catalogue_of
from dhakira_web.archive.exchange.tables import batches, incidents_of
from dhakira_web.archive.models import Place, Record
from dhakira_web.archive.payloads import label


def urn(kind: str, key: str) -> str:
    return f"urn:dhakira:{kind}:{key}"


def names(name_en: str, name_ar: str) -> list[dict[str, str]]:
    return [{"@value": name, "@language": language} for name, language in ((name_en, "en"), (name_ar, "ar")) if name]


def place_node(place: Place) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": urn("place", place.key), "@type": "Place", "name": names(place.name_en, place.name_ar),
                            "additionalType": place.kind}
    if place.pcode:
        node["identifier"] = place.pcode
    if place.latitude is not None and place.longitude is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    if place.governorate_pcode and place.governorate_pcode != place.pcode:
        node["containedInPlace"] = {"@type": "AdministrativeArea", "identifier": place.governorate_pcode}
    return node


def write_jsonld(handle: IO[bytes], user: Any, records: QuerySet[Record], *, about: dict[str, Any] | None = None) -> ExportResult:
    """Write ``records`` and what they report as one JSON-LD document (``@graph``)."""
    result = ExportResult()
    first = True

    def emit(node: dict[str, Any]) -> None:
        nonlocal first
        handle.write((b"" if first else b",\n") + json.dumps(node, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        first = False
        result.counts[str(node["@type"])] += 1

    handle.write(json.dumps({"@context": "https://schema.org/", "description": "Dhakira export", **(about or {})},
                            ensure_ascii=False)[:-1].encode("utf-8") + b', "@graph": [\n')
    selected = records.order_by().values("pk")
    places, organisations = catalogue_of(selected)
    for place in places:
        emit(place_node(place))
    for organisation in organisations:
        emit({"@id": urn("organisation", organisation.key), "@type": "Organization", "name": names(organisation.name_en, organisation.name_ar)})
    for batch in batches(user, records):
        for record in batch.records:
            result.record_ids.append(record.pk)
            persons = sorted(batch.persons.get(record.pk, []))
            node: dict[str, Any] = {
                "@id": urn("record", record.code), "@type": "Report", "identifier": record.code,
                "name": batch.shown(record, record.title), "inLanguage": record.language,
                "genre": label("document_types", record.document_type) if record.document_type else None,
                "datePublished": record.issue_date or None, "dateCreated": record.captured_at.isoformat(),
                "publisher": ({"@id": urn("organisation", record.issuer_organisation.key)} if record.issuer_organisation_id and record.issuer_organisation
                              else ({"@type": "Organization", "name": batch.shown(record, record.issuer)} if record.issuer else None)),
                "contentLocation": [{"@id": urn("place", place.key)} for place in record.places.all()],
                "mentions": [{"@id": urn("organisation", organisation.key)} for organisation in record.organisations.all()]
                            + [{"@type": "Person", "name": batch.shown(record, name)} for name in persons],
                "url": record.source_url or None, "conditionsOfAccess": record.access_level,
                "encoding": {"@type": "MediaObject", "encodingFormat": record.media_type, "sha256": record.sha256, "contentSize": record.size},
                "text": batch.shown(record, record.text),
            }
            emit({key: value for key, value in node.items() if value not in (None, [], "")})
        for incident, codes in incidents_of(batch):
            event: dict[str, Any] = {
                "@id": urn("incident", batch.keys[incident.pk]), "@type": "Event", "name": incident.title,
                "keywords": [label("event_types", kind) for kind in incident.event_types if kind],
                "startDate": incident.date or None, "location": {"@id": urn("place", incident.place.key)} if incident.place else None,
                "subjectOf": [{"@id": urn("record", code)} for code in codes], "eventStatus": incident.status,
            }
            emit({key: value for key, value in event.items() if value not in (None, [], "")})
    handle.write(b"\n]}\n")
    return result

