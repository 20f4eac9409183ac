"""Normalising: wraps joined, page furniture gone, spacing fixed, every character mapped back."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.inputs.load import load
from pipeline.normalise import normalise
from schemas.source import NormText
from tests.corpus import PDFS, RAW


def normalised(tmp_path: Path, text: str) -> NormText:
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return normalise(load(path))


def paragraphs(norm: NormText) -> list[str]:
    return [norm.text[p.start : p.end] for p in norm.paragraphs]


@pytest.mark.parametrize(
    "page_number",
    ["— 2 —", "-2-", "— ２ —", "- 12 -", "—\n\n81\n\n—", "第 3 页", "第3页 共10页", "3/10", "·2·", "• 2 •",
     "— 2/10 —", "第二页", "第3页/共10页", "共10页 第3页", "3 / 10", "Page 3 of 10"],
)  # fmt: skip
def test_page_numbers_in_all_forms_are_removed(tmp_path: Path, page_number: str) -> None:
    text = f"一、加强组织领导\n各单位要高度重视。\n{page_number}\n二、强化督促检查\n"
    assert paragraphs(normalised(tmp_path, text)) == ["一、加强组织领导", "各单位要高度重视。", "二、强化督促检查"]


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("2025 年 3 月 3 日", "2025年3月3日"),
        ("更新公务车及专业技术车 12 辆", "更新公务车及专业技术车12辆"),
        ("重大事故隐患 判定标准", "重大事故隐患判定标准"),
        ("国 务 院 安 全 生 产 委 员 会", "国务院安全生产委员会"),
        ("医疗机构消防安全管理（WS 308—2019）", "医疗机构消防安全管理（WS 308—2019）"),
        ("安委办〔２０２４〕１号", "安委办〔2024〕1号"),
        ("现印发给你们,请结合实际抓好落实.", "现印发给你们，请结合实际抓好落实。"),
        ("推动«安全生产治本攻坚三年行动方案»落实", "推动《安全生产治本攻坚三年行动方案》落实"),
        ("(一)指导思想。", "（一）指导思想。"),
        ("1.会同中央党校", "1.会同中央党校"),
        ("每周四12:00前报送", "每周四12:00前报送"),
        # glyphs a PDF font maps to Kangxi radicals (U+2F00…), the radicals supplement (U+2E80…)
        # or compatibility ideographs (U+F900…, U+2F800…)
        ("⼀⽉⽇前完成⽂件⼯作", "一月日前完成文件工作"),
        ("⻓江⻔⼾⻅⻋⻢⻜", "长江门戶见车马飞"),
        ("⾦⼭区⾏政服务中⼼", "金山区行政服务中心"),
        ("\uf9dc\uf91f\U0002f800", "隆蘭丽"),
    ],
)
def test_spacing_and_characters(tmp_path: Path, raw: str, clean: str) -> None:
    assert paragraphs(normalised(tmp_path, raw + "\n")) == [clean]


def test_hard_wraps_from_a_pdf_are_joined() -> None:
    """The Qingpu text: lines broken mid-word at the page width, blank lines between the pieces."""
    norm = normalise(load(RAW / "qingpu_2025_safety_plan.txt"))
    paras = paragraphs(norm)
    assert "关于印发《2025年青浦区卫生健康系统安全生产工作计划》的通知" in paras
    assert "现将《2025年青浦区卫生健康系统安全生产工作计划》印发你们。请按照计划安排，认真开展相关工作。" in paras
    assert "2025年青浦区卫生健康系统安全生产工作计划" in paras  # a centred title over two lines
    assert "一、进一步压实安全生产责任" in paras  # headings keep their own paragraph
    assert "二、全面开展安全生产治本攻坚三年行动（2024年-2026年）" in paras
    body = next(p for p in paras if p.startswith("会同区消防救援支队，在充分征询"))
    assert body.endswith("合理可行的整体消防应急预案落地。")  # a page break mid-paragraph
    assert len(paras) == 33


def test_paragraph_per_line_text_keeps_paragraphs_and_mends_stray_breaks() -> None:
    norm = normalise(load(RAW / "jinshan_2021_safety_resources_points.txt"))
    paras = paragraphs(norm)
    assert "关于下发《金山区卫健委2021年安全生产和资源保障工作要点》的通知" in paras
    assert "金山区卫健委2021年安全生产和资源保障工作要点" in paras
    assert any("落实消防安全措施，推行单位风险隐患" in p for p in paras)  # 推 | 行 broken by a blank line
    assert "2021年3月30日" in paras


def test_run_in_headings_and_brackets_pushed_to_the_next_line() -> None:
    norm = normalise(load(RAW / "hd07_nhc_2024_weijian_zhiben.txt"))
    paras = paragraphs(norm)
    assert paras[0] == "卫生健康系统安全生产治本攻坚三年行动方案（2024—2026年）"
    first = next(p for p in paras if p.startswith("（一）加强各类机构"))
    assert "《医疗机构消防安全管理九项规定》《医疗机构消防安全标准化管理规定》" in first
    assert first.endswith("提升每个岗位人员应急处置能力并保持在高水平。")


def test_every_character_maps_back_to_its_source() -> None:
    for path in (RAW / "qingpu_2025_safety_plan.txt", PDFS[0]):
        norm = normalise(load(path))
        assert len(norm.to_source) == len(norm.text) + 1
        for offset, ch in enumerate(norm.text):
            if ch in "\n ":
                continue
            original = norm.source.text[norm.source_offset(offset)]
            assert original == ch or original in "０１２３４５６７８９,.:;()«»％", (offset, ch, original)


def test_pdf_layout_decides_paragraphs() -> None:
    norm = normalise(load(RAW / "pdf01_shandong_luanfa_2024_1_xiaofang.pdf"))
    paras = paragraphs(norm)
    assert "鲁安发〔2024〕1号" in paras
    heading = next(p for p in paras if p.startswith("一、"))
    assert heading.startswith("一、高度重视岁末年初消防安全防范工作。近期我省火灾事故多发")
    assert heading.endswith("严防隐患酿成事故。")
    assert not any(p.startswith("—") for p in paras)
    assert norm.locate(norm.text.index("二、强化重点领域")) == (2, 13)  # the page number is not a line
