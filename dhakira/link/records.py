"""Incident records: the parts of an extraction object that linking compares, made once per document.

An extraction object (the contract in ``spec/extraction.md``) is turned into one :class:`IncidentRecord` per
incident, each carrying a :class:`PlaceRef` (the place with its city, governorate and country, so that a
facility and the city or governorate that contains it can be compared), a date interval in ordinal days, its
event types and counts, and a shared :class:`DocumentProfile` (language, issuer, text stems, numbers and years
mentioned, the entities it names, an optional sentence embedding of the lead).

When the project's knowledge base (:mod:`dhakira.knowledge`) is importable, place ids and community
P-codes are looked up there for their governorate and town; places given with coordinates outside Syria
are taken as abroad. Linking works without it, from the fields of the extraction alone.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from dhakira.text import normalise
from dhakira.text.normalise import token_forms

COUNTRY = "country:sy"
# Places outside Syria keep their own country key so that they never match Syrian places.
_SYRIA_NAMES = {"syria", "syrian arab republic", "سوريا", "سوريه", "الجمهوريه العربيه السوريه"}
# Words that end the city part of a facility name ("Homs Central Prison" -> "homs").
_FACILITY_WORDS = {
    "central",
    "prison",
    "jail",
    "military",
    "women",
    "women's",
    "womens",
    "branch",
    "airport",
    "hospital",
    "security",
    "intelligence",
    "detention",
    "centre",
    "center",
    "civil",
    "juvenile",
    "police",
    "station",
    "the",
    "al",
    "of",
    "state",
    "political",
    "air",
    "force",
    "general",
}
_PCODE_ADMIN1 = re.compile(r"^SY\d\d")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_NUMBER = re.compile(r"(?<![\d.,])\d{2,7}(?![\d])")


def slug(text: str) -> str:
    """A lower-case ASCII-or-Arabic identifier part: words joined by hyphens."""
    text = unicodedata.normalize("NFKD", normalise(text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return "-".join(re.findall(r"[\w']+", text)).replace("'", "")


@dataclass(frozen=True)
class PlaceRef:
    """A place with the larger places that contain it, each as a stable key (``kind:slug`` or an id).

    ``explicit_city`` is False when the city was only guessed from the facility's name; such a guess may
    confirm a match but never vetoes one.
    """

    key: str | None
    kind: str
    name: str | None = None
    city: str | None = None
    governorate: str | None = None
    country: str | None = COUNTRY
    explicit_city: bool = True

    def chain(self) -> list[str]:
        """Keys from the most specific place to the country, without repeats; ``[country]`` if unknown.

        A city guessed from a facility's name is included: blocking may cast a wider net than scoring.
        """
        keys: list[str] = []
        for key in (self.key, self.city, self.governorate, self.country):
            if key and key not in keys:
                keys.append(key)
        return keys or [COUNTRY]

    @property
    def level(self) -> int:
        """0 facility or other named spot, 1 city, 2 governorate, 3 country or unknown."""
        return {"facility": 0, "other": 0, "city": 1, "governorate": 2}.get(self.kind, 3)


@dataclass(frozen=True)
class CountRef:
    """One reported figure: the label as given, its folded family, the value and its qualifier."""

    what: str
    family: str
    value: float
    qualifier: str


@dataclass
class DocumentProfile:
    """What every incident of one document shares for comparison."""

    key: str
    language: str | None
    issuer_id: str | None
    published: str | None
    published_interval: tuple[int, int, str] | None = None
    stems: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()
    lead: str = ""
    embedding: Any = None
    entities: frozenset[str] = frozenset()
    entity_weights: dict[str, float] = field(default_factory=dict)


@dataclass
class IncidentRecord:
    """One incident of one document, ready for blocking and comparison."""

    key: str
    index: int
    place: PlaceRef
    types: frozenset[str]
    start: int | None
    end: int | None
    precision: str | None
    date_source: str | None
    perpetrator: str | None
    counts: tuple[CountRef, ...]
    doc: DocumentProfile
    serial: int = field(default=-1)

    @property
    def dated(self) -> bool:
        return self.start is not None and self.end is not None


# --------------------------------------------------------------------------------------------------- dates


def date_interval(value: str | None, precision: str | None = None) -> tuple[int, int, str] | None:
    """``(first day, last day, precision)`` as ordinals for 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'.

    None when the value cannot be read."""
    if not value or not isinstance(value, str):
        return None
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not match:
        return None
    year = int(match.group(1))
    try:
        if match.group(3) and precision not in ("month", "year"):
            day = dt.date(year, int(match.group(2)), int(match.group(3))).toordinal()
            return day, day, "day"
        if match.group(2) and precision != "year":
            month = int(match.group(2))
            first = dt.date(year, month, 1)
            following = dt.date(year + (month == 12), month % 12 + 1, 1)
            return first.toordinal(), following.toordinal() - 1, "month"
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal(), "year"
    except ValueError:
        return None


# Reports follow events: an undated incident is placed in the weeks before the document's publication.
PUBLISHED_LOOKBACK_DAYS = 120


# --------------------------------------------------------------------------------------------------- places


def _country_key(name: str | None) -> str:
    if not name or normalise(name) in _SYRIA_NAMES:
        return COUNTRY
    return "country:" + slug(name)


@lru_cache(maxsize=1)
def _gazetteer() -> Callable[[str], tuple[str | None, str | None]]:
    """Look-up of a place id in the knowledge base: (governorate P-code, English name), when present."""
    try:
        from dhakira.knowledge import knowledge

        places = knowledge().places
    except Exception:  # the knowledge base is optional for linking
        return lambda identifier: (None, None)

    def look_up(identifier: str) -> tuple[str | None, str | None]:
        place = places.get(identifier)
        if place is None:
            return None, None
        return place.admin1, place.name_en

    return look_up


# Syria's bounding box: a place given with coordinates outside it is abroad (Geneva, Beirut, London).
_SYRIA_BOX = (32.3, 37.4, 35.6, 42.5)


def _abroad(place: Mapping[str, Any]) -> bool:
    latitude, longitude = place.get("lat"), place.get("lon")
    if not isinstance(latitude, int | float) or not isinstance(longitude, int | float):
        return False
    south, north, west, east = _SYRIA_BOX
    return not (south <= latitude <= north and west <= longitude <= east)


def _governorate_key(place: Mapping[str, Any]) -> str | None:
    for field_name in ("admin1_pcode", "governorate_pcode", "pcode"):
        value = place.get(field_name)
        if isinstance(value, str) and _PCODE_ADMIN1.match(value):
            return "gov:" + value[:4]
    candidates = [place.get("id")]
    if isinstance(place.get("pcode"), str) and str(place["pcode"]).startswith("C"):
        candidates.append("loc:" + str(place["pcode"]))  # a community P-code: the town the place lies in
    for identifier in candidates:
        if isinstance(identifier, str) and identifier:
            admin1 = _gazetteer()(identifier)[0]
            if admin1 and _PCODE_ADMIN1.match(admin1):
                return "gov:" + admin1[:4]
    governorate = place.get("governorate") or place.get("governorate_en")
    if isinstance(governorate, str) and governorate:
        return "gov:" + slug(governorate.removesuffix(" Governorate"))
    if place.get("kind") == "governorate" and place.get("canonical_en"):
        return "gov:" + slug(str(place["canonical_en"]).removesuffix(" Governorate"))
    return None


def _city_hint(name: str) -> str | None:
    """The leading words of a facility name before its generic words ("Homs Central Prison" -> "homs")."""
    words: list[str] = []
    for word in re.findall(r"[\w'’-]+", name):
        if normalise(word).replace("’", "'") in _FACILITY_WORDS or word.isdigit():
            break
        words.append(word)
    return slug(" ".join(words)) if words else None


def place_ref(place: Mapping[str, Any] | None, name: str | None = None) -> PlaceRef:
    """The :class:`PlaceRef` of one place entry of an extraction (or of a bare canonical name)."""
    if place is None:
        if not name:
            return PlaceRef(key=None, kind="unknown")
        place = {"canonical_en": name}
    kind = str(place.get("kind") or "other")
    canonical = str(place.get("canonical_en") or place.get("text") or name or "")
    if kind == "country":
        country = _country_key(canonical)
        return PlaceRef(key=country, kind="country", name=canonical, country=country)
    identifier = place.get("id")
    key = str(identifier) if identifier else (f"{kind[:3]}:{slug(canonical)}" if canonical else None)
    governorate = _governorate_key(place)
    country = _country_key(place.get("country") if isinstance(place.get("country"), str) else None)
    if country == COUNTRY and _abroad(place):
        country = "country:abroad"
    if kind == "governorate":
        governorate = governorate or key
        return PlaceRef(key=governorate, kind=kind, name=canonical, governorate=governorate, country=country)
    city: str | None = None
    explicit = True
    if kind == "city":
        city = "city:" + slug(canonical)
        key = city
    else:
        given = place.get("city") or place.get("city_en")
        pcode = place.get("pcode")
        town = _gazetteer()("loc:" + pcode)[1] if isinstance(pcode, str) and pcode.startswith("C") else None
        if isinstance(given, str) and given:
            city = "city:" + slug(re.sub(r"\s*\(.*\)$", "", given))
        elif town:
            city = "city:" + slug(town)
        elif kind == "facility" and canonical:
            hint = _city_hint(canonical)
            city, explicit = ("city:" + hint if hint else None), False
    return PlaceRef(
        key=key,
        kind=kind,
        name=canonical,
        city=city,
        governorate=governorate,
        country=country,
        explicit_city=explicit,
    )


# --------------------------------------------------------------------------------------------------- counts

_COUNT_FAMILIES = {
    "dead": {"killed", "dead", "deaths", "died", "death", "bodies", "executed", "fatalities"},
    "injured": {"injured", "wounded", "injuries", "casualties"},
    "held": {"detainees", "prisoners", "inmates", "held", "detained", "capacity"},
    "released": {"released", "freed", "release"},
    "participants": {"participants", "strikers", "protesters"},
    "missing": {"missing", "disappeared"},
    "arrested": {"arrested", "arrests"},
}
_WORD_FAMILY = {word: family for family, words in _COUNT_FAMILIES.items() for word in words}


def count_family(what: str) -> str:
    """A coarse family for a free count label ("killed_named" and "dead" are both ``dead``)."""
    parts = [part for part in re.split(r"[_\W]+", what.lower()) if part]
    for part in parts:
        if part in _WORD_FAMILY:
            return _WORD_FAMILY[part]
    return parts[0] if parts else what


def count_refs(counts: Sequence[Mapping[str, Any]] | None) -> tuple[CountRef, ...]:
    refs: list[CountRef] = []
    for count in counts or ():
        try:
            value = float(count.get("value"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        what = str(count.get("what") or "")
        refs.append(CountRef(what, count_family(what), value, str(count.get("qualifier") or "exact")))
    return tuple(refs)


# --------------------------------------------------------------------------------------------------- text

_STOP = {
    "the",
    "and",
    "for",
    "that",
    "with",
    "from",
    "said",
    "was",
    "were",
    "has",
    "have",
    "had",
    "his",
    "her",
    "their",
    "they",
    "this",
    "which",
    "who",
    "its",
    "are",
    "been",
    "not",
    "but",
    "also",
    "into",
    "after",
    "في",
    "من",
    "علي",
    "الي",
    "عن",
    "ان",
    "التي",
    "الذي",
    "وقال",
    "قال",
    "كما",
    "هذا",
    "هذه",
    "بعد",
    "مع",
}


def text_stems(text: str, limit: int = 4000) -> frozenset[str]:
    """Distinct stems of a text's first ``limit`` tokens, without stop words and very short tokens."""
    return _kept_stems((norm, word_stem) for _, norm, word_stem in islice(token_forms(text), limit))


