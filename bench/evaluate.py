"""Extract every document of a manifest and score the output with the evaluation scorer.

    .venv/bin/python bench/evaluate.py [--manifest CSV] [--gold gold.jsonl] [--out DIR] [--lang en|ar] [--json] [--no-urls]

Writes OUT/<file name>.json for each manifest row, then runs the scorer (default
/work/shared/tools/score_extraction.py) and prints its report.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.extract.run import extract_path, read_manifest  # noqa: E402

SHARED = Path("/work/shared")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", default=str(SHARED / "eval-dev" / "manifest.csv"))
    parser.add_argument("--gold", default=None, help="gold.jsonl (default: next to the manifest)")
    parser.add_argument("--scorer", default=str(SHARED / "tools" / "score_extraction.py"))
    parser.add_argument("--out", default=None, help="output folder (default: a temporary folder)")
    parser.add_argument("--lang", choices=("en", "ar"), default=None)
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON")
    parser.add_argument("--no-urls", action="store_true", help="ignore the source URLs: extract from the text alone")
    args = parser.parse_args(argv)

    manifest = Path(args.manifest)
    gold = Path(args.gold) if args.gold else manifest.parent / "gold.jsonl"
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="dhakira-eval-"))
    out.mkdir(parents=True, exist_ok=True)
    rows = read_manifest(manifest)
    started = time.perf_counter()
    failures = 0
    for path, url in rows:
        result = extract_path(path, source_url=None if args.no_urls else url)
        failures += bool(result.get("error"))
        target = out / (path.name + ".json")
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        temporary.replace(target)
    elapsed = time.perf_counter() - started
    print(f"extracted {len(rows)} documents in {elapsed:.2f} s into {out} ({failures} with errors)", file=sys.stderr)
    command = [sys.executable, args.scorer, str(gold), str(out)]
    if args.lang:
        command += ["--lang", args.lang]
    if args.json:
        command.append("--json")
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    sys.stdout.write(completed.stdout)
    sys.stderr.write(completed.stderr)
    return completed.returncode or (1 if failures else 0)


if __name__ == "__main__":
    sys.exit(main())
