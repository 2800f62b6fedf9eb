"""``dhakira reextract`` end to end, in a subprocess, against a temporary archive."""

from __future__ import annotations

import json
from pathlib import Path

from tests.web.test_cli import ENGLISH, environment, run  # noqa: F401  (fixture)


def test_reextract_by_code_and_all(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = tmp_path / "archive"
    source = tmp_path / "hama.txt"
    source.write_text(ENGLISH, encoding="utf-8")
    assert run(environment, archive, "ingest", str(source)).returncode == 0
    code = json.loads(run(environment, archive, "search", "Hama", "--json").stdout)["results"][0]["code"]
    done = run(environment, archive, "reextract", code, "--json", "--actor", "operator")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["records"] == 1 and report["unanchored"] == [] and report["details"][0]["claims_after"] > 0
    assert "re-extracted 1 records" in run(environment, archive, "reextract", "--all").stdout
    missing = run(environment, archive, "reextract", "DHK-1999-999999")
    assert missing.returncode == 1 and "DHK-1999-999999" in missing.stderr
    assert run(environment, archive, "reextract").returncode == 2
