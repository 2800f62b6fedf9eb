"""Small extraction objects written for the linking tests (facts only, no third-party prose)."""

from __future__ import annotations

from typing import Any

from dhakira.documents import date_precision

HAMA_PRISON = {
    "text": "Hama Central Prison",
    "canonical_en": "Hama Central Prison",
    "canonical_ar": "سجن حماة المركزي",
    "id": "fac:hama-central-prison",
    "kind": "facility",
    "pcode": "SY05",
}
HOMS_PRISON = {
    "text": "Homs Central Prison",
    "canonical_en": "Homs Central Prison",
    "canonical_ar": "سجن حمص المركزي",
    "id": "fac:homs-central-prison",
    "kind": "facility",
    "pcode": "SY04",
}


def extraction(
    *,
    language: str = "en",
    published: str | None = "2016-05-06",
    issuer: str | None = "org:example-monitor",
    places: list[dict[str, Any]] | None = None,
    incidents: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """An extraction object of the contract with the given parts."""
    return {
        "schema": "dhakira.extraction/1",
        "source": {"path": "fixture.txt"},
        "document": {
            "language": language,
            "title": title,
            "issuer": {"text": issuer, "canonical_en": issuer, "id": issuer} if issuer else None,
            "doc_type": "news_article",
            "published": published,
        },
        "places": places if places is not None else [HAMA_PRISON],
        "organisations": [],
        "persons": [],
        "incidents": incidents or [],
        "error": None,
    }


def incident(
    place: dict[str, Any] | None,
    date: str | None,
    *types: str,
    counts: list[dict[str, Any]] | None = None,
    perpetrator: str | None = "actor:sy-gov",
) -> dict[str, Any]:
    precision = None if date is None else date_precision(date)
    return {
        "event_types": list(types),
        "place_en": place["canonical_en"] if place else None,
        "place_id": place["id"] if place else None,
        "date": date,
        "date_precision": precision,
        "perpetrator_id": perpetrator,
        "counts": counts or [],
    }


def hama_storming_en() -> dict[str, Any]:
    """An English report: forces stormed Hama Central Prison on 6 May 2016 with tear gas."""
    return extraction(
        title="Security forces storm Hama prison after detainees' protest",
        incidents=[
            incident(
                HAMA_PRISON,
                "2016-05-06",
                "storming",
                "tear_gas",
                counts=[{"what": "suffocation_cases", "value": 25, "qualifier": "at_least"}],
            ),
            incident(HAMA_PRISON, "2016-05-01", "protest_riot", perpetrator=None),
        ],
    )


def hama_storming_ar() -> dict[str, Any]:
    """An Arabic report of the same storming, published a day later by another outlet."""
    return extraction(
        language="ar",
        published="2016-05-07",
        issuer="org:another-outlet",
        title="قوات النظام تقتحم سجن حماة المركزي",
        incidents=[
            incident(
                HAMA_PRISON,
                "2016-05-06",
                "storming",
                "tear_gas",
                "injury",
                counts=[{"what": "suffocation", "value": 30, "qualifier": "over"}],
            ),
        ],
    )
