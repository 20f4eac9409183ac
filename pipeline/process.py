"""The whole flow for one file: load → normalise → structure → extract → export.

source   = load(path)              # SourceText: the file's text, lines tied to pages
text     = normalise(source)       # NormText: wraps joined, page furniture gone, mapped back
document = parse_structure(text)   # Document: header, title, notice, plans, headings, body
plans    = split_plans(document)   # [Document]: one per plan where the file bundles several
notices  = [extract(plan) ...]     # Notice: metadata, sections, tasks and their fields
export(notice, out_dir)            # <stem>.json, .xlsx and .review.html, each written atomically
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from extractors.notice import extract
from extractors.plans import split_plans
from extractors.structure import parse_structure
from pipeline.errors import InputError
from pipeline.inputs.load import load, load_bytes
from pipeline.normalise import normalise
from pipeline.outputs.record import write_json
from pipeline.outputs.review import write_review
from pipeline.outputs.task_workbook import write_xlsx
from schemas.notice import Notice


def process(path: Path, data: bytes | None = None) -> list[Notice]:
    """The notices in a file: one, or one per plan where the file bundles several; `data`, the
    file's bytes when the caller has read them already."""
    source = load(path) if data is None else load_bytes(path, data)
    return [extract(plan) for plan in split_plans(parse_structure(normalise(source)))]


NO_TASKS = "no task found: not a plan, or laid out in a way gongwen does not read (its review page shows the text)"


def warnings_of(notices: list[Notice]) -> list[str]:
    """What was wrong with a file but did not stop it, a line each: its text's damage, and a
    notice of no task at all."""
    found = list(notices[0].source.warnings)
    if not any(notice.tasks for notice in notices):
        found.append(NO_TASKS)
    return found


def read_notices(path: Path) -> list[Notice]:
    """The notices of a file of any input format, or the one in a JSON record gongwen wrote."""
    if path.suffix.lower() == ".json":
        try:
            return [Notice.model_validate_json(path.read_bytes())]
        except ValidationError as error:
            raise InputError(f"not a notice record of this gongwen ({error.error_count()} errors)") from error
    return process(path)


def read_notice(path: Path) -> Notice:
    """The one notice of a file or JSON record; a bundle of plans is refused."""
    notices = read_notices(path)
    if len(notices) > 1:
        raise InputError(f"bundles {len(notices)} plans: extract it and name one plan's JSON record")
    return notices[0]


def export(notice: Notice, out_dir: Path) -> list[Path]:
    return [write_json(notice, out_dir), write_xlsx(notice, out_dir), write_review(notice, out_dir)]
