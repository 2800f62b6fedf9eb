from __future__ import annotations

import re

import pytest

from dhakira_web.archive import blobs
from dhakira_web.archive.models import AuditEntry, IngestFailure, Record
from dhakira_web.archive.services import ingest_bytes


def test_ingest_keeps_original_assigns_code_and_logs_custody(add_record) -> None:
    record = add_record("Detainees in Adra Prison began a hunger strike on 3 March 2021.\n\nRelatives asked for news.")
    assert re.fullmatch(r"DHK-\d{4}-[0-9A-HJKMNP-TV-Z]{8}", record.code)
    assert blobs.read(record.sha256).startswith(b"Detainees in Adra Prison")
    assert record.text.startswith("Detainees in Adra Prison")
    assert list(AuditEntry.objects.filter(record=record).values_list("action", flat=True)) == ["collected", "hashed", "text_extracted"]


def test_same_bytes_twice_make_no_second_record(db) -> None:
    data = b"Prisoners were transferred from Homs Central Prison to Saydnaya."
    first = ingest_bytes(data, name="a.txt")
    second = ingest_bytes(data, name="copy-of-a.txt")
    assert second.duplicate and second.record == first.record
    assert Record.objects.count() == 1


def test_codes_are_unique_and_stable(add_record) -> None:
    one = add_record("First note about a raid in Daraa.", name="one.txt")
    two = add_record("Second note about a raid in Idlib.", name="two.txt")
    assert one.code != two.code
    one.refresh_from_db()
    assert Record.objects.get(sha256=one.sha256).code == one.code


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\xff" * 64])
def test_bad_input_is_quarantined_and_leaves_the_archive_untouched(add_record, data: bytes) -> None:
    kept = add_record("A record that must survive bad input.")
    outcome = ingest_bytes(data, name="broken.pdf")
    assert outcome.record is None and outcome.error
    assert IngestFailure.objects.filter(path="broken.pdf").exists()
    assert list(Record.objects.values_list("code", flat=True)) == [kept.code]
    assert blobs.read(kept.sha256)


def test_places_carry_their_governorate(add_record) -> None:
    from dhakira_web.archive.services import governorate_of

    assert governorate_of({"id": "fac:hama-central", "pcode": "SY05"}) == "SY05"
    assert governorate_of({"id": "not-in-the-knowledge-base", "pcode": "C1001"}) == ""
    record = add_record("Detainees were released in the town of Douma near Damascus on 5 May 2022.")
    towns = [place for place in record.places.all() if place.kind == "city"]
    assert towns and all(place.governorate_pcode.startswith("SY") and len(place.governorate_pcode) == 4 for place in towns)


def test_a_place_read_by_its_long_gazetteer_name_is_stored_on_every_database(add_record) -> None:
    from dhakira_web.archive.models import Claim

    record = add_record("Guards moved twelve detainees to Mezzeh Military Airport (Air Force Intelligence Investigation "
                        "Branch) on 3 March 2019, relatives said.", name="mezzeh.txt")
    rules = list(Claim.objects.filter(record=record, field="place").values_list("extractor", flat=True))
    assert any(rule.startswith("gazetteer:") and len(rule) > 60 for rule in rules), rules  # longer than the old column
