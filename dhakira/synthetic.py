"""A synthetic corpus with known facts: seeded, reproducible Arabic and English reports of any number.

Each document reports one incident (an event type at a detention facility of the knowledge base, on a
day, with a count of people) as written by one organisation of the knowledge base, in Arabic or in
English, padded with context sentences to between about 1 and 8 KB. Several documents report the same
incident (in either language, from different organisations), so linking has real work to do. The facts
are written beside the documents, in a manifest (one JSON object per line) with the exact text and
character span of each in the document's text.

Every document is made from its own random stream (``seed`` and its number), so the first N documents
of a larger corpus are the N documents of a smaller one, byte for byte.

    from dhakira.synthetic import write_corpus
    write_corpus(Path("corpus"), 2000, seed=7)   # corpus/00000.txt … and corpus/manifest.jsonl
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dhakira.knowledge import knowledge

__all__ = ["Fact", "SyntheticDocument", "document", "documents", "write_corpus", "MANIFEST"]

MANIFEST = "manifest.jsonl"
BLOCK = 300  # documents that draw their incidents from one pool
REPORTS_PER_INCIDENT = 3  # about: a block's pool holds a third as many incidents as it has documents
FIRST_YEAR, LAST_YEAR = 2011, 2024

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول")

# Lead sentences per event type: {org}, {date}, {count} and {place} are the facts, each written once.
LEADS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hunger_strike": (
        ("{org} said that on {date} {count} detainees in {place} began a {event:hunger strike} against their detention "
         "without trial.",
         "On {date}, {count} prisoners held in {place} started an open {event:hunger strike}, {org} reported."),
        ("أفادت {org} بأن {count} معتقلاً في {place} بدأوا في {date} {event:إضراباً عن الطعام} احتجاجاً على احتجازهم دون محاكمة.",
         "في {date} أعلن {count} سجيناً في {place} {event:الإضراب المفتوح عن الطعام}، بحسب {org}."),
    ),
    "death_in_custody": (
        ("{org} documented that {count} detainees {event:died in custody} at {place} on {date}.",
         "On {date}, {count} prisoners {event:died in detention} in {place}, according to {org}."),
        ("وثقت {org} وفاة {count} معتقلين داخل {place} في {date} {event:تحت التعذيب}.",
         "في {date} توفي {count} معتقلين في {place} {event:تحت التعذيب}، وفق ما ذكرت {org}."),
    ),
    "release": (
        ("{org} confirmed that {count} detainees were {event:released} from {place} on {date}.",
         "On {date} the authorities {event:released} {count} prisoners from {place}, {org} said."),
        ("أكدت {org} {event:الإفراج عن} {count} معتقلاً من {place} في {date}.",
         "في {date} {event:أفرجت} السلطات عن {count} سجيناً من {place}، بحسب {org}."),
    ),
    "transfer": (
        ("{org} reported that {count} detainees were {event:transferred} out of {place} on {date} to an unknown destination.",
         "On {date}, {count} prisoners were {event:transferred} from {place}, {org} said."),
        ("ذكرت {org} أن {count} معتقلاً {event:نقلوا} من {place} في {date} إلى جهة مجهولة.",
         "في {date} تم {event:نقل} {count} سجيناً من {place}، بحسب {org}."),
    ),
    "storming": (
        ("{org} said that security forces {event:stormed} {place} on {date} and beat {count} detainees.",
         "On {date} riot police {event:stormed} the wings of {place}, injuring {count} prisoners, {org} reported."),
        ("قالت {org} إن قوات الأمن {event:اقتحمت} {place} في {date} واعتدت على {count} معتقلاً.",
         "في {date} {event:اقتحمت} قوات حفظ النظام أجنحة {place} وأصيب {count} سجيناً، بحسب {org}."),
    ),
    "enforced_disappearance": (
        ("{org} documented the {event:enforced disappearance} of {count} detainees last seen in {place} on {date}.",
         "{count} people held in {place} have been {event:forcibly disappeared} since {date}, {org} said."),
        ("وثقت {org} {event:الاختفاء القسري} لـ {count} معتقلاً شوهدوا آخر مرة في {place} في {date}.",
         "ما زال {count} معتقلاً من نزلاء {place} {event:مجهولي المصير} منذ {date}، بحسب {org}."),
    ),
    "torture": (
        ("{org} said that {count} detainees were {event:tortured} in {place} on {date}.",
         "On {date}, {count} prisoners in {place} were subjected to {event:torture}, {org} reported."),
        ("قالت {org} إن {count} معتقلاً تعرضوا {event:للتعذيب} في {place} في {date}.",
         "في {date} تعرض {count} سجيناً في {place} {event:للتعذيب}، وفق {org}."),
    ),
}

TITLES = (
    ("{event} at {place_short}", "Detainees of {place_short}: {event}", "Statement on {place_short}"),
    ("{event} في {place_short}", "معتقلو {place_short}: {event}", "بيان بشأن {place_short}"),
)
EVENT_NAMES = {
    "hunger_strike": ("Hunger strike", "إضراب عن الطعام"),
    "death_in_custody": ("Deaths in custody", "وفيات في الاحتجاز"),
    "release": ("Detainees released", "الإفراج عن معتقلين"),
    "transfer": ("Detainees transferred", "نقل معتقلين"),
    "storming": ("Prison stormed", "اقتحام السجن"),
    "enforced_disappearance": ("Detainees missing", "معتقلون مجهولو المصير"),
    "torture": ("Torture of detainees", "تعذيب معتقلين"),
}

# Context sentences are assembled from parts, so that two documents rarely share one (near-duplicate
# detection must not take different reports for copies); they carry no fact of the manifest.
CONTEXT_EN = (
    ("Relatives of the detainees", "Lawyers for several of them", "Former inmates", "Local activists",
     "Human rights monitors", "Families who travelled to the gates", "Witnesses interviewed later",
     "Doctors who examined some of them"),
    ("said", "told researchers", "explained", "stressed", "recalled", "confirmed", "wrote", "insisted"),
    ("that visits had been suspended for weeks", "that no charges had been brought",
     "that the cells were overcrowded and poorly ventilated", "that medical care was refused to the sick",
     "that names were read out at night without explanation", "that food rations had been cut",
     "that guards confiscated letters and medicine", "that court hearings were postponed again",
     "that the wing was cut off from the rest of the building", "that several people were held in isolation"),
    ("and asked for independent access.", "and called for the names to be published.",
     "while the authorities gave no comment.", "and feared reprisals.", "despite repeated requests.",
     "according to their accounts.", "and urged the committee to intervene.", "as earlier reports had warned."),
)
CONTEXT_AR = (
    ("ذوو المعتقلين", "محامو عدد منهم", "معتقلون سابقون", "ناشطون محليون", "مراقبو حقوق الإنسان",
     "عائلات وصلت إلى البوابة", "شهود تمت مقابلتهم لاحقاً", "أطباء عاينوا بعضهم"),
    ("قالوا", "أوضحوا", "أكدوا", "ذكروا", "شددوا", "كتبوا", "أشاروا", "رووا"),
    ("أن الزيارات معلقة منذ أسابيع", "أنه لم توجه أي تهم", "أن الزنازين مكتظة وسيئة التهوية",
     "أن الرعاية الطبية منعت عن المرضى", "أن الأسماء كانت تتلى ليلاً دون تفسير", "أن حصص الطعام قلصت",
     "أن الحراس صادروا الرسائل والأدوية", "أن الجلسات أجلت مرة أخرى", "أن الجناح عزل عن بقية المبنى",
     "أن عدداً منهم احتجز في زنازين منفردة"),
    ("وطالبوا بالسماح بزيارات مستقلة.", "ودعوا إلى نشر الأسماء.", "في حين لم تعلق السلطات.",
     "وأبدوا خشيتهم من الانتقام.", "رغم المطالبات المتكررة.", "بحسب شهاداتهم.", "وناشدوا اللجنة التدخل.",
     "كما حذرت تقارير سابقة."),
)
ORGANISATION_CATEGORIES = ("ngo", "humanitarian", "un")


@dataclass(frozen=True)
class Fact:
    """One known fact of a document: its name (place, date, …), its value, and where it is written."""

    name: str
    value: Any
    text: str
    start: int
    end: int


@dataclass
class SyntheticDocument:
    """A generated report: its file name, language, text, the incident it reports and its facts."""

    name: str
    language: str
    text: str
    incident: int
    facts: list[Fact] = field(default_factory=list)

    def manifest_row(self) -> dict[str, Any]:
        return {"file": self.name, "language": self.language, "incident": self.incident,
                "bytes": len(self.text.encode("utf-8")),
                "facts": [{"name": fact.name, "value": fact.value, "text": fact.text, "span": [fact.start, fact.end]}
                          for fact in self.facts]}


@cache
def _facilities() -> tuple[Any, ...]:
    places = knowledge().places.values()
    return tuple(sorted((place for place in places if place.kind == "facility" and place.name_ar), key=lambda p: p.id))


@cache
def _organisations() -> tuple[Any, ...]:
    chosen = (o for o in knowledge().organisations.values() if o.category in ORGANISATION_CATEGORIES and o.name_ar)
    return tuple(sorted(chosen, key=lambda o: o.id))


def _incident(seed: int, number: int) -> dict[str, Any]:
    """The facts of one incident of the pool: the same for every document that reports it."""
    rng = random.Random(f"dhakira-synthetic:{seed}:incident:{number}")
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    return {"event_type": rng.choice(sorted(LEADS)), "facility": rng.choice(_facilities()),
            "year": year, "month": rng.randint(1, 12), "day": rng.randint(1, 28), "count": rng.randint(3, 400)}


def _date_text(incident: dict[str, Any], arabic: bool) -> str:
    month = (MONTHS_AR if arabic else MONTHS_EN)[incident["month"] - 1]
    return f"{incident['day']} {month} {incident['year']}"


def _short(name: str) -> str:
    """A place's name without its parenthesised alternative, for titles."""
    return name.split(" (")[0]


