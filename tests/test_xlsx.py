"""The Excel task matrix, read back with openpyxl as an analyst's tools would read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.outputs import task_workbook
from pipeline.outputs.task_workbook import REVIEW_STATES, TASK_HEADERS, WorkbookReviews, write_xlsx
from pipeline.textwidth import excel_width
from schemas.notice import Deadline, Notice
from tests.conftest import Calls
from tests.corpus import RAW, notice_of

SHEETS = ["任务分解表", "责任矩阵", "时间表", "量化目标", "文件信息", "说明"]


@pytest.fixture(scope="module")
def qingpu() -> Notice:
    return notice_of(RAW / "qingpu_2025_safety_plan.txt")


def test_every_sheet_and_header(tmp_path: Path, qingpu: Notice) -> None:
    book = load_workbook(write_xlsx(qingpu, tmp_path))
    assert book.sheetnames == SHEETS
    tasks = book["任务分解表"]
    assert [c.value for c in tasks[1]] == list(TASK_HEADERS)
    assert tasks.max_row == len(qingpu.tasks) + 1
    assert tasks.freeze_panes == "E2"  # the header row and 序号…工作任务 stay in view
    assert tasks.auto_filter.ref == f"A1:O{len(qingpu.tasks) + 1}"
    assert tasks.page_setup.orientation == "landscape" and tasks.print_title_rows == "$1:$1"
    first = {h: c.value for h, c in zip(TASK_HEADERS, tasks[2], strict=True)}
    assert first["工作任务"] == qingpu.tasks[0].text
    assert (
        first["牵头单位"] == "区卫生健康委（推定）" and tasks["E2"].font.i
    )  # an implicit lead, marked, in grey italics
    assert first["原文位置"] == "第1页第44行" and first["审核状态"] == "待审核"
    row19 = {h: c.value for h, c in zip(TASK_HEADERS, tasks[20], strict=True)}  # 重大节日节前（4月、9月、12月）
    assert row19["完成时限"] == "4月、9月、12月"
    assert (row19["开始"], row19["截止"]) == (dt.datetime(2025, 4, 1), dt.datetime(2025, 12, 31))
    assert tasks["H20"].number_format == "yyyy-mm-dd"


def test_an_inferred_collective_reads_as_the_text_writes_it(tmp_path: Path) -> None:
    """各单位要……。要…… : the second task's inferred lead is 各单位（推定）, one matrix column with the first's."""
    path = tmp_path / "notice.txt"
    path.write_text(
        "某区卫生健康委员会文件\n某卫〔2025〕1号\n关于印发《2025年工作计划》的通知\n各单位：\n"
        "现将《2025年工作计划》印发你们，请认真贯彻执行。\n某区卫生健康委员会\n2025年3月3日\n"
        "2025年工作计划\n一、主要任务\n各单位要开展隐患排查。要建立整改台账。\n",
        encoding="utf-8",
    )
    book = load_workbook(write_xlsx(notice_of(path), tmp_path))
    assert [row[4].value for row in book["任务分解表"].iter_rows(min_row=2)] == ["各单位", "各单位（推定）"]
    matrix = book["责任矩阵"]
    assert [c.value for c in matrix[1]][2:] == ["各单位"]
    assert [matrix.cell(r, 3).value for r in (2, 3)] == ["牵头", "牵头*"]


def test_review_column_and_deadline_highlights(tmp_path: Path, qingpu: Notice) -> None:
    tasks = load_workbook(write_xlsx(qingpu, tmp_path))["任务分解表"]
    (validation,) = tasks.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == f'"{",".join(REVIEW_STATES)}"'
    assert str(validation.sqref) == f"I2:I{len(qingpu.tasks) + 1}"  # 审核状态
    rules = [rule.formula[0] for rules in tasks.conditional_formatting for rule in rules.rules]
    assert any("TODAY()" in r and "<TODAY()" in r for r in rules)  # overdue
    assert any("TODAY()+30" in r for r in rules)  # near due


def test_widths_fit_chinese_text(tmp_path: Path, qingpu: Notice) -> None:
    tasks = load_workbook(write_xlsx(qingpu, tmp_path))["任务分解表"]
    assert 36 <= tasks.column_dimensions["D"].width < 37  # Excel adds its cell padding; 工作任务 wraps at a fixed width
    assert tasks.column_dimensions["O"].width >= excel_width("第1页第190行")  # a CJK character counts double
    long_row = max(range(2, tasks.max_row + 1), key=lambda r: len(str(tasks.cell(r, 4).value or "")))
    assert tasks.row_dimensions[long_row].height > 3 * 13  # a wrapped cell shows all its lines


def test_matrix_timeline_targets_and_information(tmp_path: Path, qingpu: Notice) -> None:
    book = load_workbook(write_xlsx(qingpu, tmp_path))
    matrix = book["责任矩阵"]
    units = [c.value for c in matrix[1]][2:]
    assert units[0] == "区卫生健康委"  # the unit with most tasks first
    lead_totals = {u: matrix.cell(len(qingpu.tasks) + 2, i + 3).value for i, u in enumerate(units)}
    assert lead_totals["区卫生健康委"] == sum(
        1 for t in qingpu.tasks if t.implicit_lead == "区卫生健康委" and not any(p.role == "lead" for p in t.parties)
    )
    assert matrix.cell(9, units.index("区消防救援支队") + 3).value is None
    assert matrix.cell(6, units.index("区消防救援支队") + 3).value == "配合"  # T05: 会同区消防救援支队
    timeline = book["时间表"]
    assert [c.value for c in timeline[1]][3:] == [f"2025-{m:02d}" for m in range(1, 13)]
    quarters = [timeline.cell(15, 4 + m).value for m in range(12)]  # T14 一季度, “春节”节前 (28 January)
    assert quarters == ["●", "▬", "▬"] + [None] * 9
    assert [timeline.cell(5, 4 + m).value for m in range(12)] == [None, None, "↻"] * 4  # T04 每季度: quarter ends
    assert [timeline.cell(20, 4 + m).value for m in range(12)] == [  # T19 节前（4月、9月、12月）: due each month
        None, None, None, "●", None, None, None, None, "●", None, None, "●"
    ]  # fmt: skip
    targets = book["量化目标"]
    assert targets.max_row - 1 == sum(len(t.targets) for t in qingpu.tasks)
    info = {row[0].value: row[1].value for row in book["文件信息"].iter_rows(min_row=2)}
    assert info["发文字号"] == "青卫健办〔2025〕7号" and info["源文件 SHA-256"] == qingpu.source.sha256
    assert info["gongwen 版本"] == qingpu.gongwen_version


def test_a_start_without_an_end_is_never_due(tmp_path: Path, qingpu: Notice) -> None:
    """自4月8日起: ▬ from April to the plan's last month, never ●, and no 截止 to turn the row red."""
    task = qingpu.tasks[0]
    start = Deadline(text="自4月8日起", kind="within", start=dt.date(2025, 4, 8), span=task.span)
    notice = qingpu.model_copy(update={"tasks": [task.model_copy(update={"deadlines": [start]}), *qingpu.tasks[1:]]})
    book = load_workbook(write_xlsx(notice, tmp_path))
    row = {h: c.value for h, c in zip(TASK_HEADERS, book["任务分解表"][2], strict=True)}
    assert (row["完成时限"], row["开始"], row["截止"]) == ("自4月8日起", dt.datetime(2025, 4, 8), None)
    assert [c.value for c in book["时间表"][2]][3:] == [None] * 3 + ["▬"] * 9


