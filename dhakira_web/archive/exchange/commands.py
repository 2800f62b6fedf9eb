"""The exchange commands: ``export``, ``import``, ``bundle create|verify``, ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def command_export(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _open, _viewer

    _open(args)
    from dhakira_web.archive.exchange.exporting import export_to_path
    from dhakira_web.archive.exchange.selection import archivist, facet_filters

    if args.all and (args.user or args.format != "jsonl"):
        raise UsageError("--all moves a whole archive: jsonl only, and without --user")
    try:
        result = export_to_path(Path(args.output), args.format, archivist() if args.all else _viewer(args), query=args.query or "",
                                filters=facet_filters(args.facet), originals=args.originals or args.all, accounts=args.all)
    except FileExistsError as error:
        raise UsageError(str(error)) from None
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
    if args.mapping or path.suffix.lower() == ".csv":
        return _import_sheet(args, path)
    from dhakira_web.archive.exchange.importing import ImportError_, import_jsonl

    originals = Path(args.originals) if args.originals else None
    with tempfile.TemporaryDirectory(prefix="dhakira-import-") as scratch:
        if path.is_dir() or zipfile.is_zipfile(path):
            path, originals = _bundle_contents(path, Path(scratch))
        try:
            report = import_jsonl(path, actor=args.actor, originals_dir=originals)
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


def _import_sheet(args: argparse.Namespace, path: Path) -> int:
    from dhakira_web.cli import UsageError

    if not args.mapping:
        raise UsageError("a spreadsheet needs a column mapping: --mapping mapping.yaml (see docs/examples/syrian-memory-mapping.yaml)")
    from dhakira_web.archive.exchange.spreadsheet import MappingError, import_sheet

    try:
        report = import_sheet(path, Path(args.mapping), actor=args.actor)
    except MappingError as error:
        raise UsageError(str(error)) from None
    if args.json:
        _print_json(report.as_json())
    else:
        print(f"rows imported {report.added}, already present {report.present}, refused {len(report.bad_rows)}")
        for bad in report.bad_rows:
            print(f"  row {bad['row']}: {bad['reason']}", file=sys.stderr)
    return 1 if report.bad_rows else 0


def _bundle_contents(path: Path, scratch: Path) -> tuple[Path, Path]:
    """An evidence bundle to import: verified against its manifest first, unpacked when zipped."""
    from dhakira.exchange import verify
    from dhakira_web.archive.exchange.bundle import unpack
    from dhakira_web.cli import UsageError

    checked = verify(path)
    if not checked.ok:
        raise UsageError(f"{path} does not match its manifest ({_problems(checked)}); nothing imported")
    folder = unpack(path, scratch)
    if not (folder / "export.jsonl").is_file():
        raise UsageError(f"{path} holds no export.jsonl")
    return folder / "export.jsonl", folder / "originals"


def _problems(checked: Any) -> str:
    parts = [f"{label}: {', '.join(names)}" for label, names in (("changed", checked.changed), ("missing", checked.missing),
                                                                  ("added", checked.added)) if names]
    return "; ".join(parts + checked.errors)


def command_bundle(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _open, _viewer

    if args.action == "verify":
        from dhakira.exchange import verify

        checked = verify(Path(args.path))
        if args.json:
            _print_json({**checked.as_json(), "about": checked.about})
        else:
            for label, names in (("changed", checked.changed), ("missing", checked.missing), ("added", checked.added)):
                for name in names:
                    print(f"{label}: {name}")
            for error in checked.errors:
                print(f"error: {error}")
            head = checked.about.get("audit_chain_head", "")
            print(f"bundle {'intact' if checked.ok else 'NOT intact'}: {checked.checked} files checked; manifest sha256 {checked.manifest_sha256}"
                  + (f"; audit chain head {head}" if head else ""))
        if args.expect_manifest and args.expect_manifest != checked.manifest_sha256:
            print(f"the manifest's SHA-256 is not the expected {args.expect_manifest}")
            return 1
        return 0 if checked.ok else 1
    if not args.query and not args.code:
        raise UsageError("name the records: a QUERY, or --code CODE (several times)")
    _open(args)
    from dhakira_web.archive.exchange.bundle import create_bundle
    from dhakira_web.archive.exchange.selection import facet_filters

    try:
        result = create_bundle(Path(args.path), _viewer(args), query=args.query or "", codes=args.code, filters=facet_filters(args.facet))
    except FileExistsError as error:
        raise UsageError(str(error)) from None
    print(f"bundle of {result.records} records at {result.path} ({result.size / 1e6:.1f} MB); "
          f"manifest sha256 {result.manifest_sha256} (keep it apart from the bundle)")
    return 0


def command_backup(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _open

    _open(args)
    from dhakira_web.archive.exchange.backup import BackupError, backup

    try:
        result = backup(Path(args.path))
    except BackupError as error:
        raise UsageError(str(error)) from None
    print(f"backup of {result.records} records and {result.blobs} originals ({result.engine}) at {result.path}, "
          f"{result.size / 1e6:.1f} MB; manifest sha256 {result.manifest_sha256}")
    return 0


def command_restore(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError, _setup_django

    path, archive = Path(args.path), Path(args.archive)
    from dhakira_web.archive.exchange import backup as backups

    try:
        if os.environ.get("DHAKIRA_DATABASE_URL"):
            archive.mkdir(parents=True, exist_ok=True)
            _setup_django(args.archive, migrate=False)
            manifest = backups.restore_postgres(path)
        else:
            manifest = backups.restore_sqlite(path, archive)
    except backups.BackupError as error:
        raise UsageError(str(error)) from None
    _setup_django(args.archive)  # brings an older backup's tables up to this version
    from dhakira_web.archive import audit

    intact, broken = audit.verify()
    print(f"restored {manifest['records']} records and {manifest['originals']} originals into {archive.resolve()}; "
          + ("audit log intact" if intact else f"audit log broken at entry {broken}"))
    return 0 if intact else 1


def register(commands: Any) -> None:
    """Add the exchange commands to the ``dhakira`` parser."""
    export = commands.add_parser("export", help="export records (jsonl, csv, jsonld, acled) as the user may see them")
    export.add_argument("query", nargs="?", default="", help="search query (default: every record)")
    export.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "jsonld", "acled"])
    export.add_argument("--output", required=True, help="file to write (csv: a .zip, or a folder)")
    export.add_argument("--facet", action="append", metavar="NAME=VALUE", help="filter, e.g. --facet language=ar")
    export.add_argument("--originals", action="store_true", help="jsonl: carry the original files too")
    export.add_argument("--user", help="act as this user (default: anonymous visitor)")
    export.add_argument("--all", action="store_true",
                        help="jsonl: the whole archive to move it elsewhere: every record, original and account (with password hashes)")
    export.set_defaults(run=command_export)

    importing = commands.add_parser("import", help="import a Dhakira jsonl export or evidence bundle")
    importing.add_argument("file", metavar="FILE", help="an export (.jsonl), an evidence bundle (folder or .zip), or a spreadsheet (.csv with --mapping)")
    importing.add_argument("--originals", help="folder holding originals named by SHA-256 (a bundle's originals/ or a blobs/ tree)")
    importing.add_argument("--mapping", help="a spreadsheet (.csv): the YAML file mapping its columns to our fields")
    importing.add_argument("--actor", default="dhakira", help="name written in the custody log")
    importing.add_argument("--json", action="store_true")
    importing.set_defaults(run=command_import)

    bundle = commands.add_parser("bundle", help="evidence bundles: create one, or verify one offline")
    bundle.add_argument("action", choices=["create", "verify"])
    bundle.add_argument("path", metavar="PATH", help="folder, or a file ending in .zip")
    bundle.add_argument("query", nargs="?", default="", help="create: search query selecting the records")
    bundle.add_argument("--code", action="append", help="create: an archive code (several times)")
    bundle.add_argument("--facet", action="append", metavar="NAME=VALUE")
    bundle.add_argument("--user", help="act as this user (default: anonymous visitor)")
    bundle.add_argument("--expect-manifest", metavar="SHA256", help="verify: the manifest's SHA-256 as given when the bundle was made")
    bundle.add_argument("--json", action="store_true")
    bundle.set_defaults(run=command_bundle)

    backup = commands.add_parser("backup", help="back up the whole archive (database snapshot, originals, manifest)")
    backup.add_argument("path", metavar="PATH", help="a new folder")
    backup.set_defaults(run=command_backup)

    restore = commands.add_parser("restore", help="restore a backup into an empty archive (--archive DIR), every SHA-256 checked first")
    restore.add_argument("path", metavar="PATH")
    restore.set_defaults(run=command_restore)
