"""The knowledge base: gazetteer, detention facilities, organisations, actors, publishers, event triggers.

Everything lives as editable data files in ``dhakira/knowledge/data`` (see ``PROVENANCE.md`` there) and
is loaded once into an immutable :class:`KnowledgeBase` by :func:`knowledge`. Extraction matches texts
against its lexicons (:mod:`dhakira.knowledge.matching`).

Public API: :func:`knowledge`, :class:`KnowledgeBase`, :class:`Place`, :class:`Organisation`,
:class:`Actor`, :class:`Publisher`, :class:`Trigger`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from urllib.parse import urlsplit

import yaml

from dhakira.knowledge.matching import Lexicon, Match, TextToken, fold, prepare

__all__ = [
    "Actor",
    "KnowledgeBase",
    "Match",
    "Organisation",
    "Place",
    "Publisher",
    "TextToken",
    "Trigger",
    "fold",
    "knowledge",
    "prepare",
]

# Place ranks: when one written name fits several entries, the lowest rank wins
# (a prison before a city, a city before the governorate of the same name, a known town before a village).
RANK_FACILITY, RANK_COUNTRY, RANK_CITY, RANK_OTHER, RANK_GOVERNORATE = 0, 1, 2, 3, 4
RANK_DISTRICT, RANK_SUBDISTRICT, RANK_COMMUNITY, RANK_NEIGHBOURHOOD = 5, 6, 7, 8


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer: facility, city, governorate, country or other.

    ``weak`` places (villages, neighbourhoods, names that are also common words) are accepted only
    next to a cue such as "village of" or "حي".
    """

    id: str
    kind: str
    name_en: str
    name_ar: str
    pcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    level: int | None = None
    weak: bool = False
    admin1: str | None = None
    agency: str | None = None
    locality: str | None = None


@dataclass(frozen=True)
class Organisation:
    """An organisation (NGO, UN body, ministry, court, armed group, outlet, platform)."""

    id: str
    name_en: str
    name_ar: str
    category: str
    actor: str | None = None


@dataclass(frozen=True)
class Actor:
    """A perpetrator label of the extraction contract."""

    id: str
    label_en: str
    label_ar: str


