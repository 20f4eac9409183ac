"""Typeset a notice as an official PDF would be, for tests of the PDF path.

Each paragraph of the notice's normalised text is set on A4 in an embedded CJK font (Debian's
fonts-wqy-microhei; reportlab's built-in STSong-Light is not embedded and pdfium then loses
some of its glyphs) the way GB/T 9704 prints a notice: 28 characters to the line, a
paragraph's first line indented two characters, the title centred, the signature and date
set right, 22 lines to the page and the page number as "— N —" at the foot.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from schemas.document import Document

FONT = "WenQuanYiMicroHei"
FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
SIZE = 15.5
LEFT = 80.0
WIDTH = 28 * SIZE
TOP = 760.0
LEADING = 29.0
LINES_PER_PAGE = 22
CENTRED = {"title", "plan_title", "issuer_mark", "doc_number"}
RIGHT = {"signature", "date", "printed"}


def _wrap(text: str, indent: float) -> list[str]:
    lines, current, width = [], "", indent
    for ch in text:
        advance = pdfmetrics.stringWidth(ch, FONT, SIZE)
        if width + advance > WIDTH + 0.5 and current:
            lines.append(current)
            current, width = "", 0.0
        current += ch
        width += advance
    if current:
        lines.append(current)
    return lines


def typeset(doc: Document, path: Path, folio: str = "— {page} —", rotation: int = 0) -> Path:
    """The notice as a PDF. `folio` is the page number's form ({page}, {pages}); `rotation`, a
    /Rotate of 90, 180 or 270 with the content drawn turned back, so each page is upright on
    screen (as PDF printers do for a page set landscape in the driver)."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    rows = [
        (block.kind, number, line)
        for block in doc.blocks
        for number, line in enumerate(_wrap(doc.text_of(block).replace("\n", ""), _indent(block.kind)))
    ]
    pages = [rows[start : start + LINES_PER_PAGE] for start in range(0, len(rows), LINES_PER_PAGE)]
    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=(height, width) if rotation in (90, 270) else A4)
    for page, lines in enumerate(pages, start=1):
        if rotation:
            pdf.setPageRotation(rotation)
            pdf.translate(*{90: (height, 0), 180: (width, height), 270: (0, width)}[rotation])
            pdf.rotate(rotation)
        for row, (kind, number, line) in enumerate(lines):
            pdf.setFont(FONT, SIZE)
            y = TOP - row * LEADING
            if kind in CENTRED:
                pdf.drawCentredString(LEFT + WIDTH / 2, y, line)
            elif kind in RIGHT:
                pdf.drawRightString(LEFT + WIDTH - 2 * SIZE, y, line)
            else:
                pdf.drawString(LEFT + (_indent(kind) if number == 0 else 0.0), y, line)
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(width / 2, 50, folio.format(page=page, pages=len(pages)))
        pdf.showPage()
    pdf.save()
    return path


def _indent(kind: str) -> float:
    return 0.0 if kind in CENTRED | RIGHT | {"addressees"} else 2 * SIZE


def scanned_pdf(path: Path) -> Path:
    """A PDF as a scanner makes it: marks on the page, no text layer."""
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 500, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF that needs a password to open."""
    from reportlab.lib import pdfencrypt

    pdf = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    pdf.drawString(100, 700, "locked")
    pdf.showPage()
    pdf.save()
    return path


def image_pdf(source: Path, target: Path, pages: int | None = None, dpi: int = 150) -> Path:
    """The PDF (its first `pages`) as a scanner would return it: each page an image of itself,
    no text layer."""
    import pypdfium2 as pdfium

    original, scan = pdfium.PdfDocument(source), pdfium.PdfDocument.new()
    for index in range(min(pages or len(original), len(original))):
        page = original[index]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = pdfium.PdfImage.new(scan)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        scanned = scan.new_page(width, height)
        scanned.insert_obj(image)
        scanned.gen_content()
    scan.save(str(target))
    return target