def forms_stems(forms: Sequence[tuple[str, str]], limit: int = 4000) -> frozenset[str]:
    """``text_stems`` from the text's ``word_forms`` when they are at hand (the same set)."""
    return _kept_stems(forms[:limit])


def _kept_stems(forms: Iterable[tuple[str, str]]) -> frozenset[str]:
    return frozenset(word_stem for norm, word_stem in forms if len(norm) >= 3 and norm not in _STOP and not norm.isdigit())


def text_numbers(text: str, *, folded: str | None = None) -> frozenset[str]:
    """Numbers of two or more digits that are not years (Arabic-Indic digits folded), as strings. ``folded``:
    ``normalise(text)`` when it is at hand."""
    folded = normalise(text) if folded is None else folded
    return frozenset(
        number for number in _NUMBER.findall(folded) if not _YEAR.fullmatch(number) and int(number) >= 10
    )


def text_years(text: str, *, folded: str | None = None) -> frozenset[int]:
    return frozenset(int(year) for year in _YEAR.findall(normalise(text) if folded is None else folded))


def lead_of(title: str | None, text: str | None, size: int = 400) -> str:
    """The title and the first ``size`` characters of the text, whitespace collapsed."""
    parts = [title or "", (text or "")[:size]]
    return " ".join(" ".join(parts).split())


