"""The protection commands: ``access``, ``redact``, ``expunge``, ``audit verify|head``, ``check``, ``token``."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _record(code: str) -> Any:
    from dhakira_web.archive.models import Record
    from dhakira_web.cli import UsageError

    record = Record.objects.filter(code=code).first()
    if record is None:
        raise UsageError(f"no record {code}")
    return record


def _actor(args: argparse.Namespace) -> str:
    return getattr(args, "user", None) or "dhakira"


def command_access(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open

    _open(args)
    from dhakira_web.archive.protection.services import set_access

    record = _record(args.code)
    previous = set_access(record, args.level, actor=_actor(args), reason=args.reason or "")
    print(f"{record.code}: {previous} → {args.level}" if previous != args.level else f"{record.code} is already {args.level}")
    return 0


def command_redact(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open

    _open(args)
    from dhakira_web.archive.protection.services import ProtectionError, redact, unredact
    from dhakira_web.cli import UsageError

    record = _record(args.code)
    if args.remove:
        done = unredact(record, args.phrase, actor=_actor(args), reason=args.reason or "")
        print(f"{record.code}: redaction lifted" if done else f"{record.code}: no such redaction")
        return 0 if done else 1
    try:
        occurrences = redact(record, args.phrase, actor=_actor(args), reason=args.reason or "")
    except ProtectionError as error:
        raise UsageError(str(error)) from error
    print(f"{record.code}: {occurrences} occurrence(s) hidden below reviewer; search index rewritten")
    return 0


def command_expunge(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open

    _open(args)
    from dhakira_web.archive.protection.expunge import expunge
    from dhakira_web.archive.protection.services import ProtectionError
    from dhakira_web.cli import UsageError

    record = _record(args.code)
    try:
        done = expunge(record, actor=_actor(args), reason=args.reason)
    except ProtectionError as error:
        raise UsageError(str(error)) from error
    print(f"{done.code} expunged: {done.erased_entries} audit entries erased of their details, "
          f"original {'removed' if done.removed_original else 'kept (held by another record)'}, "
          f"{done.removed_incidents} incident(s) and {done.removed_persons} person(s) removed")
    if not done.database_scrubbed:
        print("PostgreSQL: now run the commands of docs/safety-removal.md (VACUUM FULL …) so that nothing stays on disk",
              file=sys.stderr)
    return 0


def command_audit(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open

    _open(args)
    from dhakira_web.archive import audit

    if args.action == "head":
        print(audit.head())
        return 0
    outcome = audit.check(args.head)
    if outcome.intact:
        print(f"audit log intact: {outcome.entries} entries")
        print(f"head {outcome.head}")
        return 0
    where = f"at entry {outcome.bad_entry}" if outcome.bad_entry is not None else "at its end"
    print(f"audit log broken {where}: {outcome.problem}", file=sys.stderr)
    print(f"last good head {outcome.head}")
    return 1


def command_check(args: argparse.Namespace) -> int:
    import os

    from dhakira_web.cli import _setup_django

    os.environ["DHAKIRA_PRODUCTION"] = "1"
    _setup_django(args.archive, migrate=False)
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=args.deploy, fail_level="WARNING")
    except SystemCheckError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def command_token(args: argparse.Namespace) -> int:
    from dhakira_web.cli import _open

    _open(args)
    from django.contrib.auth import get_user_model

    from dhakira_web.archive.protection import tokens
    from dhakira_web.cli import UsageError

    if args.action == "add":
        user = get_user_model().objects.filter(username=args.username).first()
        if user is None:
            raise UsageError(f"no user {args.username!r}")
        try:
            secret, token = tokens.issue(user, args.name or "script", scopes=args.scope or ["read"], days=args.days)
        except ValueError as error:
            raise UsageError(str(error)) from error
        print(f"token {token.prefix} for {user.get_username()} ({', '.join(token.scopes)}), expires {token.expires_at:%Y-%m-%d}")
        print(secret)
        return 0
    if args.action == "revoke":
        done = tokens.revoke(args.username)
        print("revoked" if done else "no such token")
        return 0 if done else 1
    for row in tokens.listing():
        print(row)
    return 0


def register(commands: Any) -> None:
    access = commands.add_parser("access", help="set a record's access level (audited)")
    access.add_argument("code")
    access.add_argument("level", choices=["public", "restricted", "confidential"])
    access.add_argument("--reason", default="")
    access.add_argument("--user", help="the person doing it, for the audit log")
    access.set_defaults(run=command_access)

    redact = commands.add_parser("redact", help="hide a phrase of a record from anyone below reviewer (audited)")
    redact.add_argument("code")
    redact.add_argument("phrase")
    redact.add_argument("--reason", default="")
    redact.add_argument("--remove", action="store_true", help="lift the redaction instead")
    redact.add_argument("--user", help="the person doing it, for the audit log")
    redact.set_defaults(run=command_redact)

    expunge = commands.add_parser("expunge", help="safety removal: take a record out so that nothing of it stays readable")
    expunge.add_argument("code")
    expunge.add_argument("--reason", required=True)
    expunge.add_argument("--user", help="the person doing it, for the audit log")
    expunge.set_defaults(run=command_expunge)

    audit = commands.add_parser("audit", help="verify the tamper-evident audit log, or print its head")
    audit.add_argument("action", nargs="?", default="verify", choices=["verify", "head"])
    audit.add_argument("--head", help="a head printed earlier: verify that the chain still holds it (nothing cut off)")
    audit.set_defaults(run=command_audit)

    check = commands.add_parser("check", help="run Django's checks with production settings")
    check.add_argument("--deploy", action="store_true", help="include the deployment checks")
    check.set_defaults(run=command_check)

    token = commands.add_parser("token", help="API tokens for scripts: add, list, revoke")
    token.add_argument("action", choices=["add", "list", "revoke"])
    token.add_argument("username", nargs="?", default="", help="user (add) or token prefix (revoke)")
    token.add_argument("--name")
    token.add_argument("--scope", action="append", choices=["read", "review", "admin"])
    token.add_argument("--days", type=int, default=90)
    token.set_defaults(run=command_token)
