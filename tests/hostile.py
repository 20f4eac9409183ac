"""Hostile and broken inputs, built in memory in a second or two: the attacks a hostile-input
review made on gongwen (issue 18), each small on disk and huge once read.

    zip bombs     a .docx whose document.xml inflates to 100 MB of one-character paragraphs
                  (600 KB as built here, at zlib level 1 for speed), or to a 1.5 GB text node (7 MB)
    entities      a .docx whose XML declares the billion laughs (ten entities of ten of the next)
    long text     a text file of one 30 MB line
    page trees    a PDF whose page tree holds itself
    PDF bombs     a PDF whose one page inflates to 300 MB of strokes (600 KB)
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from tests.markup import word_document

DOCUMENT_XML = "word/document.xml"
SMALL_NOTICE = "关于印发工作要点的通知\n各单位：\n一、加强安全生产。区应急局牵头，6月底前完成检查。\n"
PARAGRAPH = "<w:p><w:r><w:t>一</w:t></w:r></w:p>"


def _document_xml() -> tuple[str, str]:
    """A real document.xml cut where its body opens: what comes before the body's content, and after."""
    with zipfile.ZipFile(io.BytesIO(word_document(SMALL_NOTICE))) as package:
        xml = package.read(DOCUMENT_XML).decode("utf-8")
    head, tail = xml.split("<w:body>", 1)
    return head + "<w:body>", tail


def _with_document(chunks: Iterator[bytes]) -> bytes:
    """A .docx made by python-docx with its document.xml streamed from `chunks` (zip64 allows any size)."""
    source = zipfile.ZipFile(io.BytesIO(word_document(SMALL_NOTICE)))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for part in source.infolist():
            if part.filename != DOCUMENT_XML:
                package.writestr(part, source.read(part))
                continue
            with package.open(DOCUMENT_XML, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return out.getvalue()


def _repeated(unit: bytes, size: int) -> Iterator[bytes]:
    """`unit` repeated to about `size` bytes, in chunks of about a megabyte."""
    chunk = unit * max(2**20 // len(unit), 1)
    for _ in range(max(size // len(chunk), 1)):
        yield chunk


def tiny_paragraphs_docx(size: int = 100 * 2**20) -> bytes:
    """A .docx whose body is `size` bytes of one-character paragraphs (100 MB: 3 million)."""
    head, tail = _document_xml()
    return _with_document(iter([head.encode(), *_repeated(PARAGRAPH.encode(), size), tail.encode()]))


def huge_text_node_docx(size: int = 1536 * 2**20) -> bytes:
    """A .docx whose one paragraph is a text node of `size` bytes."""
    head, tail = _document_xml()
    chunks = [f"{head}<w:p><w:r><w:t>".encode(), *_repeated("一".encode(), size), f"</w:t></w:r></w:p>{tail}".encode()]
    return _with_document(iter(chunks))


def billion_laughs_docx() -> bytes:
    """A .docx whose document.xml declares ten entities, each ten of the one before: 10⁹ "lol"s."""
    head, tail = _document_xml()
    declaration, root = head.split("?>", 1)
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = f"{declaration}?><!DOCTYPE lolz [{entities}]>{root}<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>{tail}"
    return _with_document(iter([xml.encode()]))


def one_line_text(size: int = 30 * 2**20) -> bytes:
    """A text file of one line of `size` bytes: a sentence of a notice, over and over."""
    return b"".join(_repeated("各单位要加强安全生产工作。".encode(), size))


def pdf(objects: list[str]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalogue), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")  # a stream's bytes as they are
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def page_tree_loop_pdf() -> bytes:
    """A PDF whose page tree lists itself among its pages, beside one real page of text."""
    text = "BT /F1 12 Tf 72 720 Td (A page of text beside a page tree that holds itself) Tj ET"
    return pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            " /Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def content_bomb_pdf(size: int = 300 * 2**20) -> bytes:
    """A PDF of one page whose content stream inflates to `size` bytes of strokes (600 KB on disk):
    PDFium keeps every path, about 30 bytes of memory per byte of stream."""
    squeeze = zlib.compressobj(9)
    stream = squeeze.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n")
    stream += b"".join(squeeze.compress(chunk) for chunk in _repeated(b"0 0 m 1 1 l S\n", size)) + squeeze.flush()
    content = f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode("latin-1")
    body = content + stream + b"\nendstream"
    return pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            " /Resources << /Font << /F1 5 0 R >> >> >>",
            body.decode("latin-1"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
