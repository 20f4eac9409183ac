"""Real-world file quirks: each input in tests/fixtures/cases/ reproduces a fault reported
publicly against a library the pipeline uses, built around one small notice
(control_notice.txt: 4 tasks, 6 sections, 东卫健〔2025〕12号, issued 2025-03-05), and gives
the control's record unless its quirk changes the notice (see the README there).  Beside each,
the other forms of its kind, built small here."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from pipeline.inputs.load import load
from schemas.notice import Notice
from tests.corpus import FIXTURES, notice_of

CASES = FIXTURES / "cases"
CONTROL = CASES / "control_notice.txt"
TITLE = "关于印发《2025年东湖区卫生健康系统安全生产工作要点》的通知"


def record(notice: Notice) -> dict[str, Any]:
    """What the cases are compared on: the metadata, the sections and every task's fields."""
    meta = notice.meta
    return {
        "doc_number": meta.doc_number,
        "title": meta.title,
        "issuers": meta.issuers,
        "issue_date": meta.issue_date,
        "addressees": meta.addressees,
        "plan_title": meta.plan_title,
        "sections": [(s.number, s.title, s.level) for s in notice.sections],
        "tasks": [
            (t.text, t.section, [(d.text, d.end) for d in t.deadlines], [(p.name, p.role) for p in t.parties])
            for t in notice.tasks
        ],
    }


@cache
def control() -> dict[str, Any]:
    return record(notice_of(CONTROL))


def test_the_control_notice() -> None:
    expected = control()
    assert expected["doc_number"] == "东卫健〔2025〕12号"
    assert expected["title"] == TITLE
    assert expected["issuers"] == ["东湖区卫生健康委员会"]
    assert expected["issue_date"] == dt.date(2025, 3, 5)
    assert expected["addressees"] == ["各医疗卫生单位"]
    assert [number + title for number, title, _ in expected["sections"]] == [
        "一、压实安全生产责任", "（一）修订安全生产责任清单", "（二）开展安全生产培训",
        "二、深化隐患排查治理", "（一）开展消防安全专项检查", "（二）推进安全生产标准化建设",
    ]  # fmt: skip
    assert len(expected["tasks"]) == 4
    assert expected["tasks"][0][2] == [("6月底前", dt.date(2025, 6, 30))]


# ---------------------------------------------------------------- PDF


def test_kangxi_radicals_in_a_pdf_read_as_the_ordinary_characters() -> None:
    """case01: the font's ToUnicode maps 一 月 日 文 生 工 to ⼀ ⽉ ⽇ ⽂ ⽣ ⼯ (U+2F00 …)."""
    source = load(CASES / "case01_kangxi_radicals.pdf")
    assert "⽣" in source.text and "⼀" in source.text  # as pdfium reads the file
    notice = notice_of(CASES / "case01_kangxi_radicals.pdf")
    assert record(notice) == control()
    assert not any(0x2F00 <= ord(ch) <= 0x2FDF for ch in notice.text)