class _Writer:
    """Appends text and keeps the span of each fact written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.facts: list[Fact] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def template(self, pattern: str, values: dict[str, tuple[str, Any]]) -> None:
        """Write ``pattern`` with its ``{slots}`` filled; each slot's value becomes a fact at its span."""
        rest = pattern
        while "{" in rest:
            before, _, tail = rest.partition("{")
            slot, _, rest = tail.partition("}")
            self.add(before)
            if slot.startswith("event:"):  # the event's trigger, written as it stands in the pattern
                text, value, name = slot.removeprefix("event:"), values["event"][1], "event_type"
            else:
                (text, value), name = values[slot], "organisation" if slot == "org" else slot
            self.facts.append(Fact(name, value, text, self.length, self.length + len(text)))
            self.add(text)
        self.add(rest)

    def text(self) -> str:
        return "".join(self.parts)


def _context_sentence(rng: random.Random, arabic: bool) -> str:
    return " ".join(rng.choice(part) for part in (CONTEXT_AR if arabic else CONTEXT_EN))


def document(number: int, *, seed: int = 7) -> SyntheticDocument:
    """Document ``number`` of the corpus of ``seed``."""
    rng = random.Random(f"dhakira-synthetic:{seed}:document:{number}")
    # Documents come in blocks that share a pool of incidents (news of an incident comes out close
    # together); a fifth report an incident of their own, so the number of reports per incident varies.
    block = number // BLOCK
    pool = BLOCK // REPORTS_PER_INCIDENT
    incident_number = block * BLOCK + rng.randrange(pool) if rng.random() < 0.8 else block * BLOCK + pool + number % BLOCK
    incident = _incident(seed, incident_number)
    arabic = rng.random() < 0.5
    language = "ar" if arabic else "en"
    facility = incident["facility"]
    organisation = rng.choice(_organisations())
    place_name = facility.name_ar if arabic else facility.name_en
    event = incident["event_type"]
    iso = f"{incident['year']:04d}-{incident['month']:02d}-{incident['day']:02d}"
    values: dict[str, tuple[str, Any]] = {
        "org": (organisation.name_ar if arabic else organisation.name_en, organisation.id),
        "date": (_date_text(incident, arabic), iso),
        "count": (str(incident["count"]), incident["count"]),
        "place": (place_name, facility.id),
        "event": ("", event),
    }
    writer = _Writer()
    title = rng.choice(TITLES[arabic]).format(event=EVENT_NAMES[event][arabic], place_short=_short(place_name))
    writer.add(title + "\n\n")
    published = datetime.date(incident["year"], incident["month"], incident["day"]) + datetime.timedelta(days=rng.randint(1, 20))
    published_text = f"{published.day} {(MONTHS_AR if arabic else MONTHS_EN)[published.month - 1]} {published.year}"
    writer.template("نشر في {published}\n\n" if arabic else "Published {published}\n\n",
                    {"published": (published_text, published.isoformat())})
    writer.template(rng.choice(LEADS[event][arabic]), values)
    target = int(1000 * 8 ** rng.random())  # 1 to 8 KB, smaller documents more often
    paragraph: list[str] = []
    while len(writer.text().encode("utf-8")) + sum(len(s.encode("utf-8")) + 1 for s in paragraph) < target:
        paragraph.append(_context_sentence(rng, arabic))
        if len(paragraph) >= rng.randint(2, 5):
            writer.add("\n\n" + " ".join(paragraph))
            paragraph = []
    if paragraph:
        writer.add("\n\n" + " ".join(paragraph))
    writer.add("\n")
    return SyntheticDocument(f"{number:06d}.txt", language, writer.text(), incident_number, writer.facts)


def documents(count: int, *, seed: int = 7) -> Iterator[SyntheticDocument]:
    """The ``count`` documents of the corpus of ``seed``, in order."""
    for number in range(count):
        yield document(number, seed=seed)


def write_corpus(folder: Path, count: int, *, seed: int = 7, manifest: Path | None = None) -> Path:
    """Write ``count`` documents (UTF-8 text files) into ``folder`` and their facts into ``manifest``
    (``folder/manifest.jsonl`` unless given elsewhere); returns the manifest's path."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = manifest or folder / MANIFEST
    with manifest.open("w", encoding="utf-8") as out:
        for item in documents(count, seed=seed):
            (folder / item.name).write_bytes(item.text.encode("utf-8"))
            out.write(json.dumps(item.manifest_row(), ensure_ascii=False, sort_keys=True) + "\n")
    return manifest
