"""The notice's metadata: title, 发文字号, issuer, dates, addressees, attached plan, plan year."""

from __future__ import annotations

import datetime as dt
import re

from extractors.numerals import parse_int
from extractors.structure import is_org_line
from extractors.vocab import notice_pattern
from schemas.document import Block, Document
from schemas.notice import NoticeMeta

BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕",
                          "（": "〔", "）": "〕", "﹝": "〔", "﹞": "〕"})  # fmt: skip
YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|[-—－–~至]|\))")
OFFICES = ("办公室", "办公厅")  # a government's office, which issues what its government approved
PLANNED_YEAR = re.compile(r"((?:19|20)\d{2})\s*年[^，。；、和及与]{0,12}(?:计划|要点|方案|安排|任务|打算)")


def extract_meta(doc: Document) -> NoticeMeta:
    title = _joined(doc, doc.of_kind("title")[:1])
    issuers = _issuers(doc, title)
    printed = _printed(doc)
    plan_title = _plan_title(doc, title)
    issue_date = _first_date(doc)
    doc_number = _doc_number(doc)
    return NoticeMeta(
        title=title,
        doc_number=doc_number,
        issuer="、".join(issuers) or None,
        issuers=issuers,
        issue_date=issue_date,
        printed_by=printed[0],
        printed_date=printed[1],
        addressees=_addressees(doc),
        plan_title=plan_title,
        drafter=_drafter(doc, title, issuers),
        plan_year=plan_year_of(plan_title, title, doc_number, issue_date),
        openness=_openness(doc),
    )


def _joined(doc: Document, blocks: list[Block]) -> str | None:
    text = "".join(doc.text_of(b).replace("\n", "") for b in blocks)
    return text or None


# ---------------------------------------------------------------- 发文字号


def normalise_doc_number(text: str) -> str | None:
    """青卫健办〔2025〕7号 from any bracket variant and spacing: [2025], 【2025】, (2025), ﹝2025﹞."""
    match = notice_pattern("doc_number").search(text)
    if match is None:
        return None
    return f"{match['prefix']}〔{match['year']}〕{match['nth'] or ''}{int(match['serial'])}号"


def _doc_number(doc: Document) -> str | None:
    for block in doc.of_kind("doc_number", "title", "issuer_mark"):
        number = normalise_doc_number(doc.text_of(block))
        if number:
            return number
    return None


# ---------------------------------------------------------------- issuer


def split_joint(names: str) -> list[str]:
    """Joint issuers printed without a separator: a name that starts again where it began.

    山东省人民政府安全生产委员会山东省人民政府消防安全委员会 → the two committees.
    """
    names = names.strip()
    parts = [p for p in re.split(r"[\s、，,]+", names) if p]
    if len(parts) > 1:
        return [name for part in parts for name in split_joint(part)]
    head = names[:3]
    cut = names.find(head, 3) if len(names) >= 8 else -1
    if cut > 3 and is_org_line(names[:cut]) and is_org_line(names[cut:]):
        return [names[:cut], *split_joint(names[cut:])]
    return [names]


def _issuers(doc: Document, title: str | None) -> list[str]:
    """From the red header (……文件), else the title's opening names, else the signature, else the
    government whose head delivers the report, else the author a plan names."""
    header = [
        doc.text_of(b).removesuffix("文件").strip() for b in doc.blocks if b.kind == "issuer_mark" and b.part == 0
    ]
    names = [name for text in header if text for name in split_joint(re.sub(r"文\s*件", " ", text))]
    if not names and title:
        opening = notice_pattern("title_start").search(title)
        if opening and opening.start() > 0:
            names = split_joint(title[: opening.start()].replace("\n", " "))
    if not names:
        signature = [b for b in doc.blocks if b.kind == "signature" and b.part == 0]
        names = [name for b in signature for name in split_joint(doc.text_of(b))]
    if not names:  # a government's report is delivered by its head: 国务院总理 → 国务院
        speaker = next(
            (m for b in doc.of_kind("preamble")[:4] if (m := notice_pattern("speaker").match(doc.text_of(b)))), None
        )
        if speaker:
            names = [speaker["state"] or f"{speaker['place']}人民政府"]
    if not names:  # a plan with no header names its author: ……制定本方案
        for block in doc.of_kind("preamble")[:3]:
            author = notice_pattern("author").search(doc.text_of(block))
            if author:
                names = [author["org"]]
                break
    return [name for name in names if is_org_line(name)]


