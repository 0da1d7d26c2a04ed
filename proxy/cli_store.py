"""What the store-reading commands (``baomi holds``, ``baomi incidents``, ``baomi reviewers``) share: the
``--data-dir`` / ``--database-url`` options that find the server's database, opening it without creating
anything, reviewer authentication for the commands that show evidence or act, time parsing and display
(UTC+08:00 unless an offset is given), a terminal table, and their error output.
"""
from __future__ import annotations

import argparse
import functools
import getpass
import sys
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from proxy.settings import Settings

#: the zone a date or offset-less time on the command line is read in, and the zone times are shown in
#: (China Standard Time: no daylight saving, so a fixed offset is exact)
CST = timezone(timedelta(hours=8), "UTC+08:00")

BAD_LOGIN = ("审核员名称或密码错误，或账户已停用/锁定 / wrong reviewer name or password, or the account is "
             "disabled or locked")


def store_options() -> argparse.ArgumentParser:
    """A parent parser with the options that point a command at the server's store."""
    defaults = Settings()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None, help=f"state directory (default {defaults.data_dir})")
    common.add_argument("--database-url", default=None, metavar="URL",
                        help="SQLAlchemy URL of the store (default SQLite at <data_dir>/baomi.db)")
    return common


def reviewer_options(*, required: bool = False) -> argparse.ArgumentParser:
    """A parent parser with ``--reviewer NAME --password-stdin`` (never a password in argv)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--reviewer", metavar="NAME", required=required,
                   help="console account acting or viewing (checked with its password)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the reviewer's password from the first line of standard input "
                        "(without it, a hidden prompt on a terminal)")
    return p


def fail(message: str) -> int:
    print(f"baomi: {message}", file=sys.stderr)
    return 1


def settings_of(args: argparse.Namespace) -> Settings:
    """The server's settings (``BAOMI_*``), with the command's store options on top."""
    try:
        return Settings.load(data_dir=args.data_dir, database_url=args.database_url)
    except ValueError as exc:
        raise SystemExit(f"baomi: {exc}") from None


def database_missing(settings: Settings) -> bool:
    """True (after a message) if the store is a SQLite file that does not exist: the settings point
    elsewhere, and opening it would silently create an empty database."""
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(settings.store_url)
    except sa.exc.ArgumentError:
        fail("数据库地址无效 / invalid database URL (check --database-url / BAOMI_DATABASE_URL)")
        return True
    path = url.database if url.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not path.startswith("file:") and not Path(path).is_file():
        fail(f"数据库 {path} 不存在，请检查 --data-dir / --database-url / no database at {path}: "
             f"check --data-dir / --database-url (or BAOMI_DATA_DIR / BAOMI_DATABASE_URL)")
        return True
    return False


def open_incidents(settings: Settings, key: bytes | None = None):
    """The incident store, or None (after a message) if its SQLite file does not exist."""
    if database_missing(settings):
        return None
    from proxy.store.incidents import IncidentStore

    return IncidentStore(settings.store_url, key)


def load_key(settings: Settings) -> bytes | None:
    """The evidence key, never created here (a fresh key opens nothing); None after a message."""
    from proxy.store.keys import EvidenceKeyError, load_evidence_key

    try:
        return load_evidence_key(settings, create=False)
    except (EvidenceKeyError, OSError) as exc:
        fail(str(exc))
        return None


def guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Database errors (schema missing, server unreachable) as one message and exit 1, not a traceback."""
    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        import sqlalchemy as sa

        try:
            return func(args)
        except sa.exc.SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            return fail("无法读取数据库（尚未初始化，或无法连接）/ cannot use the database (not initialised by "
                        "`baomi serve` yet, or unreachable)" + (f": {detail[0][:300]}" if detail else ""))
    return run


# --- reviewers ------------------------------------------------------------------------------------------

