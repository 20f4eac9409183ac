"""Real-world file quirks: each input in tests/fixtures/cases/ reproduces a fault reported
publicly against a library the pipeline uses, built around one small notice
(control_notice.txt: 4 tasks, 6 sections, 东卫健〔2025〕12号, issued 2025-03-05), and gives
the control's record unless its quirk changes the notice (see the README there).  Beside each,
the other forms of its kind, built small here."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from extractors.structure import parse_structure
from pipeline.batch.runner import run_batch
from pipeline.batch.settings import LOG_NAME, Settings
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.inputs.load import load
from pipeline.inputs.word_numbers import format_number
from pipeline.normalise import normalise
from schemas.notice import Notice
from tests.corpus import FIXTURES, notice_of
from tests.markup import word_xml
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


# ---------------------------------------------------------------- Word


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def paragraph(inner: str, properties: str = "") -> str:
    return f"<w:p><w:pPr>{properties}</w:pPr>{inner}</w:p>"


def listed(level: int, text: str, num: int = 90) -> str:
    return paragraph(run(text), f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>')


def level(ilvl: int, number_format: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')  # fmt: skip


def numbering(levels: str, num: int = 90, overrides: str = "") -> str:
    return (f'<w:abstractNum w:abstractNumId="{num}"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
            f'<w:num w:numId="{num}"><w:abstractNumId w:val="{num}"/>{overrides}</w:num>')  # fmt: skip


CHINESE_LEVELS = level(0, "chineseCounting", "%1、") + level(1, "chineseCounting", "（%2）")


def control_in_word(heading: Callable[[int, str], str], wrap: Callable[[str], str] = paragraph) -> str:
    """The control notice as WordprocessingML: a heading's number left to `heading(level, text)`."""
    body = []
    for line in CONTROL.read_text("utf-8").splitlines():
        found = re.match(r"^(?:[一二]、|（[一二]）)", line)
        if found:
            body.append(heading(0 if found.group().endswith("、") else 1, line[found.end() :]))
        elif line.strip():
            body.append(wrap(run(line)))
    return "".join(body)


def word_lines(tmp_path: Path, body: str, numbers: str = "", styles: str = "") -> list[str]:
    path = tmp_path / "notice.docx"
    path.write_bytes(word_xml(body, numbers, styles))
    norm = normalise(load(path))
    return [norm.text[p.start : p.end] for p in norm.paragraphs]


def test_headings_numbered_by_word_keep_their_numbers() -> None:
    """case02: 一、 and （一） are drawn by numbering.xml (chineseCounting, "%1、", "（%2）")."""
    assert record(notice_of(CASES / "case02_docx_autonumber_headings.docx")) == control()


def test_headings_numbered_through_their_styles(tmp_path: Path) -> None:
    """Word's multilevel list linked to heading styles: the style holds the list, its level
    names the style (w:pStyle), the paragraph holds neither."""
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="Level{n}"><w:name w:val="level {n}"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:numPr>{ilvl}<w:numId w:val="91"/></w:numPr></w:pPr></w:style>'
        for n, ilvl in ((1, ""), (2, '<w:ilvl w:val="1"/>'))
    )
    levels = level(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Level1"/>') + level(
        1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Level2"/>'
    )
    body = control_in_word(lambda depth, text: paragraph(run(text), f'<w:pStyle w:val="Level{depth + 1}"/>'))
    (tmp_path / "styled.docx").write_bytes(word_xml(body, numbering(levels, 91), styles))
    assert record(notice_of(tmp_path / "styled.docx")) == control()


