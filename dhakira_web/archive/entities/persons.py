"""Person entities: mentions resolved across records, every merge explained and reversible, protection first.

A record's person mentions (from extraction) are matched against the persons that share their
blocking key (:func:`dhakira.persons.name_key`) or knowledge-base id, with the record's context
(places, year, organisations, role); the best candidate the matcher calls the same person gets the
mention (``decision="merged"`` with score and features), otherwise a new person starts. Names of
one part never join a person of another record.

Protection: a person named as a detainee, victim, witness or relative (or with no role found) in a
record that is not public takes that record's access level; otherwise they are public. A
reviewer's choice of level (audited) is kept from then on.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from dhakira.persons import PersonContext, compare, known_persons, name_key, parse_name
from dhakira.schema import vocabulary
from dhakira.text import normalise
from dhakira_web.archive import audit
from dhakira_web.archive.entities.search import refresh_person_keys
from dhakira_web.archive.models import Person, PersonMention, Record

PROTECTED_ROLES = frozenset(entry.id for entry in vocabulary("person_roles") if entry.get("protected"))
LEVELS = [entry.id for entry in sorted(vocabulary("access_levels"), key=lambda entry: entry.get("rank"))]
MAX_CANDIDATES = 200
QUOTE_WIDTH = 120


def quote_around(text: str, start: int, end: int, width: int = QUOTE_WIDTH) -> str:
    """The sentence (or up to ``width`` characters on each side) around a span."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    before = text[left:start]
    after = text[end:right]
    for mark in (".", "؟", "!", "\n", "،"):
        position = before.rfind(mark)
        if position >= 0 and mark in ".؟!\n":
            before = before[position + 1:]
            break
    for index, char in enumerate(after):
        if char in ".؟!\n":
            after = after[:index + 1]
            break
    return (before + text[start:end] + after).strip()


def record_context(record: Record, role: str | None, base: dict[str, list[Any]] | None = None) -> dict[str, list[Any]]:
    """What a record says around its persons: place keys with their governorates, year, organisations, role.

    ``base`` is the record's context already read (one reading per record, whatever its number of mentions).
    """
    if base is not None:
        return {**base, "roles": [role] if role else []}
    places: set[str] = set()
    for key, governorate in record.places.values_list("key", "governorate_pcode"):
        places.add(key)
        if governorate:
            places.add(governorate)
    years = [int(record.issue_date[:4])] if record.issue_date[:4].isdigit() else []
    organisations = list(record.organisations.values_list("key", flat=True))
    if record.issuer_organisation_id:
        organisations.append(record.issuer_organisation.key if record.issuer_organisation else "")
    return {"places": sorted(places), "years": years, "organisations": sorted(set(organisations) - {""}),
            "roles": [role] if role else []}


