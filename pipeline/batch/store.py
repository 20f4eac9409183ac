"""The batch's store: every notice and task processed, in one DuckDB file beside the outputs.

Analysts query all circulars at once (`duckdb.connect("data/out/gongwen.duckdb")`, or
`.df()` into pandas); the batch reads it to skip unchanged files, and the year-on-year diff
to find an issuer's earlier plans.  DuckDB rather than SQLite: the same file answers
analytical SQL fast, gives pandas frames (`.df()`), and writes Parquet without pyarrow.

Tables (one row per …): `files` (file seen by a batch, with its outcome), `notices`,
`tasks`, `deadlines`, `parties`, `targets`; a file's rows are replaced together, in one
transaction, when the file is processed again.

Rows arrive as JSON lines, which DuckDB's `read_json` inserts in one go; a notice's row,
which holds its whole record, is parsed here and its values bound instead, because
`read_json` refuses a line past its `maximum_object_size` (16 MB, twice that as it reads) and
needs several times a line's size in memory to read a longer one.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import errno
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import duckdb

from pipeline.batch.rows import TABLES, Rows, json_lines
from pipeline.batch.tracked import StoredTask, stored_task
from pipeline.files import atomic_path
from schemas.notice import SCHEMA_VERSION

STORE_VERSION = "3"  # 2: a file may give several notices (plans), each with its outputs;
# 3: a deadline's recurrence rule (rrule, dtstart), which the tracker expands
BOUND = ("notices",)  # tables whose rows are inserted value by value: a row holds a whole record
VALUES_ROWS = 64  # rows bound in one INSERT statement
_WRITE_FAULTS = (duckdb.IOException, duckdb.FatalException)  # the disk's, not the rows'
# ... as DuckDB may also report them, wrapped in another error (TransactionContext Error: Failed
# to commit: … No space left on device)
_DISK_MESSAGES = tuple(os.strerror(code) for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO))
FULL_DISK = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # a write that fails for the output folder's sake


def _disk_fault(error: duckdb.Error) -> bool:
    return isinstance(error, _WRITE_FAULTS) or any(message in str(error) for message in _DISK_MESSAGES)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0]


class StoreError(Exception):
    """The store cannot be opened or written (its disk is full, say); the message is one line a
    user can act on."""


class Unstorable(Exception):
    """The store refused rows (a value it cannot convert, say): nothing of them was saved; the
    message is DuckDB's first line."""


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A row of `files`: what the batch knows of a file from its last run."""

    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    gongwen_version: str
    status: str  # ok, error, skipped
    error_kind: str | None = None
    error: str | None = None
    pages: int | None = None
    tasks: int | None = None
    seconds: float | None = None
    processed_at: dt.datetime | None = None


# Each notice once (a file copied to two folders is one notice), and the covering notice's own
# instructions, which each plan of a bundle carries, once: with the bundle's first plan.
_TRACKED = """
WITH notice AS (
    SELECT n.path, n.plan, n.plans, n.sha256, n.sha256 || '#' || n.plan AS notice, n.name, n.issue_date,
           n.title AS notice_title, coalesce(n.plan_title, n.title, n.name) AS title, n.doc_number, n.plan_year,
           n.xlsx_path
    FROM notices n JOIN files f ON f.path = n.path AND f.status = 'ok'
    QUALIFY row_number() OVER (PARTITION BY n.sha256, n.plan ORDER BY n.path) = 1
), task AS (
    SELECT t.*, n.* EXCLUDE (path, plan) FROM tasks t JOIN notice n USING (path, plan)
    QUALIFY t.origin = 'body' OR row_number() OVER (PARTITION BY n.sha256, t.origin, t.text ORDER BY t.plan) = 1
)
SELECT t.notice,
       CASE WHEN t.origin = 'notice' AND t.plans > 1 THEN coalesce(t.notice_title, t.title) ELSE t.title END AS title,
       t.doc_number, t.plan_year, t.xlsx_path AS workbook, t.number, t.section, t.text, t.lead,
       t.implicit_lead, t.co, t.deadline AS "when", t.page, t.line,
       (SELECT list({'text': d.text, 'kind': d.kind, 'start': d.start_date, 'end': d.end_date,
                     'recurrence': d.recurrence, 'rrule': d.rrule, 'dtstart': d.dtstart,
                     'span': {'start': d.char_start, 'end': d.char_end, 'page': d.page, 'line': d.line}}
                    ORDER BY d.char_start)
        FROM deadlines d WHERE d.path = t.path AND d.plan = t.plan AND d.task = t.number) AS deadlines
