"""An ACLED-style event table: one row per incident, event types mapped from our taxonomy.

The mapping is data (``acled_mapping.yaml``, documented in docs/export.md): which ACLED event and
sub-event type each of our event types becomes, which counts are deaths, and the geographic and
time precision codes. Only reports among the exported records (which the reader may see) feed a row.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import IO, Any

import yaml
from django.db.models import QuerySet

from dhakira.knowledge import knowledge
from dhakira_web.archive.exchange.jsonl import ExportResult
from dhakira_web.archive.exchange.tables import batches, incidents_of
from dhakira_web.archive.geography import governorate_names
from dhakira_web.archive.models import Incident, IncidentReport, Record

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "country", "admin1",
           "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities"]


@cache
def mapping() -> dict[str, Any]:
    """The mapping from our taxonomy to ACLED's, read from ``acled_mapping.yaml``."""
    text = resources.files(__package__).joinpath("acled_mapping.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def event_type_of(event_types: list[str]) -> dict[str, str]:
    """ACLED event and sub-event type of an incident: the first of its types in the mapping's order."""
    table = mapping()
    for kind in table["order"]:
        if kind in event_types:
            return dict(table["types"][kind])
    return dict(table["types"]["other"])


def fatalities(reports: list[IncidentReport]) -> int:
    """The highest death count any report gives (0 when none does)."""
    deaths = set(mapping()["fatalities_from"])
    values = [count.get("value") for report in reports for count in (report.reported or {}).get("counts") or []
              if count.get("what") in deaths and isinstance(count.get("value"), int)]
    return max(values, default=0)


def row_of(incident: Incident, reports: list[IncidentReport], key: str) -> list[Any]:
    table = mapping()
    place = incident.place
    governorates = governorate_names()
    admin1 = governorates.get(place.governorate_pcode, ("", ""))[0] if place else ""
    admin2 = ""
    if place is not None:
        known = knowledge().places.get(place.key)
        locality = knowledge().places.get(known.locality) if known is not None and known.locality else None
        admin2 = locality.name_en if locality is not None and locality.id != place.key else ""
    kinds = event_type_of(list(incident.event_types))
    records = [report.record for report in reports]
    sources = sorted({record.issuer or record.source_name for record in records if record.issuer or record.source_name})
    notes = f"{incident.title}. Reports: {', '.join(sorted({record.code for record in records}))}."
    return [
        key, incident.date, incident.date[:4], table["time_precision"].get(incident.date_precision, 3), kinds["event_type"],
        kinds["sub_event_type"], incident.perpetrator, table["country"], admin1, admin2, "",
        place.name_en if place else "", place.latitude if place and place.latitude is not None else "",
        place.longitude if place and place.longitude is not None else "",
        table["geo_precision"].get(place.kind, 3) if place else 3, "; ".join(sources), "Other", notes, fatalities(reports),
    ]


def write_acled(handle: IO[bytes], user: Any, records: QuerySet[Record], *, about: dict[str, Any] | None = None) -> ExportResult:
    """Write one CSV row per incident the exported records report (UTF-8 with a byte-order mark)."""
    result = ExportResult()
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> None:
        handle.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    handle.write("\ufeff".encode())
    writer.writerow(COLUMNS)
    selected = records.order_by().values("pk")
    for batch in batches(user, records):
        result.record_ids += [record.pk for record in batch.records]
        for incident, _ in incidents_of(batch):
            reports = list(IncidentReport.objects.filter(incident=incident, record__in=selected).exclude(review="rejected").select_related("record"))
            writer.writerow(row_of(incident, reports, batch.keys[incident.pk]))
            result.counts["incidents"] += 1
        flush()
    flush()
    return result
