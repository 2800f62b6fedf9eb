"""``dhakira reclean``: clean text again from the stored originals (codes and reviews kept)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def command_reclean(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _open

    if not args.codes and not args.all:
        raise UsageError("name the records to re-clean (dhakira reclean CODE ...) or pass --all")
    _open(args)
    from dhakira_web.archive.cleaning.reclean import reclean

    outcomes = reclean(None if args.all else list(args.codes))
    failed = [outcome for outcome in outcomes if outcome.error]
    if args.json:
        print(json.dumps([outcome.as_json() for outcome in outcomes], ensure_ascii=False, indent=2))
    else:
        for outcome in outcomes:
            if outcome.error:
                print(f"{outcome.code}  failed: {outcome.error}", file=sys.stderr)
            elif outcome.changed:
                print(f"{outcome.code}  re-cleaned: {outcome.characters_before} → {outcome.characters_after} characters, "
                      f"{outcome.removed} blocks removed")
        changed = sum(1 for outcome in outcomes if outcome.changed)
        print(f"{changed} re-cleaned, {len(outcomes) - changed - len(failed)} unchanged, {len(failed)} failed")
    return 1 if failed else 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("reclean", help="clean text again from the stored originals and re-extract (codes and reviews kept)")
    parser.add_argument("codes", nargs="*", metavar="CODE")
    parser.add_argument("--all", action="store_true", help="every record")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=command_reclean)
