"""The 督办台账: every task of the store by unit and by date, the analyst's 进度 kept from run to
run, and the calendar read back as a calendar program reads it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Todo
from openpyxl import load_workbook

from pipeline.batch.runner import run_batch
from pipeline.batch.settings import STORE_NAME, Settings
from pipeline.batch.store import Store
from pipeline.batch.tracked import StoredTask, read_tracked
from pipeline.cli import main
from pipeline.files import stamp
from pipeline.outputs import tracker
from pipeline.outputs.ledger import follow
from pipeline.outputs.tracker import CALENDAR_NAME, TRACKER_NAME, write_tracked
from tests.conftest import Calls
from tests.corpus import RAW

SAMPLES = (
    "qingpu_2025_safety_plan.txt",  # a 2025 plan: quarters, holidays, 每季度
    "hd12_guobanfa_2019_3_youeryuan_zhili.txt",  # dated deadlines of 2019 and 2020
    "jinshan_2021_safety_resources_points.txt",  # recurring deadlines of 2021
)
AS_OF = dt.date(2025, 6, 5)
SOON = AS_OF + dt.timedelta(days=30)
HEADER = ("到期日", "完成时限", "工作任务", "牵头单位", "配合单位", "文件标题", "文号", "章节", "进度", "进度说明")


def _batch(names: tuple[str, ...], folder: Path) -> Path:
    raw, out = folder / "raw", folder / "out"
    raw.mkdir(parents=True)
    for name in names:
        shutil.copy(RAW / name, raw / name)
    assert run_batch(Settings(input=raw, out_dir=out, workers=1)).processed == len(names)
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _batch(SAMPLES, tmp_path_factory.mktemp("tracker"))


def _tracker(store: Path, target: Path, as_of: dt.date = AS_OF) -> int:
    return main(["tracker", "--store", str(store), "-o", str(target), "--ics", str(target.with_suffix(".ics")),
                 "--as-of", as_of.isoformat()])  # fmt: skip


def _tracked_tasks(out: Path) -> list[StoredTask]:
    store = Store(out / STORE_NAME, read_only=True)
    try:
        return store.tracked_tasks()
    finally:
        store.close()


def _sheet(path: Path, title: str) -> list[dict[str, Any]]:
    rows = list(load_workbook(path, read_only=True)[title].iter_rows(values_only=True))
    return [dict(zip([str(h) for h in rows[0]], row, strict=True)) for row in rows[1:]]


def _rows(store: Path, query: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(query).fetchall()


def _expected_counts(store: Path) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per lead unit, from the store's own tables: [tasks, overdue, due within 30 days, done],
    for all its tasks and for those it leads by inference.  The older plans' periods are over
    by 2025 (their last deadlines fall in 2019–2021), so their recurring deadlines are past; the
    2025 plan's fall due at their next occurrence."""
    query = """SELECT t.path, t.number, t.lead, t.implicit_lead, n.plan_year, d.kind, d.end_date, d.rrule, d.dtstart
               FROM tasks t JOIN notices n USING (path, plan)
               LEFT JOIN deadlines d ON d.path = t.path AND d.plan = t.plan AND d.task = t.number"""
    overdue, soon, units = set(), set(), {}
    for path, number, lead, implicit, year, kind, end, rule, start in _rows(store, query):
        task = (path, number)
        units[task] = (lead, False) if lead else (implicit.split("、"), True)  # 地区、部门: two units
        if kind in ("by", "within") and end is not None:
            overdue |= {task} if end < AS_OF else set()
            soon |= {task} if AS_OF <= end <= SOON else set()
        elif kind == "recurring" and year < AS_OF.year:
            overdue.add(task)
        elif kind == "recurring":
            after = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time())).after(
                dt.datetime.combine(AS_OF, dt.time()), inc=True
            )
            soon |= {task} if after is not None and after.date() <= SOON else set()
    every: dict[str, list[int]] = {}
    inferred: dict[str, list[int]] = {}
    for task, (leads, by_inference) in units.items():
        for unit in leads:
            for counts in (every, inferred) if by_inference else (every,):
                row = counts.setdefault(unit, [0, 0, 0, 0])
                row[0] += 1
                row[1] += task in overdue
                row[2] += task in soon
    return every, inferred


