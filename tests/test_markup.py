"""Word documents and web pages: made from the shared notices (one with a table of 17 measures),
they give the same notice as the text: metadata, tasks, table columns, parties, deadlines."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

from pipeline.errors import InputError
from pipeline.inputs.load import load, load_bytes
from pipeline.inputs.markup import table_lines
from pipeline.inputs.web import html_rows
from schemas.notice import Notice
from tests.corpus import RAW, notice_of
from tests.markup import web_page, word_document

NOTICES = (
    "qingpu_2025_safety_plan.txt",
    "jinshan_2021_safety_resources_points.txt",
    "hd10_guobanfa_2018_126_chuangxin_tuiguang_table.txt",  # the 推广清单 table: 17 rows, 5 columns
)


def _fields(notice: Notice) -> list[tuple[object, ...]]:
    return [
        (t.text, t.section, t.columns, [(p.name, p.role) for p in t.parties], [d.text for d in t.deadlines],
         [g.text for g in t.targets])
        for t in notice.tasks
    ]  # fmt: skip


@pytest.fixture(scope="module", params=NOTICES)
def text_notice(request: pytest.FixtureRequest) -> Notice:
    return notice_of(RAW / request.param)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_same_notice_as_the_text(text_notice: Notice, kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"notice.{kind}"
    made = (
        word_document(text_notice.text) if kind == "docx" else web_page(text_notice.text, text_notice.meta.title or "")
    )
    path.write_bytes(made)
    notice = notice_of(path)
    assert notice.source.format == kind
    assert notice.meta == text_notice.meta
    assert _fields(notice) == _fields(text_notice)


def test_an_old_word_file_is_read_through_libreoffice(tmp_path: Path) -> None:
    """A .doc saved by LibreOffice (as Word 97) from the Word document of the Qingpu notice."""
    notice = notice_of(RAW / NOTICES[0])
    (tmp_path / "notice.docx").write_bytes(word_document(notice.text))
    command = ["soffice", "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "notice.docx")]
    subprocess.run(command, capture_output=True, check=True, timeout=120)
    old = notice_of(tmp_path / "notice.doc")
    assert old.source.format == "doc"
    assert _fields(old) == _fields(notice)


def test_without_libreoffice_an_old_word_file_says_how_to_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"old DOC format: .* \(apt-get install libreoffice-writer-nogui\)"):
        load_bytes(Path("notice.doc"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))


def test_a_ruled_table_in_a_pdf_gives_a_task_per_row_with_its_columns(tmp_path: Path) -> None:
    """hd10 in Word, ruled, printed to PDF by LibreOffice: its 17 rows over six pages, one of
    them broken by a page; pdfplumber's table finder gives the rows and columns of the text."""
    text = notice_of(RAW / NOTICES[2])
    (tmp_path / "table.docx").write_bytes(word_document(text.text))
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "table.docx")]
    subprocess.run(command, capture_output=True, check=True, timeout=120)
    printed = notice_of(tmp_path / "table.pdf")
    rows = [(t.section, t.columns, t.units("lead")) for t in printed.tasks if t.columns]
    assert rows == [(t.section, t.columns, t.units("lead")) for t in text.tasks if t.columns]
    assert len(rows) == 17  # each row restates a sentence of the body, which takes its columns
    broken = next(t for t in printed.tasks if t.columns.get("序号") == "22")
    assert broken.columns["主要内容"].endswith("提高科研仪器设备使用效率（免税进口的科研仪器设备按有关政策规定执行）。")


def test_table_rows_are_tasks_with_their_columns(tmp_path: Path) -> None:
    text = notice_of(RAW / NOTICES[2]).text
    (tmp_path / "table.docx").write_bytes(word_document(text))
    rows = [t for t in notice_of(tmp_path / "table.docx").tasks if t.columns]
    assert len(rows) == 17
    first = rows[0]
    assert first.columns["指导部门"] == "最高人民法院、最高人民检察院、国家知识产权局"
    assert [(p.name, p.role) for p in first.parties] == [
        ("最高人民法院", "lead"),
        ("最高人民检察院", "co"),
        ("国家知识产权局", "co"),
    ]
    # the row restates a sentence of the body, which takes its columns
    assert first.section == ["一、推广的改革举措（共23项）", "（一）知识产权保护方面5项"]


def test_the_site_around_the_notice_is_not_read(tmp_path: Path) -> None:
    notice = notice_of(RAW / NOTICES[0])
    (tmp_path / "page.html").write_bytes(web_page(notice.text, notice.meta.title or "", encoding="gb18030"))
    text = load(tmp_path / "page.html").text
    for furniture in ("首页", "当前位置", "统计代码", "相关文件", "主办单位", "浏览次数"):
        assert furniture not in text
    assert text.startswith("上海市青浦区卫生健康委员会文件\n")


def test_merged_cells_are_carried_into_every_row_they_cover() -> None:
    import lxml.html

    table = lxml.html.fragment_fromstring(
        "<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>"
        "<tr><td colspan='3'>一、安全生产</td></tr>"
        "<tr><td>1</td><td>开展隐患排查</td><td rowspan='2'>区应急局</td></tr>"
        "<tr><td>2</td><td>组织应急演练</td></tr></table>"
    )
    assert list(table_lines(html_rows(table))) == [
        "序号\t工作任务\t牵头单位", "一、安全生产", "1\t开展隐患排查\t区应急局", "2\t组织应急演练\t区应急局",
    ]  # fmt: skip


def test_word_page_breaks_give_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一页的段落。")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("第二页的段落。")
    document.save(str(tmp_path / "pages.docx"))
    source = load(tmp_path / "pages.docx")
    assert source.page_count == 2
    assert source.locate(source.text.index("第二页")) == (2, 1)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "corrupt Word file"),
        ("renamed.docx", "一份文本文件".encode(), "not a Word .docx file"),
        ("archive.zip.txt", b"PK\x03\x04" + bytes(100), "a zip archive, not a Word document"),
    ],
)
def test_bad_word_files_get_one_line(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_bytes(Path(name), data)
