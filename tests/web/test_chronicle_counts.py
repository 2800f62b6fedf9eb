"""The chronicle and the map counted by the database agree with the incident facts computed one by one.

A seeded archive of incidents whose reports disagree (dates to the day, month or year or none, places,
event types), some linked as ``possible``, some rejected or confirmed by a reviewer, some on restricted
or confidential records, some origin reports saying nothing (so the stored row stands for them). For
each kind of reader, the per-month and per-place counts of ``aggregate.tallies`` must equal those of
``visible_facts`` + ``incident_day``; a month's candidates must hold every incident of that month; and
the chronicle's months, days and map counts must be what the facts say. A month longer than a page is
read in parts that are disjoint and together the whole month, for each reader.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import Client
from django.utils import timezone

from dhakira_web.archive import chronicle
from dhakira_web.archive.chronicle import chronicle_payload, dated_incidents, incident_day
from dhakira_web.archive.geography import map_payload
from dhakira_web.archive.incidents import visible_facts
from dhakira_web.archive.incidents.aggregate import month_candidates, tallies
from dhakira_web.archive.models import Incident, IncidentReport, Place, Record

PLACES = [("fac:hama-central-prison", "SY05"), ("fac:adra-prison", "SY03"), ("fac:saydnaya-prison", "SY03"), ("gov:aleppo", "SY02")]
KINDS = ["storming", "hunger_strike", "death_in_custody", "release", "tear_gas"]


def _date(rng: random.Random) -> str:
    year, month, day = rng.choice([2015, 2016]), rng.choice([1, 2, 12]), rng.choice([1, 15, 28])
    return rng.choice([f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", str(year), ""])


def _build(seed: int, incidents: int = 60) -> None:
    rng = random.Random(seed)
    places = [Place.objects.create(key=key, name_en=key, kind="facility" if key.startswith("fac:") else "governorate",
                                   governorate_pcode=pcode) for key, pcode in PLACES]
    number = 0
    for _ in range(incidents):
        incident = Incident.objects.create(event_types=rng.sample(KINDS, rng.randint(0, 2)), place=rng.choice([*places, None]),
                                           date=_date(rng))
        for position in range(rng.randint(1, 5)):
            number += 1
            text = f"report {number} of a synthetic incident"
            record = Record.objects.create(
                code=f"C-{number}", title=text, document_type="report", issue_date=_date(rng)[:10], language="en",
                languages=["en"], captured_at=timezone.now(), sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text),
                media_type="text/plain", text=text, access_level=rng.choice(["public", "public", "restricted", "confidential"]))
            reported: dict[str, Any] = {}
            if rng.random() < 0.8:
                reported["date"] = _date(rng)
            if rng.random() < 0.8:
                reported["place_id"] = rng.choice(PLACES)[0]
            if rng.random() < 0.8:
                reported["event_types"] = rng.sample(KINDS, rng.randint(0, 3))
            IncidentReport.objects.create(incident=incident, record=record, position=position, reported=reported,
                                          decision="origin" if position == 0 else rng.choice(["same", "same", "possible"]),
                                          review=rng.choice(["", "", "", "confirmed", "rejected"]))


def _reader(role: str | None) -> Any:
    if role is None:
        return AnonymousUser()
    user = User.objects.create(username=f"{role}-reader")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return User.objects.get(pk=user.pk)


def _expected(user: Any, kind: str | None = None) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for facts in visible_facts(user).values():
        if kind is None or kind in facts.event_types:
            counts[(incident_day(facts)[:7], facts.place_key)] += 1
    return counts


@pytest.mark.parametrize("seed", [3, 17])
def test_counts_by_the_database_equal_the_facts_of_each_incident(db: None, seed: int) -> None:
    _build(seed)
    for role in (None, "viewer", "reviewer"):
        user = _reader(role)
        counted = Counter({(row.month, row.place): row.count for row in tallies(user)})
        assert counted == _expected(user), role
        for kind in ("storming", "tear_gas"):
            assert Counter({(row.month, row.place): row.count for row in tallies(user, kind)}) == _expected(user, kind)
        by_month: dict[str, set[int]] = {}
        for pk, facts in visible_facts(user).items():
            by_month.setdefault(incident_day(facts)[:7], set()).add(pk)
        for month, ids in by_month.items():
            if month:
                assert ids <= month_candidates(user, month), (role, month)


@pytest.mark.parametrize("filters", [{}, {"governorate": "SY03"}, {"facility": "fac:hama-central-prison"}, {"event_type": "storming"}])
def test_chronicle_months_and_days_are_those_of_the_facts(db: None, filters: dict[str, str]) -> None:
    _build(5)
    for role in (None, "reviewer"):
        user = _reader(role)
        everything = dated_incidents(user, filters)
        months = Counter(item.month for item in everything)
        payload = chronicle_payload(user, None, filters)
        assert payload["months"] == [{"month": month, "count": months[month]} for month in sorted(months, reverse=True)]
        for month in [month for month in months if len(month) == 7][:4]:  # a year alone is listed, not a page
            page = chronicle_payload(user, month, filters)
            shown = sorted((item["day"], item["id"]) for day in page["days"] for item in day["incidents"])
            assert shown == sorted((item.day, item.id) for item in everything if item.month == month), (role, month)


def test_map_counts_incidents_at_the_place_most_visible_reports_give(db: None) -> None:
    _build(11)
    for role in (None, "viewer"):
        user = _reader(role)
        facts = visible_facts(user)
        by_place = Counter(item.place_key for item in facts.values() if item.place_key)
        payload = map_payload(user)
        governorates = {row["pcode"]: row["incidents"] for row in payload["governorates"]}
        pcodes = dict(PLACES)
        expected = Counter()
        for key, count in by_place.items():
            expected[pcodes[key]] += count
        assert {pcode: count for pcode, count in governorates.items() if count} == dict(expected)


def _longest_month(user: Any) -> tuple[str, list[tuple[str, int]]]:
    """The month (to the month) with the most incidents ``user`` may see, and its (day, id) in the chronicle's order."""
    everything = dated_incidents(user)
    months = Counter(item.month for item in everything if len(item.month) == 7)
    month = max(sorted(months), key=months.__getitem__)
    return month, sorted((item.day, item.id) for item in everything if item.month == month)