FROM task t ORDER BY t.issue_date DESC NULLS LAST, t.name, t.path, t.plan, t.number
"""


class Store:
    """The DuckDB file; one batch writes it at a time (DuckDB locks the file)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"no store at {path}: `gongwen run` makes it")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # one thread and a memory cap: the workers need the cores, the batch a bounded footprint
            self.con = duckdb.connect(str(path), read_only, config={"threads": 1, "memory_limit": "256MB"})
            if not read_only:
                self._create()
        except duckdb.IOException as error:
            reason = str(error).splitlines()[0]
            if "lock" in reason.lower():
                reason = "another gongwen run, or a program that opened it, is using it"
            raise StoreError(f"cannot open the store {path}: {reason}") from error
        except duckdb.Error as error:
            raise StoreError(f"cannot open the store {path}: {str(error).splitlines()[0]}") from error
        self._check_version()

    def _check_version(self) -> None:
        try:
            version = self.info("store_version")
        except duckdb.CatalogException:  # a DuckDB file, but not a store
            version = None
        if version == STORE_VERSION:
            return
        if version is None:
            raise StoreError(f"{self.path} is not a gongwen store: move it aside")
        if version.isdigit() and int(version) < int(STORE_VERSION):
            raise StoreError(
                f"the store {self.path} was made by an older gongwen (store version {version}, this one needs "
                f"{STORE_VERSION}): move it aside and run `gongwen run` again, which redoes every file"
            )
        raise StoreError(f"the store {self.path} was made by a newer gongwen (store version {version}): move it aside")

    def _create(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS info (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for name, columns in TABLES.items():
            spec = ", ".join(f'"{column}" {kind}' for column, kind in columns.items())
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({spec})")
        if self.info("store_version") is None:
            self.set_info("store_version", STORE_VERSION)
            self.set_info("schema_version", SCHEMA_VERSION)

    def cursor(self) -> Store:
        """The store for another thread to use beside this one: DuckDB's connection is not
        thread-safe, a cursor of it (a connection of its own to the same database) is."""
        other = copy.copy(self)
        other.con = self.con.cursor()
        return other

    def info(self, key: str) -> str | None:
        found = self.con.execute("SELECT value FROM info WHERE key = ?", [key]).fetchone()
        return None if found is None else str(found[0])

    def set_info(self, key: str, value: str) -> None:
        with self._writing():
            self.con.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", [key, value])

    def files(self) -> dict[str, FileRecord]:
        columns = ", ".join(f'"{c}"' for c in TABLES["files"])
        return {row[0]: FileRecord(*row) for row in self.con.execute(f"SELECT {columns} FROM files").fetchall()}

    def save(self, records: Sequence[FileRecord], rows: Iterable[Rows]) -> None:
        """Replace the files' rows in every table by these, in one transaction that also marks
        the combined outputs (汇总.xlsx, tasks.parquet) as stale."""
        lines = {"files": [json_lines("files", (astuple(r) for r in records))]}
        for found in rows:
            for name, data in found.items():
                lines.setdefault(name, []).append(data)
        self._replace([r.path for r in records], lines)

    def forget(self, paths: Sequence[str]) -> None:
        """Remove files, and their rows in every table, in one transaction that also marks the
        combined outputs as stale."""
        self._replace(paths, {})

    def _replace(self, paths: Sequence[str], lines: dict[str, list[bytes]]) -> None:
        with self._writing():
            self.con.execute("BEGIN TRANSACTION")
            try:
                known = self._known(paths)
                for name, columns in TABLES.items():
                    if known:
                        self.con.execute(f"DELETE FROM {name} WHERE list_contains(?, path)", [known])
                    if data := b"".join(lines.get(name, [])):
                        self._insert(name, columns, data)
                self.set_info("combined", "stale")
                self.con.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(duckdb.Error):  # a failed write may have closed the transaction
                    self.con.execute("ROLLBACK")
                if isinstance(error, duckdb.Error) and _disk_fault(error):
                    raise self._disk_error(error) from error
                if isinstance(error, duckdb.Error):
                    raise Unstorable(_first_line(error)) from error
                raise

    def _known(self, paths: Sequence[str]) -> list[str]:
        """Those of the paths the store has a file of: only they have rows to replace (a file's
        rows come and go with its row of `files`), and a first run has none."""
        query = "SELECT path FROM files WHERE list_contains(?, path)"
        return [str(path) for (path,) in self.con.execute(query, [list(paths)]).fetchall()]

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A write that fails for the disk's sake as `_disk_error` says."""
        try:
            yield
        except _WRITE_FAULTS as error:
            raise self._disk_error(error) from error

    def _disk_error(self, error: duckdb.Error) -> Exception:
        """The error of a write that failed for the disk's sake: on a full or read-only disk
        (DuckDB's message says which, in the system's words) the OSError any other output meets
        there, so the batch says it the same way wherever the disk filled; else a StoreError."""
        for code in FULL_DISK:
            if os.strerror(code) in str(error):
                return OSError(code, os.strerror(code), str(self.path))
        return StoreError(f"cannot write the store {self.path}: {_first_line(error)}")

    def _insert(self, table: str, columns: dict[str, str], data: bytes) -> None:
        if table in BOUND:
            self._insert_values(table, columns, data)
        else:
            self._insert_lines(table, columns, data)

    def _insert_lines(self, table: str, columns: dict[str, str], data: bytes) -> None:
        staging = self.path.with_name(f".{self.path.name}.{table}.jsonl")
        try:
            staging.write_bytes(data)
            spec = ", ".join(f"'{column}': '{kind}'" for column, kind in columns.items())
            source = f"read_json(?, format = 'newline_delimited', columns = {{{spec}}})"
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source}", [str(staging)])
        finally:
            staging.unlink(missing_ok=True)

    def _insert_values(self, table: str, columns: dict[str, str], data: bytes) -> None:
        """The rows bound as the values of one INSERT per `VALUES_ROWS` rows: DuckDB's executemany
        runs a statement per row, three times slower with rows that hold a whole record."""
        rows = [json.loads(line) for line in data.split(b"\n") if line]
        names, marks = ", ".join(f'"{c}"' for c in columns), "(" + ", ".join("?" for _ in columns) + ")"
        for first in range(0, len(rows), VALUES_ROWS):
            part = rows[first : first + VALUES_ROWS]
            values = [r[c] for r in part for c in columns]
            self.con.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(part))}", values)

    def issuers(self) -> dict[str, int]:
        """Each issuer (of a notice, or one of its joint issuers) and how many notices it sent."""
        query = """SELECT name, count(*) FROM (SELECT DISTINCT path, unnest(list_append(issuers, issuer)) AS name
                   FROM notices) WHERE name IS NOT NULL GROUP BY name ORDER BY count(*) DESC, name"""
        return {str(name): int(count) for name, count in self.con.execute(query).fetchall()}

    def plans(self, issuer: str) -> list[tuple[str, int | None, str]]:
        """The issuer's notices, newest first (by plan year, then date of issue): each plan's
        title, year and record (JSON)."""
        query = """SELECT coalesce(plan_title, title, name), plan_year, record FROM notices
                   WHERE issuer = ? OR list_contains(issuers, ?)
                   ORDER BY plan_year DESC NULLS LAST, issue_date DESC NULLS LAST, name DESC"""
        return [
            (str(title), year, str(record)) for title, year, record in self.con.execute(query, [issuer] * 2).fetchall()
        ]

    def tracked_tasks(self) -> list[StoredTask]:
        """Every task of every notice, newest notice first (by date of issue), in each in its order."""
        names = [field.name for field in fields(StoredTask)]
        return [stored_task(dict(zip(names, row, strict=True))) for row in self.con.execute(_TRACKED).fetchall()]

    def export_tracked(self, target: Path) -> int:
        """`tracked_tasks` as JSON lines in `target` (`read_tracked` reads them), written by DuckDB:
        a batch hands them to a process of its own without making them objects itself (8,000 tasks
        are 40 MB of them); the number of tasks."""
        with self._writing():
            quoted = str(target).replace("'", "''")
            found = self.con.execute(f"COPY ({_TRACKED}) TO '{quoted}' (FORMAT json)").fetchone()
        return int(found[0]) if found else 0

    def touch(self, path: str, size: int, mtime_ns: int) -> None:
        """A file found with the same content under a new time: remember the time, not redo the file."""
        with self._writing():
            self.con.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", [size, mtime_ns, path])

    def write_parquet(self, query: str, target: Path) -> None:
        """Export a query's result to Parquet through a temporary file beside `target`."""
        with atomic_path(target) as temporary, self._writing():
            quoted = str(temporary).replace("'", "''")
            self.con.execute(f"COPY ({query}) TO '{quoted}' (FORMAT parquet)")

    def checkpoint(self) -> None:
        """Write the log of the last transactions into the store's file now, as closing it would;
        one that fails (a full disk) is left to the close."""
        with contextlib.suppress(duckdb.Error):
            self.con.execute("CHECKPOINT")

    def close(self) -> None:
        """Close the store; a checkpoint that fails (a full disk) leaves the log of its last
        transactions, which DuckDB replays when the store is next opened."""
        with contextlib.suppress(duckdb.Error):
            self.con.close()
