"""Cleaning in the archive: removed blocks shown to reviewers, site templates learned as pages arrive,
``reclean`` keeping codes and reviewed decisions."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from dhakira.ingest import similarity
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.cleaning.models import SiteTemplate
from dhakira_web.archive.cleaning.reclean import reclean, reclean_record
from dhakira_web.archive.jobs.models import NearDuplicateBand, RecordFingerprint
from dhakira_web.archive.models import Record
from dhakira_web.archive.services import ingest_bytes
from tests.web.test_cli import environment, run  # noqa: F401  (fixture)

ARTICLE = (
    "Detainees in Hama Central Prison began a hunger strike on Monday to protest transfers to Saydnaya, "
    "relatives said."
)
PLACES = ["Hama", "Homs", "Aleppo", "Suwayda"]


def _page(number: int, extra: str = "") -> bytes:
    return (
        f"<html><head><title>News from {PLACES[number]} | Monitor</title></head><body><div class='main'>"
        f"<h1>News from {PLACES[number]}</h1><p>{ARTICLE} Lawyers in {PLACES[number]} confirmed it.</p>"
        f"<p>Support our documentation work with a monthly gift.</p>{extra}"
        "<div class='comment-list'><p>May God free them all, a reader wrote.</p></div></div></body></html>"
    ).encode()


def _signed_in(role: str) -> Client:
    client = Client()
    add_user(role, role, password="pw-for-tests")
    assert client.login(username=role, password="pw-for-tests")
    return client


def test_removed_blocks_shown_to_reviewers_only(db: None) -> None:
    record = ingest_bytes(_page(1), name="p1.html", source_url="https://monitor.example/p1").record
    assert record is not None
    assert "May God free them all" not in record.text
    assert any("comments" in item["reason"] for item in record.fields["removed"])
    url = f"/records/{record.code}"
    assert "May God free them all" in _signed_in("reviewer").get(url).content.decode()
    assert "May God free them all" not in Client().get(url).content.decode()


def test_site_template_learned_and_reclean_keeps_codes_and_reviews(db: None) -> None:
    records = []
    for number in range(4):
        outcome = ingest_bytes(_page(number), name=f"p{number}.html", source_url=f"https://monitor.example/p{number}")
        assert outcome.record is not None
        records.append(outcome.record)
    template = SiteTemplate.objects.get(site="monitor.example")
    assert template.pages == 4
    first = Record.objects.get(pk=records[0].pk)
    assert "Support our documentation work" in first.text  # stored before the site was known
    claim = first.claims.order_by("start").first()
    assert claim is not None
    claim.review = "confirmed"
    claim.save()
    words = first.text[claim.start:claim.end]
    code = first.code
    before = RecordFingerprint.objects.get(record=first).signature
    outcome = reclean_record(first)
    assert outcome.changed and outcome.error is None
    first.refresh_from_db()
    assert first.code == code
    assert "Support our documentation work" not in first.text
    assert ARTICLE in first.text
    claim.refresh_from_db()
    assert claim.review == "confirmed" and first.text[claim.start:claim.end] == words
    assert any("site template" in item["reason"] for item in first.fields["removed"])
    kept = RecordFingerprint.objects.get(record=first).signature  # the fingerprint and bands of the new text replace the old
    assert kept == similarity.fingerprint(first.text) != before
    assert set(NearDuplicateBand.objects.filter(record=first).values_list("key", flat=True)) == set(similarity.band_keys(kept))
    again = reclean([code, "NO-SUCH-CODE"])
    assert [o.changed for o in again if o.code == code] == [False]
    assert [o.error for o in again if o.code == "NO-SUCH-CODE"] == ["no such record"]


def test_reclean_command(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = tmp_path / "archive"
    page = tmp_path / "page.html"
    page.write_bytes(_page(0))
    assert run(environment, archive, "init").returncode == 0
    assert run(environment, archive, "ingest", str(page)).returncode == 0
    code = json.loads(run(environment, archive, "search", "Hama", "--json").stdout)["results"][0]["code"]
    missing = run(environment, archive, "reclean")
    assert missing.returncode == 2 and "--all" in missing.stderr
    done = run(environment, archive, "reclean", code, "--json")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    assert result["code"] == code and result["changed"] is False and result["error"] is None
    assert result["characters_after"] == result["characters_before"] and result["removed"] >= 1
    failed = run(environment, archive, "reclean", "DHK-1999-999999")
    assert failed.returncode == 1 and "no such record" in failed.stderr
