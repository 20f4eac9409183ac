"""Reading a scanned PDF page: render it (pypdfium2) and read it with Tesseract (Debian's
tesseract-ocr and tesseract-ocr-chi-sim), through its command line, so no Python binding and
no image library are needed.  Each line comes back with its box, in PDF points, so the
layout rules that join a PDF's wrapped lines work on a scan as on a text layer.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.vocab import table
from pipeline.errors import InputError

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    left: float  # points from the page's left edge
    right: float
    top: float  # points from the page's top edge
    height: float  # of its characters, in points
    confidence: float  # Tesseract's, 0–1, the mean over the line's words


@cache
def _settings() -> dict[str, Any]:
    return dict(table("layout.toml")["ocr"])


@cache
def tesseract() -> str | None:
    """The tesseract command, if it is installed with Chinese."""
    command = shutil.which("tesseract")
    if command is None:
        return None
    languages = subprocess.run([command, "--list-langs"], capture_output=True, text=True, check=False).stdout
    return command if _settings()["language"].split("+")[0] in languages.split() else None


def has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_page(page: pdfium.PdfPage, command: str) -> list[OcrLine]:
    """The page's lines as Tesseract reads them, in reading order."""
    settings = _settings()
    scale = settings["dpi"] / 72
    bitmap = page.render(scale=scale, grayscale=True)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    pixels = bytes(bitmap.buffer)
    image = f"P5 {width} {height} 255\n".encode() + b"".join(
        pixels[row * stride : row * stride + width] for row in range(height)
    )
    language, timeout = settings["language"], settings["seconds_per_page"]
    try:
        done = subprocess.run(
            [command, "stdin", "stdout", "-l", language, "--psm", str(settings["page_segmentation"]), "tsv"],
            input=image,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise InputError(f"OCR took longer than {timeout:.0f} s on a page") from error
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"OCR failed: {reason[-1] if reason else 'tesseract exit ' + str(done.returncode)}")
    return _lines(done.stdout.decode("utf-8", errors="replace"), scale)


def _lines(tsv: str, scale: float) -> list[OcrLine]:
    """Tesseract's words (TSV level 5) grouped into its lines, CJK joined without spaces."""
    words: dict[tuple[str, str, str], list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip() and float(cells[10]) >= 0:
            words.setdefault((cells[2], cells[3], cells[4]), []).append(cells)
    lines = []
    for found in words.values():
        text = found[0][11].strip()
        for word in found[1:]:
            token = word[11].strip()
            text += token if _cjk(text[-1]) and _cjk(token[0]) else " " + token
        left = min(int(w[6]) for w in found)
        right = max(int(w[6]) + int(w[8]) for w in found)
        top = min(int(w[7]) for w in found)
        size = statistics.median(int(w[9]) for w in found)
        confidence = statistics.fmean(float(w[10]) for w in found) / 100
        lines.append(OcrLine(text, left / scale, right / scale, top / scale, size / scale, confidence))
    return lines


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def missing_message(scanned: int, pages: int, chars: int) -> str:
    return (
        f"scanned: {scanned} of {pages} page(s) are images without text ({chars} characters on the others); "
        f"install Tesseract to read them by OCR: {INSTALL}"
    )
