"""Write a notice's normalised text as a Word document and as a web page saved from a
government site, for tests of those loaders.

Lines with tabs are table rows; a line between two table rows (一、知识产权保护方面) is a row
merged across the table, as such headings are in real 任务分解表.  The web page wraps the
notice in a site's furniture (navigation, breadcrumbs, related links, a footer) that must not
be read as the notice.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

TAB = "\t"


def blocks(text: str) -> Iterator[str | list[list[str]]]:
    """Paragraphs (str) and tables (rows of cells)."""
    lines = [line for line in text.split("\n") if line.strip()]
    rows: list[list[str]] = []
    for index, line in enumerate(lines):
        following_row = any(TAB in later for later in lines[index + 1 : index + 2])
        if TAB in line or (rows and following_row):
            rows.append(line.split(TAB))
            continue
        if rows:
            yield rows
            rows = []
        yield line
    if rows:
        yield rows


def word_document(text: str) -> bytes:
    document = docx.Document()
    for block in blocks(text):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"  # ruled, as a 任务分解表 is printed
        for r, row in enumerate(block):
            if len(row) == 1:  # a heading row: one cell merged across the table
                merged = table.cell(r, 0).merge(table.cell(r, width - 1))
                merged.text = row[0]
                continue
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
        "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "v": "urn:schemas-microsoft-com:vml",
    }.items()
)


def word_xml(body: str, numbering: str = "", styles: str = "") -> bytes:
    """A Word document whose body is this WordprocessingML (w:, mc:, wps:, wp:, a:, v: declared),
    with these list definitions (w:abstractNum, w:num) and paragraph styles (w:style) added to
    python-docx's template, as Word writes what a user typed."""
    document = docx.Document()
    content = document.element.body
    end = content.find(qn("w:sectPr"))
    for child in list(content):
        if child is not end:
            content.remove(child)
    for child in parse_xml(f"<w:body {NAMESPACES}>{body}</w:body>"):
        end.addprevious(child)
    definitions = document.part.numbering_part.element
    first_num = definitions.find(qn("w:num"))
    for child in parse_xml(f"<w:numbering {NAMESPACES}>{numbering}</w:numbering>"):
        if child.tag == qn("w:abstractNum") and first_num is not None:
            first_num.addprevious(child)  # the schema's order: every definition before the lists
        else:
            definitions.append(child)
    for child in parse_xml(f"<w:styles {NAMESPACES}>{styles}</w:styles>"):
        document.styles.element.append(child)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NAVIGATION = """<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/zcwj">政策文件</a>
<a href="/hdjl">互动交流</a> | <a href="/bsfw">办事服务</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>"""
RELATED = """<div class="related"><h3>相关文件</h3><ul>
<li><a href="/1.html">关于做好2024年度安全生产工作的通知（点击查看全文）</a></li>
<li><a href="/2.html">关于开展安全生产大检查的通知（点击查看全文内容）</a></li></ul></div>
<div class="footer">主办单位：某某区人民政府办公室 地址：某某路1号 网站标识码：3101180000 技术支持：某某信息科技有限公司</div>"""


def web_page(text: str, title: str, encoding: str = "utf-8") -> bytes:
    body = []
    for block in blocks(text):
        if isinstance(block, str):
            body.append(f'<p style="text-indent:2em">{html.escape(block)}</p>')
            continue
        width = max(len(row) for row in block)
        rows = []
        for row in block:
            if len(row) == 1:
                rows.append(f'<tr><td colspan="{width}"><b>{html.escape(row[0])}</b></td></tr>')
            else:
                rows.append("<tr>" + "".join(f"<td><p>{html.escape(cell)}</p></td>" for cell in row) + "</tr>")
        body.append('<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>")
    page = f"""<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{html.escape(title)}_某某区人民政府网</title>
<script>var _hmt = _hmt || []; document.write("统计代码，不是正文内容");</script><style>p{{margin:0}}</style></head>
<body>{NAVIGATION}<div class="article"><div class="meta">发布时间：2025-03-05 来源：区政府办公室 浏览次数：1024</div>
<div class="TRS_Editor">{"".join(body)}</div></div>{RELATED}</body></html>"""
    return page.encode(encoding)
