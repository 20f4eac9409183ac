"""`PlanDiff` → a workbook: 概览 (the two plans, counts per class, per section, per unit),
变化对照 (paired tasks side by side, the changed words struck out in red in the old text and
in blue in the new; the likeness of an unsure pair shaded), 新增任务 and 删除任务 (each with
the most alike task of the other plan)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pipeline.files import write_atomically
from pipeline.outputs.xlsx import Book, CellValue, Sheet
from schemas.diff import PlanDiff, TaskClass, TaskRef, Unpaired

UNSURE = 0.6  # pairs less alike than this may be two tasks: their likeness is shaded for a look
CLASS_LABELS: dict[TaskClass, str] = {"unchanged": "未变", "changed": "有变化", "added": "新增", "removed": "删除"}
FIELD_LABELS = {"wording": "文字", "section": "所属章节", "deadline": "完成时限", "lead": "牵头单位",
                "co": "配合单位", "other": "其他相关单位", "target": "目标"}  # fmt: skip
PAIR_HEADERS = ("新序号", "旧序号", "状态", "变化字段", "变化说明", "旧版任务", "新版任务", "旧版位置", "新版位置",
                "相似度", "章节变动")  # fmt: skip
PAIR_WIDTHS: dict[str, float] = {"变化字段": 14, "变化说明": 40, "旧版任务": 50, "新版任务": 50, "旧版位置": 24,
                                 "新版位置": 24}  # fmt: skip
UNPAIRED_HEADERS = ("序号", "章节", "任务", "牵头单位", "配合单位", "完成时限", "量化目标", "原文位置",
                    "最相近的{other}任务", "相似度")  # fmt: skip
UNPAIRED_WIDTHS: dict[str, float] = {"章节": 24, "任务": 60, "牵头单位": 18, "配合单位": 18, "完成时限": 14,
                                     "量化目标": 20, "原文位置": 14}  # fmt: skip


def write_diff_xlsx(plan_diff: PlanDiff, target: Path) -> Path:
    write_atomically(target, build_diff_xlsx(plan_diff))
    return target


def build_diff_xlsx(plan_diff: PlanDiff) -> bytes:
    buffer = io.BytesIO()
    book = Book(buffer)
    _overview_sheet(book.sheet("概览"), plan_diff)
    _pairs_sheet(book.sheet("变化对照"), plan_diff)
    _unpaired_sheet(book.sheet("新增任务"), plan_diff.added, other="旧版")
    _unpaired_sheet(book.sheet("删除任务"), plan_diff.removed, other="新版")
    book.close()
    return buffer.getvalue()


def where(ref: TaskRef) -> str:
    return f"第{ref.page}页第{ref.line}行 · " + (" / ".join(ref.section) or "通知正文")


def _overview_sheet(sheet: Sheet, plan_diff: PlanDiff) -> None:
    old, new = plan_diff.old, plan_diff.new
    sheet.header(("项目", "旧版", "新版"))
    plans: list[tuple[str, CellValue, CellValue]] = [
        ("文件", old.source, new.source), ("标题", old.title, new.title),
        ("发文字号", old.doc_number, new.doc_number), ("发文机关", old.issuer, new.issuer),
        ("计划年度", old.plan_year, new.plan_year), ("任务数", old.tasks, new.tasks),
    ]  # fmt: skip
    row = 2
    for label, before, after in plans:
        sheet.put(row, 1, label, "label")
        sheet.put(row, 2, before)
        sheet.put(row, 3, after)
        row += 1
    row = _count_table(sheet, row + 1, "任务", {"全部": plan_diff.counts})
    row = _count_table(sheet, row + 1, "章节（新版的一级标题）", plan_diff.by_section)
    _count_table(sheet, row + 1, "单位（牵头、配合或相关）", _busiest(plan_diff.by_unit))
    sheet.finish({1: 36.0, 2: 40.0, 3: 40.0, 4: 10.0, 5: 10.0, 6: 10.0})


def _count_table(sheet: Sheet, row: int, title: str, groups: dict[str, dict[TaskClass, int]]) -> int:
    sheet.put(row, 1, title, "header")
    for column, label in enumerate(CLASS_LABELS.values(), start=2):
        sheet.put(row, column, label, "header")
    for key, counts in groups.items():
        row += 1
        sheet.put(row, 1, key, "label")
        for column, status in enumerate(CLASS_LABELS, start=2):
            sheet.put(row, column, counts[status])
    return row + 1


def _busiest(by_unit: dict[str, dict[TaskClass, int]]) -> dict[str, dict[TaskClass, int]]:
    return dict(sorted(by_unit.items(), key=lambda item: -sum(item[1].values())))


def _pairs_sheet(sheet: Sheet, plan_diff: PlanDiff) -> None:
    sheet.header(PAIR_HEADERS, freeze_columns=3)
    for row, pair in enumerate(plan_diff.pairs, start=2):
        fields = "、".join(dict.fromkeys(FIELD_LABELS[c.field] for c in pair.changes))
        values: list[CellValue] = [pair.new.number, pair.old.number, CLASS_LABELS[pair.status], fields,
                                   "\n".join(c.description for c in pair.changes)]  # fmt: skip
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value)
        sheet.put_marked(row, 6, pair.old.text, pair.old_marks, "deleted")
        sheet.put_marked(row, 7, pair.new.text, pair.new_marks, "inserted")
        sheet.put(row, 8, where(pair.old))
        sheet.put(row, 9, where(pair.new))
        sheet.put(row, 10, pair.similarity, fill="doubt" if pair.similarity < UNSURE else None)
        sheet.put(row, 11, "是" if pair.moved else "")
    sheet.finish(sheet.fitted(PAIR_HEADERS, PAIR_WIDTHS), len(plan_diff.pairs))


def _unpaired_sheet(sheet: Sheet, unpaired: Sequence[Unpaired], other: str) -> None:
    headers = [h.format(other=other) for h in UNPAIRED_HEADERS]
    sheet.header(headers, freeze_columns=3)
    for row, item in enumerate(unpaired, start=2):
        task = item.task
        nearest = f"（{other}第{item.nearest.number}项）{item.nearest.text}" if item.nearest else ""
        values: list[CellValue] = [
            task.number, " / ".join(task.section), task.text, "、".join(task.lead), "、".join(task.co), task.deadline,
            "；".join(task.targets), f"第{task.page}页第{task.line}行", nearest, item.similarity,
        ]  # fmt: skip
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value)
    sheet.finish(sheet.fitted(headers, {**UNPAIRED_WIDTHS, headers[8]: 50}), len(unpaired))