def test_list_numbers_count_restart_and_take_each_levels_format(tmp_path: Path) -> None:
    levels = CHINESE_LEVELS + level(2, "decimal", "%3.") + level(3, "decimal", "（%4）")
    levels += level(4, "decimalEnclosedCircle", "%5") + level(5, "ideographTraditional", "%6、", start=3)
    body = "".join(
        listed(depth, text)
        for depth, text in [(0, "总体要求"), (1, "指导思想"), (1, "工作目标"), (0, "重点任务"), (1, "压实责任"),
                            (2, "修订清单。"), (2, "开展培训。"), (3, "细化分工。"), (4, "按月调度。"), (5, "丙项。"),
                            (1, "深化治理"), (2, "开展检查。")]
    )  # fmt: skip
    body += listed(0, "保障措施", num=92) + listed(0, "另一份清单", num=93)  # the same list again; then restarted
    numbers = numbering(levels) + '<w:num w:numId="92"><w:abstractNumId w:val="90"/></w:num>'
    numbers += '<w:num w:numId="93"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    assert word_lines(tmp_path, body, numbers) == [
        "一、总体要求", "（一）指导思想", "（二）工作目标", "二、重点任务", "（一）压实责任", "1.修订清单。",
        "2.开展培训。", "（1）细化分工。", "①按月调度。", "丙、丙项。", "（二）深化治理", "1.开展检查。",
        "三、保障措施", "一、另一份清单",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "number_format", "drawn"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
     (20, "chineseCounting", "二十"), (21, "chineseCountingThousand", "二十一"),
     (105, "chineseCountingThousand", "一百零五"), (110, "chineseCountingThousand", "一百一十"),
     (11, "chineseLegalSimplified", "壹拾壹"), (10, "ideographDigital", "一〇"), (3, "ideographTraditional", "丙"),
     (4, "ideographZodiac", "卯"), (12, "decimalEnclosedCircle", "⑫"), (3, "decimalEnclosedParen", "⑶"),
     (12, "decimalFullWidth", "１２"), (7, "decimalZero", "07"), (3, "lowerLetter", "c"), (28, "upperLetter", "BB"),
     (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"), (5, "decimal", "5"), (5, "cardinalText", "5")],
)  # fmt: skip
def test_word_number_formats(value: int, number_format: str, drawn: str) -> None:
    assert format_number(value, number_format) == drawn


def test_tracked_changes_read_as_accepted() -> None:
    """case03: 6月底前 deleted and 5月底前 inserted in the first task; the last task inserted whole."""
    expected = control()
    first = expected["tasks"][0]
    edited = (first[0].replace("6月底前", "5月底前"), first[1], [("5月底前", dt.date(2025, 5, 31))], first[3])
    assert record(notice_of(CASES / "case03_docx_tracked_changes.docx")) == {
        **expected, "tasks": [edited, *expected["tasks"][1:]],
    }  # fmt: skip


def test_moves_deleted_paragraph_marks_and_rows_read_as_accepted(tmp_path: Path) -> None:
    change = 'w:id="{}" w:author="审核人" w:date="2025-03-01T09:00:00Z"'
    deleted_mark = f"<w:rPr><w:del {change.format(1)}/></w:rPr>"
    body = paragraph(
        f"{run('开展安全生产培训，')}<w:moveFrom {change.format(2)}><w:r><w:t>年内</w:t></w:r></w:moveFrom>"
        f"{run('组织培训')}<w:moveTo {change.format(3)}>{run('每季度1次')}</w:moveTo>{run('。')}"
    )
    body += paragraph(run("区卫生健康委牵头，"), deleted_mark)  # the paragraph mark deleted: joins the next
    body += paragraph(run("各医疗卫生单位配合。"))
    body += paragraph(f"<w:del {change.format(4)}><w:r><w:delText>整段删除。</w:delText></w:r></w:del>", deleted_mark)
    body += paragraph(run("推进标准化建设。"))
    rows = [("工作任务", "牵头单位"), ("开展检查", "区卫生健康委"), ("删去的任务", "区应急局")]
    body += "<w:tbl>" + "".join(
        f"<w:tr>{f'<w:trPr><w:del {change.format(5)}/></w:trPr>' if index == 2 else ''}"
        + "".join(f"<w:tc>{paragraph(run(cell))}</w:tc>" for cell in row) + "</w:tr>"
        for index, row in enumerate(rows)
    ) + "</w:tbl>"  # fmt: skip
    assert word_lines(tmp_path, body) == [
        "开展安全生产培训，组织培训每季度1次。", "区卫生健康委牵头，各医疗卫生单位配合。", "推进标准化建设。",
        "工作任务\t牵头单位", "开展检查\t区卫生健康委",
    ]  # fmt: skip