def _drafter(doc: Document, title: str | None, issuers: list[str]) -> str | None:
    """Whose plan or report the notice carries, where not its issuer's: the plan names itself
    (国家卫生健康委结合工作实际制定本方案), a report is signed (国家地震局), a bundle's plan opens its
    title with its drafter (省教育厅校园安全治本攻坚三年行动实施方案), the title says whose
    report it forwards (国务院办公厅转发国家地震局关于……的通知), or an office issues a plan its
    government approved (经区政府同意，现将《……》印发给你们: 区政府)."""
    for block in doc.blocks:
        if block.kind in ("preamble", "body") and (block.part > 0 or doc.plan is not None or not issuers):
            author = notice_pattern("author").search(doc.text_of(block))
            if author and is_org_line(author["org"]):
                return _unless_issuer(author["org"], issuers)
    signed = [doc.text_of(b) for b in doc.blocks if b.kind == "signature" and b.part > 0]
    if signed and is_org_line(signed[0]) and signed[0] not in issuers:  # the issuer signing again says nothing
        return signed[0]
    plan_titles = [doc.text_of(b) for b in doc.of_kind("plan_title")]
    titled = notice_pattern("titled_owner").match(plan_titles[0]) if doc.plan and plan_titles else None
    if titled and is_org_line(titled["org"]):  # a bundle's plan titled by its drafter: 省教育厅校园安全……方案
        return _unless_issuer(titled["org"], issuers)
    forwarded = notice_pattern("forwarded_author").search(title or "")
    if forwarded and is_org_line(forwarded["org"]):
        return _unless_issuer(forwarded["org"], issuers)
    offices = [name for name in issuers if name.endswith(OFFICES)]
    if offices and (doc.of_kind("plan_title") or doc.plan is not None):  # an office issues its government's plan
        covering = "".join(doc.text_of(b) for b in doc.of_kind("notice"))
        approved = notice_pattern("approved_by").search(covering)
        if approved:
            return _unless_issuer(approved["org"], issuers)
    return None


def _unless_issuer(name: str, issuers: list[str]) -> str | None:
    return None if name in issuers else name


# ---------------------------------------------------------------- dates


def parse_date(text: str) -> dt.date | None:
    """2025年3月3日, 一九九六年二月五日, 二○二四年一月二十一日 → a date."""
    match = notice_pattern("date").search(text)
    if match is None:
        return None
    year, month, day = (parse_int(match[name]) for name in ("year", "month", "day"))
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _first_date(doc: Document) -> dt.date | None:
    """The 成文日期 under the signature, else a speech's dateline (——2023年3月5日在……上)."""
    for block in doc.of_kind("date"):
        date = parse_date(doc.text_of(block))
        if date:
            return date
    for block in doc.of_kind("preamble")[:2]:
        text = doc.text_of(block)
        if notice_pattern("dateline").match(text):
            return parse_date(text)
    return None


def _printed(doc: Document) -> tuple[str | None, dt.date | None]:
    """The 版记's printer and 印发 date (the line may have been split by a page break)."""
    text = "".join(doc.text_of(b) for b in doc.of_kind("printed"))
    match = notice_pattern("printed").search(text)
    if match is None:
        return None, None
    return match["org"] or None, parse_date(match["date"])


# ---------------------------------------------------------------- addressees, plan


def split_list(text: str, separators: str = "、，,；;") -> list[str]:
    """Items of a list, split at its separators but not inside brackets: 各省（自治区、直辖市）能源局."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "（(《“【":
            depth += 1
        elif ch in "）)》”】":
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _addressees(doc: Document) -> list[str]:
    blocks = [b for b in doc.of_kind("addressees") if b.part == 0]
    if not blocks:
        return []
    return split_list(doc.text_of(blocks[0]).rstrip("：:"))


def _plan_title(doc: Document, title: str | None) -> str | None:
    """The attached plan's title: 《…》 in the notice's title, else the first attachment's title;
    for one plan of a bundle, its own title (the notice's names the bundle)."""
    if title and doc.plan is None:
        quoted = re.search(r"(?:印发|下发|转发|批转|关于)《(.+)》", title)
        if quoted:
            return quoted.group(1)
    first_plan = next((b for b in doc.of_kind("plan_title") if not _is_contents(doc, b)), None)
    if first_plan:
        return _joined(doc, [first_plan])
    if title:
        bare = re.search(r"(?:印发|下发|转发)(.+?)的(?:通知|函)$", title)
        if bare:
            return bare.group(1)
    return None


def _is_contents(doc: Document, block: Block) -> bool:
    """A title followed by a table of contents names the collection, not a plan."""
    following = [b for b in doc.blocks if b.start >= block.end][:1]
    return bool(following) and following[0].kind == "toc"


def plan_year_of(
    plan_title: str | None, title: str | None, doc_number: str | None, issue_date: dt.date | None
) -> int | None:
    """The year a plan is for: named in its title, else in the notice's, else its number's or date's.
    A title that names two years names the plan's before what it plans (2024年工作情况和2025年
    工作计划: 2025)."""
    titled = titled_year(plan_title, title)
    if titled is not None:
        return titled
    if doc_number:
        match = re.search(r"〔(\d{4})〕", doc_number)
        if match:
            return int(match.group(1))
    return issue_date.year if issue_date else None


def titled_year(plan_title: str | None, title: str | None) -> int | None:
    """The year the plan's or the notice's title names (2025年工作要点), or None."""
    for text in (plan_title, title):
        match = PLANNED_YEAR.search(text or "") or YEAR.search(text or "")
        if match:
            return int(match.group(1))
    return None


def _openness(doc: Document) -> str | None:
    for block in doc.of_kind("openness"):
        match = notice_pattern("openness").search(doc.text_of(block))
        if match:
            return match["value"] or match["value2"]
    return None