def test_a_three_year_plan_has_36_months(tmp_path: Path) -> None:
    notice = notice_of(RAW / "hd07_nhc_2024_weijian_zhiben.txt")
    months = [c.value for c in load_workbook(write_xlsx(notice, tmp_path))["时间表"][1]][3:]
    assert (len(months), months[0], months[-1]) == (36, "2024-01", "2026-12")


def test_text_from_the_document_never_becomes_a_formula(tmp_path: Path, qingpu: Notice) -> None:
    hostile = '=HYPERLINK("http://x")\x07+1-2@3'
    task = qingpu.tasks[0].model_copy(update={"text": hostile, "section": ["@SUM(A1)", "-1+1"]})
    notice = qingpu.model_copy(update={"tasks": [task, *qingpu.tasks[1:]]})
    cells = load_workbook(write_xlsx(notice, tmp_path))["任务分解表"][2]
    assert cells[3].value == '=HYPERLINK("http://x")+1-2@3' and cells[3].data_type == "s"  # \x07 removed
    assert (cells[1].value, cells[2].value) == ("@SUM(A1)", "-1+1")


def test_a_rerun_keeps_the_analysts_review_and_the_old_file(tmp_path: Path, qingpu: Notice) -> None:
    target = write_xlsx(qingpu, tmp_path)
    book = load_workbook(target)
    sheet = book["任务分解表"]
    sheet["I3"], sheet["J3"] = "已确认", "与科室核对无误"
    sheet["I5"], sheet["J5"] = "需修改", "牵头单位应为区卫健委办公室"
    book.save(target)
    # the new extraction reorders the tasks and mends one sentence's edge
    t3, t5 = qingpu.tasks[1], qingpu.tasks[3]
    mended = t5.model_copy(update={"text": t5.text + "等"})
    rest = [t for t in qingpu.tasks if t.id not in (t3.id, t5.id)]
    rerun = qingpu.model_copy(update={"tasks": [mended, *rest, t3]})
    write_xlsx(rerun, tmp_path, now=dt.datetime(2026, 1, 2, 3, 4, 5))
    sheet = load_workbook(target)["任务分解表"]
    reviews = {
        sheet.cell(r, 4).value: (sheet.cell(r, 9).value, sheet.cell(r, 10).value) for r in range(2, sheet.max_row + 1)
    }
    assert reviews[t3.text] == ("已确认", "与科室核对无误")
    assert reviews[mended.text] == ("需修改", "牵头单位应为区卫健委办公室")
    assert sum(1 for state, _ in reviews.values() if state == "待审核") == len(qingpu.tasks) - 2
    backup = tmp_path / "backups" / "qingpu_2025_safety_plan.20260102-030405.bak.xlsx"
    assert load_workbook(backup)["任务分解表"]["J3"].value == "与科室核对无误"
    same_second = dt.datetime(2026, 1, 2, 3, 4, 5)
    write_xlsx(rerun, tmp_path, now=same_second)  # the reordered workbook differs from its backup: kept
    write_xlsx(rerun, tmp_path, now=same_second)  # the same as its latest backup: no copy
    assert len(list((tmp_path / "backups").iterdir())) == 2
    book = load_workbook(target)
    book["任务分解表"]["E4"] = "区卫健委办公室"  # 牵头单位, mended by hand
    book.save(target)
    write_xlsx(rerun, tmp_path, now=same_second)  # new work: kept, named apart within the second
    assert (tmp_path / "backups" / "qingpu_2025_safety_plan.20260102-030405-3.bak.xlsx").exists()