def test_a_document_number_in_a_text_box() -> None:
    """case05: the 文号 in a floating text box (VML w:pict/v:textbox/w:txbxContent)."""
    notice = notice_of(CASES / "case05_docx_textbox_docnumber.docx")
    assert notice.meta.doc_number == "东卫健〔2025〕12号"
    assert record(notice) == control()


def test_a_drawing_text_box_is_read_once_where_it_is_anchored(tmp_path: Path) -> None:
    """Word writes a text box twice, as DrawingML (mc:Choice) and as VML for older readers
    (mc:Fallback); the box anchored before a paragraph's text comes before it, after it after."""

    def box(text: str) -> str:
        content = f"<w:txbxContent>{paragraph(run(text))}</w:txbxContent>"
        return (
            '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
            f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
            f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>"
        )

    body = paragraph(box("东卫健〔2025〕12号") + run("关于印发《2025年东湖区卫生健康系统安全生产工作要点》的通知"))
    body += paragraph(run("各医疗卫生单位：") + box("（此件公开发布）"))
    assert word_lines(tmp_path, body) == [
        "东卫健〔2025〕12号", TITLE, "各医疗卫生单位：", "（此件公开发布）",
    ]  # fmt: skip


def test_title_and_addressees_in_content_controls() -> None:
    """case06: the title in a block content control, the addressees in an inline one."""
    notice = notice_of(CASES / "case06_docx_content_control.docx")
    assert (notice.meta.title, notice.meta.addressees, notice.meta.issue_date) == (
        TITLE, ["各医疗卫生单位"], dt.date(2025, 3, 5),
    )  # fmt: skip
    assert record(notice) == control()


def test_no_wrapper_hides_text(tmp_path: Path) -> None:
    """Smart tags, hyperlinks, simple and complex fields, custom XML, and content controls
    around paragraphs, runs, table rows and cells: the control notice, every line wrapped."""
    field = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'

    def wrapped(inner: str) -> str:
        text = re.search(r"<w:t[^>]*>([^<]*)</w:t>", inner)
        assert text is not None
        words = text.group(1)
        half = len(words) // 2
        return (
            f'<w:sdt><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent><w:customXml w:element="段">'
            f'<w:p><w:smartTag w:element="place">{run(words[:2])}</w:smartTag>'
            f'<w:hyperlink r:id="" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<w:sdt><w:sdtContent>{run(words[2:half])}</w:sdtContent></w:sdt></w:hyperlink>"
            f'<w:fldSimple w:instr=" MERGEFIELD 正文 ">{run(words[half:-1])}</w:fldSimple>'
            f"{field.format('begin')}<w:r><w:instrText> QUOTE 字 </w:instrText></w:r>{field.format('separate')}"
            f"{run(words[-1:])}{field.format('end')}</w:p></w:customXml></w:sdtContent></w:sdt>"
        )

    body = control_in_word(lambda depth, text: listed(depth, text), wrap=wrapped)
    table = (
        "<w:tbl><w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent><w:tc>" + paragraph(run("工作任务")) + "</w:tc>"
        "</w:sdtContent></w:sdt><w:tc>" + paragraph(run("牵头单位")) + "</w:tc></w:tr></w:sdtContent></w:sdt>"
        "<w:tr><w:tc>" + paragraph(run("开展检查")) + "</w:tc><w:tc><w:sdt><w:sdtContent>"
        + paragraph(run("区卫生健康委")) + "</w:sdtContent></w:sdt></w:tc></w:tr></w:tbl>"
    )  # fmt: skip
    lines = word_lines(tmp_path, body + table, numbering(CHINESE_LEVELS))
    assert lines[-2:] == ["工作任务\t牵头单位", "开展检查\t区卫生健康委"]
    (tmp_path / "wrapped.docx").write_bytes(word_xml(body, numbering(CHINESE_LEVELS)))
    assert record(notice_of(tmp_path / "wrapped.docx")) == control()


# ---------------------------------------------------------------- web pages and tables

