"""``baomi reviewers add NAME --role ROLE --password-stdin`` and ``baomi reviewers list``.

The password is read from standard input (``--password-stdin``, first line) or typed at a hidden prompt,
never taken from the command line, where ``ps``, shell history and audit logs would keep it.

``add`` is how the first admin is made, possibly before the server has ever started, so it creates the
data directory and brings the database to the current schema (as the server's start would). ``list`` only
reads: a missing SQLite file means the settings point elsewhere, and it says so instead of creating one.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from proxy.cli_store import fail, settings_of, store_options


def add_parser(sub: Any) -> None:
    common = store_options()

    r = sub.add_parser("reviewers", help="console accounts: add a reviewer, admin or auditor; list them")
    rs = r.add_subparsers(dest="reviewers_command", required=True)
    add = rs.add_parser("add", parents=[common], help="add a console account (password from stdin or a prompt)")
    add.add_argument("name", help="login name")
    add.add_argument("--role", required=True, choices=("reviewer", "admin", "auditor"),
                     help="reviewer: judge and release; auditor: read only; admin: also manages reviewers")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (never from argv)")
    add.set_defaults(func=_add)
    ls = rs.add_parser("list", parents=[common], help="list active accounts (never the hashes)")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=_list)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")  # the line, without its end
    if not sys.stdin.isatty():
        fail("请使用 --password-stdin 从标准输入提供密码 / pass --password-stdin to read the password from stdin")
        return None
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再次输入 / again: ") != first:
        fail("两次输入的密码不一致 / the passwords do not match")
        return None
    return first


def _add(args: argparse.Namespace) -> int:
    from proxy.store.migrate import upgrade
    from proxy.store.reviewers import ReviewerError, ReviewerStore, check_password

    password = _password(args)
    if password is None:
        return 1
    try:
        check_password(password)
    except ReviewerError as exc:
        return fail(str(exc))
    settings = settings_of(args)
    if not settings.database_url:
        settings.data_path.mkdir(parents=True, exist_ok=True)
    upgrade(settings.store_url)
    store = ReviewerStore(settings.store_url)
    try:
        reviewer = store.add(args.name, args.role, password)
    except ReviewerError as exc:
        return fail(str(exc))
    finally:
        store.close()
    print(f"已添加 {reviewer.role} {reviewer.name} / added {reviewer.role} {reviewer.name}")
    return 0


def _list(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from proxy.store.reviewers import ReviewerStore

    settings = settings_of(args)
    url = sa.engine.make_url(settings.store_url)
    path = url.database if url.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not path.startswith("file:"):
        from pathlib import Path

        if not Path(path).is_file():
            return fail(f"数据库 {path} 不存在，请检查 --data-dir / --database-url / no database at {path}: "
                         f"check --data-dir / --database-url (or BAOMI_DATA_DIR / BAOMI_DATABASE_URL)")
    store = ReviewerStore(settings.store_url)
    try:
        people = store.list()
    except sa.exc.DBAPIError:
        return fail("数据库尚未初始化（先启动服务或添加审核员） / the database has no reviewers table yet: "
                     "start the server or run `baomi reviewers add` first")
    finally:
        store.close()
    rows = [{"name": p.name, "role": p.role, "created_at": p.created_at.isoformat(timespec="seconds"),
             "locked_until": p.locked_until.isoformat(timespec="seconds") if p.locked_until else None}
            for p in people]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("（没有审核员 / no reviewers）")
    else:
        for r in rows:
            locked = f"  locked until {r['locked_until']}" if r["locked_until"] else ""
            print(f"{r['name']}\t{r['role']}\t{r['created_at']}{locked}")
    return 0