def test_the_tasks_a_batch_hands_its_helper_are_the_tasks_the_store_tracks(out: Path, tmp_path: Path) -> None:
    """A batch has the tracker written in a process of its own, from the tasks the store exported
    as JSON lines: read back, they are the store's own, dates, recurrences and spans included."""
    store = Store(out / STORE_NAME, read_only=True)
    try:
        tasks = store.tracked_tasks()
        assert store.export_tracked(tmp_path / "tasks.jsonl") == len(tasks) > 50
    finally:
        store.close()
    exported = read_tracked(tmp_path / "tasks.jsonl")
    assert exported == tasks
    recurring = next(d for t in exported for d in t.deadlines if d.rrule)
    assert recurring.dtstart is not None and recurring.span.page >= 1


def test_overview_counts_each_lead_unit_as_the_store_does(out: Path, tmp_path: Path) -> None:
    target = tmp_path / TRACKER_NAME
    assert _tracker(out / STORE_NAME, target) == 0

    overview = _sheet(target, "总览")
    every, inferred = _expected_counts(out / STORE_NAME)
    assert {r["牵头单位"]: [r["任务"], r["逾期"], r["30天内到期"], r["已完成"]] for r in overview} == every
    found = {r["牵头单位"]: [r[f"其中推定：{h}"] for h in ("任务", "逾期", "30天内到期", "已完成")] for r in overview}
    assert {unit: counts for unit, counts in found.items() if counts[0]} == inferred
    assert [r["逾期"] for r in overview] == sorted((r["逾期"] for r in overview), reverse=True)
    book = load_workbook(target)
    assert book.sheetnames[:3] == ["总览", "近期到期", "逾期"] and book.sheetnames[-2:] == ["说明", "进度记录"]
    assert book["进度记录"].sheet_state == "hidden" and book["逾期"].column_dimensions["M"].hidden
    assert sum(name.startswith("xl/charts/chart") for name in zipfile.ZipFile(target).namelist()) == 1


def test_due_sheets_list_each_deadline_by_date(out: Path, tmp_path: Path) -> None:
    target = tmp_path / TRACKER_NAME
    _tracker(out / STORE_NAME, target)
    near, past = _sheet(target, "近期到期"), _sheet(target, "逾期")
    for rows in (near, past):
        dates = [r["到期日"] for r in rows]
        assert dates == sorted(dates)
        assert tuple(rows[0])[: len(HEADER)] == HEADER
    assert all(AS_OF <= r["到期日"].date() <= AS_OF + dt.timedelta(days=60) for r in near)
    assert all(r["到期日"].date() < AS_OF for r in past)
    # 每季度 in the 2025 plan: its next occurrence, 30 June; in the 2021 plan: its last, 31 December 2021
    quarterly = {(r["文号"], r["到期日"].date()) for rows in (near, past) for r in rows if r["完成时限"] == "每季度"}
    assert quarterly == {
        ("青卫健办〔2025〕7号", dt.date(2025, 6, 30)),
        ("金卫健资源〔2021〕8号", dt.date(2021, 12, 31)),
    }
    qingpu = {r["完成时限"]: r["到期日"].date() for r in past if r["文号"] == "青卫健办〔2025〕7号"}
    assert qingpu["五一节前"] == dt.date(2025, 4, 30) and qingpu["4月、9月、12月"] == dt.date(2025, 4, 30)
    assert "国庆节前" not in qingpu and dt.date(2025, 9, 30) not in {r["到期日"].date() for r in near}
    stored = _rows(out / STORE_NAME, f"SELECT count(*) FROM deadlines WHERE end_date < DATE '{AS_OF}'")[0][0]
    assert len(past) >= stored  # and the past recurrences of 2021