TABLE_ROWS = [
    ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
    ("1", "修订安全生产责任清单", "区卫生健康委", "各医疗卫生单位", "6月底前"),
    ("2", "开展消防安全专项检查", "区卫生健康委", "区消防救援支队", "每季度"),
    ("3", "推进安全生产标准化建设，完成10家单位标准化达标", "各医疗卫生单位", "", "9月底前"),
]
ROW_TASKS = [
    ("修订安全生产责任清单", ["区卫生健康委"], ["医疗卫生单位"], [("6月底前", dt.date(2025, 6, 30), None)]),
    ("开展消防安全专项检查", ["区卫生健康委"], ["区消防救援支队"], [("每季度", None, "quarterly")]),
    ("推进安全生产标准化建设，完成10家单位标准化达标", ["医疗卫生单位"], [], [("9月底前", dt.date(2025, 9, 30), None)]),
]


def row_tasks(notice: Notice) -> list[tuple[object, ...]]:
    return [
        (
            t.text,
            *([p.name for p in t.parties if p.role == role] for role in ("lead", "co")),
            [(d.text, d.end, d.recurrence) for d in t.deadlines],
        )
        for t in notice.tasks
        if t.columns
    ]


def covering_notice() -> str:
    """The control's covering notice, as a web page's paragraphs, and the table's title."""
    lines = CONTROL.read_text("utf-8").split("\n\n2025年东湖区")[0].splitlines()
    paragraphs = [f"<p>{line}</p>" for line in lines if line.strip()]
    return "".join(paragraphs) + "<p>2025年东湖区卫生健康系统安全生产重点任务分解表</p>"


def web_notice(tmp_path: Path, table: str, style: str = "") -> Notice:
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>东湖区卫生健康委员会</title><style>{style}</style>'
        '</head><body><div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>'
        f'<div class="article">{covering_notice()}{table}</div>'
        '<div class="footer">主办：东湖区人民政府办公室 <a href="/sitemap">网站地图</a></div></body></html>'
    )
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    return notice_of(tmp_path / "page.html")


def test_a_table_row_takes_its_deadline_from_the_deadline_column(tmp_path: Path) -> None:
    """The text form every table reader gives: cells joined by tabs, one row a line."""
    covering = CONTROL.read_text("utf-8").split("\n\n2025年东湖区")[0]
    rows = "\n".join("\t".join(row) for row in TABLE_ROWS)
    (tmp_path / "table.txt").write_text(
        f"{covering}\n\n2025年东湖区卫生健康系统安全生产重点任务分解表\n{rows}\n", "utf-8"
    )
    assert row_tasks(notice_of(tmp_path / "table.txt")) == ROW_TASKS


def test_a_table_of_divs_styled_as_table_rows() -> None:
    """case07: display: table-row / table-cell in each div's style attribute, no <table>."""
    notice = notice_of(CASES / "case07_html_div_table.html")
    assert row_tasks(notice) == ROW_TASKS
    assert notice.tasks[0].columns == dict(zip(TABLE_ROWS[0], TABLE_ROWS[1], strict=True))
    assert (notice.meta.doc_number, notice.meta.title) == ("东卫健〔2025〕12号", TITLE)


def cells(row: tuple[str, ...], css_class: str = "td") -> str:
    return "".join(f'<div class="{css_class}">{cell}</div>' for cell in row)


def test_table_rows_styled_by_the_pages_style_sheet(tmp_path: Path) -> None:
    style = (
        "/* 任务表 */ .list{display:table;width:100%} .list .head{display:table-header-group}"
        " .list .tr{display:table-row} .td { display : table-cell; border:1px solid #ccc }"
        " @media print { .list .tr{display:block} } .td:hover{color:red}"
    )
    head = f'<div class="head"><div class="tr">{cells(TABLE_ROWS[0])}</div></div>'
    body = "".join(f'<div class="tr">{cells(row)}</div>' for row in TABLE_ROWS[1:])
    assert row_tasks(web_notice(tmp_path, f'<div class="list">{head}{body}</div>', style)) == ROW_TASKS


def test_cells_without_rows_make_anonymous_rows(tmp_path: Path) -> None:
    rows = "".join(f"<div>{cells(row, 'cell')}</div>" for row in TABLE_ROWS)
    assert row_tasks(web_notice(tmp_path, f"<div>{rows}</div>", ".cell{display:table-cell}")) == ROW_TASKS