def test_a_workbook_s_review_is_read_once_while_it_is_unchanged(tmp_path: Path, qingpu: Notice, calls: Calls) -> None:
    """The batch reads each notice workbook's review back for 汇总.xlsx and the 督办台账: one it has
    just written without a review is not read at all, the others once until an analyst saves them."""
    reads = calls(task_workbook, "read_reviews")
    target = write_xlsx(qingpu, tmp_path)
    workbooks = WorkbookReviews()
    workbooks.unreviewed(target)
    assert workbooks(target) == {} and workbooks(target) == {}
    assert reads == []
    book = load_workbook(target)
    book["任务分解表"]["I3"], book["任务分解表"]["J3"] = "已确认", "与科室核对无误"
    book.save(target)
    assert workbooks(target) == {qingpu.tasks[1].text: ("已确认", "与科室核对无误")}
    assert workbooks(target) == {qingpu.tasks[1].text: ("已确认", "与科室核对无误")}
    assert reads == [target]
    assert workbooks(tmp_path / "none.xlsx") is None


def test_a_copy_of_the_reviews_known_is_not_changed_by_later_reads(tmp_path: Path, qingpu: Notice) -> None:
    """The 督办台账's helper gets a copy, pickled in another thread while 汇总.xlsx reads reviews."""
    first, second = write_xlsx(qingpu, tmp_path), write_xlsx(qingpu, tmp_path / "other")
    workbooks = WorkbookReviews()
    workbooks.unreviewed(first)
    copy = workbooks.copy()
    assert workbooks(second) == {} and set(workbooks.known) == {first, second}
    assert set(copy.known) == {first} and copy(first) == {}


