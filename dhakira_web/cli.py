"""The ``dhakira`` command: a thin layer over the library and the archive services.

Exit status: 0 success, 1 when some input failed (the rest was done), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dhakira_web.archive.entities import commands as entity_commands
from dhakira_web.archive.exchange import commands as exchange_commands
from dhakira_web.archive.review import commands as review_commands  # no Django until a command runs

log = logging.getLogger("dhakira.cli")


class UsageError(Exception):
    """A mistake in how the command was called; the message says what to do instead."""


def _setup_django(archive: str, *, migrate: bool = True) -> None:
    os.environ["DHAKIRA_ARCHIVE"] = str(Path(archive).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        from dhakira_web.archive.jobs.locking import migration_lock

        with migration_lock(Path(archive).resolve()):
            call_command("migrate", verbosity=0, interactive=False)


def _archive_exists(archive: str) -> bool:
    return os.environ.get("DHAKIRA_DATABASE_URL") is not None or (Path(archive) / "archive.sqlite3").exists()


def _open(args: argparse.Namespace) -> None:
    if not _archive_exists(args.archive):
        raise UsageError(f"no archive at {args.archive}: run `dhakira --archive {args.archive} init` first")
    _setup_django(args.archive)


def _viewer(args: argparse.Namespace) -> Any:
    """The user the command acts as: an anonymous visitor unless --user names one."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if not getattr(args, "user", None):
        return AnonymousUser()
    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        raise UsageError(f"no user {args.user!r}: create one with `dhakira user add {args.user} --role viewer`")
    return user


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- archive commands


def command_init(args: argparse.Namespace) -> int:
    Path(args.archive).mkdir(parents=True, exist_ok=True)
    _setup_django(args.archive)
    print(f"archive ready at {Path(args.archive).resolve()}")
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    if not args.paths and not args.manifest:
        raise UsageError("name at least one file, folder or URL, or --manifest FILE.csv")
    if args.queue and not os.environ.get("DHAKIRA_DATABASE_URL"):
        from dhakira_web.archive.jobs.queue import NEEDS_POSTGRESQL
        raise UsageError(NEEDS_POSTGRESQL)  # before anything is made on disk
    if not _archive_exists(args.archive):
        Path(args.archive).mkdir(parents=True, exist_ok=True)
    _setup_django(args.archive)
    if args.queue:
        return _enqueue(args)
    from dhakira_web.archive import ingestion
    summary = ingestion.ingest_sources(
        args.paths, manifest=args.manifest, access_level=args.access, progress=not args.quiet and sys.stderr.isatty(),
        workers=args.workers, allow_hosts=frozenset(args.allow_host or ()),
    )
    report = summary.as_json()
    if args.report:
        Path(args.report).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"ingested {summary.ingested}, duplicates {summary.duplicates}, failed {len(summary.failed)}")
    for failure in summary.failed:
        print(f"  failed: {failure['path']}: {failure['error']}", file=sys.stderr)
    return 1 if summary.failed else 0


def _enqueue(args: argparse.Namespace) -> int:
    """``dhakira ingest --queue``: one job per source for ``dhakira worker`` processes (PostgreSQL only)."""
    from dhakira_web.archive.jobs.queue import QueueUnavailable, enqueue_sources
    try:
        queued = enqueue_sources(args.paths, manifest=args.manifest, access_level=args.access, allow_hosts=frozenset(args.allow_host or ()))
    except QueueUnavailable as error:
        raise UsageError(str(error)) from None
    if args.report:
        Path(args.report).write_text(json.dumps(queued.as_json(), indent=2), encoding="utf-8")
    print(f"queued {queued.queued}, already stored {queued.stored}, already queued {queued.waiting}")
    return 0


def command_show(args: argparse.Namespace) -> int:
    _open(args)
    from dhakira_web.archive import payloads
    from dhakira_web.archive.policy import visible_record
    viewer = _viewer(args)
    record = visible_record(viewer, args.code)
    if record is None:
        print(f"no record {args.code} that you may see (check the code, or use --user with a role that may see it)", file=sys.stderr)
        return 1
    data = payloads.record_payload(record, viewer)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['code']}  {data['title']}")
    for label, key in (("issued", "issue_date"), ("type", "document_type"), ("issuer", "issuer"), ("language", "language"),
                       ("area", "geographic_area"), ("access", "access_level"), ("sha256", "sha256"), ("source", "source")):
        if data.get(key):
            print(f"  {label:9} {data[key]}")
    for label, key in (("places", "places"), ("organisations", "organisations")):
        if data[key]:
            print(f"  {label:9} " + "; ".join(item["name_en"] for item in data[key]))
    print()
    print(data["text"])
    return 0


