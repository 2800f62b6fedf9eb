"""Person entities: one person across records and scripts, namesakes kept apart, merges explained and
reversible, protection by default."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dhakira_web.archive import policy
from dhakira_web.archive.entities.persons import merge_persons, separate_mentions, set_access_level
from dhakira_web.archive.models import AuditEntry, Person, Record

ARABIC = ("أفادت مصادر حقوقية يوم 3 آذار 2016 أن المعتقل مازن درويش نقل من سجن صيدنايا "
          "إلى فرع فلسطين في دمشق، بعد أشهر من اعتقاله.")
ENGLISH = ("Rights groups said on 4 March 2016 that detainee Mazen Darwish was moved from Saydnaya prison "
           "to the Palestine Branch in Damascus, months after his arrest.")


def _person_of(record: Record, written: str) -> Person:
    return Person.objects.get(mentions__record=record, mentions__name=written)


def test_one_person_across_scripts_and_records(add_record: Callable[..., Record]) -> None:
    arabic = add_record(ARABIC, name="ar.txt")
    english = add_record(ENGLISH, name="en.txt")
    person = _person_of(english, "Mazen Darwish")
    assert person == _person_of(arabic, "مازن درويش")
    assert set(person.names) == {"مازن درويش", "Mazen Darwish"}
    merged = person.mentions.get(record=english)
    assert merged.decision == "merged" and merged.score >= 0.8 and merged.features["given"] > 0.8
    assert merged.role == "detainee" and "Saydnaya" in merged.quote
    assert person.access_level == "public"  # named only in public records


def test_lone_names_never_join_across_records(add_record: Callable[..., Record]) -> None:
    first = add_record("قال الشاهد محمد إن الحراس ضربوا السجناء في سجن حماة المركزي يوم 2 أيار 2016.", name="a.txt")
    second = add_record("وأكد الطبيب محمد أن ثلاثة سجناء أصيبوا في سجن عدرا المركزي يوم 5 أيار 2016.", name="b.txt")
    ones = Person.objects.filter(mentions__record__in=[first, second], name="محمد").distinct()
    assert ones.count() in (0, 2)  # either not extracted at all, or two persons: never one


def test_protected_when_a_detainee_in_a_record_that_is_not_public(add_record: Callable[..., Record]) -> None:
    add_record(ENGLISH, name="en.txt")
    restricted = add_record(ARABIC, name="ar.txt", access="restricted")
    person = _person_of(restricted, "مازن درويش")
    assert person.access_level == "restricted"
    assert not policy.visible_persons(None).filter(pk=person.pk).exists()
    set_access_level(person, "public", "reviewer1")
    person.refresh_from_db()
    assert person.access_level == "public" and person.access_reviewed
    assert AuditEntry.objects.filter(action="person_access_level", target=f"person:{person.pk}").exists()


def test_a_reviewer_separates_and_merges_again(add_record: Callable[..., Record]) -> None:
    arabic = add_record(ARABIC, name="ar.txt")
    english = add_record(ENGLISH, name="en.txt")
    person = _person_of(english, "Mazen Darwish")
    apart = separate_mentions(person, english, "reviewer1")
    assert apart.pk != person.pk and _person_of(english, "Mazen Darwish") == apart
    assert _person_of(arabic, "مازن درويش") == person
    person.refresh_from_db()
    assert person.names == ["مازن درويش"]
    entry = AuditEntry.objects.get(action="person_separated")
    assert entry.details["from_person"] == person.pk and "given" in entry.details["features"]
    merge_persons(person, apart, "reviewer1")
    assert _person_of(english, "Mazen Darwish") == person
    assert AuditEntry.objects.filter(action="person_merged").exists()


def test_a_newly_protected_person_leaves_public_search_and_text(add_record: Callable[..., Record]) -> None:
    from dhakira_web.archive import payloads
    from dhakira_web.archive.protection.services import set_access

    public = add_record(ENGLISH, name="en.txt")
    assert public.code in {hit["code"] for hit in payloads.search_payload("Mazen Darwish", None)["results"]}
    add_record(ARABIC, name="ar.txt", access="restricted")  # the same detainee, named in a record that is not public
    assert payloads.search_payload("Mazen Darwish", None)["total"] == 0
    assert "Mazen Darwish" not in payloads.record_payload(Record.objects.get(pk=public.pk), None)["text"]
    restricted = Record.objects.get(access_level="restricted")
    set_access(restricted, "public", actor="reviewer1")  # now every record naming him is public: he is again
    assert public.code in {hit["code"] for hit in payloads.search_payload("Mazen Darwish", None)["results"]}


def test_a_protected_person_named_later_in_a_public_record_stays_protected_and_masked(add_record: Callable[..., Record]) -> None:
    from dhakira_web.archive import payloads

    restricted = add_record(ARABIC, name="ar.txt", access="restricted")
    person = _person_of(restricted, "مازن درويش")
    assert person.access_level == "restricted"
    public = add_record(ENGLISH, name="en.txt")  # the same detainee, named afterwards in a public record
    assert _person_of(public, "Mazen Darwish") == person
    person.refresh_from_db()
    assert person.access_level == "restricted"
    assert payloads.search_payload("Mazen Darwish", None)["total"] == 0
    assert "Mazen Darwish" not in payloads.record_payload(Record.objects.get(pk=public.pk), None)["text"]


def test_records_indexed_under_the_first_name_rule_are_indexed_again_by_every_spelling(
        add_record: Callable[..., Record], monkeypatch: pytest.MonkeyPatch) -> None:
    from dhakira_web.archive import payloads
    from dhakira_web.archive.protection.spellings import reindex_records_naming_protected_spellings

    with monkeypatch.context() as before:  # an archive indexed before migration 0018: the first name alone was masked
        before.setattr(policy, "_spellings", lambda name, names: {name})
        add_record(ARABIC, name="ar.txt", access="restricted")
        add_record(ENGLISH, name="en.txt")
        assert payloads.search_payload("Mazen Darwish", None)["total"] == 1
    assert reindex_records_naming_protected_spellings() == 2  # the two records naming him
    assert payloads.search_payload("Mazen Darwish", None)["total"] == 0
    assert reindex_records_naming_protected_spellings() == 2  # run again: the same records, nothing else changes
    assert payloads.search_payload("Mazen Darwish", None)["total"] == 0
