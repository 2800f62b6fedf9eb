"""``dhakira worker`` and ``dhakira queue …``: work spread over processes and machines through PostgreSQL.

``dhakira ingest --queue`` (in the main command) puts files on the queue; the commands here run
workers, queue re-extraction, relinking and exports, and show what the queue holds.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any


def _opened(args: argparse.Namespace) -> None:
    from dhakira_web.archive.jobs.queue import QueueUnavailable, require_queue
    from dhakira_web.cli import UsageError, _open

    _open(args)
    try:
        require_queue()
    except QueueUnavailable as error:
        raise UsageError(str(error)) from None


def command_worker(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError

    if args.heartbeat <= 0 or args.stalled_after <= args.heartbeat:
        raise UsageError("--heartbeat must be positive and --stalled-after longer than it (a live worker is never taken for a dead one)")
    _opened(args)
    from dhakira_web.archive.jobs.tasks import QUEUES
    from dhakira_web.archive.jobs.worker import WorkerSettings, run_worker

    unknown = sorted(set(args.queue or ()) - set(QUEUES))
    if unknown:
        raise UsageError(f"no queue {', '.join(unknown)}: the queues are {', '.join(QUEUES)}")
    run_worker(WorkerSettings(queues=tuple(args.queue) if args.queue else None,
                              until_empty=args.until_empty, heartbeat=args.heartbeat, stalled_after=args.stalled_after,
                              name=args.name))
    return 0


def command_queue_records(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError

    if bool(args.codes) == bool(args.all):
        raise UsageError("name record codes, or --all")
    _opened(args)
    from dhakira_web.archive.jobs.queue import enqueue_records

    try:
        jobs = enqueue_records(args.job, None if args.all else list(args.codes), actor=args.actor)
    except LookupError as error:
        raise UsageError(str(error)) from None
    print(f"queued {len(jobs)} {'re-extraction' if args.job == 'extract' else 'relinking'} jobs")
    return 0


def command_queue_export(args: argparse.Namespace) -> int:
    from dhakira_web.cli import UsageError

    _opened(args)
    from django.contrib.auth import get_user_model

    from dhakira_web.archive.jobs.queue import enqueue_export

    if args.user and not get_user_model().objects.filter(username=args.user).exists():
        raise UsageError(f"no user {args.user!r}")
    try:
        job = enqueue_export(Path(args.output), args.format, username=args.user, query=args.query, facets=args.facet,
                             originals=args.originals)
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(f"queued export job {job} to {Path(args.output).resolve()}")
    return 0


def command_queue_status(args: argparse.Namespace) -> int:
    _opened(args)
    from dhakira_web.archive.jobs.queue import queue_counts

    counts = queue_counts()
    if args.json:
        print(json.dumps(counts, indent=2))
    elif not counts:
        print("the queue is empty")
    for row in [] if args.json else counts:
        print(f"{row['queue']:8} {row['status']:18} {row['jobs']}")
    return 0


def register(commands: Any) -> None:
    """Add ``worker`` and ``queue`` to the ``dhakira`` parser."""
    worker = commands.add_parser("worker", help="run queued jobs (ingest, extract, link, export) from PostgreSQL")
    worker.add_argument("--queue", action="append", metavar="NAME", help="only this queue: ingest, extract, link or export (several times; default: all)")
    worker.add_argument("--until-empty", action="store_true", help="stop once no job is waiting (default: run until stopped)")
    worker.add_argument("--heartbeat", type=float, default=float(os.environ.get("DHAKIRA_WORKER_HEARTBEAT", "10")),
                        help="seconds between heartbeats (default: $DHAKIRA_WORKER_HEARTBEAT or 10)")
    worker.add_argument("--stalled-after", type=float, default=float(os.environ.get("DHAKIRA_WORKER_STALLED_AFTER", "60")),
                        help="seconds of silence after which a worker is taken for dead and its job queued again (default 60)")
    worker.add_argument("--name", help="name in the logs (default: worker)")
    worker.set_defaults(run=command_worker)

    queue = commands.add_parser("queue", help="queue re-extraction, relinking or exports for the workers; show the queue")
    actions = queue.add_subparsers(dest="action", required=True, metavar="ACTION")
    for job, helptext in (("extract", "re-extract records (reviewers' decisions kept)"), ("link", "link records again from their stored extraction")):
        records = actions.add_parser(job, help=helptext)
        records.add_argument("codes", nargs="*", metavar="CODE")
        records.add_argument("--all", action="store_true", help="every record")
        records.add_argument("--actor", default="dhakira", help="name written in the audit log")
        records.set_defaults(run=command_queue_records, job=job)
    export = actions.add_parser("export", help="export records to a file, written by a worker")
    export.add_argument("query", nargs="?", default="")
    export.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "jsonld", "acled"])
    export.add_argument("--output", required=True, help="file every worker can write (csv: a .zip)")
    export.add_argument("--facet", action="append", metavar="NAME=VALUE")
    export.add_argument("--originals", action="store_true", help="jsonl: carry the original files too")
    export.add_argument("--user", help="export what this user may see (default: anonymous visitor)")
    export.set_defaults(run=command_queue_export)
    status = actions.add_parser("status", help="jobs per queue and state")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=command_queue_status)
