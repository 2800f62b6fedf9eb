"""``dhakira reextract``: run the extractor again on stored records, keeping every reviewer's decision."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def command_reextract(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _open

    if not args.codes and not args.all:
        raise UsageError("name record codes, or --all")
    if args.codes and args.all:
        raise UsageError("name record codes or --all, not both")
    _open(args)
    from dhakira_web.archive.review.reextract import reextract_codes

    try:
        outcomes = reextract_codes(None if args.all else list(args.codes), actor=args.actor)
    except LookupError as error:
        print(f"dhakira: {error}", file=sys.stderr)
        return 1
    report: dict[str, Any] = {"records": len(outcomes), "decisions_kept": sum(item.kept for item in outcomes),
                              "unanchored": [{"code": item.code, **claim} for item in outcomes for claim in item.unanchored]}
    if args.json:
        print(json.dumps({**report, "details": [item.as_json() for item in outcomes]}, ensure_ascii=False, indent=2))
    else:
        print(f"re-extracted {report['records']} records; kept {report['decisions_kept']} reviewers' decisions")
        for claim in report["unanchored"]:
            print(f"  not re-anchored: {claim['code']} claim {claim['id']} {claim['field']}={claim['value']!r} "
                  f"({claim['review']}) at {claim['span'][0]}-{claim['span'][1]} «{claim['quote']}»")
    return 1 if report["unanchored"] else 0


def register(commands: Any) -> None:
    """Add the review commands to the ``dhakira`` parser's subcommands."""
    reextract = commands.add_parser("reextract", help="extract stored records again, keeping reviewers' decisions")
    reextract.add_argument("codes", nargs="*", metavar="CODE")
    reextract.add_argument("--all", action="store_true", help="every record")
    reextract.add_argument("--actor", default="dhakira", help="name written in the audit log (default: dhakira)")
    reextract.add_argument("--json", action="store_true")
    reextract.set_defaults(run=command_reextract)
