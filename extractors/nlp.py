"""Task sentences, tokenised by the project's jieba and tagged from its lexicon.

A task's `Sentence` is the unit of provenance for its fields: each deadline, party and target
is found at character offsets into it, which plus the task's own offset place the value in the
notice's text.  Its words carry jieba's part-of-speech tag (`word.tag_`: n noun, v verb,
p preposition, t time …; words jieba does not know are tagged by what they end with), which
the field rules read to tell a verb from a noun.  The spaCy `Doc` of a sentence (its words,
without tags: the rules read those here) is made only for the `PhraseMatcher` of the party cues.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import accumulate
from typing import overload

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.segment import segment, word_tags

# jieba tags of words that never belong to a noun phrase: verbs, prepositions, adverbs,
# particles, conjunctions, pronouns, time words, punctuation; everything else may.
NON_NOMINAL_TAGS = frozenset(
    {"v", "vd", "vg", "p", "d", "u", "uj", "ul", "uz", "ug", "uv", "ud", "c", "r", "t", "y", "e", "o", "x"}
)
IDIOM_TAGS = frozenset({"i"})  # set phrases: 进一步提高 never opens a name
# tags of a word that can open a predicate (an idiom too: 按程序, 高度重视)
PREDICATE_TAGS = frozenset({"v", "vd", "vg", "d", "ad", "p", "t", "a", "l", "i"})
PUNCTUATION = frozenset("，。；：、！？,;:!?（）()《》“”\"'‘’【】〔〕—…·")


@cache
def nlp() -> Language:
    """A blank Chinese pipeline; the words come from `segment`, not spaCy's own tokenizer."""
    return spacy.blank("zh")


@lru_cache(maxsize=65536)
def tag_of(word: str) -> str:
    """jieba's tag for a word; a word of an adverb and a verb is an adverb (认真总结, which jieba
    calls a noun), and an unknown word is tagged as what it ends like."""
    if word in PUNCTUATION or not word.strip():
        return "x"
    if word.isdigit():
        return "m"
    if word.isascii():
        return "eng"
    if word.startswith("每"):
        return "t"  # 每, 每年度, 每季度: a frequency
    tags = word_tags()
    if len(word) == 1:
        return tags.get(word, "x")
    if len(word) > 2 and tags.get(word[:2]) in ("d", "ad") and tags.get(word[2:]) in ("v", "vn"):
        return "d"  # 认真总结, 积极参与: an adverb and its verb, which jieba may call a noun
    return tags.get(word) or tags.get(word[-1], "n")


class Word:
    """One word of a `Sentence`: its text, jieba tag, index among the sentence's words and
    offset of its first character; `len(word)` is its length in characters."""

    __slots__ = ("i", "idx", "tag_", "text")

    def __init__(self, text: str, tag: str, i: int, idx: int) -> None:
        self.text, self.tag_, self.i, self.idx = text, tag, i, idx

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.tag_!r}, i={self.i}, idx={self.idx})"


class Sentence:
    """A task sentence as jieba cuts it: indexing gives a `Word`, slicing a tuple of them, as
    a spaCy `Doc` would give a `Token` or a `Span`; the rules read words here, where a `Doc`
    makes a Python `Token` object at each access.  `doc()` is the spaCy `Doc` of the same
    words, made on demand for the `PhraseMatcher`."""

    __slots__ = ("_doc", "starts", "text", "tokens", "words")

    def __init__(self, text: str, words: tuple[str, ...]) -> None:
        self.text = text
        self.words = words
        self.starts = [0, *accumulate(map(len, words[:-1]))] if words else []
        self.tokens = tuple(map(Word, words, map(tag_of, words), range(len(words)), self.starts))
        self._doc: Doc | None = None

    def __len__(self) -> int:
        return len(self.tokens)

    @overload
    def __getitem__(self, index: int) -> Word: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Word, ...]: ...
    def __getitem__(self, index: int | slice) -> Word | tuple[Word, ...]:
        return self.tokens[index]

    def __iter__(self) -> Iterator[Word]:
        return iter(self.tokens)

    def doc(self) -> Doc:
        if self._doc is None:
            self._doc = Doc(nlp().vocab, words=list(self.words), spaces=[False] * len(self.words))
        return self._doc


def is_nominal(token: Word) -> bool:
    return token.tag_ not in NON_NOMINAL_TAGS


def make_doc(text: str) -> Sentence:
    """The sentence's words as the project's jieba cuts them, with their tags and offsets."""
    return Sentence(text, segment(text))


def token_at(doc: Sentence, char: int) -> Word | None:
    """The word that covers a character offset, if any."""
    if not 0 <= char < len(doc.text):
        return None
    return doc[bisect_right(doc.starts, char) - 1]


def next_token(doc: Sentence, char: int) -> Word | None:
    """The first word starting at or after a character offset."""
    index = bisect_left(doc.starts, char)
    return doc[index] if index < len(doc) else None
