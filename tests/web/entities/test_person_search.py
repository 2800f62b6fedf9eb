"""Finding persons by a name in either script: the command, the library function and the record search."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from dhakira_web.archive.entities.search import search_persons
from dhakira_web.archive.models import Record
from dhakira_web.archive.payloads import search_payload
from tests.web.entities.test_persons import ARABIC, ENGLISH
from tests.web.test_cli import dhakira, environment  # noqa: F401 - the command's environment fixture


def test_search_finds_one_person_with_records_in_both_languages(add_record: Callable[..., Record]) -> None:
    arabic = add_record(ARABIC, name="ar.txt")
    english = add_record(ENGLISH, name="en.txt")
    for typed in ("Mazen Darwish", "مازن درويش", "Mazen Darweesh"):
        results = search_persons(typed, None)
        assert results, typed
        best = results[0]
        assert {arabic.code, english.code} <= set(best["records"]), typed
        assert "detainee" in best["roles"] and {"Mazen Darwish", "مازن درويش"} <= set(best["names"])


def test_a_lone_name_returns_candidates_not_a_merged_person(add_record: Callable[..., Record]) -> None:
    add_record("Detainee Mazen Darwish was moved to Saydnaya prison on 3 March 2016.", name="a.txt")
    add_record("Activist Mazen Hamada was seen in Mezzeh airport prison on 9 June 2017.", name="b.txt")
    results = search_persons("Mazen", None)
    assert len(results) == 2 and results[0]["id"] != results[1]["id"]
    assert all(result["context"]["places"] for result in results)


def test_protected_persons_are_not_found_by_the_public(add_record: Callable[..., Record]) -> None:
    add_record(ARABIC, name="ar.txt", access="restricted")
    assert search_persons("Mazen Darwish", None) == []
    payload = search_payload("Mazen Darwish", None)
    assert payload["total"] == 0


def test_record_search_by_a_name_in_the_other_script(add_record: Callable[..., Record]) -> None:
    arabic = add_record(ARABIC, name="ar.txt")
    add_record(ENGLISH, name="en.txt")
    codes = [hit["code"] for hit in search_payload("Mazen Darwish", None)["results"]]
    assert arabic.code in codes


def test_person_search_command(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = str(tmp_path / "archive")
    (tmp_path / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    run = subprocess.run([*dhakira(), "--archive", archive, "ingest", "-q", str(tmp_path / "ar.txt"), str(tmp_path / "en.txt")],
                         env=environment, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    for typed in ("رزان زيتونة", "مازن درويش", "Mazen Darwish"):
        found = subprocess.run([*dhakira(), "--archive", archive, "person", "search", typed, "--json"],
                               env=environment, capture_output=True, text=True, check=False)
        assert found.returncode == 0, found.stderr
        results = json.loads(found.stdout)["results"]
        if typed.startswith("رزان"):
            assert results == []
            continue
        assert len(results[0]["records"]) == 2 and set(results[0]) >= {"id", "name", "names", "records", "roles"}
