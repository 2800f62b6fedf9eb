"""Counts kept until the archive changes: the generation triggers, and tallies never stale nor shown across classes."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from dhakira_web.archive.counts.kept import generation, kept
from dhakira_web.archive.counts.models import ArchiveGeneration
from dhakira_web.archive.incidents.aggregate import tallies
from dhakira_web.archive.models import Incident, IncidentReport, Record


def _record(code: str, access: str = "public") -> Record:
    text = f"report {code} on a hunger strike"
    return Record.objects.create(code=code, title=text, document_type="report", issue_date="2016-05-06", language="en",
                                 languages=["en"], captured_at=timezone.now(), sha256=hashlib.sha256(text.encode()).hexdigest(),
                                 size=len(text), media_type="text/plain", text=text, access_level=access)


def _incident(record: Record) -> Incident:
    incident = Incident.objects.create(event_types=["hunger_strike"], date="2016-05-06")
    IncidentReport.objects.create(incident=incident, record=record, position=0, decision="origin",
                                  reported={"date": "2016-05-06", "event_types": ["hunger_strike"]})
    return incident


def _reviewer() -> User:
    user, _ = User.objects.get_or_create(username="kept-reviewer")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    return user


@pytest.mark.django_db(transaction=True)  # each change committed: PostgreSQL raises the generation as a change commits
def test_every_change_to_records_incidents_and_reports_raises_the_generation() -> None:
    ArchiveGeneration.objects.get_or_create(id=1)
    seen = [generation()]

    def raised() -> None:
        seen.append(generation())
        assert seen[-1] != seen[-2], seen

    record = _record("K-1")
    raised()
    incident = _incident(record)
    raised()
    Record.objects.filter(pk=record.pk).update(access_level="restricted")
    raised()
    IncidentReport.objects.filter(incident=incident).update(decision="possible")
    raised()
    Incident.objects.filter(pk=incident.pk).update(date="2016-05")
    raised()
    with connection.cursor() as cursor:  # a change made outside Django's models counts as well
        cursor.execute("DELETE FROM archive_incidentreport WHERE incident_id = %s", [incident.pk])
    raised()
    Incident.objects.filter(pk=incident.pk).delete()
    raised()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_the_generation_as_it_was() -> None:
    ArchiveGeneration.objects.get_or_create(id=1)
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        _record("K-2")
        raise RuntimeError("abandon the write")
    assert generation() == before
    with transaction.atomic():  # several changes in one transaction: raised at least once, when it commits
        _incident(_record("K-5"))
    assert generation() != before


@pytest.mark.django_db(transaction=True)
def test_tallies_are_kept_per_reader_class_and_recounted_after_a_change() -> None:
    ArchiveGeneration.objects.get_or_create(id=1)  # a flushed test database lost the row the migration wrote
    cache.clear()
    public, restricted = _record("K-3"), _record("K-4", access="restricted")
    _incident(public)
    _incident(restricted)
    reviewer, visitor = _reviewer(), AnonymousUser()
    assert sum(tally.count for tally in tallies(visitor)) == 1
    assert sum(tally.count for tally in tallies(reviewer)) == 2  # the reviewer's class is kept apart from the visitor's
    calls: list[int] = []
    assert kept("tallies", visitor, lambda: calls.append(1) or [], "") != []  # served from what was kept: not computed
    assert calls == []
    Record.objects.filter(pk=restricted.pk).update(access_level="public")
    assert sum(tally.count for tally in tallies(visitor)) == 2
    Record.objects.filter(pk=public.pk).update(access_level="confidential")
    assert sum(tally.count for tally in tallies(visitor)) == 1
    assert sum(tally.count for tally in tallies(reviewer)) == 2


@pytest.mark.django_db(transaction=True)
def test_the_browsing_total_and_facets_are_kept_per_reader_class_and_follow_every_change() -> None:
    from dhakira_web.archive.payloads import search_payload
    from dhakira_web.archive.protection import services as protection
    from dhakira_web.archive.services import ingest_bytes

    ArchiveGeneration.objects.get_or_create(id=1)
    cache.clear()
    added = [ingest_bytes(text.encode(), name=f"{number}.txt", access_level=access).record for number, (text, access) in enumerate([
        ("Detainees at Adra Prison began a hunger strike on 3 March 2021.", "public"),
        ("بدأ معتقلون في سجن عدرا إضراباً عن الطعام في 3 آذار 2021.", "public"),
        ("A restricted note on Saydnaya Prison written on 9 May 2019.", "restricted")])]
    reviewer, visitor = _reviewer(), AnonymousUser()

    def browse(user: object, **filters: str) -> tuple[int, dict[str, int]]:
        payload = search_payload("", user, facets=True, filters=filters)
        return payload["total"], {entry["value"]: entry["count"] for entry in payload["facets"].get("language", [])}

    assert browse(visitor) == (2, {"en": 1, "ar": 1})
    assert browse(reviewer) == (3, {"en": 2, "ar": 1})
    assert browse(visitor, language="ar")[0] == 1
    assert browse(visitor) == (2, {"en": 1, "ar": 1})  # kept: the visitor's class never got the reviewer's counts
    protection.set_access(added[0], "confidential", actor="tester", reason="a witness is named")
    assert browse(visitor) == (1, {"ar": 1})
    assert browse(reviewer) == (3, {"en": 2, "ar": 1})  # reviewers read confidential records too


@pytest.mark.django_db(transaction=True)
def test_signing_in_leaves_what_is_kept_but_an_audited_change_to_a_record_does_not() -> None:
    from django.test import Client

    from dhakira_web.archive import audit
    from dhakira_web.archive.accounts import add_user

    ArchiveGeneration.objects.get_or_create(id=1)
    add_user("kept-signer", "reviewer", password="a-long-test-password-7")
    record = _record("K-9")
    before = generation()
    assert Client().post("/login/", {"username": "kept-signer", "password": "a-long-test-password-7"}).status_code == 302
    Client().post("/login/", {"username": "kept-signer", "password": "wrong"})
    assert audit.AuditEntry.objects.filter(action__in=("login", "login_failed")).count() == 2
    assert generation() == before  # signing in is audited, but no page or count reads it
    audit.append("kept-signer", "review", record=record, details={"state": "reviewed"})
    assert generation() != before  # a record's history is read by its page
