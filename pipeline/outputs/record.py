"""Stage 5a: `Notice` → `<stem>.json`, the validated record."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.files import write_atomically
from schemas.notice import Notice


def write_json(notice: Notice, out_dir: Path) -> Path:
    target = out_dir / f"{notice.source.stem}.json"
    write_atomically(target, json_bytes(notice))
    return target


def json_bytes(notice: Notice) -> bytes:
    return json.dumps(notice.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
