"""The taught jieba dictionary (`extractors.segment`): cached whole in the user's own folder of
the temporary folder, and the same whether read from the cache or built from jieba's dictionary
and the project's words."""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from extractors import segment


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty temporary folder, and no tokenizer taught yet in this process; yields the folder
    the cache goes to."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    segment._taught.cache_clear()
    yield tmp_path / f"gongwen-{os.getuid()}"
    segment._taught.cache_clear()


def _cache_file(folder: Path) -> Path:
    return folder / f"jieba-{segment._dictionary_key()}.cache"


def test_the_cached_dictionary_is_the_one_built(fresh: Path) -> None:
    built, built_tags = segment._taught()
    assert list(fresh.iterdir()) == [_cache_file(fresh)]
    assert oct(fresh.stat().st_mode & 0o777) == "0o700"  # the temporary folder is shared: this one is not
    segment._taught.cache_clear()
    cached, cached_tags = segment._taught()
    assert cached is not built
    assert cached.FREQ == built.FREQ and cached.total == built.total
    assert cached.user_word_tag_tab == built.user_word_tag_tab and cached_tags == built_tags
    sentence = "区消防救援支队牵头，6月底前完成10家村卫生室标准化改造"
    assert list(cached.cut(sentence, HMM=True)) == list(built.cut(sentence, HMM=True))
    assert cached_tags["卫生室"] == built_tags["卫生室"] and cached_tags["的"] == "uj"


def test_a_project_word_is_taught_from_the_cache_too(fresh: Path) -> None:
    segment._taught()
    segment._taught.cache_clear()
    tok = segment.tokenizer()
    assert tok.initialized and "村卫生室" in list(tok.cut("完成10家村卫生室标准化改造"))  # userdict.txt
    assert jieba.Tokenizer().FREQ == {}  # jieba's own tokenizers are untouched


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not marshal",
        b"\xe9\x00\x00\x00",
        marshal.dumps(({"a": 1}, 1, {}, ["not", "a", "dict"])),  # the form of an earlier cache
        marshal.dumps(("a\nb", bytes(8), 1, {}, "a", bytes(2), ("n",))),  # two words, one frequency
        marshal.dumps(("a", bytes(7), 1, {}, "a", bytes(2), ("n",))),  # a frequency cut short
        marshal.dumps(("a", bytes(8), 1, {}, "a", b"\x05\x00", ("n",))),  # a tag that is not there
    ],
)
def test_a_damaged_cache_is_rebuilt(fresh: Path, damage: bytes) -> None:
    fresh.mkdir(mode=0o700)
    _cache_file(fresh).write_bytes(damage)
    tok, tags = segment._taught()
    assert tok.FREQ["卫生室"] > 0 and tags["的"] == "uj"
    assert _cache_file(fresh).stat().st_size > 1_000_000  # written again, whole


def test_the_cache_of_other_word_files_is_replaced(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    segment._taught()
    earlier = _cache_file(fresh)
    monkeypatch.setattr(segment, "TAGGED_FILES", (("org_terms.txt", "n"),))  # a file's tag changed
    segment._taught.cache_clear()
    assert segment.word_tags()["卫生室"]
    assert list(fresh.iterdir()) == [_cache_file(fresh)] != [earlier]


def test_no_cache_in_a_folder_others_can_enter(fresh: Path) -> None:
    fresh.mkdir(mode=0o700)
    fresh.chmod(0o777)
    tok, tags = segment._taught()
    assert tok.FREQ["卫生室"] > 0 and tags["的"] == "uj"
    assert list(fresh.iterdir()) == []
