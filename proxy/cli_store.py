"""What the store-reading commands (``baomi holds``, ``baomi reviewers``, later ``baomi incidents``) share:
the ``--data-dir`` / ``--database-url`` options that find the server's database, and their error output."""
from __future__ import annotations

import argparse
import sys

from proxy.settings import Settings


def store_options() -> argparse.ArgumentParser:
    """A parent parser with the options that point a command at the server's store."""
    defaults = Settings()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=None, help=f"state directory (default {defaults.data_dir})")
    common.add_argument("--database-url", default=None, metavar="URL",
                        help="SQLAlchemy URL of the store (default SQLite at <data_dir>/baomi.db)")
    return common


def fail(message: str) -> int:
    print(f"baomi: {message}", file=sys.stderr)
    return 1


def settings_of(args: argparse.Namespace) -> Settings:
    """The server's settings (``BAOMI_*``), with the command's store options on top."""
    try:
        return Settings.load(data_dir=args.data_dir, database_url=args.database_url)
    except ValueError as exc:
        raise SystemExit(f"baomi: {exc}") from None
