"""Every real notice of the corpus is read; PDFs give the tasks of their text versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.structure import parse_structure
from pipeline.cli import main
from pipeline.inputs.load import load
from pipeline.normalise import normalise
from tests.corpus import PDFS, RAW, UNLABELED_TEXTS, notice_of, notices_of

PDF02 = RAW / "pdf02_anweiban_2024_1_zhiben_zifangan.pdf"

# the least number of tasks a reader finds in each (read by hand; the pipeline may find more)
MIN_TASKS = {
    "hd01": 60, "hd02": 20, "hd05": 15, "hd06": 20, "hd07": 25, "hd08": 50, "hd09": 100, "hd10": 17,
    "hd11": 55, "hd12": 25, "hd13": 80, "hd14": 15, "hd15": 10, "pdf01": 15, "pdf02": 1000, "pdf03": 20,
    "pdf04": 8,
}  # fmt: skip


@pytest.mark.parametrize("path", UNLABELED_TEXTS + PDFS, ids=lambda p: p.stem[:5])
def test_every_notice_gives_a_title_and_tasks(path: Path) -> None:
    notices = notices_of(path)
    assert sum(len(notice.tasks) for notice in notices) >= MIN_TASKS[path.stem.split("_")[0]]
    for notice in notices:
        assert notice.meta.title and len(notice.meta.title) >= 6
        for task in notice.tasks:
            assert notice.text[task.span.start : task.span.end] == task.text
            assert not task.text.startswith(("现将", "附件")), task.text
            assert "印发" not in task.text or not task.text.endswith("印发"), task.text


def test_the_command_runs_over_the_whole_corpus(tmp_path: Path) -> None:
    files = [str(p) for p in sorted(RAW.glob("*.txt")) + PDFS]
    assert main(["extract", *files, "-o", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.json"))) == len(files) + 30  # pdf02 bundles 31 plans


@pytest.mark.parametrize(
    "pdf, text",
    [("pdf01_shandong_luanfa_2024_1_xiaofang.pdf", "hd05_shandong_2024_luanfa1_xiaofang.txt"),
     ("pdf03_taian_lvkaiqu_2024_yinhuan.pdf", "hd06_taian_lvkaiqu_2024_yinhuan.txt")],
)  # fmt: skip
def test_pdfs_give_the_tasks_of_their_text_versions(pdf: str, text: str) -> None:
    from_pdf, from_text = notice_of(RAW / pdf), notice_of(RAW / text)
    assert [t.text for t in from_pdf.tasks] == [t.text for t in from_text.tasks]
    assert [t.section for t in from_pdf.tasks] == [t.section for t in from_text.tasks]


def test_pdf02_gives_a_record_for_each_of_its_31_plans() -> None:
    """Titles as its table of contents lists them; the contents page itself in none of them."""
    contents = parse_structure(normalise(load(PDF02)))
    listed = [contents.text_of(b).split(".", 1)[1].rstrip(".0123456789") for b in contents.of_kind("toc")]
    plans = notices_of(PDF02)
    assert len(listed) == len(plans) == 31
    assert [p.meta.plan_title.replace("—", "-") for p in plans if p.meta.plan_title] == listed
    assert [(p.source.plan, p.source.plans) for p in plans] == [(n, 31) for n in range(1, 32)]
    assert [p.source.stem for p in plans[:2]] == [f"{PDF02.stem}-01", f"{PDF02.stem}-02"]
    first_pages = [min(t.span.page for t in p.tasks if t.origin == "body") for p in plans]
    assert first_pages == sorted(first_pages) and first_pages[0] > 3  # each plan's tasks its own pages
    for plan in plans:
        assert plan.meta.title == plans[0].meta.title and plan.meta.doc_number == "安委办〔2024〕1号"
        assert "......" not in plan.text and len([t for t in plan.tasks if t.origin == "body"]) >= 10


def test_a_sub_plan_of_pdf02_gives_the_tasks_of_its_text_version() -> None:
    """hd07 is pdf02's plan 13 (pages 81-86), without the covering notice."""
    from_pdf = [t.text for t in notices_of(PDF02)[12].tasks if t.origin == "body"]
    assert from_pdf == [t.text for t in notice_of(RAW / "hd07_nhc_2024_weijian_zhiben.txt").tasks]


def test_table_rows_become_tasks_with_their_columns() -> None:
    notice = notice_of(RAW / "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt")
    rows = [t for t in notice.tasks if t.columns]
    assert len(rows) == 17  # 23 measures, the 6 of 军民深度融合 cut from the published text
    assert rows[0].text == "知识产权民事、刑事、行政案件“三合一”审判"
    assert rows[0].columns["指导部门"] == "最高人民法院、最高人民检察院、国家知识产权局"
    assert rows[0].section == ["一、推广的改革举措（共23项）", "（一）知识产权保护方面5项"]  # the body's sentence
    indicators = [
        t for t in notice_of(RAW / "hd11_guobanfa_2019_4_sanji_gongli_yiyuan_kaohe_table.txt").tasks if t.columns
    ]
    assert len(indicators) == 55
    assert indicators[1].section == ["一、医疗质量", "（一）功能定位"]  # merged cells carried down
