"""The exchange commands: ``export``, ``import``, ``bundle create|verify``, ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def command_export(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open, _viewer

    _open(args)
    from dhakira_web.archive.exchange.exporting import export_to_path
    from dhakira_web.archive.exchange.selection import facet_filters

    result = export_to_path(Path(args.output), args.format, _viewer(args), query=args.query or "",
                            filters=facet_filters(args.facet), originals=args.originals)
    print(f"exported {len(result.record_ids)} records as {args.format} to {args.output} (sha256 {result.sha256})")
    return 0


def command_import(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _archive_exists, _setup_django

    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"no file {path}")
    if not _archive_exists(args.archive):
        Path(args.archive).mkdir(parents=True, exist_ok=True)
    _setup_django(args.archive)
    from dhakira_web.archive.exchange.importing import ImportError_, import_jsonl

    try:
        report = import_jsonl(path, actor=args.actor, originals_dir=Path(args.originals) if args.originals else None)
    except ImportError_ as error:
        raise UsageError(str(error)) from None
    summary = report.as_json()
    if args.json:
        _print_json(summary)
    else:
        print(f"records added {report.records_added}, already present {report.records_present}; rows added "
              + ", ".join(f"{name} {count}" for name, count in sorted(report.rows_added.items())))
        for line in report.conflicts + report.errors:
            print(f"  {line}", file=sys.stderr)
        if report.missing_originals:
            print(f"  {len(report.missing_originals)} records have no original here (export with --originals, or pass --originals DIR)", file=sys.stderr)
    return 0 if report.ok else 1


def register(commands: Any) -> None:
    """Add the exchange commands to the ``dhakira`` parser."""
    export = commands.add_parser("export", help="export records (jsonl, csv, jsonld, acled) as the user may see them")
    export.add_argument("query", nargs="?", default="", help="search query (default: every record)")
    export.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "jsonld", "acled"])
    export.add_argument("--output", required=True, help="file to write (csv: a .zip, or a folder)")
    export.add_argument("--facet", action="append", metavar="NAME=VALUE", help="filter, e.g. --facet language=ar")
    export.add_argument("--originals", action="store_true", help="jsonl: carry the original files too")
    export.add_argument("--user", help="act as this user (default: anonymous visitor)")
    export.set_defaults(run=command_export)

    importing = commands.add_parser("import", help="import a Dhakira jsonl export")
    importing.add_argument("file", metavar="FILE")
    importing.add_argument("--originals", help="folder holding originals named by SHA-256 (a bundle's originals/ or a blobs/ tree)")
    importing.add_argument("--actor", default="dhakira", help="name written in the custody log")
    importing.add_argument("--json", action="store_true")
    importing.set_defaults(run=command_import)