def read_password(args: argparse.Namespace) -> str | None:
    """The first line of standard input with ``--password-stdin``, else a hidden prompt on a terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin is not None and sys.stdin.isatty():
        try:
            password = getpass.getpass(f"{args.reviewer} 的密码 / password for {args.reviewer}: ")
        except (EOFError, KeyboardInterrupt):
            password = ""
    else:
        fail("请使用 --password-stdin 从标准输入提供密码 / pass --password-stdin to read the password from stdin")
        return None
    if not password:
        fail("未读到密码 / no password was given")
        return None
    return password


def authenticate(settings: Settings, args: argparse.Namespace):
    """The active reviewer named by ``--reviewer`` if the password matches; None after a generic message
    (an unknown name, a wrong password and a locked or disabled account read the same)."""
    from proxy.store.reviewers import ReviewerStore

    password = read_password(args)
    if password is None:
        return None
    store = ReviewerStore(settings.store_url)
    try:
        reviewer = store.verify(args.reviewer, password)
    finally:
        store.close()
    if reviewer is None:
        fail(BAD_LOGIN)
    return reviewer


def reviewer_names(engine: Any) -> dict[int, str]:
    """id -> name of every reviewer, disabled ones included (the audit names people who have left)."""
    import sqlalchemy as sa

    from proxy.store.schema import reviewers

    with engine.connect() as conn:
        return {r.id: r.name for r in conn.execute(sa.select(reviewers.c.id, reviewers.c.name))}


# --- times ----------------------------------------------------------------------------------------------

def shown_time(ts: datetime | None) -> str:
    """A stored (UTC) time as the commands show it: ISO 8601 at UTC+08:00, to the second."""
    return ts.astimezone(CST).isoformat(timespec="seconds") if ts else "-"


def _when(text: str, *, end: bool) -> datetime:
    s = text.strip()
    try:
        day = date.fromisoformat(s)
    except ValueError:
        day = None
    try:
        if day is not None:  # a whole day at UTC+08:00; as an upper bound it includes that day
            return datetime.combine(day + timedelta(days=1 if end else 0), time(), CST)
        ts = datetime.fromisoformat(s)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"无效的日期或时间 {text!r}，应为 ISO 8601 格式，如 2024-05-01、2024-05-01T09:30 或 "
            f"2024-05-01T09:30+00:00 / invalid date or time {text!r}: expected ISO 8601, e.g. 2024-05-01, "
            f"2024-05-01T09:30 or 2024-05-01T09:30+00:00 (without an offset: UTC+08:00)") from None
    return ts.replace(tzinfo=CST) if ts.tzinfo is None else ts


def since_arg(text: str) -> datetime:
    """``--since``: inclusive; a date means its start (00:00 UTC+08:00)."""
    return _when(text, end=False)


def until_arg(text: str) -> datetime:
    """``--until``: exclusive for a time; a date includes that whole day (up to 24:00 UTC+08:00)."""
    return _when(text, end=True)


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 / expected a positive whole number, got {text!r}")
    return n


# --- output ---------------------------------------------------------------------------------------------

def printable(text: Any) -> str:
    """Text safe for a terminal: control characters (escape sequences, newlines) shown as ``\\x..``;
    client-supplied fields such as the model name must not be able to drive the reviewer's terminal."""
    s = "-" if text is None or text == "" else str(text)
    return "".join(ch if not unicodedata.category(ch).startswith("C") or ch == "\u200d"
                   else ascii(ch)[1:-1] for ch in s)


def width(text: str) -> int:
    """Columns on a terminal: East-Asian wide and full-width characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(columns: Sequence[str], rows: list[dict[str, Any]]) -> str:
    """Aligned columns (two spaces apart), a header line first; cells go through :func:`printable`."""
    cells = [[printable(r.get(c)) for c in columns] for r in rows]
    widths = [max([width(c)] + [width(line[i]) for line in cells]) for i, c in enumerate(columns)]
    return "\n".join("  ".join(pad(v, w) for v, w in zip(line, widths)).rstrip()
                     for line in [list(columns)] + cells)
