"""The whole flow for one file: load → normalise → structure → extract → write.

source   = load(path)              # SourceText: the file's text, lines tied to pages
text     = normalise(source)       # NormText: wraps joined, page furniture gone, mapped back
document = parse_structure(text)   # Document: header, title, notice, plans, headings, body
notice   = extract(document)       # Notice: metadata, sections, tasks (validated)
write_json(notice, out_dir)        # <stem>.json, written atomically
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from extractors.notice import extract
from extractors.structure import parse_structure
from pipeline.load import load
from pipeline.normalise import normalise
from schemas.notice import Notice


def process(path: Path) -> Notice:
    return extract(parse_structure(normalise(load(path))))


def write_json(notice: Notice, out_dir: Path) -> Path:
    """Write `<stem>.json` into `out_dir` through a temporary file, so a crash leaves no half file."""
    target = out_dir / f"{Path(notice.source.name).stem}.json"
    payload = json.dumps(notice.model_dump(mode="json"), ensure_ascii=False, indent=1)
    write_atomically(target, payload.encode("utf-8"))
    return target


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