def test_progress_carries_over_and_a_done_task_leaves_overdue(tmp_path: Path) -> None:
    out = _batch(SAMPLES[:1], tmp_path)
    store, target = out / STORE_NAME, out / TRACKER_NAME
    assert target.exists() and (out / CALENDAR_NAME).exists()  # written by `gongwen run`
    assert _tracker(store, target, dt.date(2025, 12, 31)) == 0
    book = load_workbook(target)
    past = book["逾期"]
    done_task, done_leads = past["C2"].value, str(past["D2"].value).split("、")
    past["I2"], past["J2"] = "已完成", "已于11月验收"
    unit_sheet = book[book.sheetnames[3]]
    started = next(r for r in range(2, unit_sheet.max_row + 1) if unit_sheet.cell(r, 3).value != done_task)
    started_task = unit_sheet.cell(started, 3).value
    unit_sheet.cell(started, 9).value, unit_sheet.cell(started, 10).value = "推进中", "已部署"
    book.save(target)

    assert run_batch(Settings(input=tmp_path / "raw", out_dir=out, workers=1, force=True)).processed == 1
    assert _tracker(store, target, dt.date(2025, 12, 31)) == 0

    assert done_task not in {r["工作任务"] for r in _sheet(target, "逾期")}
    progress = {r["工作任务"]: (r["进度"], r["进度说明"]) for r in _sheet(target, "进度记录")}
    assert progress[done_task] == ("已完成", "已于11月验收")
    assert progress[started_task] == ("推进中", "已部署")
    assert sum(1 for state, _ in progress.values() if state == "未开始") == len(progress) - 2
    for title in load_workbook(target, read_only=True).sheetnames[1:-2]:  # wherever the task stands
        for row in _sheet(target, title):
            assert (row["进度"], row["进度说明"]) == progress[str(row["工作任务"])]
    assert [r["牵头单位"] for r in _sheet(target, "总览") if r["已完成"]] == done_leads
    # the tracker the analyst wrote in, kept once: the second write found its progress in that backup
    assert len(list((out / "backups").glob("督办台账.*.bak.xlsx"))) == 1


def test_an_untouched_tracker_s_progress_is_known_without_reading_it(out: Path, tmp_path: Path, calls: Calls) -> None:
    """A tracker nobody saved since gongwen wrote it holds the 进度 it was written with: the next
    one takes that (`TrackerReport.written`, kept in the store) instead of reading the workbook,
    and reads it again once an analyst has entered something."""
    target, calendar = tmp_path / TRACKER_NAME, tmp_path / CALENDAR_NAME
    tasks = _tracked_tasks(out)
    write_tracked(tasks, target, calendar, AS_OF)
    book = load_workbook(target)
    book["近期到期"]["I2"], book["近期到期"]["J2"] = "推进中", "已部署"
    book.save(target)
    report = write_tracked(tasks, target, calendar, AS_OF)  # reads the analyst's entry
    read_progress = tracker.read_progress
    reads = calls(tracker, "read_progress")
    entered = read_progress(target)
    assert any(("推进中", "已部署") in tasks.values() for tasks in entered.values())
    assert tracker._earlier_progress(target, report.written) == (entered, False) and reads == []
    report = write_tracked(tasks, target, calendar, AS_OF, written=report.written)
    assert reads == [] and read_progress(target) == entered  # carried over without reading it
    for stale in (None, "", "not json", "[]", '{"stamp": [1, 2], "progress": {}}', '{"stamp": 3}'):
        assert tracker._earlier_progress(target, stale) == (entered, True)
    assert len(reads) == 6


def test_the_progress_written_is_kept_only_where_it_reads_back_the_same(out: Path, tmp_path: Path) -> None:
    """Two tasks of one notice with one text (which `read_progress` folds into one), or a text a
    cell would alter (a control character, a carriage return, past 32,767 characters): the
    tracker's 进度 is not kept, and the next tracker reads the workbook."""
    target = tmp_path / TRACKER_NAME
    tracked = follow(_tracked_tasks(out), AS_OF, {})
    target.write_bytes(b"a tracker")
    assert "progress" in json.loads(tracker._written(target, tracked))
    first = tracked[0]
    for altered in ([*tracked, first], [replace(first, task=replace(first.task, text="巡查\r整改"))],
                    [replace(first, progress=("推进中", "已部署\x0b"))],
                    [replace(first, task=replace(first.task, text="查" * 32_768))]):  # fmt: skip
        written = json.loads(tracker._written(target, altered))
        assert "progress" not in written and written["stamp"] == list(stamp(target) or ())
        assert tracker._earlier_progress(target, tracker._written(target, altered))[1]  # read, as entered


