"""The structured document: the normalised text cut into the parts of an official notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemas.source import NormText

BlockKind = Literal[
    "header_mark",  # 份号, 密级, 紧急程度
    "issuer_mark",  # the red header: ……文件
    "doc_number",  # 发文字号
    "title",  # the notice's title
    "addressees",  # 主送机关, or the addressee of an attached report (国务院：)
    "notice",  # the covering notice's own text
    "preamble",  # text before a plan's first heading
    "heading",
    "body",  # text under a heading: where tasks are
    "attachment",  # 附件 markers and the covering notice's list of attachments
    "plan_title",  # the title of an attached plan or report
    "signature",  # 署名
    "date",  # 成文日期
    "note",  # （本文有删减）
    "openness",  # 公开属性
    "contact",  # 联系人, 电话, 邮箱
    "cc",  # 抄送
    "printed",  # 印发 line of the 版记
    "toc",  # a table of contents entry
    "table_header",  # a table's header row; its cells are tab-separated
    "table_row",  # a table's row: one task per row
]


@dataclass(frozen=True, slots=True)
class Heading:
    number: str  # as written: 一、 （一） 1.
    title: str  # the heading's words, without the number and its closing 。
    style: str
    rank: int  # lower is higher in the tree


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    start: int  # offsets into NormText.text
    end: int
    heading: Heading | None = None  # for headings
    part: int = 0  # which plan of a multi-plan document the block belongs to (0: the notice)


@dataclass(frozen=True)
class Document:
    text: NormText
    blocks: tuple[Block, ...]
    plan: int | None = None  # of a file that bundles several plans, which one this is (from 1)
    plans: int = 1  # how many plans the file bundles

    def text_of(self, block: Block) -> str:
        return self.text.text[block.start : block.end]

    def of_kind(self, *kinds: BlockKind) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]