def test_a_grid_of_divs(tmp_path: Path) -> None:
    """display: grid, five column tracks; a heading across the grid (grid-column: 1 / -1)
    gives the rows under it their section."""
    style = ".grid{display:grid;grid-template-columns:[no] 48px repeat(3, minmax(0, 1fr)) 6em} .all{grid-column:1 / -1}"
    grid = cells(TABLE_ROWS[0]) + '<div class="all">一、安全生产责任</div>' + "".join(cells(r) for r in TABLE_ROWS[1:])
    notice = web_notice(tmp_path, f'<div class="grid">{grid}</div>', style)
    assert row_tasks(notice) == ROW_TASKS
    assert notice.tasks[0].section == ["一、安全生产责任"]


def test_a_grid_whose_rows_are_display_contents(tmp_path: Path) -> None:
    rows = "".join(f'<div class="row">{cells(row)}</div>' for row in TABLE_ROWS)
    style = ".row{display:contents}"
    table = f'<div style="display: grid; grid-template-columns: 1fr 4fr 2fr 2fr 1fr">{rows}</div>'
    assert row_tasks(web_notice(tmp_path, table, style)) == ROW_TASKS


def test_a_grid_that_lays_out_the_page_is_not_a_table(tmp_path: Path) -> None:
    """A banner and the notice side by side in a grid, a share bar under them, the notice's
    lines broken by <br>: the notice is read as paragraphs, not as a row of two cells."""
    lines = "<br>".join(line for line in CONTROL.read_text("utf-8").splitlines() if line.strip())
    page = (
        '<html><head><meta charset="utf-8"><style>.page{display:grid;grid-template-columns:200px 1fr}</style></head>'
        '<body><div class="page"><div class="banner"><img src="banner.png"></div>'
        f'<div class="main">{lines}</div><div class="share"><img src="qr.png"></div><div></div></div></body></html>'
    )
    (tmp_path / "layout.html").write_bytes(page.encode("utf-8"))
    assert record(notice_of(tmp_path / "layout.html")) == control()


# ---------------------------------------------------------------- text files

DAMAGE = "damaged text: 4 byte sequences not GB18030 replaced by U+FFFD (first on line 9)"


def test_a_gbk_file_with_damaged_bytes_is_read_and_the_damage_said() -> None:
    """case08: two damaged bytes (one inside 。, one at the end) that no decoder can read."""
    notice = notice_of(CASES / "case08_gbk_few_bad_bytes.txt")
    assert (notice.source.encoding, notice.source.warnings) == ("gb18030", [DAMAGE])
    assert notice.text.count("\ufffd") == 4
    expected = control()
    found = record(notice)
    assert len(found["tasks"]) == 4
    assert found["tasks"][:3] == expected["tasks"][:3]
    assert found["tasks"][3][0].startswith(expected["tasks"][3][0])  # the damage where the last 。 was
    assert {key: value for key, value in found.items() if key != "tasks"} == {
        key: value for key, value in expected.items() if key != "tasks"
    }


def test_the_damage_is_one_line_in_the_batch_log_and_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(CASES / "case08_gbk_few_bad_bytes.txt", raw / "damaged.txt")
    run_batch(Settings(input=raw, out_dir=tmp_path / "out", workers=1))
    [line] = (tmp_path / "out" / LOG_NAME).read_text("utf-8").splitlines()
    assert re.fullmatch(
        rf"\S+ \S+ WARNING {re.escape(str(raw / 'damaged.txt'))}: 4 tasks, 1 pages, [\d.]+ s; warning: {re.escape(DAMAGE)}",
        line,
    )
    capsys.readouterr()
    assert main(["extract", str(raw / "damaged.txt"), "-o", str(tmp_path / "extracted")]) == 0
    assert capsys.readouterr().err == f"{raw / 'damaged.txt'}: warning: {DAMAGE}\n"