def test_a_batch_hands_the_tracker_what_the_last_was_written_with(tmp_path: Path, calls: Calls) -> None:
    """The store keeps what each 督办台账 was written with; a batch that writes it again takes the
    earlier one's 进度 from there while nobody has saved it, and reads it once someone has."""
    out = _batch(SAMPLES[:1], tmp_path)
    store = Store(out / STORE_NAME, read_only=True)
    written = json.loads(store.info("tracker_written") or "{}")
    store.close()
    assert written["stamp"] == list(stamp(out / TRACKER_NAME) or ()) and "progress" in written
    workbook = out / "qingpu_2025_safety_plan.xlsx"
    book = load_workbook(workbook)
    book["任务分解表"]["I2"] = "已确认"  # a review: the batch writes 汇总.xlsx and the 督办台账 again
    book.save(workbook)
    reads = calls(tracker, "read_progress")
    assert run_batch(Settings(input=tmp_path / "raw", out_dir=out, workers=1)).processed == 0
    assert reads == []  # nothing new to do: the parent wrote the 督办台账 itself, from the store's record
    book = load_workbook(out / TRACKER_NAME)
    book["近期到期"]["I2"] = "推进中"
    book.save(out / TRACKER_NAME)
    book = load_workbook(workbook)
    book["任务分解表"]["I2"] = "需修改"
    book.save(workbook)
    assert run_batch(Settings(input=tmp_path / "raw", out_dir=out, workers=1)).processed == 0
    assert reads == [out / TRACKER_NAME]


def test_an_entry_on_any_sheet_wins_and_disagreeing_ones_take_the_furthest(out: Path, tmp_path: Path) -> None:
    target = tmp_path / TRACKER_NAME
    _tracker(out / STORE_NAME, target)
    book = load_workbook(target)
    near = book["近期到期"]
    text = near["C2"].value
    near["I2"] = "推进中"
    book.save(target)
    _tracker(out / STORE_NAME, target)
    book = load_workbook(target)
    rows = [(title, r) for title in book.sheetnames[1:-2] for r in range(2, book[title].max_row + 1)
            if book[title].cell(r, 3).value == text]  # fmt: skip
    assert len(rows) >= 2 and all(book[title].cell(r, 9).value == "推进中" for title, r in rows)
    (first, r1), (second, r2) = rows[:2]
    book[first].cell(r1, 9).value = "未开始"  # taken back here …
    book.save(target)
    _tracker(out / STORE_NAME, target)
    assert {r["工作任务"]: r["进度"] for r in _sheet(target, "进度记录")}[text] == "未开始"
    book = load_workbook(target)
    book[first].cell(r1, 9).value, book[second].cell(r2, 9).value = "推进中", "销号"  # … two entries that disagree
    book.save(target)
    _tracker(out / STORE_NAME, target)
    assert {r["工作任务"]: r["进度"] for r in _sheet(target, "进度记录")}[text] == "销号"


def test_the_review_state_comes_from_the_notice_workbook(out: Path, tmp_path: Path) -> None:
    workbook = out / "qingpu_2025_safety_plan.xlsx"
    saved = workbook.read_bytes()
    book = load_workbook(workbook)
    book["任务分解表"]["I3"] = "需修改"  # 审核状态
    text = book["任务分解表"]["D3"].value
    book.save(workbook)
    try:
        _tracker(out / STORE_NAME, tmp_path / TRACKER_NAME)
    finally:
        workbook.write_bytes(saved)
    target = tmp_path / TRACKER_NAME
    states = {
        r["工作任务"]: r["审核状态"] for title in load_workbook(target).sheetnames[3:-2] for r in _sheet(target, title)
    }
    assert states.pop(text) == "需修改" and set(states.values()) == {"待审核"}


