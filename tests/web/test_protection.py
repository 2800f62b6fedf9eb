"""Protection: access levels, redactions and protected persons, opaque codes, the audit chain, hardening."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client

from dhakira_web.archive import audit, policy
from dhakira_web.archive.accounts import add_user
from dhakira_web.archive.models import AuditEntry, Person, Record, SearchToken
from dhakira_web.archive.payloads import search_payload, stats_payload
from dhakira_web.archive.protection import services
from dhakira_web.archive.protection.redaction import MASK, mask
from dhakira_web.cli import main

WITNESS = "Zubayda Qarmoush"
TEXT = (f"Detainees at Adra Central Prison began a hunger strike on 4 May 2021. {WITNESS} described the "
        f"beatings in the courtyard. According to {WITNESS.upper()}, guards removed forty men.")
OTHER = "Families of detainees at Adra Central Prison gathered at the gate on 6 May 2021 asking for news."


@pytest.fixture
def cli(db: None) -> object:
    """``dhakira`` commands run in this process, on the test database (the archive's file only has to exist)."""
    import os
    from pathlib import Path

    archive = Path(os.environ["DHAKIRA_ARCHIVE"])
    archive.mkdir(parents=True, exist_ok=True)
    (archive / "archive.sqlite3").touch()
    return main


def _user(role: str) -> object:
    add_user(f"{role}-p", role, password="pw-for-tests")
    return get_user_model().objects.get(username=f"{role}-p")


def _client(role: str | None) -> Client:
    client = Client()
    if role:
        _user(role)
        client.force_login(get_user_model().objects.get(username=f"{role}-p"))
    return client


def test_mask_keeps_length_and_matches_arabic_spellings() -> None:
    assert mask("Ali went to the quality office with ALI.", ["Ali"]) == f"{MASK * 3} went to the quality office with {MASK * 3}."
    text = "قال أحمد الخليل إن المعتقلين أضربوا، وأكد احمد الخليل ذلك."
    masked = mask(text, ["أحمد الخليل"])
    assert len(masked) == len(text) and "الخليل" not in masked and "المعتقلين" in masked


def test_access_command_changes_level_facets_and_index(add_record, tmp_path) -> None:
    record = add_record(TEXT, name="hunger.txt")
    assert search_payload("Adra", AnonymousUser())["total"] == 1
    services.set_access(record, "confidential", actor="tester", reason="witness safety")
    assert search_payload("Adra", AnonymousUser())["total"] == 0
    assert search_payload("", AnonymousUser(), facets=True)["facets"] == {}
    assert search_payload("Adra", _user("reviewer"))["total"] == 1
    assert search_payload("Adra", _user("viewer"))["total"] == 0
    entry = AuditEntry.objects.filter(action="access").get()
    assert entry.details == {"from": "public", "to": "confidential", "reason": "witness safety"} and entry.target == record.code


def test_access_on_the_record_page_is_for_reviewers_only(add_record) -> None:
    record = add_record(TEXT, name="hunger.txt")
    assert _client("editor").post(f"/records/{record.code}/access", {"level": "restricted"}).status_code == 403
    reviewer = _client("reviewer")
    page = reviewer.get(f"/records/{record.code}").content.decode()
    assert 'action="/records/' in page and "/access" in page
    answer = reviewer.post(f"/records/{record.code}/access?format=json", {"level": "restricted", "reason": "r"})
    assert answer.json() == {"code": record.code, "access_level": "restricted", "previous": "public"}
    assert Client().get(f"/records/{record.code}").status_code == 404
    assert "/access" not in _client("viewer").get(f"/records/{record.code}").content.decode()


def test_redaction_hides_a_name_everywhere_below_reviewer(add_record) -> None:
    record = add_record(TEXT, name=f"statement of {WITNESS}.txt")
    add_record(OTHER, name="families.txt")
    assert search_payload(WITNESS, AnonymousUser())["total"] == 1
    assert services.redact(record, WITNESS, actor="tester", reason="protect the witness") >= 3
    for role in (None, "viewer", "editor"):
        client = _client(role)
        for url in (f"/records/{record.code}", f"/records/{record.code}?format=json", f"/api/records/{record.code}",
                    "/search?q=Adra", "/search?q=Adra&format=json", "/api/search?q=Adra", "/"):
            body = client.get(url).content.decode()
            assert "Qarmoush" not in body and "QARMOUSH" not in body and "Zubayda" not in body, (role, url)
        for query in (WITNESS, "Qarmoush", '"Zubayda Qarmoush"'):
            found = client.get("/api/search", {"q": query}).json()
            assert found["total"] == 0 and found["results"] == [], (role, query)
    assert search_payload("Adra", AnonymousUser())["total"] == 2  # the rest of the record is still found
    reviewer = _client("reviewer")
    data = reviewer.get(f"/api/records/{record.code}").json()
    assert WITNESS in data["text"] and data["redactions"][0]["phrase"] == WITNESS and len(data["marked"]) == 2
    assert '<mark class="claim redacted"' in reviewer.get(f"/records/{record.code}").content.decode()
    entry = AuditEntry.objects.get(action="redact")
    assert WITNESS not in json.dumps(entry.details) and entry.details["occurrences"] >= 3


def test_redacted_phrase_never_leaves_a_token_in_the_index(add_record) -> None:
    record = add_record(TEXT, name="hunger.txt")
    services.redact(record, WITNESS, actor="tester")
    assert not SearchToken.objects.filter(token__icontains="qarmoush").exists()
    services.unredact(record, WITNESS, actor="tester")
    assert search_payload("Qarmoush", AnonymousUser())["total"] == 1


def test_protected_person_is_masked_for_those_who_may_not_see_them(add_record) -> None:
    record = add_record(TEXT, name="hunger.txt")
    person = Person.objects.create(name=WITNESS, normalised_name=WITNESS.lower(), access_level="confidential")
    record.persons.add(person)
    services.reindex(record)
    anonymous = policy.shown_text(AnonymousUser(), record, record.text)
    assert WITNESS not in anonymous and "Adra Central Prison" in anonymous
    assert WITNESS not in policy.shown_text(_user("viewer"), record, record.text)
    assert policy.shown_text(_user("reviewer"), record, record.text) == record.text
    assert search_payload(WITNESS, AnonymousUser())["total"] == 0
    assert stats_payload(AnonymousUser())["persons"] == 0


def test_redact_command_and_errors(add_record, cli, capsys) -> None:
    record = add_record(TEXT, name="hunger.txt")
    assert main(["redact", record.code, "words that are not there"]) == 2
    assert "does not occur" in capsys.readouterr().err
    assert main(["redact", record.code, WITNESS, "--reason", "safety"]) == 0
    assert "occurrence(s) hidden" in capsys.readouterr().out
    assert main(["access", record.code, "restricted", "--reason", "safety"]) == 0
    assert Record.objects.get(pk=record.pk).access_level == "restricted"


def test_codes_are_opaque_and_undated_records_get_no_year(add_record) -> None:
    dated = add_record("Report issued on 3 March 2016 about Saydnaya prison.", name="a.txt")
    codes = [add_record(f"Note number {n} about a raid.", name=f"n{n}.txt").code for n in range(4)]
    assert dated.code.startswith("DHK-")
    for code in codes:
        assert code.startswith("DHK-0000-"), code
    suffixes = [code.rsplit("-", 1)[1] for code in codes]
    assert suffixes != sorted(suffixes) or len(set(suffixes)) == 4
    assert not any(code.rsplit("-", 1)[1].isdigit() for code in codes)


# ---------------------------------------------------------------- the audit chain


def test_audit_detects_edit_delete_reorder_and_truncation(db) -> None:
    entries = [audit.append("tester", "collected", target=f"item-{n}", details={"n": n}) for n in range(5)]
    head = audit.head()
    assert audit.check(head).intact and audit.check().head == head
    # edited details
    AuditEntry.objects.filter(pk=entries[1].pk).update(details={"n": 99})
    assert audit.check().bad_entry == entries[1].pk
    AuditEntry.objects.filter(pk=entries[1].pk).update(details={"n": 1})
    assert audit.check().intact
    # reordered: two entries swap places (their contents exchanged between ids)
    first, second = AuditEntry.objects.get(pk=entries[2].pk), AuditEntry.objects.get(pk=entries[3].pk)
    fields = ("at", "actor", "action", "target", "details", "previous_hash", "entry_hash", "details_hash")
    saved = {name: getattr(first, name) for name in fields}
    AuditEntry.objects.filter(pk=first.pk).update(entry_hash="a" * 64)
    AuditEntry.objects.filter(pk=second.pk).update(**{name: saved[name] for name in fields})
    AuditEntry.objects.filter(pk=first.pk).update(**{name: getattr(second, name) for name in fields})
    assert audit.check().bad_entry == entries[2].pk
    AuditEntry.objects.filter(pk=second.pk).update(**{name: getattr(second, name) for name in fields if name != "entry_hash"},
                                                   entry_hash="b" * 64)
    AuditEntry.objects.filter(pk=first.pk).update(**saved)
    AuditEntry.objects.filter(pk=second.pk).update(entry_hash=second.entry_hash)
    assert audit.check().intact
    # cut off the end: the chain alone still verifies, the kept head proves the loss
    AuditEntry.objects.filter(pk=entries[4].pk).delete()
    assert audit.check().intact
    outcome = audit.check(head)
    assert not outcome.intact and "cut off" in outcome.problem
    # deleted in the middle
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    assert audit.check().bad_entry == entries[2].pk


def test_audit_commands(cli, capsys) -> None:
    for n in range(3):
        audit.append("tester", "collected", target=f"item-{n}")
    assert main(["audit", "head"]) == 0
    head = capsys.readouterr().out.strip()
    assert main(["audit"]) == 0 and head in capsys.readouterr().out
    assert main(["audit", "verify", "--head", head]) == 0
    capsys.readouterr()
    last = AuditEntry.objects.order_by("-id").first()
    AuditEntry.objects.filter(pk=last.pk).update(action="changed")
    assert main(["audit", "verify"]) == 1
    assert f"entry {last.pk}" in capsys.readouterr().err


def test_raw_sql_edit_is_detected(db) -> None:
    entries = [audit.append("tester", "collected", target=f"item-{n}") for n in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_auditentry SET actor = %s WHERE id = %s", ["intruder", entries[0].pk])
    assert audit.check().bad_entry == entries[0].pk


# ---------------------------------------------------------------- hardening


def test_login_and_failed_login_are_audited_and_throttled(db) -> None:
    add_user("clerk", "viewer", password="right-password-1")
    client = Client()
    assert client.post("/login/", {"username": "clerk", "password": "right-password-1"}).status_code == 302
    assert AuditEntry.objects.filter(action="login", actor="clerk").exists()
    other = Client()
    statuses = [other.post("/login/", {"username": "clerk", "password": f"wrong-{n}"}).status_code for n in range(20)]
    assert AuditEntry.objects.filter(action="login_failed", actor="clerk").count() >= 10
    assert statuses[-1] == 429
    # locked out: even the right password is refused now
    assert other.post("/login/", {"username": "clerk", "password": "right-password-1"}).status_code == 429


def test_passwords_are_hashed_with_argon2(db) -> None:
    add_user("hashed", "viewer", password="pw-for-tests")
    assert get_user_model().objects.get(username="hashed").password.startswith("argon2")


def test_api_tokens_scopes_expiry_and_revocation(add_record) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from dhakira_web.archive.models import ApiToken
    from dhakira_web.archive.protection import tokens

    secret_record = add_record(TEXT, name="hunger.txt", access="confidential")
    reviewer = _user("reviewer")
    secret, token = tokens.issue(reviewer, "script", scopes=["read"], days=30)
    client = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/records/{secret_record.code}", **bearer).status_code == 200
    assert client.get(f"/api/records/{secret_record.code}").status_code == 404
    assert client.post(f"/records/{secret_record.code}/access?format=json", {"level": "public"}, **bearer).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).secret_hash != secret and secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    writer, _ = tokens.issue(reviewer, "writer", scopes=["read", "review"], days=1)
    answer = client.post(f"/records/{secret_record.code}/access?format=json", {"level": "restricted"}, HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert answer.status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/stats", **bearer).status_code == 401
    assert tokens.revoke(writer[:12])
    assert client.get("/api/stats", HTTP_AUTHORIZATION=f"Bearer {writer}").status_code == 401
    with pytest.raises(ValueError):
        tokens.issue(reviewer, "bad", scopes=["everything"])


def test_cache_control_for_signed_in_users_and_originals(add_record) -> None:
    record = add_record(TEXT, name="hunger.txt", access="restricted")
    viewer = _client("viewer")
    for url in (f"/records/{record.code}", f"/records/{record.code}/original", f"/api/records/{record.code}", "/search?q=Adra"):
        assert viewer.get(url)["Cache-Control"] == "private, no-store", url
    public = add_record(OTHER, name="families.txt")
    assert Client().get(f"/records/{public.code}/original")["Cache-Control"] == "private, no-store"


def test_offset_beyond_range_is_a_clear_error(add_record, cli, capsys) -> None:
    add_record(TEXT, name="hunger.txt")
    answer = Client().get("/api/search", {"q": "Adra", "offset": str(2**70)})
    assert answer.status_code == 400
    assert Client().get("/api/search", {"q": "Adra", "offset": "-1"}).status_code == 400
    assert main(["search", "Adra", "--offset", str(2**70)]) == 2
    assert "--offset" in capsys.readouterr().err


def test_not_found_answers_json_when_asked(db) -> None:
    answer = Client().get("/records/DHK-0000-NOTTHERE?format=json")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
    assert answer.json()["error"]
    assert Client().get("/no/such/page?format=json").json()["error"]
    assert Client().get("/api/records/DHK-0000-NOTTHERE").status_code == 404


def test_api_docs_load_their_assets_from_the_archive_itself(db) -> None:
    page = Client().get("/api/docs")
    body = page.content.decode()
    assert page.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower() and "https://" not in body
    policy_header = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy_header and "unsafe-inline" not in policy_header


def test_check_deploy_is_clean_with_production_settings(tmp_path) -> None:
    import os
    import secrets
    import subprocess

    from tests.web.test_cli import dhakira

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    archive = str(tmp_path / "archive")
    production = {**env, "DHAKIRA_SECRET_KEY": secrets.token_urlsafe(60), "DHAKIRA_ALLOWED_HOSTS": "archive.example.org",
                  "DHAKIRA_HTTPS": "1"}
    clean = subprocess.run([*dhakira(), "--archive", archive, "check", "--deploy"], capture_output=True, text=True, env=production, timeout=120)
    assert clean.returncode == 0, clean.stderr
    assert "no issues" in clean.stdout and "WARNING" not in clean.stdout + clean.stderr
    plain = subprocess.run([*dhakira(), "--archive", archive, "check", "--deploy"], capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W020"):
        assert warning in plain.stderr


def test_incident_and_report_ids_are_not_a_sequence(add_record) -> None:
    from dhakira_web.archive.models import Incident, IncidentReport

    add_record("Detainees at Adra Central Prison began a hunger strike on 4 May 2021.", name="a.txt")
    add_record("Guards fired tear gas into Hama Central Prison on 6 May 2016.", name="b.txt")
    add_record("Prisoners were transferred from Saydnaya prison on 2 June 2019.", name="c.txt")
    ids = list(Incident.objects.values_list("pk", flat=True)) + list(IncidentReport.objects.values_list("pk", flat=True))
    assert len(ids) >= 4
    assert all(2**40 <= pk < 2**53 for pk in ids)
    ordered = sorted(ids)
    assert all(later - earlier > 1 for earlier, later in zip(ordered, ordered[1:], strict=False))


def test_redacted_place_name_is_not_found_through_its_knowledge_base_key(add_record) -> None:
    record = add_record("Three detainees died in Saydnaya prison in March 2019, their families said. "
                        "The families of detainees in Adra Central Prison asked for news.", name="deaths.txt")
    assert search_payload("صيدنايا", AnonymousUser())["total"] == 1  # found across languages through the key
    services.redact(record, "Saydnaya prison", actor="tester")
    for query in ("Saydnaya", "صيدنايا", "Sednaya"):
        assert search_payload(query, AnonymousUser())["total"] == 0, query
    assert search_payload("Adra", AnonymousUser())["total"] == 1
    data = Client().get(f"/api/records/{record.code}").json()
    assert "saydnaya" not in json.dumps(data["claims"]).lower() and "Saydnaya" not in data["text"]
