"""Word segmentation: one jieba tokenizer per process, taught the project's vocabulary.

jieba's own dictionary splits the names this genre lives on (区/消防/救援/支队,
10/家村/卫生室); `lexicon/userdict.txt` and the organisation vocabularies fix that.
"""

from __future__ import annotations

import logging
from functools import cache

import jieba

from extractors.vocab import words

USER_WORD_FILES = ("userdict.txt",)


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
    return tok


def segment(text: str) -> list[str]:
    """The words of `text`, in order; joined they give `text` back."""
    return list(tokenizer().cut(text, HMM=True))