def test_a_long_month_is_read_in_parts_disjoint_and_together_complete(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(5, incidents=90)
    monkeypatch.setattr(chronicle, "PART_SIZE", 4)
    for role in (None, "viewer", "reviewer"):
        user = _reader(role)
        month, expected = _longest_month(user)
        assert len(expected) > 8, role  # at least three parts
        seen: list[tuple[str, int]] = []
        part = 1
        while True:
            page = chronicle_payload(user, month, {}, part=part)
            shown = [(item["day"], item["id"]) for day in page["days"] for item in day["incidents"]]
            assert 0 < len(shown) <= 4 and page["part"] == part and page["count"] == len(expected), (role, part)
            assert (page["first"], page["last"]) == (len(seen) + 1, len(seen) + len(shown))
            assert [day["day"] for day in page["days"]] == sorted({day for day, _ in shown})
            seen += shown
            assert page["previous_part_url"] == (None if part == 1 else f"/chronicle?month={month}" + (f"&part={part - 1}" if part > 2 else ""))
            if page["next_part_url"] is None:
                break
            assert page["next_part_url"] == f"/chronicle?month={month}&part={part + 1}"
            part += 1
        assert seen == expected, role  # in order, none twice, none missing, none the reader may not see
        assert page["parts"] == part == -(-len(expected) // 4)
        assert chronicle_payload(user, month, {}, part=part + 5)["days"] == page["days"]  # past the end: the last part
        listed = {row["month"]: row["count"] for row in chronicle_payload(user, month)["months"]}
        assert listed[month] == len(expected)


def test_parts_of_a_month_in_the_page_and_its_json_with_a_filter(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(5, incidents=90)
    monkeypatch.setattr(chronicle, "PART_SIZE", 3)
    visitor = AnonymousUser()
    everything = [item for item in dated_incidents(visitor, {"governorate": "SY03"}) if len(item.month) == 7]
    months = Counter(item.month for item in everything)
    month = max(sorted(months), key=months.__getitem__)
    expected = sorted((item.day, item.id) for item in everything if item.month == month)
    assert len(expected) > 3
    client, seen = Client(), []
    address: str | None = f"/chronicle?governorate=SY03&month={month}"
    while address:
        data = client.get(address + "&format=json").json()
        seen += [(item["day"], item["id"]) for day in data["days"] for item in day["incidents"]]
        html = client.get(address).content.decode()
        assert f"Incidents this month: {len(expected)}" in html
        assert f"Shown here: {data['first']}–{data['last']}" in html
        assert ("Later days of this month" in html) == (data["next_part_url"] is not None)
        assert data["filters"] == {"governorate": "SY03"}
        address = data["next_part_url"]
    assert seen == expected
    second = client.get("/api/chronicle", {"month": month, "governorate": "SY03", "part": 2}).json()
    assert [(item["day"], item["id"]) for day in second["days"] for item in day["incidents"]] == expected[3:6]
    arabic = Client()
    arabic.cookies["django_language"] = "ar"
    page = arabic.get(f"/chronicle?governorate=SY03&month={month}").content.decode()
    assert f"حوادث هذا الشهر: {len(expected)}" in page and "الأيام اللاحقة من هذا الشهر" in page
    assert client.get(f"/chronicle?governorate=SY03&month={month}&part=x&format=json").json()["part"] == 1
