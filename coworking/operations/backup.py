"""A consistent copy of the database and bringing one back: SQLite's online backup API, and
pg_dump/pg_restore in their custom format on PostgreSQL. Both work while the app serves;
a restore replaces everything, so stop the app and the jobs for it."""
import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """What went wrong, in words for the command line."""


def backup(database_url, out):
    """Write a copy of the database to `out` (replaced only once the copy is complete)."""
    url = make_url(database_url)
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        elif url.get_backend_name() == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", _libpq(url)], url)
        else:
            raise BackupError(f"no backup for {url.get_backend_name()} databases")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def restore(database_url, source):
    """Replace the database's contents with the copy in `source`."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if url.get_backend_name() == "sqlite":
        _check_sqlite_copy(source)
        _sqlite_copy(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        # One transaction: a restore that fails half-way leaves the database as it was.
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={_libpq(url)}",
              str(source)], url)
    else:
        raise BackupError(f"no restore for {url.get_backend_name()} databases")


def _sqlite_path(url):
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _sqlite_copy(source, target):
    """SQLite's online backup: a consistent copy page by page, writers wait only briefly."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _check_sqlite_copy(path):
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database: {error}") from None
    if result != "ok" or "alembic_version" not in tables:
        raise BackupError(f"{path} is not a backup of this app's database")


def _libpq(url):
    """The URL for libpq, without the password (that goes in PGPASSWORD, not in `ps`)."""
    return url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)


def _run(command, url):
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools)") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
