"""Typed records passed between gongwen's stages."""

from schemas.notice import (
    SCHEMA_VERSION,
    Deadline,
    Notice,
    NoticeMeta,
    Party,
    Section,
    SourceInfo,
    Span,
    Target,
    Task,
)
from schemas.source import NormText, Paragraph, SourceLine, SourceText

__all__ = [
    "SCHEMA_VERSION",
    "Deadline",
    "NormText",
    "Notice",
    "NoticeMeta",
    "Paragraph",
    "Party",
    "Section",
    "SourceInfo",
    "SourceLine",
    "SourceText",
    "Span",
    "Target",
    "Task",
]
