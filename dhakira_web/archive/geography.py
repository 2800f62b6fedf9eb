"""The map, drawn on the server: governorate polygons projected to SVG, facilities as circles.

No tile server and no script: the page is plain SVG whose shapes link to the search filtered by
governorate or facility, so it works offline and under the strict content security policy. The
polygons are OCHA's COD-AB admin level 1 (see ``static/archive/data/README.md``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count

from dhakira_web.archive import policy
from dhakira_web.archive.counts.kept import kept
from dhakira_web.archive.incidents.aggregate import tallies
from dhakira_web.archive.models import Place, RecordFacet
from dhakira_web.archive.payloads import local_name

WIDTH = 800.0
MARGIN = 12.0
# Fill colours from no records to many (presentation attributes: allowed by the content security policy).
SHADES = ("#f1eee8", "#f3dcc9", "#e9b896", "#d98b62", "#b8573a", "#7a2e1d")
# Labels that would sit on a neighbour's label are nudged (SVG units, after projection).
LABEL_NUDGE = {"SY01": (-4.0, 24.0), "SY03": (40.0, 20.0), "SY04": (0.0, 8.0), "SY05": (10.0, -14.0)}


@dataclass(frozen=True)
class Governorate:
    """One governorate: P-code, names, SVG path data and the point its label sits on."""

    pcode: str
    name_en: str
    name_ar: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of longitude/latitude, scaled by the cosine of the mid latitude."""

    west: float
    north: float
    scale: float
    ratio: float
    height: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (round(MARGIN + (lon - self.west) * self.ratio * self.scale, 1),
                round(MARGIN + (self.north - lat) * self.scale, 1))


def _features() -> list[dict[str, Any]]:
    text = resources.files("dhakira_web.archive").joinpath("static", "archive", "data", "syria_admin1.geojson").read_text("utf-8")
    return list(json.loads(text)["features"])


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


@cache
def projection() -> Projection:
    """The projection fitting all governorates into ``WIDTH`` SVG units."""
    lons, lats = [], []
    for feature in _features():
        for polygon in _polygons(feature["geometry"]):
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    ratio = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * ratio)
    return Projection(west, north, scale, ratio, round((north - south) * scale + 2 * MARGIN, 1))


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a projected ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@cache
def governorates() -> tuple[Governorate, ...]:
    """The governorates as SVG shapes (holes drawn with the even-odd rule)."""
    project = projection()
    result = []
    for feature in _features():
        properties = feature["properties"]
        parts: list[str] = []
        best = (0.0, 0.0, 0.0)
        for polygon in _polygons(feature["geometry"]):
            for index, ring in enumerate(polygon):
                points = [project.point(lon, lat) for lon, lat in ring]
                parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in points) + " Z")
                if index == 0:
                    best = max(best, _centroid(points))
        nudge = LABEL_NUDGE.get(properties["pcode"], (0.0, 0.0))
        result.append(Governorate(properties["pcode"], properties["name_en"], properties["name_ar"], " ".join(parts),
                                  round(best[1] + nudge[0], 1), round(best[2] + nudge[1], 1)))
    return tuple(result)


def governorate_names() -> dict[str, tuple[str, str]]:
    """``{pcode: (English name, Arabic name)}`` of the governorates."""
    return {item.pcode: (item.name_en, item.name_ar) for item in governorates()}


def _shade(count: int, highest: int) -> str:
    if count <= 0 or highest <= 0:
        return SHADES[0]
    step = math.ceil(math.log1p(count) / math.log1p(highest) * (len(SHADES) - 1))
    return SHADES[max(1, min(step, len(SHADES) - 1))]


def map_payload(user: Any, language: str = "en") -> dict[str, Any]:
    """Visible records and incidents per governorate and per facility (counts only, from the access policy).

    An incident counts where its visible reports place it (the place most of them give, as on its page),
    counted by the database (``incidents.aggregate.tallies``), never by a hidden report.
    """
    visible = policy.visible_records(user)
    by_key: Counter[str] = Counter()
    for row in tallies(user):
        if row.place:
            by_key[row.place] += row.count
    located = {place.key: place for place in Place.objects.filter(key__in=by_key)}
    facet_counts = kept("map-records", user, lambda: {
        (row["name"], row["value"]): row["count"]
        for row in RecordFacet.objects.filter(record__in=visible, name__in=("governorate", "facility"))
        .values("name", "value").annotate(count=Count("record_id")).order_by()
    })
    by_governorate: Counter[str] = Counter()
    for key, count in by_key.items():
        if key in located and located[key].governorate_pcode:
            by_governorate[located[key].governorate_pcode] += count
    rows = []
    for item in governorates():
        records = facet_counts.get(("governorate", item.pcode), 0)
        rows.append({
            "pcode": item.pcode, "name_en": item.name_en, "name_ar": item.name_ar,
            "name": item.name_ar if language == "ar" else item.name_en,
            "records": records, "incidents": by_governorate.get(item.pcode, 0),
            "url": "/search?" + urlencode({"governorate": item.pcode}),
        })
    facility_keys = [value for (name, value) in facet_counts if name == "facility"]
    facilities = []
    for place in Place.objects.filter(key__in=facility_keys).order_by("name_en"):
        facilities.append({
            "id": place.key, "name_en": place.name_en, "name_ar": place.name_ar,
            "name": local_name(place.name_en, place.name_ar, language),
            "governorate": place.governorate_pcode or None, "latitude": place.latitude, "longitude": place.longitude,
            "records": facet_counts.get(("facility", place.key), 0), "incidents": by_key.get(place.key, 0),
            "url": "/search?" + urlencode({"facility": place.key}),
        })
    facilities.sort(key=lambda item: (-item["records"], item["name_en"]))
    return {"governorates": rows, "facilities": facilities,
            "source": "OCHA/UNCS COD-AB Syria admin level 1 (v02), CC BY 3.0 IGO"}


def map_drawing(payload: dict[str, Any]) -> dict[str, Any]:
    """SVG shapes for a map payload: one path per governorate, one circle per facility with coordinates."""
    project = projection()
    counts = {row["pcode"]: row for row in payload["governorates"]}
    highest = max((row["records"] for row in payload["governorates"]), default=0)
    shapes = []
    for item in governorates():
        row = counts.get(item.pcode, {"records": 0, "incidents": 0, "url": "", "name": item.name_en})
        shapes.append({**row, "path": item.path, "fill": _shade(row["records"], highest), "x": item.label_x, "y": item.label_y})
    top = max((row["records"] for row in payload["facilities"]), default=0)
    circles = []
    for row in payload["facilities"]:
        if row["latitude"] is None or row["longitude"] is None:
            continue
        x, y = project.point(row["longitude"], row["latitude"])
        radius = 4 + 10 * math.sqrt(row["records"] / top) if top else 4
        circles.append({**row, "x": x, "y": y, "r": round(radius, 1)})
    return {"width": WIDTH, "height": project.height, "shapes": shapes, "circles": circles}