def command_search(args: argparse.Namespace) -> int:
    _open(args)
    from dhakira_web.archive import payloads
    facets = dict(item.split("=", 1) for item in args.facet or [] if "=" in item)
    if not 0 <= args.offset <= payloads.MAX_OFFSET:
        raise UsageError(f"--offset must be between 0 and {payloads.MAX_OFFSET}")
    data = payloads.search_payload(args.query, _viewer(args), limit=args.limit, offset=args.offset, filters=facets, order=args.sort)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['total']} records")
    for hit in data["results"]:
        print(f"{hit['code']}  {hit['issue_date'] or '----------'}  {hit['title']}")
        print(f"    {hit['snippet']}")
    return 0


def command_stats(args: argparse.Namespace) -> int:
    _open(args)
    from dhakira_web.archive import payloads
    data = payloads.stats_payload(_viewer(args))
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            print(f"{key:16} {value}")
    return 0


def command_reindex(args: argparse.Namespace) -> int:
    """Make the search heads and token counts again from the stored search entries, in one transaction (other
    writers wait their turn). An archive indexed before heads grew deep for filtered queries gets them at once."""
    _open(args)
    from django.db import transaction

    from dhakira_web.archive.search import heads
    with transaction.atomic():
        tokens = heads.rebuild()
    print(f"search heads made again: {tokens} tokens with a head")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    _open(args)
    from dhakira_web import serving
    dev = getattr(args, "dev", False)
    workers = getattr(args, "workers", None) or (1 if dev else serving.default_workers())
    how = "development server" if dev else f"gunicorn, {workers} worker processes"
    print(f"Dhakira archive at http://{args.host}:{args.port}/  (archive: {Path(args.archive).resolve()}; {how})", flush=True)
    serving.serve(args.host, args.port, workers=workers, threads=getattr(args, "threads", 1), dev=dev)
    return 0


def command_demo(args: argparse.Namespace) -> int:
    Path(args.archive).mkdir(parents=True, exist_ok=True)
    _setup_django(args.archive)
    from dhakira_web.archive import demo
    accounts = demo.build_demo()
    print(f"demo archive ready at {Path(args.archive).resolve()}")
    print("sign in at /login/ with one of these accounts (anonymous visitors see public records only):")
    for username, password, role in accounts:
        print(f"  {username:10} {password:18} {role}")
    if args.no_serve:
        return 0
    return command_serve(args)


def command_user(args: argparse.Namespace) -> int:
    _open(args)
    from dhakira_web.archive import accounts
    password = accounts.add_user(args.username, args.role, password=args.password)
    print(f"user {args.username} ({args.role}) ready; password: {password}")
    return 0


# ---------------------------------------------------------------- extraction and linking (no archive)


def _inputs(args: argparse.Namespace) -> list[tuple[Path, str | None]]:
    from dhakira.extract.run import read_manifest
    from dhakira.ingest.batch import walk

    items: list[tuple[Path, str | None]] = []
    for name in args.files:
        path = Path(name)
        items += [(file, None) for file in (walk(path) if path.is_dir() else [path])]
    if args.manifest:
        items += read_manifest(Path(args.manifest))
    if not items:
        raise UsageError("name at least one FILE or --manifest FILE.csv")
    return items


def command_extract(args: argparse.Namespace) -> int:
    from dhakira.extract.run import extract_path

    failed = 0
    output_dir = Path(args.output_dir) if args.output_dir else None
    if output_dir:
        output_dir.mkdir(parents=True, exist_ok=True)
    for path, source_url in _inputs(args):
        result = extract_path(path, source_url=source_url)
        failed += bool(result.get("error"))
        text = json.dumps(result, ensure_ascii=False)
        if output_dir:
            target = output_dir / f"{path.name}.json"
            temporary = target.with_suffix(".json.partial")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)
        else:
            print(text, flush=True)
    return 1 if failed else 0


