"""The `gongwen` command line: `extract` a few files, `run` a batch over a folder, `diff` two plans,
`tracker` the 督办台账 of every notice in the store."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.batch.settings import STORE_NAME, Settings
from pipeline.collector import paused
from pipeline.errors import InputError
from pipeline.files import one_line, readable, write_atomically
from pipeline.inputs.formats import SUPPORTED, why_skipped
from schemas.notice import Notice, gongwen_version

MIN_WORKER_MB = 400  # a worker with less fails while it loads spaCy and jieba
ISSUERS_SHOWN = 15  # issuers named where the one asked for is not in the store


class UsageError(Exception):
    """A user's mistake: one line naming the file or folder and why, exit code 2."""


def _memory(text: str) -> float:
    """--max-memory in MB: enough for a worker to load the pipeline."""
    value = _positive(float)(text)
    if value < MIN_WORKER_MB:
        raise argparse.ArgumentTypeError(f"a worker needs at least {MIN_WORKER_MB} MB to load the pipeline: {text}")
    return value


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


STORE_HELP = "the batch's store, or its output folder (data/out/gongwen.duckdb)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongwen", description="Chinese government notices → task records.")
    parser.add_argument("--version", action="version", version=f"gongwen {gongwen_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract notices: <stem>.json, .xlsx and .review.html for each")
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("-o", "--out", type=Path, default=Path("data/out"), help="output folder (data/out)")
    extract.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    run = commands.add_parser("run", help="process every notice below a folder, skipping those done before")
    run.add_argument("input", nargs="?", type=Path, default=Path("data/raw"), help="folder or file (data/raw)")
    run.add_argument("-o", "--out", type=Path, default=Path("data/out"), help="output folder (data/out)")
    run.add_argument("--workers", type=_positive(int), default=Settings.workers, help="worker processes (one per core)")
    run.add_argument("--force", action="store_true", help="redo every file, changed or not")
    run.add_argument("--retry-errors", action="store_true", help="redo the files that failed before")
    run.add_argument("--time-limit", type=_positive(float), default=Settings.time_limit, help="seconds per file (120)")
    run.add_argument(
        "--max-size", type=_positive(float), default=Settings.max_bytes / 2**20, help="largest file, MB (200)"
    )
    run.add_argument(
        "--max-memory", type=_memory, default=Settings.memory / 2**20, help="MB per worker (1024; 400 at least)"
    )
    run.add_argument("--executor", choices=("local", "dask"), help="where the workers run (dask with --scheduler)")
    run.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    diff = commands.add_parser("diff", help="compare two plans: the tasks added, removed and changed")
    diff.add_argument("plans", nargs="*", type=Path, metavar="OLD NEW", help="two notices, any format or gongwen JSON")
    diff.add_argument("--issuer", metavar="NAME", help="compare the two latest plans of an issuer in the store")
    diff.add_argument("--store", type=Path, default=Path("data/out") / STORE_NAME, help=STORE_HELP)
    diff.add_argument("-o", "--out", type=Path, help="the workbook (<old>-vs-<new>.diff.xlsx beside NEW, or the store)")
    diff.add_argument("--json", action="store_true", help="print the diff as JSON on standard output")
    review = commands.add_parser("review", help="a page to check a notice's extraction against its text")
    review.add_argument("notice", type=Path, metavar="NOTICE", help="a notice, any format or gongwen JSON")
    review.add_argument("-o", "--out", type=Path, help="the page (<stem>.review.html beside NOTICE)")
    tracker = commands.add_parser(
        "tracker", help="督办台账: every task in the store by unit and by date, and a calendar"
    )
    tracker.add_argument("--store", type=Path, default=Path("data/out") / STORE_NAME, help=STORE_HELP)
    tracker.add_argument("-o", "--out", type=Path, help="the workbook (督办台账.xlsx beside the store)")
    tracker.add_argument("--ics", type=Path, help="the calendar (督办台账.ics beside the store)")
    tracker.add_argument(
        "--as-of", type=_day, default=dt.date.today(), help="the day to count from (today), YYYY-MM-DD"
    )
    args = parser.parse_args(argv)
    if args.command == "diff" and args.plans and args.issuer is not None:
        parser.error("diff compares two notices, OLD NEW, or an issuer's two latest plans, --issuer NAME: not both")
    if args.command == "diff" and (len(args.plans) != 2) == (args.issuer is None):
        parser.error("diff needs two notices, OLD NEW, or --issuer NAME")
    if args.command == "diff" and args.issuer is not None and not args.issuer.strip():
        parser.error("--issuer needs a name")
    if args.command == "run" and args.executor == "dask" and not args.scheduler:
        parser.error("--executor dask needs --scheduler ADDRESS")
    if args.command == "run" and args.executor == "local" and args.scheduler:
        parser.error("--scheduler is for --executor dask: the local executor runs here")
    try:
        return _dispatch(args)
    except UsageError as error:
        print(f"gongwen {args.command}: {one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # what was written stays written (atomically); say so, not a traceback
        print(f"gongwen {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gongwen … | head`: the reader has gone; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in ("extract", "review", "diff"):
        _load_pipeline()
    if args.command == "tracker":
        return tracker_command(_store(args.store), args.out, args.ics, args.as_of)
    if args.command == "review":
        return review_command(args.notice, args.out)
    if args.command == "extract":
        return extract_files(args.files, args.out, debug=args.debug)
    if args.command == "diff":
        return diff_command(args.plans, args.issuer, _store(args.store), args.out, args.json)
    settings = Settings(
        input=args.input, out_dir=args.out, workers=args.workers, force=args.force,
        retry_errors=args.retry_errors, time_limit=args.time_limit, max_bytes=int(args.max_size * 2**20),
        memory=int(args.max_memory * 2**20),
        scheduler=args.scheduler,
    )  # fmt: skip
    if not settings.input.exists():
        raise UsageError(f"{one_line(readable(settings.input))}: no such file or folder")
    if not (settings.input.is_dir() or settings.input.is_file()):
        raise UsageError(f"{one_line(readable(settings.input))}: not a regular file (a pipe, socket or device)")
    writable_folder(settings.out_dir)
    from pipeline.batch.console import run_command  # here: the other commands never load the batch

    return run_command(settings)


def _load_pipeline() -> None:
    """Import the pipeline (spaCy, jieba, the vocabularies) with the garbage collector paused, and
    set what it made aside (`gc.freeze`): it lives as long as the process, and the full
    collections its import would set off, each walking every object spaCy made, free nothing
    (a tenth of a small notice's run).  `gongwen run` loads it in its fork server instead."""
    if "pipeline.process" in sys.modules:  # loaded before (main called again in one process)
        return
    with paused(freeze=True):
        import pipeline.process  # noqa: F401


def _store(path: Path) -> Path:
    """The store `--store` names: the file, or the one in the output folder it names."""
    return path / STORE_NAME if path.is_dir() else path


def writable_folder(folder: Path) -> Path:
    """The output folder, created if need be; `UsageError` naming it and why it cannot be one."""
    shown = one_line(readable(folder))
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{shown}: not a folder (a file of that name is there)")
    above = next((parent for parent in folder.parents if parent.exists()), None)
    if above is not None and not above.is_dir():
        raise UsageError(f"{shown}: cannot be a folder, {one_line(readable(above))} is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{shown}: cannot create the folder ({error.strerror or error})") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: the folder is not writable")
    return folder


def _unwritable(target: Path, error: OSError) -> UsageError:
    """A write that failed for the output, not the input: a full disk, a read-only folder."""
    return UsageError(f"cannot write {one_line(readable(target))}: {error.strerror or error}")


def extract_files(files: Sequence[Path], out_dir: Path, debug: bool = False) -> int:
    """Extract each file; a file that fails is reported in one line and the others go on."""
    from pipeline.process import export, process, warnings_of  # here: `run` does not load the pipeline in this process

    for path in files:
        _a_file(path)
    _distinct_stems(files)
    writable_folder(out_dir)
    failed = 0
    for path in files:
        name = one_line(readable(path))
        if path.suffix.lower() not in SUPPORTED:
            failed += 1
            print(f"{name}: {why_skipped(path)}", file=sys.stderr)
            continue
        try:
            notices = process(path)
            try:
                written = [p for notice in notices for p in export(notice, out_dir)]
            except OSError as error:  # the output's fault, not the file's: no use going on
                raise _unwritable(out_dir, error) from error
        except InputError as error:
            failed += 1
            print(f"{name}: {one_line(str(error))}", file=sys.stderr)
        except UsageError:
            raise
        except Exception as error:  # one bad file never stops the rest
            if debug:
                raise
            failed += 1
            print(f"{name}: {one_line(f'internal error ({type(error).__name__}: {error})')}", file=sys.stderr)
        else:
            print(f"{name} → {_written(notices, written)}")
            for warning in warnings_of(notices):
                print(f"{name}: warning: {one_line(warning)}", file=sys.stderr)
    return 1 if failed else 0


def _a_file(path: Path) -> Path:
    """`UsageError` unless the path is a regular file (a folder is `gongwen run`'s; reading a
    pipe would wait for ever)."""
    shown = one_line(readable(path))
    if path.is_dir():
        raise UsageError(f"{shown}: a folder (gongwen run {shown} reads every notice below it)")
    if not path.exists():
        raise UsageError(f"{shown}: no such file")
    if not path.is_file():
        raise UsageError(f"{shown}: not a regular file (a pipe, socket or device)")
    return path


def _file_in(path: Path, name: str) -> Path:
    """An output file `-o` names: the path, or `name` in it where it is a folder."""
    return path / name if path.is_dir() else path


def _not_an_input(target: Path, inputs: Sequence[Path]) -> Path:
    """`UsageError` where an output would be written over one of the command's inputs."""
    for path in inputs:
        if target.exists() and target.resolve() == path.resolve():
            raise UsageError(f"{one_line(readable(target))}: is the input; name another -o")
    return target


def _distinct_stems(files: Sequence[Path]) -> None:
    """`UsageError` where two files would write the same outputs (a/通知.pdf and b/通知.docx)."""
    first: dict[str, Path] = {}
    for path in files:
        other = first.setdefault(path.stem.casefold(), path)
        if other != path and other.resolve() != path.resolve():
            raise UsageError(
                f"{one_line(readable(other))} and {one_line(readable(path))} would both write {path.stem}.*: "
                "extract them one at a time to different folders (-o), or gongwen run their folder"
            )


def _written(notices: Sequence[Notice], written: Sequence[Path]) -> str:
    """What a file gave, in one line: its outputs, or for a bundle of plans the range of them."""
    tasks = sum(len(notice.tasks) for notice in notices)
    if len(notices) == 1:
        return f"{', '.join(one_line(readable(p)) for p in written)} ({tasks} tasks)"
    first, last = notices[0].source, notices[-1].source
    where = one_line(readable(written[0].parent / first.stem))
    return f"{where}..{last.plan_suffix.lstrip('-')} .json .xlsx .review.html ({len(notices)} plans, {tasks:,} tasks)"


def review_command(path: Path, out: Path | None) -> int:
    """Write the review page of a notice (a page for each plan of a bundle); exit 1 if it cannot be read."""
    from pipeline.inputs.formats import is_own_output
    from pipeline.outputs.review import review_html
    from pipeline.process import read_notices

    shown = one_line(readable(_a_file(path)))
    if is_own_output(path):
        raise UsageError(f"{shown}: a page or workbook gongwen wrote; review the notice it was made from")
    folder = out if out is not None and out.is_dir() else None
    try:
        notices = read_notices(path)
    except InputError as error:
        print(f"gongwen review: {shown}: {one_line(str(error))}", file=sys.stderr)
        return 1
    if out is not None and folder is None and len(notices) > 1:
        raise UsageError(f"{shown}: bundles {len(notices)} plans: -o a folder, or leave it out, and each gets its page")
    writable_folder(folder or (out.parent if out else path.parent))
    page = out if folder is None else None  # -o a file: the one page
    written = []
    for notice in notices:
        target = page or (folder or path.parent) / f"{notice.source.stem}.review.html"
        _not_an_input(target, [path])
        try:
            write_atomically(target, review_html(notice).encode("utf-8"))
        except OSError as error:
            raise _unwritable(target, error) from error
        written.append(target)
    tasks = sum(len(notice.tasks) for notice in notices)
    if len(notices) == 1:
        print(f"{shown} → {one_line(readable(written[0]))} ({tasks} tasks)")
    else:
        first = one_line(readable(written[0].parent / notices[0].source.stem))
        last = notices[-1].source.plan_suffix.lstrip("-")
        print(f"{shown} → {first}..{last}.review.html ({len(notices)} plans, {tasks:,} tasks)")
    return 0


def diff_command(plans: Sequence[Path], issuer: str | None, store: Path, out: Path | None, as_json: bool) -> int:
    """Compare two plans and write the workbook; exit 1 if a notice cannot be read, 2 if the
    store has no two plans of the issuer."""
    from pipeline.batch.store import StoreError
    from pipeline.diff import diff
    from pipeline.outputs.diff_workbook import write_diff_xlsx

    for path in plans:
        _a_file(path)
    if issuer is not None and not store.is_file():
        raise UsageError(f"{one_line(readable(store))}: no store there (gongwen run writes it; --store names it)")
    try:
        if issuer is None:
            old, new = (_read_plan(path) for path in plans)
        else:
            old, new = (Notice.model_validate_json(record) for record in _latest_plans(store, issuer))
    except InputError as error:
        print(f"gongwen diff: {one_line(str(error))}", file=sys.stderr)
        return 1
    except (StoreError, LookupError) as error:
        raise UsageError(str(error)) from error
    plan_diff = diff(old, new)
    name = f"{old.source.stem}-vs-{new.source.stem}.diff.xlsx"
    target = _not_an_input(_file_in(out, name) if out else (plans[1].parent if plans else store.parent) / name, plans)
    writable_folder(target.parent)
    try:
        write_diff_xlsx(plan_diff, target)
    except OSError as error:
        raise _unwritable(target, error) from error
    counts = ", ".join(f"{count} {status}" for status, count in plan_diff.counts.items())
    print(f"{old.source.name} → {new.source.name}: {counts} → {target}", file=sys.stderr if as_json else sys.stdout)
    if as_json:
        print(plan_diff.model_dump_json(indent=2))
    return 0


def _read_plan(path: Path) -> Notice:
    """The one notice of a file; `InputError` naming the file."""
    from pipeline.process import read_notice

    try:
        return read_notice(path)
    except InputError as error:
        raise InputError(f"{one_line(readable(path))}: {error}") from error


def _latest_plans(store_path: Path, issuer: str) -> list[str]:
    """The records of the issuer's latest plan and its predecessor in the store."""
    from pipeline.batch.store import Store
    from pipeline.diff import latest_of_a_series

    store = Store(store_path, read_only=True)
    try:
        issuer = _issuer_in(store.issuers(), issuer)
        plans = store.plans(issuer)
        found = latest_of_a_series([(title, year) for title, year, _ in plans])
        if found is None:
            known = "、".join(f"{name}（{count}）" for name, count in list(store.issuers().items())[:ISSUERS_SHOWN])
            what = f"no two plans of one series from {issuer}" if plans else f"no plan from {issuer}"
            raise LookupError(f"{what} in {store_path}; issuers there (notices): {known or 'none'}")
        newer, older = found
        return [plans[older][2], plans[newer][2]]
    finally:
        store.close()


def _issuer_in(issuers: dict[str, int], name: str) -> str:
    """The issuer of the store a name means: itself, else the one it is a short form of
    (青浦区卫健委 → 上海市青浦区卫生健康委员会); `LookupError` where it may be several."""
    from extractors.parties import name_key, without_place

    if name in issuers:
        return name
    key = name_key(name)
    with_place = [known for known in issuers if name_key(known).endswith(key)]
    if len(with_place) == 1:  # 青浦区卫健委 is 青浦区's, not 金山区's 卫生健康委员会
        return with_place[0]
    key = name_key(without_place(name))
    matches = with_place or [known for known in issuers if name_key(without_place(known)) == key]
    if len(matches) > 1:
        raise LookupError(f"{name} may be any of {'、'.join(matches)}: name one of them")
    return matches[0] if matches else name


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date, YYYY-MM-DD: {text}") from None


def tracker_command(store_path: Path, out: Path | None, ics: Path | None, as_of: dt.date) -> int:
    """Write the 督办台账 and its calendar from the store; exit 1 if the store holds no task, 2 if
    it cannot be read or the tracker cannot be written."""
    from pipeline.batch.store import Store, StoreError
    from pipeline.outputs.ledger import SOON_DAYS
    from pipeline.outputs.tracker import CALENDAR_NAME, TRACKER_NAME, NothingToTrack, is_tracker, write_tracker

    target = _file_in(out, TRACKER_NAME) if out else store_path.parent / TRACKER_NAME
    calendar = _file_in(ics, CALENDAR_NAME) if ics else store_path.parent / CALENDAR_NAME
    if target.is_file() and not is_tracker(target):
        raise UsageError(f"{one_line(readable(target))}: a workbook that is no 督办台账: name another -o")
    try:
        store = Store(store_path, read_only=True)
        try:
            report = write_tracker(store, target, calendar, as_of)
        finally:
            store.close()
    except NothingToTrack as error:
        print(f"gongwen tracker: {error}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"gongwen tracker: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"gongwen tracker: cannot write {error.filename or target}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(
        f"督办台账 as of {as_of}: {report.tasks} tasks of {report.notices} notices, {report.overdue} overdue, "
        f"{report.soon} due within {SOON_DAYS} days, {report.done} done → {target}, {calendar}"
    )
    if not report.deadlines:
        print("gongwen tracker: no task in the store names a deadline: nothing falls due, the calendar is empty",
              file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
