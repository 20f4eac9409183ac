"""The taught jieba dictionary (`extractors.segment`): cached whole in the temporary folder, and
the same whether read from the cache or built from jieba's dictionary and the project's words."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from extractors import segment


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty temporary folder for the cache, and no tokenizer taught yet in this process."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    segment._taught.cache_clear()
    yield tmp_path
    segment._taught.cache_clear()


def test_the_cached_dictionary_is_the_one_built(fresh: Path) -> None:
    built, built_tags = segment._taught()
    assert [p.name for p in fresh.glob("gongwen-*")] == [f"gongwen-jieba-{segment._dictionary_key()}.cache"]
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


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9\x00\x00\x00"])
def test_a_damaged_cache_is_rebuilt(fresh: Path, damage: bytes) -> None:
    path = fresh / f"gongwen-jieba-{segment._dictionary_key()}.cache"
    path.write_bytes(damage)
    tok, tags = segment._taught()
    assert tok.FREQ["卫生室"] > 0 and tags["的"] == "uj"
    assert path.stat().st_size > 1_000_000  # written again, whole