# --------------------------------------------------------------------------------------------------- build


def document_entities(extraction: Mapping[str, Any]) -> frozenset[str]:
    """Ids of the organisations and sub-national places a document names, without its own issuer.

    Shared rare entities (a bridge where families waited, a UN body, an armed group) tie reports together
    across languages, since ids are language-independent. Places count only when of kind ``other``
    (squares, bridges, crossings): facilities and towns are already compared as incident places.
    """
    document = extraction.get("document") or {}
    issuer = document.get("issuer") if isinstance(document.get("issuer"), Mapping) else {}
    own = {issuer.get("id"), issuer.get("canonical_en")} if issuer else set()
    found: set[str] = set()
    for organisation in extraction.get("organisations") or ():
        if not isinstance(organisation, Mapping):
            continue
        identifier = organisation.get("id") or (
            "org:" + slug(organisation["canonical_en"]) if organisation.get("canonical_en") else None
        )
        if identifier and identifier not in own and organisation.get("canonical_en") not in own:
            found.add(str(identifier))
    for place in extraction.get("places") or ():
        # Facilities and towns are compared as incident places; only specific spots count here.
        if not isinstance(place, Mapping) or place.get("kind") != "other":
            continue
        ref = place_ref(place)
        if ref.key:
            found.add(ref.key)
    return frozenset(found)


