"""``dhakira person …``: find persons by a name in either script; reviewers separate, merge and protect."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    """Add the ``person`` command to the CLI's subparsers."""
    person = commands.add_parser("person", help="persons across records and spellings")
    actions = person.add_subparsers(dest="person_action", required=True, metavar="ACTION")
    search = actions.add_parser("search", help="persons named NAME (Arabic or Latin script), best first")
    search.add_argument("name")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.add_argument("--user", help="act as this user (default: anonymous visitor)")
    search.set_defaults(run=command_person_search)
    separate = actions.add_parser("separate", help="undo a merge: the person's mentions in RECORD become a person of their own")
    separate.add_argument("person", type=int)
    separate.add_argument("record")
    separate.add_argument("--user", required=True, help="a reviewer")
    separate.set_defaults(run=command_person_separate)
    merge = actions.add_parser("merge", help="join person OTHER into person KEEP")
    merge.add_argument("keep", type=int)
    merge.add_argument("other", type=int)
    merge.add_argument("--user", required=True, help="a reviewer")
    merge.set_defaults(run=command_person_merge)
    access = actions.add_parser("access", help="set a person's access level (public, restricted, confidential)")
    access.add_argument("person", type=int)
    access.add_argument("level", choices=["public", "restricted", "confidential"])
    access.add_argument("--user", required=True, help="a reviewer")
    access.set_defaults(run=command_person_access)


def command_person_search(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open, _print_json, _viewer

    _open(args)
    from dhakira_web.archive.entities.search import search_persons

    results = search_persons(args.name, _viewer(args), limit=args.limit)
    if args.json:
        _print_json({"query": args.name, "results": results})
        return 0
    if not results:
        print("no person of that name that you may see")
        return 0
    for item in results:
        print(f"{item['id']:6}  {item['name']}  ({' / '.join(item['names'])})")
        print(f"        roles: {', '.join(item['roles']) or '-'}  records: {', '.join(item['records'])}")
    return 0


def _reviewer(args: argparse.Namespace) -> Any:
    from dhakira_web.archive import policy
    from dhakira_web.cli import UsageError, _open, _viewer

    _open(args)
    user = _viewer(args)
    if not policy.may_review(user):
        raise UsageError("only reviewers may change persons")
    return user


def _visible_person(user: Any, pk: int) -> Any:
    from dhakira_web.archive import policy
    from dhakira_web.cli import UsageError

    person = policy.visible_persons(user).filter(pk=pk).first()
    if person is None:
        raise UsageError(f"no person {pk} that you may see")
    return person


def command_person_separate(args: argparse.Namespace) -> int:
    user = _reviewer(args)
    from dhakira_web.archive import policy
    from dhakira_web.archive.entities.persons import separate_mentions

    record = policy.visible_record(user, args.record)
    if record is None:
        print(f"no record {args.record} that you may see", file=sys.stderr)
        return 1
    new = separate_mentions(_visible_person(user, args.person), record, user.get_username())
    print(f"person {new.pk}: {new.name} (separated from {args.person})")
    return 0


def command_person_merge(args: argparse.Namespace) -> int:
    user = _reviewer(args)
    from dhakira_web.archive.entities.persons import merge_persons

    kept = merge_persons(_visible_person(user, args.keep), _visible_person(user, args.other), user.get_username())
    print(f"person {kept.pk}: {' / '.join(kept.names)}")
    return 0


def command_person_access(args: argparse.Namespace) -> int:
    user = _reviewer(args)
    from dhakira_web.archive.entities.persons import set_access_level

    set_access_level(_visible_person(user, args.person), args.level, user.get_username())
    print(f"person {args.person}: {args.level}")
    return 0