@dataclass(frozen=True)
class Publisher:
    """A web domain and the organisation that publishes under it."""

    domain: str
    organisation: Organisation
    doc_type: str | None = None


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that signals an event type."""

    event_type: str
    language: str
    phrase: str
    needs_context: bool = False


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text("utf-8")


def _rows(name: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(_data(name)))


def _lines(name: str) -> frozenset[str]:
    """The folded entries of a word list, one a line (blank lines and ``#`` comments skipped)."""
    return frozenset(fold(line) for line in _data(name).splitlines() if line.strip() and not line.startswith("#"))


def _phrases(section: Mapping[str, list[object]] | None) -> list[str]:
    """The English then the Arabic phrases of a section of the trigger file."""
    section = section or {}
    return [str(phrase) for phrase in (section.get("en") or []) + (section.get("ar") or [])]


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def _float(cell: str | None) -> float | None:
    try:
        return float(cell) if cell else None
    except ValueError:
        return None


_KIND_BY_LEVEL = {0: "country", 1: "governorate", 2: "city", 3: "city", 4: "city", 5: "other"}
_RANK_BY_LEVEL = {0: RANK_COUNTRY, 1: RANK_GOVERNORATE, 2: RANK_DISTRICT, 3: RANK_SUBDISTRICT,
                  4: RANK_COMMUNITY, 5: RANK_NEIGHBOURHOOD}


class KnowledgeBase:
    """The loaded knowledge base (read-only after construction)."""

    def __init__(self) -> None:
        self.ambiguous: frozenset[str] = _lines("ambiguous_names.txt")
        places: dict[str, Place] = {}
        self.place_lexicon: Lexicon[Place] = Lexicon(strict_article=True)
        admin = list(_rows("admin.csv"))
        self._load_facilities(places)
        self._load_extra_places(places, admin)
        self._load_admin(places, admin)
        self.places: Mapping[str, Place] = MappingProxyType(places)

        actors: dict[str, Actor] = {}
        self.actor_lexicon: Lexicon[Actor] = Lexicon()
        for row in _rows("actors.csv"):
            actor = actors[row["id"]] = Actor(row["id"], row["label_en"], row["label_ar"])
            self.actor_lexicon.add_all(_split(row["cues_en"]) + _split(row["cues_ar"]), actor)
        self.actors: Mapping[str, Actor] = MappingProxyType(actors)

        organisations: dict[str, Organisation] = {}
        self.organisation_lexicon: Lexicon[Organisation] = Lexicon(strict_article=True)
        for row in _rows("organisations.csv"):
            actor_id = row.get("actor") or None
            if actor_id and actor_id not in self.actors:
                raise ValueError(f"organisation {row['id']} names an unknown actor {actor_id}")
            organisation = Organisation(row["id"], row["name_en"], row["name_ar"], row["category"], actor_id)
            organisations[organisation.id] = organisation
            self.organisation_lexicon.add_all(
                [organisation.name_en] + _split(row["aliases_en"]) + _split(row["aliases_ar"]), organisation)
        self.organisations: Mapping[str, Organisation] = MappingProxyType(organisations)

        publishers: dict[str, Publisher] = {}
        for row in _rows("publishers.csv"):
            publishers[row["domain"].lower()] = Publisher(
                row["domain"].lower(), organisations[row["org_id"]], row.get("doc_type") or None)
        self.publishers: Mapping[str, Publisher] = MappingProxyType(publishers)
        self._publisher_labels: dict[str, Publisher] = {}
        for domain, publisher in publishers.items():
            self._publisher_labels.setdefault(domain.split(".")[0], publisher)

        self.person_lexicon: Lexicon[str] = Lexicon(strict_article=True)
        for row in _rows("persons.csv"):
            self.person_lexicon.add_all(
                [row["name_en"], row["name_ar"]] + _split(row["aliases_en"]) + _split(row["aliases_ar"]), row["id"])
        self.first_names: frozenset[str] = _lines("first_names.txt")

        raw = yaml.safe_load(_data("event_triggers.yaml"))
        self.irrealis_lexicon: Lexicon[str] = Lexicon()
        self.irrealis_lexicon.add_all(_phrases(raw.pop("_irrealis", None)), "irrealis")
        self.context_lexicon: Lexicon[str] = Lexicon()
        self.context_lexicon.add_all(_phrases(raw.pop("_context", None)), "context")
        triggers: list[Trigger] = []
        self.trigger_lexicon: Lexicon[Trigger] = Lexicon()
        self._trigger_types: dict[str, tuple[str, ...]] = {}
        self._trigger_types_raw: dict[str, tuple[str, ...]] = {}
        for event_type, by_language in raw.items():
            for language in ("en", "ar"):
                for written in by_language.get(language) or []:
                    phrase = str(written).lstrip("~")
                    trigger = Trigger(str(event_type), language, phrase, str(written).startswith("~"))
                    triggers.append(trigger)
                    # Several event types may share a phrase: the lexicon keeps the first, and
                    # trigger_types() gives all of them.
                    self.trigger_lexicon.add(phrase, trigger)
                    key = fold(phrase)
                    types = self._trigger_types.get(key, ())
                    if trigger.event_type not in types:
                        self._trigger_types[key] = types + (trigger.event_type,)
        self.triggers: tuple[Trigger, ...] = tuple(triggers)

    # -- loading -------------------------------------------------------------------------------------

    def _add_place(self, places: dict[str, Place], place: Place, names: list[str], rank: int) -> None:
        places.setdefault(place.id, place)
        for name in [variant for written in names for variant in spelling_variants(written)]:
            folded = fold(name)
            if not folded:
                continue
            weak = place.weak or (folded in self.ambiguous and place.kind != "facility")
            entry = place if weak == place.weak else Place(**{**place.__dict__, "weak": weak})
            self.place_lexicon.add(name, entry, rank=rank + (10 if weak else 0))

    def _load_facilities(self, places: dict[str, Place]) -> None:
        overrides = {row["id"]: row for row in _rows("facility_overrides.csv")}
        for source in ("facilities.csv", "facilities_extra.csv"):
            for row in _rows(source):
                override = overrides.get(row["id"], {})
                dropped = {fold(name) for name in _split(override.get("drop_aliases"))}
                name_en = override.get("canonical_en") or row["name_en"]
                name_ar = override.get("canonical_ar") or row["name_ar"]
                place = Place(
                    id="fac:" + row["id"].removeprefix("sy-det-"), kind="facility", name_en=name_en,
                    name_ar=name_ar, pcode=row.get("governorate_pcode") or None,
                    lat=_float(row.get("lat")), lon=_float(row.get("lon")), admin1=row.get("governorate_pcode") or None,
                    agency=row.get("agency") or None,
                    locality=("loc:" + row["locality_pcode"]) if row.get("locality_pcode") else None)
                names = [name_en, name_ar, row["name_en"], row["name_ar"]]
                names += _split(row["aliases_en"]) + _split(row["aliases_ar"])
                names += _split(override.get("add_aliases_en")) + _split(override.get("add_aliases_ar"))
                names = [name for name in names if fold(name) not in dropped]
                self._add_place(places, place, names, RANK_FACILITY)

    def _load_extra_places(self, places: dict[str, Place], admin: list[dict[str, str]]) -> None:
        # A landmark or square placed by its city's p-code (``C1001``) lies in that city's governorate.
        governorates = {row["pcode"]: row["admin1_pcode"] for row in admin if row.get("admin1_pcode")}
        for row in _rows("places_extra.csv"):
            kind = row["kind"]
            pcode = row.get("pcode") or None
            place = Place(row["id"], kind, row["name_en"], row["name_ar"], pcode,
                          _float(row.get("lat")), _float(row.get("lon")), admin1=governorates.get(pcode or ""))
            rank = {"country": RANK_COUNTRY, "city": RANK_CITY}.get(kind, RANK_OTHER)
            names = [row["name_en"], row["name_ar"]] + _split(row["aliases_en"]) + _split(row["aliases_ar"])
            self._add_place(places, place, names, rank)

    def _load_admin(self, places: dict[str, Place], admin: list[dict[str, str]]) -> None:
        overrides = {row["pcode"]: row for row in _rows("admin_overrides.csv")}
        for row in admin:
            pcode, level = row["pcode"], int(row["level"])
            override = overrides.get(pcode, {})
            capital = row.get("capital_level") or ""
            is_town = level == 4 and capital in ("1", "2", "3")
            kind = _KIND_BY_LEVEL[level]
            if level == 4 and capital == "1":
                rank = RANK_CITY
            elif is_town:
                rank = RANK_CITY + 1
            else:
                rank = _RANK_BY_LEVEL[level]
            weak = (level == 4 and not is_town) or level in (2, 3)
            if override:
                weak = False
            name_en = override.get("canonical_en") or _with_article(row["name_en"])
            place = Place(
                id=("adm:" if level < 4 else "loc:") + pcode, kind=kind, name_en=name_en, name_ar=row["name_ar"],
                pcode=pcode, lat=_float(row["lat"]), lon=_float(row["lon"]), level=level, weak=weak,
                admin1=row.get("admin1_pcode") or None)
            names = [row["name_en"], row["name_ar"]] + _split(row["alt_names_en"]) + _split(row["alt_names_ar"])
            names = [name for name in names if not _is_admin_prefixed(name)]
            if override:
                names = _split(override.get("add_aliases_en")) + _split(override.get("add_aliases_ar")) + names
            self._add_place(places, place, names, rank)

    # -- look-ups ------------------------------------------------------------------------------------

    def trigger_types(self, phrase: str) -> tuple[str, ...]:
        """Every event type whose trigger list holds ``phrase`` (as declared, folded)."""
        types = self._trigger_types_raw.get(phrase)
        if types is None:
            types = self._trigger_types_raw[phrase] = self._trigger_types.get(fold(phrase), ())
        return types

    def publisher_for_url(self, url: str | None) -> Publisher | None:
        """The publisher behind a URL's domain (``www.`` and sub-domains fall back to the parent domain)."""
        if not url:
            return None
        try:
            host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        except ValueError:
            return None
        host = host.removeprefix("www.")
        parts = host.split(".")
        for index in range(len(parts) - 1):
            publisher = self.publishers.get(".".join(parts[index:]))
            if publisher:
                return publisher
        # A mirror or a national domain of a known publisher ("amnesty.org.uk", "ohchr.example.net"):
        # a label of the host equal to the distinctive first label of a registered domain.
        for label in parts[:-1]:
            publisher = self._publisher_labels.get(label)
            if publisher and len(label) >= 5:
                return publisher
        return None

    def ancestors(self, place_id: str) -> list[str]:
        """Ids of the places that contain a place: a facility's town, then its governorate."""
        place = self.places.get(place_id)
        if place is None:
            return []
        found = [place.locality] if place.locality and place.locality != place_id else []
        governorate = f"adm:{place.admin1}" if place.admin1 else None
        if governorate and governorate != place_id and governorate in self.places:
            found.append(governorate)
        return [identifier for identifier in found if identifier]

    def place_by_name(self, name: str) -> Place | None:
        """The place a written name resolves to (strong entries first), or ``None``."""
        return self.place_lexicon.whole(name)

    def organisation_by_name(self, name: str) -> Organisation | None:
        """The organisation a written name resolves to, or ``None``."""
        return self.organisation_lexicon.whole(name)


_JOINABLE = ("كفر", "عين", "تل", "دير", "بيت", "ابو", "أبو", "ام", "أم", "راس", "رأس", "خربة", "جسر")


def spelling_variants(name: str) -> list[str]:
    """A name and the other ways Arabic writers commonly spell it.

    "كفر نبل" is also written "كفرنبل" (compounds with كفر، عين، تل، دير ...), and "X في حلب" also
    "X بحلب" or "X ب حلب".
    """
    variants = [name]
    words = name.split()
    if len(words) >= 2 and words[0] in _JOINABLE:
        variants.append(words[0] + " ".join(words[1:]))
    if " في " in name:
        head, _, tail = name.partition(" في ")
        variants.append(f"{head} ب{tail}")
    variants += [variant for variant in _english_variants(name) if variant not in variants]
    return variants


# The Arabic article as English transliterations write it: "al-", "el-", or assimilated to a sun
# letter ("At Tall", "as-Sanamayn", "Ar Raqqah").
_EN_ARTICLE = re.compile(r"(?:[Aa]l|[Ee]l|[Aa][tdsrzn]|[Aa]sh)[- ](?=[A-Z])")


def _with_article(name: str) -> str:
    """An English name with the article as most English writers spell it ("At Tall" reads "Al-Tall")."""
    match = _EN_ARTICLE.match(name)
    return f"Al-{name[match.end():]}" if match and name.isascii() else name


def _english_variants(name: str) -> list[str]:
    """Other ways English writers transliterate one Arabic place name.

    The article is written "al-" or "Al-" whatever the letter after it ("At Tall" is also "al-Tall"),
    and a doubled consonant (a shadda) is often written single ("al-Tall" and "al-Tal").
    """
    if not name.isascii() or not name[:1].isalpha():
        return []
    match = _EN_ARTICLE.match(name)
    bases = [name[match.end():]] if match else [name]
    collapsed = re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", bases[0])
    if collapsed != bases[0] and len(collapsed) >= 3:
        bases.append(collapsed)
    found: list[str] = []
    for base in bases:
        forms = [f"al-{base}", f"Al-{base}"] if match else [base]
        found += [form for form in forms if form != name]
    return found


_ADMIN_PREFIXES = ("ناحية ", "منطقة ", "مركز ", "nahiyat ", "nāḩiyat ", "markaz ")


def _is_admin_prefixed(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(_ADMIN_PREFIXES) or lowered.endswith((" subdistrict", " district"))


@cache
def knowledge() -> KnowledgeBase:
    """The knowledge base, loaded on first use and shared afterwards."""
    return KnowledgeBase()
