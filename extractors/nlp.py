"""spaCy `Doc`s of task sentences, tokenised by the project's jieba and tagged from its lexicon.

A task's `Doc` is the unit of provenance for its fields: each deadline, party and target is
a `Span` of it, whose character offsets plus the task's own offset place the value in the
notice's text.  Tokens carry jieba's part-of-speech tag for their word (`token.tag_`:
n noun, v verb, p preposition, t time …; words jieba does not know are tagged by what
they end with), which the field rules read to tell a verb from a noun.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache, lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

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


def is_nominal(token: Token) -> bool:
    return token.tag_ not in NON_NOMINAL_TAGS


def make_doc(text: str) -> Doc:
    words = segment(text)
    doc = Doc(nlp().vocab, words=list(words), spaces=[False] * len(words), tags=[tag_of(w) for w in words])
    doc.user_data["text"] = text
    doc.user_data["words"] = words
    return doc


def words_of(doc: Doc) -> tuple[str, ...]:
    """The doc's words, kept with it: a rule that looks for a word reads these strings, where
    iterating the doc makes a spaCy `Token` object of each word, each time."""
    words: tuple[str, ...] | None = doc.user_data.get("words")
    if words is None:
        words = doc.user_data["words"] = tuple(token.text for token in doc)
    return words


def text_of(doc: Doc) -> str:
    """The doc's text, kept with it: spaCy rebuilds `Doc.text` from the tokens at each access."""
    text: str | None = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _starts(doc: Doc) -> list[int]:
    """Each token's first character, kept with the doc: offsets are looked up by bisection."""
    starts: list[int] | None = doc.user_data.get("starts")
    if starts is None:
        starts = doc.user_data["starts"] = [token.idx for token in doc]
    return starts


def token_at(doc: Doc, char: int) -> Token | None:
    """The token that covers a character offset, if any."""
    if not 0 <= char < len(text_of(doc)):
        return None
    return doc[bisect_right(_starts(doc), char) - 1]


def next_token(doc: Doc, char: int) -> Token | None:
    """The first token starting at or after a character offset."""
    index = bisect_left(_starts(doc), char)
    return doc[index] if index < len(doc) else None