def test_the_calendar_reads_back_with_its_rules_and_stable_uids(out: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / TRACKER_NAME, tmp_path / "b" / TRACKER_NAME
    _tracker(out / STORE_NAME, first)
    _tracker(out / STORE_NAME, second, dt.date(2026, 1, 1))
    todos, again = _todos(first.with_suffix(".ics")), _todos(second.with_suffix(".ics"))
    assert [t.uid for t in todos] == [t.uid for t in again] and len({t.uid for t in todos}) == len(todos)

    dated = """SELECT count(DISTINCT (path, plan, task, text, start_date, end_date, rrule)) FROM deadlines
               WHERE end_date IS NOT NULL OR start_date IS NOT NULL OR rrule IS NOT NULL"""
    assert len(todos) == _rows(out / STORE_NAME, dated)[0][0]
    recurring = [t for t in todos if t.rrules]
    rules = "SELECT count(DISTINCT (path, plan, task, text, rrule)) FROM deadlines WHERE rrule IS NOT NULL"
    assert len(recurring) == _rows(out / STORE_NAME, rules)[0][0]
    quarterly = next(t for t in recurring if "青卫健办〔2025〕7号" in t.description and "：每季度" in t.description)
    assert isinstance(quarterly.start, dt.date)
    rule = rrulestr(quarterly.rrules[0].to_ical().decode(), dtstart=dt.datetime.combine(quarterly.start, dt.time()))
    assert [day.date() for day in rule] == [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
                                            dt.date(2025, 12, 31)]  # fmt: skip
    by = next(t for t in todos if "完成时限：五一节前" in t.description)
    assert (by.end, by.get("DTSTART"), by.status) == (dt.date(2025, 4, 30), None, "NEEDS-ACTION")
    lead, words = str(by.summary).split("：", 1)  # the lead unit, then the task's first words
    assert lead == "医疗卫生单位" and words.endswith("…") and by.description.startswith(words[:-1])
    assert "第1页" in by.description and "青卫健办〔2025〕7号" in by.description


def _todos(path: Path) -> list[Todo]:
    return [todo for todo in Calendar.from_ical(path.read_bytes()).walk("VTODO") if isinstance(todo, Todo)]


def test_empty_old_and_deadline_free_stores_say_so_in_one_line(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(tmp_path / "empty.duckdb").close()
    assert main(["tracker", "--store", str(tmp_path / "empty.duckdb")]) == 1
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("CREATE TABLE info (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO info VALUES ('store_version', '2')")
    assert main(["tracker", "--store", str(tmp_path / "old.duckdb")]) == 2
    assert main(["tracker", "--store", str(tmp_path / "none.duckdb")]) == 2
    undated = tmp_path / "undated.duckdb"
    shutil.copy(out / STORE_NAME, undated)
    with duckdb.connect(str(undated)) as con:
        con.execute("DELETE FROM deadlines")
    assert main(["tracker", "--store", str(undated)]) == 0
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        f"gongwen tracker: the store {tmp_path / 'empty.duckdb'} holds no task yet: `gongwen run` fills it",
        f"gongwen tracker: the store {tmp_path / 'old.duckdb'} was made by an older gongwen (store version 2, this "
        "one needs 3): move it aside and run `gongwen run` again, which redoes every file",
        f"gongwen tracker: no store at {tmp_path / 'none.duckdb'}: `gongwen run` makes it",
        "gongwen tracker: no task in the store names a deadline: nothing falls due, the calendar is empty",
    ]
    assert _sheet(tmp_path / TRACKER_NAME, "逾期") == [] and _todos(tmp_path / CALENDAR_NAME) == []


def test_the_tracker_never_writes_over_another_workbook(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notice_workbook = next(out.glob("qingpu*.xlsx"))
    victim = Path(shutil.copy(notice_workbook, tmp_path / "任务.xlsx"))
    assert main(["tracker", "--store", str(out), "-o", str(victim)]) == 2
    assert "a workbook that is no 督办台账: name another -o" in capsys.readouterr().err
    assert victim.read_bytes() == notice_workbook.read_bytes()
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(["tracker", "--store", str(out), "-o", str(folder), "--ics", str(folder), "--as-of", "2025-06-05"]) == 0
    assert (folder / TRACKER_NAME).exists() and (folder / CALENDAR_NAME).exists()