def command_link(args: argparse.Namespace) -> int:
    from dhakira.extract.run import read_and_extract
    from dhakira.link import LinkItem, link_extractions
    from dhakira.link.run import clusters_object

    items, failed = [], 0
    for path, source_url in _inputs(args):
        result, text = read_and_extract(path, source_url=source_url)
        failed += bool(result.get("error"))
        items.append(LinkItem(key=path.name, extraction=result, text=text))
    output = json.dumps(clusters_object(link_extractions(items)), ensure_ascii=False, indent=1)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        print(output)
    return 1 if failed else 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    from dhakira_web.archive.protection import commands as protection

    parser = argparse.ArgumentParser(prog="dhakira", description="Dhakira: an archive of documents on human-rights violations.")
    parser.add_argument("--archive", default=os.environ.get("DHAKIRA_ARCHIVE", "var/archive"), help="archive directory (default: $DHAKIRA_ARCHIVE or var/archive)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="create an empty archive").set_defaults(run=command_init)

    ingest = commands.add_parser("ingest", help="ingest files, folders, ZIP archives and URLs")
    ingest.add_argument("paths", nargs="*", metavar="PATH")
    ingest.add_argument("--manifest", help="CSV with columns path,source_url")
    ingest.add_argument("--report", help="write {ingested, duplicates, failed} as JSON to this file")
    ingest.add_argument("--access", default="public", choices=["public", "restricted", "confidential"])
    ingest.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ingest.add_argument("--allow-host", action="append", help="allow fetching from this host even if it is on a private network")
    ingest.add_argument("--queue", action="store_true", help="queue one job per source for `dhakira worker` processes (PostgreSQL)")
    ingest.add_argument("-q", "--quiet", action="store_true")
    ingest.set_defaults(run=command_ingest)

    show = commands.add_parser("show", help="show one record")
    show.add_argument("code")
    show.add_argument("--json", action="store_true")
    show.add_argument("--user", help="act as this user (default: anonymous visitor)")
    show.set_defaults(run=command_show)

    search = commands.add_parser("search", help="search the archive")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--offset", type=int, default=0)
    search.add_argument("--facet", action="append", metavar="NAME=VALUE", help="filter, e.g. --facet language=ar")
    search.add_argument("--sort", default="relevance", choices=["relevance", "date"])
    search.add_argument("--json", action="store_true")
    search.add_argument("--user", help="act as this user (default: anonymous visitor)")
    search.set_defaults(run=command_search)

    stats = commands.add_parser("stats", help="counts of records, incidents, claims, places…")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--user")
    stats.set_defaults(run=command_stats)

    commands.add_parser("reindex", help="make the search heads and word counts again (after upgrading a large archive)"
                        ).set_defaults(run=command_reindex)

    for name, run, helptext in (("serve", command_serve, "serve the archive on the web"), ("demo", command_demo, "build the demo archive and serve it")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("--host", default="127.0.0.1")
        sub.add_argument("--port", type=int, default=8000)
        sub.add_argument("--dev", action="store_true", help="Django's development server instead of gunicorn (for work on the code)")
        sub.add_argument("--workers", type=int, help="web worker processes (default: $DHAKIRA_WEB_WORKERS or cores + 1)")
        sub.add_argument("--threads", type=int, default=1, help="threads per worker process (default 1)")
        if name == "demo":
            sub.add_argument("--no-serve", action="store_true", help="build only")
        sub.set_defaults(run=run)

    user = commands.add_parser("user", help="add a user with a role")
    user.add_argument("action", choices=["add"])
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=["viewer", "editor", "reviewer", "admin"])
    user.add_argument("--password")
    user.set_defaults(run=command_user)

    protection.register(commands)  # access, redact, expunge, audit verify|head, check, token

    extract = commands.add_parser("extract", help="extract incidents, places, dates, counts… as JSON")
    extract.add_argument("files", nargs="*", metavar="FILE")
    extract.add_argument("--manifest")
    extract.add_argument("--output-dir")
    extract.set_defaults(run=command_extract)

    link = commands.add_parser("link", help="cluster files that report the same incident")
    link.add_argument("files", nargs="*", metavar="FILE")
    link.add_argument("--manifest")
    link.add_argument("--output")
    link.set_defaults(run=command_link)
    review_commands.register(commands)
    entity_commands.register(commands)
    exchange_commands.register(commands)
    from dhakira_web.archive.cleaning import commands as cleaning_commands  # dhakira reclean

    cleaning_commands.register(commands)
    from dhakira_web.archive.jobs import commands as job_commands  # dhakira worker, dhakira queue

    job_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"dhakira: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dhakira: interrupted; what was committed is kept, run the same command again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
