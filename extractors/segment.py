"""Word segmentation: one jieba tokenizer per process, taught the project's vocabulary.

jieba's own dictionary splits the names this genre lives on (区/消防/救援/支队,
10/家村/卫生室); `lexicon/userdict.txt` and the organisation vocabularies fix that.

The taught dictionary (jieba's 350,000 words and their prefixes, the project's words and
every word's tag) is cached in the user's own folder of the temporary folder (where jieba
caches its own), as long strings and arrays, from which the word → frequency and word → tag
dicts are made by a split and a zip: 0.3 s, where unmarshalling the two dicts took 0.4, and
jieba's `initialize` (whose `marshal.load` reads its cache file in small pieces), the
project's words and the tags read from dict.txt take 2.2 s of a small notice's run and of
each batch's start.  The tags stay a dict: a sorted list searched by bisect loads faster,
but each search touches the reference counts of the words it passes, and so copies the
fork server's pages into every worker (15 MB a worker).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import mmap
import os
import stat
import sys
import tempfile
from array import array
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import jieba

from extractors.vocab import lexicon_path, table, words

USER_WORD_FILES = ("userdict.txt",)
TAGGED_FILES = (("action_verbs.txt", "v"), ("adverbs.txt", "d"), ("org_terms.txt", "nt"))
JIEBA_DICT = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)

COUNTS = "q"  # the array type of jieba's frequencies
T = TypeVar("T")


# FREQ (word or prefix → frequency), total, user_word_tag_tab, tags (word → jieba tag)
Dictionary = tuple[dict[str, int], int, dict[str, str], dict[str, str]]


def tokenizer() -> jieba.Tokenizer:
    return _taught()[0]


def word_tags() -> dict[str, str]:
    """Each word's jieba tag: its dictionary's (the third field of each line of dict.txt, as
    jieba.posseg reads it), then the project's.  Read here rather than from jieba.posseg, whose
    import also loads its HMM tables, 50 MB and a third of a second that no stage uses."""
    return _taught()[1]


@cache
def _taught() -> tuple[jieba.Tokenizer, dict[str, str]]:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    folder = _cache_folder()
    cache_file = folder / f"jieba-{_dictionary_key()}.cache" if folder else None
    cached = _read_cache(cache_file) if cache_file else None
    if cached is None:
        _teach(tok)
        tags = _dictionary_tags(tok)
        if cache_file:
            _write_cache(cache_file, (tok.FREQ, tok.total, tok.user_word_tag_tab, tags))
    else:
        tok.FREQ, tok.total, tok.user_word_tag_tab, tags = cached
        tok.initialized = True
    return tok, tags


def _teach(tok: jieba.Tokenizer) -> None:
    """jieba's dictionary, then the project's words."""
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


def _dictionary_tags(tok: jieba.Tokenizer) -> dict[str, str]:
    tags: dict[str, str] = {}
    with tok.get_dict_file() as lines:
        for line in lines:
            if entry := line.strip().decode("utf-8"):
                word, _, tag = entry.split(" ")
                tags[word] = sys.intern(tag)  # a few dozen tags, not one string per word
    tags.update(tok.user_word_tag_tab)
    return tags


def _cache_folder() -> Path | None:
    """This user's folder in the temporary folder (which others share), made private to them;
    None when it cannot be made, or is not theirs alone (then nothing is cached)."""
    folder = Path(tempfile.gettempdir()) / f"gongwen-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700
    return folder if private else None


def _dictionary_key() -> str:
    """What the taught dictionary is made from: jieba's version and dictionary, the project's word
    files and the tags they give, and this module (how it teaches and what the cache holds)."""
    digest = hashlib.sha256(f"{jieba.__version__} {JIEBA_DICT.stat().st_size} {JIEBA_DICT.stat().st_mtime_ns}".encode())
    digest.update(repr((USER_WORD_FILES, TAGGED_FILES)).encode())
    for name in [*USER_WORD_FILES, *(name for name, _ in TAGGED_FILES)]:
        digest.update(lexicon_path(name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _read_cache(path: Path) -> Dictionary | None:
    """The cached dictionary, if it is whole and of the form written.  Mapped rather than read,
    and each part dropped once made into its dict: what the load holds at its peak stays in
    the process (the allocator keeps it): 24 MB more in the fork server the workers share."""
    try:
        with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            loaded = marshal.loads(mapped)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    kinds = (str, bytes, int, dict, str, bytes, tuple)
    if not (isinstance(loaded, tuple) and len(loaded) == len(kinds) and all(map(isinstance, loaded, kinds))):
        return None
    words, counts, total, user_tags, tagged, codes, names = loaded
    del loaded
    freq = _paired(words, counts, COUNTS, int)
    del words, counts
    try:
        tags = _paired(tagged, codes, "H", names.__getitem__)
    except IndexError:  # a tag that is not among the names
        return None
    if freq is None or tags is None:
        return None
    return freq, total, user_tags, tags


def _paired(keys: str, values: bytes, typecode: str, value_of: Callable[[int], T]) -> dict[str, T] | None:
    """A dict of `keys` (one a line) and `values` (an array of `typecode`, each made a value by
    `value_of`); None where they do not pair."""
    numbers = array(typecode)
    try:
        numbers.frombytes(values)
    except ValueError:
        return None
    split = keys.split("\n")
    if len(split) != len(numbers):
        return None
    return dict(zip(split, map(value_of, numbers), strict=True))


def _write_cache(path: Path, dictionary: Dictionary) -> None:
    """Written whole or not at all (a temporary file renamed), and the caches of earlier word
    files removed (12 MB each); an unwritable folder only means no cache."""
    with contextlib.suppress(OSError):
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".jieba-")
        try:
            freq, total, user_tags, tags = dictionary
            names = tuple(sorted(set(tags.values())))  # a few dozen tags: each word's is its index here
            codes = array("H", map({name: i for i, name in enumerate(names)}.__getitem__, tags.values()))
            fields = ("\n".join(freq), array(COUNTS, freq.values()).tobytes(), total, user_tags,
                      "\n".join(tags), codes.tobytes(), names)  # fmt: skip
            with os.fdopen(fd, "wb") as file:
                marshal.dump(fields, file)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        for earlier in path.parent.glob("jieba-*.cache"):
            if earlier != path:
                earlier.unlink(missing_ok=True)


@cache
def _repairs() -> dict[str, Any]:
    return table("segment_repairs.toml")


def _parts(word: str, repairs: dict[str, Any]) -> tuple[str, ...]:
    """由区, 各镇, 局要, 部等: two words jieba's dictionary glues into one; 由水, 委在, 长由, 局与市:
    words its HMM glues, which it does not know and which hold a preposition or a modal."""
    if word in repairs["keep_whole"]:
        return (word,)
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
