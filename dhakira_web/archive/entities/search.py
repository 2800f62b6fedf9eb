"""Finding persons by a name typed in either script, and records by the names of the persons they name.

Candidates come from the blocking key (the consonant skeletons of the first and last name parts,
the same for «رزان زيتونة» and "Razan Zaitouneh"), then the matcher ranks them. A name of one part
returns every person with that part, best first, each with the context that tells them apart —
candidates, never one merged person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from dhakira.persons import compare, known_persons, parse_name, skeleton
from dhakira.persons.matching import part_similarity
from dhakira_web.archive import policy
from dhakira_web.archive.models import Person, PersonMention, SearchEntry
from dhakira_web.archive.search import key_token

CANDIDATES = 300
SINGLE_PART_FLOOR = 0.8
FULL_NAME_FLOOR = 0.62


def person_key(person_id: int) -> str:
    """The index key of a person on the records that name them."""
    return f"pid:{person_id}"


def _candidate_query(text: str) -> Q | None:
    parsed = parse_name(text)
    if not parsed.parts:
        return None
    first = skeleton(parsed.parts[0].sound)
    if not first:
        return None
    if len(parsed.parts) == 1:
        return Q(key=first) | Q(key__startswith=first + " ") | Q(key__endswith=" " + first)
    last = skeleton(parsed.parts[-1].sound)
    query = Q(key=f"{first} {last}") | Q(key__startswith=first + " ", key__endswith=" " + last)
    kb_id = known_persons().get(" ".join(part.sound for part in parsed.parts))
    if kb_id:
        query |= Q(kb_id=kb_id)
    return query


def _name_score(text: str, person: Person) -> float:
    parsed = parse_name(text)
    best = 0.0
    for spelling in person.names or [person.name]:
        if len(parsed.parts) == 1:
            other = parse_name(spelling)
            best = max([best, *(part_similarity(parsed.parts[0], part) for part in other.parts)])
        else:
            best = max(best, compare(parsed, spelling, known=known_persons()).score)
    return best


def search_persons(text: str, user: Any, *, limit: int = 20) -> list[dict[str, Any]]:
    """Persons the user may see whose names match ``text`` (either script), best first, with records and roles."""
    query = _candidate_query(text)
    if query is None:
        return []
    persons = list(policy.visible_persons(user).filter(query).order_by("id")[:CANDIDATES])
    single = len(parse_name(text).parts) == 1
    floor = SINGLE_PART_FLOOR if single else FULL_NAME_FLOOR
    scored = sorted(((score, person) for person in persons if (score := _name_score(text, person)) >= floor),
                    key=lambda item: (-item[0], item[1].pk))[:limit]
    return describe_persons([person for _, person in scored], user, scores={person.pk: score for score, person in scored})


def describe_persons(persons: list[Person], user: Any, *, scores: dict[int, float] | None = None) -> list[dict[str, Any]]:
    """The list entries of persons: names, the codes of the records the user may see, roles (one query)."""
    ids = [person.pk for person in persons]
    records: dict[int, list[str]] = {pk: [] for pk in ids}
    roles: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = (PersonMention.objects.filter(policy.record_condition(user, "record__"), person_id__in=ids)
            .order_by("record__issue_date", "record__code").values_list("person_id", "record__code", "role"))
    for person_id, code, role in rows:
        if code not in records[person_id]:
            records[person_id].append(code)
        if role and role not in roles[person_id]:
            roles[person_id].append(role)
    results = []
    for person in persons:
        entry: dict[str, Any] = {"id": person.pk, "name": person.name, "names": person.names or [person.name],
                                 "records": records[person.pk], "roles": roles[person.pk], "url": f"/persons/{person.pk}",
                                 "context": {"places": (person.context or {}).get("places", []),
                                             "years": (person.context or {}).get("years", [])}}
        if scores is not None:
            entry["score"] = round(scores.get(person.pk, 0.0), 3)
        results.append(entry)
    return results


def person_spans(words: list[tuple[int, int, str]], text: str) -> list[tuple[set[str], str]]:
    """For web search: public persons named by the query (two parts or more), as ``(covered words, key)``.

    Only public persons: a protected person's name never widens a search.
    """
    if len(words) < 2 or len(words) > 8:
        return []
    query = _candidate_query(text)
    if query is None or len(parse_name(text).parts) < 2:
        return []
    covered = {norm for _, _, norm in words}
    spans = []
    for person in Person.objects.filter(query, access_level="public").order_by("id")[:CANDIDATES]:
        if _name_score(text, person) >= 0.82:
            spans.append((covered, person_key(person.pk)))
    return spans


def refresh_person_keys(record_ids: list[int]) -> None:
    """Rewrite the person keys in the index entries of records after persons were merged or separated."""
    persons: dict[int, set[str]] = {pk: set() for pk in record_ids}
    for record_id, person_id in PersonMention.objects.filter(record_id__in=record_ids).values_list("record_id", "person_id"):
        persons[record_id].add(key_token(person_key(person_id)))
    prefix = key_token("pid:")
    for entry in SearchEntry.objects.filter(record_id__in=record_ids):
        kept = [token for token in entry.keys.split() if not token.startswith(prefix)]
        entry.keys = " ".join(sorted(persons[entry.record_id]) + kept)
        entry.save(update_fields=["keys"])