def test_a_workbook_that_cannot_be_read_is_not_remembered_as_unreviewed(
    tmp_path: Path, qingpu: Notice, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that fails (a permission, a network share gone) gives no review this time and is
    tried again: it is not kept as the workbook's review while the file stays as it is."""
    target = write_xlsx(qingpu, tmp_path)
    book = load_workbook(target)
    book["任务分解表"]["I3"] = "已确认"
    book.save(target)
    columns = task_workbook._columns
    monkeypatch.setattr(task_workbook, "_columns", lambda workbook, headers: None)
    workbooks = WorkbookReviews()
    assert workbooks(target) == {} and target not in workbooks.known
    monkeypatch.setattr(task_workbook, "_columns", columns)
    assert workbooks(target) == {qingpu.tasks[1].text: ("已确认", "")}


def test_the_reviews_known_are_kept_from_one_batch_to_the_next(tmp_path: Path, qingpu: Notice) -> None:
    """What `WorkbookReviews` knows goes into the store as JSON and comes back the same, less the
    workbooks gone since; text of another form only means nothing is known."""
    kept, gone = write_xlsx(qingpu, tmp_path), write_xlsx(qingpu, tmp_path / "gone")
    workbooks = WorkbookReviews()
    workbooks.unreviewed(gone)
    book = load_workbook(kept)
    book["任务分解表"]["I3"], book["任务分解表"]["J3"] = "已确认", "与科室核对无误"
    book.save(kept)
    assert workbooks(kept) == {qingpu.tasks[1].text: ("已确认", "与科室核对无误")}
    gone.unlink()
    again = WorkbookReviews.from_json(workbooks.to_json())
    assert again.known == {kept: workbooks.known[kept]}
    damaged = ("", "not json", "[]", '{"a.xlsx": [1, 2]}', '{"a.xlsx": [1, 2, {"任务": "已确认"}]}', '{"a.xlsx": 1}')
    for text in (None, *damaged):
        assert WorkbookReviews.from_json(text).known == {}


def test_the_task_sheet_prints_what_an_analyst_signs_off_on_a4_landscape(tmp_path: Path, qingpu: Notice) -> None:
    """序号 … 审核意见 fitted to the width of an A4 landscape page, narrow enough to print at 10
    points (a unit of column width in Calibri, or LibreOffice's Carlito, prints as about 6 points
    with the cell padding: 784 points of page hold 140 units, 134 leave room), the header on every page; grids
    print in parts."""
    book = load_workbook(write_xlsx(qingpu, tmp_path))
    tasks = book["任务分解表"]
    header = [cell.value for cell in tasks[1]]
    assert tasks.print_area == f"'任务分解表'!$A$1:$J${len(qingpu.tasks) + 1}" and header[9] == "审核意见"
    assert {"工作任务", "牵头单位", "配合单位", "完成时限", "截止", "审核状态"} <= set(header[:10])
    assert tasks.page_setup.orientation == "landscape" and tasks.page_setup.paperSize == 9  # A4
    fitted = tasks.sheet_properties.pageSetUpPr
    assert fitted is not None and fitted.fitToPage and tasks.page_setup.fitToHeight == 0
    assert sum(tasks.column_dimensions[chr(ord("A") + i)].width for i in range(10)) <= 134
    assert tasks.print_title_rows == "$1:$1"
    for grid in (book["责任矩阵"], book["时间表"]):  # in parts, the tasks' labels on every page
        assert grid.print_title_cols == "$A:$B" and grid.page_setup.scale == 95
        assert grid.sheet_properties.pageSetUpPr is None or not grid.sheet_properties.pageSetUpPr.fitToPage