def test_a_utf8_file_cut_inside_a_character_is_read_as_utf8(tmp_path: Path) -> None:
    data = CONTROL.read_bytes().rstrip(b"\n")[:-2]  # the last 。 loses its last byte
    (tmp_path / "cut.txt").write_bytes(data)
    notice = notice_of(tmp_path / "cut.txt")
    last = CONTROL.read_text("utf-8").rstrip("\n").count("\n") + 1
    assert notice.source.encoding == "utf-8"
    assert notice.source.warnings == [
        f"damaged text: 1 byte sequence not UTF-8 replaced by U+FFFD (first on line {last})"
    ]
    assert len(notice.tasks) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bytes(x for b in CONTROL.read_text("utf-8").encode("gbk") for x in (b, 0xFF)), "not text: the bytes are"),
        (bytes(b % 255 + 1 for b in range(5000)) * 2, "binary file, not text"),  # no NUL: not taken for UTF-16
    ],
)
def test_a_file_that_is_mostly_not_text_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "notice.txt").write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        load(tmp_path / "notice.txt")
    assert "\n" not in str(caught.value)


# ---------------------------------------------------------------- the 文号 as OCR reads it


def test_an_ocr_scan_whose_document_number_has_mixed_brackets() -> None:
    """case09: a scanned page; Tesseract reads 〔2025〕 as 【2025 ]."""
    notice = notice_of(CASES / "case09_ocr_scan.pdf")
    assert notice.source.ocr_pages == [1]
    assert (notice.meta.doc_number, notice.meta.title) == ("东卫健〔2025〕12号", TITLE)
    assert record(notice) == control()


def test_a_document_number_with_unmatched_brackets_between_blank_lines() -> None:
    notice = notice_of(CASES / "case14_mixed_brackets_docnumber.txt")
    assert (notice.meta.doc_number, notice.meta.title) == ("东卫健〔2025〕12号", TITLE)
    assert record(notice) == control()


@pytest.mark.parametrize(
    "written", ["【2025]", "[2025〕", "(2025）", "（2025)", "〔2025]", "［2025〕", "{2025}", "〔2025}"]
)
@pytest.mark.parametrize("layout", ["blank lines", "one line each", "pdf"])
def test_every_bracket_slip_is_repaired_and_the_number_stays_out_of_the_title(
    written: str, layout: str, tmp_path: Path
) -> None:
    text = CONTROL.read_text("utf-8").replace("〔2025〕", written)
    if layout == "one line each":
        text = text.replace("\n\n", "\n")
    path = tmp_path / "notice.txt"
    path.write_text(text, "utf-8")
    if layout == "pdf":
        path = typeset(parse_structure(normalise(load(path))), tmp_path / "notice.pdf")
    assert record(notice_of(path)) == control()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_damage_is_replaced_and_said_in_every_encoding(encoding: str, tmp_path: Path) -> None:
    """A UTF-16 file (with a BOM or without) cut inside a character, a UTF-8 one with a BOM
    and a byte that is not UTF-8."""
    data = CONTROL.read_text("utf-8").rstrip("\n").encode(encoding)
    data = data[:-1] if encoding.startswith("utf-16") else data[:40] + b"\xff" + data[40:]
    (tmp_path / "notice.txt").write_bytes(data)
    notice = notice_of(tmp_path / "notice.txt")
    assert notice.source.encoding == encoding
    assert len(notice.source.warnings) == 1 and notice.source.warnings[0].startswith("damaged text: 1 byte sequence")
    assert len(notice.tasks) == 4


def test_a_scan_turned_upright_by_rotate_is_read_upright(tmp_path: Path) -> None:
    """A scanner's page: the image drawn sideways, /Rotate 90 turning it upright on screen.
    OCR reads the page as shown; reading the (absent) text layer leaves its rotation alone."""
    printed = pdfium.PdfDocument(typeset(control_document(), tmp_path / "printed.pdf"))
    scan = pdfium.PdfDocument.new()
    for page in printed:
        width, height = page.get_size()
        image = pdfium.PdfImage.new(scan)
        image.set_bitmap(page.render(scale=150 / 72, grayscale=True))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height).rotate(90, ccw=True).translate(height, 0))
        scanned = scan.new_page(height, width)
        scanned.insert_obj(image)
        scanned.gen_content()
        scanned.set_rotation(90)
    scan.save(tmp_path / "scan.pdf")
    notice = notice_of(tmp_path / "scan.pdf")
    assert notice.source.ocr_pages == [1, 2]
    assert (notice.meta.doc_number, notice.meta.title, len(notice.tasks)) == ("东卫健〔2025〕12号", TITLE, 4)
