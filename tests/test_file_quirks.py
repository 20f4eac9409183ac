"""Real-world file quirks: each input in tests/fixtures/cases/ reproduces a fault reported
publicly against a library the pipeline uses, built around one small notice
(control_notice.txt: 4 tasks, 6 sections, 东卫健〔2025〕12号, issued 2025-03-05), and gives
the control's record unless its quirk changes the notice (see the README there).  Beside each,
the other forms of its kind, built small here."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from extractors.structure import parse_structure
from pipeline.inputs.load import load
from pipeline.normalise import normalise
from schemas.notice import Notice
from tests.corpus import FIXTURES, notice_of
from tests.typeset import typeset

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


@cache
def control_document() -> Any:
    return parse_structure(normalise(load(CONTROL)))


# ---------------------------------------------------------------- PDF


def test_kangxi_radicals_in_a_pdf_read_as_the_ordinary_characters() -> None:
    """case01: the font's ToUnicode maps 一 月 日 文 生 工 to ⼀ ⽉ ⽇ ⽂ ⽣ ⼯ (U+2F00 …)."""
    source = load(CASES / "case01_kangxi_radicals.pdf")
    assert "⽣" in source.text and "⼀" in source.text  # as pdfium reads the file
    notice = notice_of(CASES / "case01_kangxi_radicals.pdf")
    assert record(notice) == control()
    assert not any(0x2F00 <= ord(ch) <= 0x2FDF for ch in notice.text)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_rotated_page_drawn_turned_back_reads_as_unrotated(rotation: int, tmp_path: Path) -> None:
    """case10 and its kind: /Rotate with the content drawn turned back (upright on screen): the
    lines run up, down or backwards in the page's own coordinates."""
    path = typeset(control_document(), tmp_path / "turned.pdf", rotation=rotation)
    assert pdfium.PdfDocument(path)[0].get_rotation() == rotation
    assert record(notice_of(path)) == control()


def test_the_rotated_page_case() -> None:
    assert record(notice_of(CASES / "case10_rotated_page.pdf")) == control()


def test_a_rotated_page_not_turned_back_still_reads(tmp_path: Path) -> None:
    """/Rotate 90 over upright content (the page shows sideways): pdfium orders the lines as
    they run on screen, so the page is read with the rotation its text needs."""
    path = typeset(control_document(), tmp_path / "upright.pdf")
    pdf = pdfium.PdfDocument(path)
    for page in pdf:
        page.set_rotation(90)
    pdf.save(tmp_path / "sideways.pdf")
    assert record(notice_of(tmp_path / "sideways.pdf")) == control()


@pytest.mark.parametrize(
    "folio", ["— {page} —", "- {page} -", "·{page}·", "• {page} •", "第{page}页 共{pages}页", "{page}/{pages}",
              "第 {page} 页", "共{pages}页 第{page}页", "— {page}/{pages} —"],
)  # fmt: skip
def test_page_numbers_of_every_common_style_are_furniture(folio: str, tmp_path: Path) -> None:
    """Two pages, the second starting inside the last task, with the page number at each foot."""
    path = typeset(control_document(), tmp_path / "folio.pdf", folio=folio)
    assert len(pdfium.PdfDocument(path)) == 2
    source = load(path)
    numbers = [source.text[line.start : line.end] for line in source.lines if line.zone == "page_number"]
    assert numbers == [folio.format(page=page, pages=2).strip() for page in (1, 2)]
    assert record(notice_of(path)) == control()