def _merged_context(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {name: sorted({*old.get(name, []), *new.get(name, [])}) for name in ("places", "years", "organisations", "roles")}


def default_level(person: Person) -> str:
    """The access level the protection rule gives a person, from the records that name them."""
    level = "public"
    for role, record_level in person.mentions.values_list("role", "record__access_level"):
        if record_level != "public" and (not role or role in PROTECTED_ROLES):
            if LEVELS.index(record_level) > LEVELS.index(level):
                level = record_level
    return level


def apply_protection(person: Person) -> bool:
    """Set the person's access level by the protection rule, unless a reviewer has chosen it; True when it changed."""
    if person.access_reviewed:
        return False
    level = default_level(person)
    if level == person.access_level:
        return False
    person.access_level = level
    person.save(update_fields=["access_level"])
    return True


def reindex_naming(persons: list[Person], exclude: Record | None = None) -> None:
    """Index again every record naming one of ``persons`` (after their access level changed): a protected
    person's name is masked in what the public reads, so it must leave the public index too."""
    from dhakira_web.archive.protection.services import reindex

    records = Record.objects.filter(person_mentions__person__in=persons).distinct()
    for record in records.exclude(pk=exclude.pk) if exclude is not None else records:
        reindex(record)


def _candidates(parsed_key: str, kb_id: str | None, single: bool, record: Record) -> list[Person]:
    query = Q(key=parsed_key) if parsed_key else Q(pk__in=[])
    if kb_id:
        query |= Q(kb_id=kb_id)
    found = list(Person.objects.filter(query).order_by("id")[:MAX_CANDIDATES])
    if single:  # a lone name joins only the same name in the same record
        return [person for person in found if person.mentions.filter(record=record).exists()]
    return found


def _best_match(name: str, context: dict[str, Any], candidates: list[Person]) -> tuple[Person | None, float, dict[str, Any]]:
    best: tuple[Person | None, float, dict[str, Any]] = (None, 0.0, {})
    mine = PersonContext.of(context)
    known = known_persons()
    for person in candidates:
        theirs = PersonContext.of(person.context)
        for spelling in person.names or [person.name]:
            result = compare(name, spelling, mine, theirs, known=known)
            if result.same and result.score > best[1]:
                best = (person, result.score, {**result.features, "matched": spelling, "reason": result.reason})
    return best


def resolve_mention(record: Record, entry: dict[str, Any], base: dict[str, list[Any]] | None = None) -> Person | None:
    """Attach one extracted person entry of ``record`` to a person (matched or new); None for an empty name."""
    name = (entry.get("text") or "").strip()[:300]
    parsed = parse_name(name)
    if not name or not parsed.parts:
        return None
    role = entry.get("role") or ""
    context = record_context(record, role or None, base)
    key = name_key(name)[:120]
    kb_id = known_persons().get(" ".join(part.sound for part in parsed.parts)) or entry.get("id") or ""
    single = len(parsed.parts) == 1
    if single:
        existing = (Person.objects.filter(normalised_name=normalise(name)[:300], mentions__record=record).first())
        person, score, features = (existing, 1.0, {"same_record": True}) if existing else (None, 0.0, {})
    else:
        person, score, features = _best_match(name, context, _candidates(key, kb_id or None, single, record))
    if person is None:
        person = Person.objects.create(name=name, normalised_name=normalise(name)[:300], key=key, kb_id=kb_id,
                                       names=[name], context=context, access_level="public")
        decision, score, features = "new", 1.0, {}
    else:
        decision = "merged"
        if name not in person.names:
            person.names = [*person.names, name]
        person.context = _merged_context(person.context or {}, context)
        if kb_id and not person.kb_id:
            person.kb_id = kb_id
        person.save(update_fields=["names", "context", "kb_id"])
    mentions = [PersonMention(person=person, record=record, name=name, start=start, end=end, role=role,
                              quote=quote_around(record.text, start, end), decision=decision, score=score,
                              features=features) for start, end in entry.get("spans") or [[0, 0]]]
    PersonMention.objects.bulk_create(mentions)
    return person


class ProtectionChanged(Exception):
    """A person's access level changed while records were written in bulk: the batch is written again one record at a time."""


def resolve_record_persons(record: Record, extraction: dict[str, Any], *, in_batch: bool = False) -> list[Person]:
    """Resolve every person mention of a record; link the record to its persons; apply the protection rule.

    ``in_batch``: the record is one of several written in bulk, whose facets and search entries are not all
    written yet, so other records cannot be indexed again here: a change of protection that reaches another
    record raises ``ProtectionChanged``."""
    persons: dict[int, Person] = {}
    entries = extraction.get("persons") or []
    base = record_context(record, None) if entries else None
    for entry in entries:
        person = resolve_mention(record, entry, base)
        if person is not None:
            persons[person.pk] = person
    record.persons.add(*persons.values())
    # The rule gives a person the highest level among the records naming them, so a public record's mention never
    # changes it: the rule is applied again only for a record that is not public. (It reads every mention of the
    # person: for a person named in thousands of public records, that reading grew with the archive at each one.)
    changed = [person for person in persons.values() if apply_protection(person)] if record.access_level != "public" else []
    if changed and in_batch and Record.objects.filter(person_mentions__person__in=changed).exclude(pk=record.pk).exists():
        raise ProtectionChanged(", ".join(person.name for person in changed))
    if changed:  # the other records naming a newly protected person must leave the public index by that name
        reindex_naming(changed, exclude=record)
    return list(persons.values())


def reapply_protection(record: Record) -> list[Person]:
    """After a record's access level changes: the protection rule again for every person it names;
    returns the persons whose level changed."""
    return [person for person in Person.objects.filter(mentions__record=record).distinct() if apply_protection(person)]


@transaction.atomic
def separate_mentions(person: Person, record: Record, actor: str) -> Person:
    """A reviewer undoes a merge: the person's mentions in ``record`` become a person of their own (audited)."""
    mentions = list(person.mentions.filter(record=record))
    if not mentions or len(person.mentions.values("record").distinct()) < 2:
        raise ValueError("the person is named in this record only: nothing to separate")
    first = mentions[0]
    new = Person.objects.create(name=first.name, normalised_name=normalise(first.name)[:300], key=name_key(first.name)[:120],
                                names=sorted({mention.name for mention in mentions}),
                                context=record_context(record, first.role or None), access_level=person.access_level)
    PersonMention.objects.filter(pk__in=[mention.pk for mention in mentions]).update(person=new, decision="reviewed", score=1.0)
    record.persons.remove(person)
    record.persons.add(new)
    _refresh(person)
    _refresh(new)
    refresh_person_keys([record.pk])
    audit.append(actor, "person_separated", record=record, target=f"person:{person.pk}",
                 details={"from_person": person.pk, "to_person": new.pk, "mentions": [m.pk for m in mentions],
                          "features": first.features, "score": first.score})
    return new


@transaction.atomic
def merge_persons(keep: Person, other: Person, actor: str) -> Person:
    """A reviewer joins two persons the matcher kept apart (audited); ``other``'s mentions move to ``keep``."""
    if keep.pk == other.pk:
        raise ValueError("a person cannot be merged with itself")
    moved = list(other.mentions.values_list("pk", flat=True))
    records = list(Record.objects.filter(persons=other))
    PersonMention.objects.filter(pk__in=moved).update(person=keep, decision="reviewed")
    for record in records:
        record.persons.remove(other)
        record.persons.add(keep)
    keep.names = sorted({*keep.names, *other.names})
    keep.context = _merged_context(keep.context or {}, other.context or {})
    keep.save(update_fields=["names", "context"])
    audit.append(actor, "person_merged", target=f"person:{keep.pk}",
                 details={"kept": keep.pk, "merged": other.pk, "names": other.names, "mentions": moved})
    other.delete()
    _refresh(keep)
    refresh_person_keys([record.pk for record in records])
    return keep


def _refresh(person: Person) -> None:
    """Names and context recomputed from the person's mentions; then the protection rule."""
    rows = list(person.mentions.select_related("record").order_by("id"))
    person.names = list(dict.fromkeys(mention.name for mention in rows)) or person.names
    context: dict[str, Any] = {}
    for mention in rows:
        context = _merged_context(context, record_context(mention.record, mention.role or None))
    person.context = context
    person.name = person.names[0] if person.names else person.name
    person.save(update_fields=["names", "context", "name"])
    apply_protection(person)


def set_access_level(person: Person, level: str, actor: str) -> None:
    """A reviewer sets a person's access level (audited); the protection rule no longer changes it."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    previous = person.access_level
    person.access_level = level
    person.access_reviewed = True
    person.save(update_fields=["access_level", "access_reviewed"])
    audit.append(actor, "person_access_level", target=f"person:{person.pk}", details={"from": previous, "to": level})
    if previous != level:
        reindex_naming([person])
