"""Command line for the first admin and for automation.

    python -m storage users add EMAIL --role ROLE [--scope national|province:<id>|ministry:<id>|agency:<id>]
    python -m storage users import users.csv       (columns email, role, scope[, display_name, active])
    python -m storage users list
    python -m storage users set EMAIL [--role ROLE] [--scope SCOPE] [--deactivate | --activate]

It uses the app's database (DATABASE_URL, .streamlit/secrets.toml or data/dmm.sqlite3) and
writes every change to the audit trail as `cli:<login name>`. Exit codes: 0 done, 1 some rows or
the change refused (one line each), 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from storage.access import ROLE_SCOPES
from storage.accounts import Accounts
from storage.errors import StorageError
from storage.schema import ROLES
from storage.scope import Scope
from storage.service import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage", description="Users, roles and scopes of DMM-VN.")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, secrets, data/dmm.sqlite3)")
    area = parser.add_subparsers(dest="area", required=True)
    users = area.add_parser("users", help="list, add, change or import users")
    command = users.add_subparsers(dest="command", required=True)
    add = command.add_parser("add", help="add one user")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", default=None, help="national, province:<id>, ministry:<id> or agency:<id>")
    add.add_argument("--name", default=None, help="display name")
    change = command.add_parser("set", help="change a user's role, scope or active flag")
    change.add_argument("email")
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--scope")
    flag = change.add_mutually_exclusive_group()
    flag.add_argument("--deactivate", action="store_true")
    flag.add_argument("--activate", action="store_true")
    imp = command.add_parser("import", help="add or update the users of a CSV file")
    imp.add_argument("csv", type=Path)
    command.add_parser("list", help="every user")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        store = Store(args.database)
    except StorageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    accounts = Accounts(store)
    trusted = Scope.national()
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.command == "add":
            scope = args.scope or ("national" if "national" in ROLE_SCOPES[args.role] else "")
            user = accounts.add_user(args.email, args.role, scope, trusted, actor, display_name=args.name)
            print(f"added {user.email}: {user.role} {user.scope}")
        elif args.command == "set":
            active = False if args.deactivate else True if args.activate else None
            user = accounts.change_user(args.email, trusted, actor, role=args.role, scope_text=args.scope,
                                        active=active)
            print(f"{user.email}: {user.role} {user.scope} {'active' if user.active else 'inactive'}")
        elif args.command == "import":
            try:
                text = args.csv.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                print(f"{args.csv}: cannot read ({error})", file=sys.stderr)
                return 1
            report = accounts.import_csv(text, trusted, actor)
            for number, reason in report.problems:
                print(f"{args.csv}:{number}: {reason}", file=sys.stderr)
            print(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                  f"{len(report.problems)} refused")
            return 1 if report.problems else 0
        else:
            users = accounts.list_users(trusted)
            if not users:
                print("no users yet: add the first admin with  python -m storage users add EMAIL --role admin")
            for user in users:
                state = "active" if user.active else "inactive"
                print(f"{user.email}\t{user.role}\t{user.scope}\t{state}\t{user.display_name or ''}")
    except StorageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
