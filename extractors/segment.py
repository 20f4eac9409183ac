"""Word segmentation: one jieba tokenizer per process, taught the project's vocabulary.

jieba's own dictionary splits the names this genre lives on (区/消防/救援/支队,
10/家村/卫生室); `lexicon/userdict.txt` and the organisation vocabularies fix that.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from typing import Any

import jieba

from extractors.vocab import table, words

USER_WORD_FILES = ("userdict.txt",)
TAGGED_FILES = (("action_verbs.txt", "v"), ("adverbs.txt", "d"), ("org_terms.txt", "nt"))


@cache
def tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for name in USER_WORD_FILES:
        for entry in words(name):
            word, _, tag = entry.partition(" ")
            if word.startswith("-"):  # a word of jieba's that glues two of ours: 确保安全 → 确保/安全生产
                tok.del_word(word[1:])
            else:
                tok.add_word(word, freq=None, tag=tag or None)
    for name, tag in TAGGED_FILES:
        for word in words(name):
            tok.add_word(word, freq=None, tag=tag)
    return tok


@cache
def _repairs() -> dict[str, Any]:
    return table("segment_repairs.toml")


def _parts(word: str, repairs: dict[str, Any]) -> tuple[str, ...]:
    """由区, 各镇, 局要, 部等: two words jieba's dictionary glues into one; 由水, 委在, 长由, 局与市:
    words its HMM glues, which it does not know and which hold a preposition or a modal."""
    if len(word) == 2:
        level = word[0] in repairs["split_prepositions"] and word[1] in repairs["split_levels"]
        suffix = word[0] in repairs["split_suffixes"] and word[1] in repairs["split_followers"]
        if level or suffix:
            return word[0], word[1]
    function = repairs["split_prepositions"] + repairs["split_followers"]
    if len(word) in (2, 3) and word not in tokenizer().FREQ:
        at = next((i for i, char in enumerate(word) if char in function), None)
        if at is not None:
            return tuple(part for part in (word[:at], word[at], word[at + 1 :]) if part)
    return (word,)


@lru_cache(maxsize=8192)
def segment(text: str) -> tuple[str, ...]:
    """The words of `text`, in order; joined they give `text` back. A sentence is segmented
    once however many stages read it."""
    repairs = _repairs()
    merged: list[str] = []
    for cut in tokenizer().cut(text, HMM=True):
        for word in _parts(cut, repairs):
            if merged and any(merged[-1].endswith(end) and word == following for end, following in repairs["merge"]):
                merged[-1] += word
            else:
                merged.append(word)
    return tuple(merged)
