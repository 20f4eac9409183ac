"""The characters a regex's every match holds (`extractors.cues`), by which the field rules pass
over a sentence that cannot match: never a match lost."""

from __future__ import annotations

import re

import pytest

from extractors.cues import required_chars
from extractors.deadlines import _grammar
from tests.corpus import RAW


@pytest.mark.parametrize(
    "regex, cues",
    [
        (r"(?:(?P<year>(?:19|20)\d{2})\s*年)?(?<![\d十])(?P<month>1[0-2]|0?[1-9])\s*月(?:底|末)", "月"),  # the fewest
        (r"每(?:月|季度)|次月", "每次"),  # each branch gives its own
        (r"(?P<y>19|20)\d\d", "12"),  # \d is no cue (any Unicode digit), the literals are
        (r"第?[一二三四1-4]\s*季度?", "季"),  # the smallest: 季, not the class of eight
        (r"[一二]{2,}", "一二"),  # a class repeated at least once
    ],
)
def test_cues_of_a_pattern(regex: str, cues: str) -> None:
    assert required_chars(re.compile(regex)) == frozenset(cues)


@pytest.mark.parametrize(
    "regex",
    [
        r"\d+",  # a category
        r"[^，。]+",  # a negated class
        r"[\u4e00-\u9fff]{2,8}",  # a range too wide to list
        r"(?:年)?",  # may match nothing
        r"(?=月)",  # a lookahead consumes nothing
        r"月|\d",  # one branch without a cue
    ],
)
def test_no_cue_where_none_is_sure(regex: str) -> None:
    assert required_chars(re.compile(regex)) is None


def test_ignorecase_makes_no_cue() -> None:
    assert required_chars(re.compile("q", re.IGNORECASE)) is None
    assert required_chars(re.compile("(?i:q)x")) == frozenset("x")  # a group's own flag: its letters are no cue
    assert required_chars(re.compile("(?i:q)")) is None


def test_every_time_rule_match_in_the_sample_notices_holds_a_cue() -> None:
    """Over the sample notices, each match of each rule of time.toml holds one of the rule's cues,
    and the rules of dates all have one (the gate does work)."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(RAW.glob("*.txt")))
    rules = {rule.name: rule for rule in _grammar()}
    checked = 0
    for rule in rules.values():
        for match in rule.pattern.finditer(text):
            if match.group() and rule.cues is not None:
                assert not rule.cues.isdisjoint(match.group()), (rule.name, match.group())
                checked += 1
    assert checked > 250
    assert rules["day"].cues == frozenset("月")
    assert rules["quarter"].cues == frozenset("季")


def test_a_sentence_without_a_cue_word_makes_no_spacy_doc() -> None:
    """A sentence with none of roles.json's cue words (区应急局负责全区检查) is not made a spaCy
    `Doc`; one with 会同 is, and the PhraseMatcher finds the cue as the word it is."""
    from extractors.nlp import make_doc, nlp
    from extractors.parties import _cues

    plain = make_doc("区应急局负责全区安全生产检查。")
    assert _cues(plain) == []
    assert plain._doc is None
    cued = make_doc("区应急局会同区消防救援支队开展检查。")
    [(label, start, end)] = _cues(cued)
    assert (nlp().vocab.strings[label], cued[start].text, end - start) == ("co", "会同", 1)


def test_every_role_cue_is_one_word_as_jieba_cuts_a_sentence() -> None:
    """The PhraseMatcher finds a cue only as a whole word: a cue jieba cuts in two is never found
    (指导督促, 督促指导 were listed, and cut in two: each half is a cue of its own)."""
    from extractors.nlp import make_doc
    from extractors.parties import _cue_lists, _cues
    from extractors.segment import segment

    for cues in _cue_lists().values():
        for cue in cues:
            assert segment(cue) == (cue,), cue
    assert [start for _, start, _ in _cues(make_doc("区应急局督促指导各街道开展检查。"))] == [3, 4]


def test_no_cue_word_serves_two_roles() -> None:
    """A word under two labels of roles.json would give two matches whose order the matcher
    does not keep: each cue word has one role."""
    from extractors.parties import _cue_lists

    listed = [cue for cues in _cue_lists().values() for cue in cues]
    assert len(listed) == len(set(listed))