class TextParts(NamedTuple):
    """What a document's profile takes from its text alone (the costly part of making it): its stems, numbers
    and years. Kept with an archive's record (``dhakira.link.packing``) and read back instead of made again."""

    stems: frozenset[str]
    numbers: frozenset[str]
    years: frozenset[int]


def text_parts(text: str, forms: Sequence[tuple[str, str]] | None = None) -> TextParts:
    """The stems, numbers and years of a text (``forms``: its ``word_forms`` when at hand)."""
    folded = normalise(text)
    return TextParts(text_stems(text) if forms is None else forms_stems(forms), text_numbers(text, folded=folded),
                     text_years(text, folded=folded))


def document_profile(key: str, extraction: Mapping[str, Any], text: str | None,
                     forms: Sequence[tuple[str, str]] | None = None, *, parts: TextParts | None = None) -> DocumentProfile:
    """What linking compares of a whole document. ``forms``: the text's ``word_forms`` when they are at hand
    (a worker of ``dhakira ingest`` made them for the search texts and the fingerprint already); ``parts``: the
    text's ``text_parts`` made earlier (read back from where they were kept), used instead of the text's own."""
    document = extraction.get("document") or {}
    issuer = document.get("issuer") or {}
    issuer_id = None
    if isinstance(issuer, Mapping):
        issuer_id = issuer.get("id") or (slug(issuer["canonical_en"]) if issuer.get("canonical_en") else None)
    elif isinstance(issuer, str):
        issuer_id = slug(issuer)
    if text and parts is None:
        parts = text_parts(text, forms)
    return DocumentProfile(
        key=key,
        language=document.get("language"),
        issuer_id=issuer_id,
        published=document.get("published"),
        published_interval=date_interval(document.get("published")),
        stems=parts.stems if text and parts else frozenset(),
        numbers=parts.numbers if text and parts else frozenset(),
        years=parts.years if text and parts else frozenset(),
        lead=lead_of(document.get("title"), text) if text else (document.get("title") or ""),
        entities=document_entities(extraction),
    )


def _find_place(places: Sequence[Mapping[str, Any]], incident: Mapping[str, Any]) -> Mapping[str, Any] | None:
    place_id = incident.get("place_id")
    place_en = incident.get("place_en")
    for place in places:
        if place_id and place.get("id") == place_id:
            return place
    for place in places:
        if place_en and normalise(str(place.get("canonical_en") or "")) == normalise(str(place_en)):
            return place
    return None


def incident_records(
    key: str, extraction: Mapping[str, Any], profile: DocumentProfile
) -> list[IncidentRecord]:
    """One record per incident of the extraction; documents with no incidents give none."""
    places = [place for place in extraction.get("places") or () if isinstance(place, Mapping)]
    published = profile.published_interval
    records: list[IncidentRecord] = []
    for index, incident in enumerate(extraction.get("incidents") or ()):
        if not isinstance(incident, Mapping):
            continue
        place = _find_place(places, incident)
        ref = place_ref(place, incident.get("place_en"))
        if place is None and incident.get("place_id") and ref.key is None:
            ref = PlaceRef(key=str(incident["place_id"]), kind="other")
        interval = date_interval(incident.get("date"), incident.get("date_precision"))
        source: str | None = "incident"
        if interval is None and published is not None:
            interval = (published[0] - PUBLISHED_LOOKBACK_DAYS, published[1], published[2])
            source = "published"
        if interval is None:
            source = None
        types = frozenset(str(kind) for kind in incident.get("event_types") or () if kind) or frozenset(
            {"other"}
        )
        perpetrator = incident.get("perpetrator_id") or (
            slug(incident["perpetrator_en"]) if incident.get("perpetrator_en") else None
        )
        records.append(
            IncidentRecord(
                key=key,
                index=index,
                place=ref,
                types=types,
                start=interval[0] if interval else None,
                end=interval[1] if interval else None,
                precision=interval[2] if interval else None,
                date_source=source,
                perpetrator=perpetrator,
                counts=count_refs(incident.get("counts")),
                doc=profile,
            )
        )
    return records
