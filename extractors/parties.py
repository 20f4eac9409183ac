"""Parties: who leads a task, who joins in, and which units it acts on.

A name is a run of jieba's words ending in an organisation suffix (委员会, 局, 中心, 单位 …),
a role noun (主要负责人, 领导干部 …) or a term of `org_terms.txt`; a list of names is split
at 、/和/及/与.  A name's role comes from where it stands:

- the subject of a clause, before its predicate (各医疗卫生单位根据……开展) → lead;
- after 由 with 牵头/负责 after it (由区应急局牵头), or before 牵头/负责 → lead;
- after a co-operation cue (会同, 配合, 协同, 联合) or between 与 and 共同 → co;
- after a cue that acts on a unit (督促, 指导, 推进, 组织, 对接, 针对 …) and followed by a verb
  or the clause's end (督促各医疗卫生单位深入学习; not 推进区卫健委建设项目: a modifier) → other;
- before 主体责任 (压实医疗卫生单位主体责任) → other.

The cue words, by role, are in `roles.json`, found by spaCy's `PhraseMatcher`; the surrounding
vocabulary is in `roles.toml`.  The notice's issuer is the implicit lead, not a party, unless the task
names it as who leads or joins in (a report sent to it is no part it plays).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import Any, Literal

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.metadata import split_list
from extractors.nlp import (
    IDIOM_TAGS,
    PREDICATE_TAGS,
    PUNCTUATION,
    Sentence,
    Word,
    is_nominal,
    make_doc,
    nlp,
    tag_of,
)
from extractors.segment import segment
from extractors.vocab import alternation, lexicon_path, table, words
from schemas.notice import Role

ROLE_ORDER: dict[Role, int] = {"lead": 0, "co": 1, "other": 2}


@dataclass(frozen=True, slots=True)
class FoundParty:
    name: str  # as the GUIDELINE writes it: no leading 各, 全 or count (单位)
    start: int  # offsets into the text it was found in, of `name`
    end: int
    role: Role
    written: str = ""  # as the text writes it, for the analyst (各单位); "" when the same as `name`

    def moved(self, offset: int) -> FoundParty:
        return replace(self, start=self.start + offset, end=self.end + offset)


@cache
def _rules() -> dict[str, Any]:
    return table("roles.toml")


@cache
def _vocabulary(section: str, key: str) -> frozenset[str]:
    """A word list of roles.toml as a set: the name rules ask whether each word is in one."""
    return frozenset(_rules()[section][key])


@cache
def _endings(section: str, key: str) -> tuple[str, ...]:
    """A list of roles.toml of what a word may end with, for `str.endswith`."""
    return tuple(_rules()[section][key])


@cache
def _cue_lists() -> dict[str, tuple[str, ...]]:
    """roles.json: each role's label and its cue words, each one word as the project's jieba
    cuts a sentence (会同, 督促; not 指导督促, which it cuts in two)."""
    lists: dict[str, list[str]] = json.loads(lexicon_path("roles.json").read_text(encoding="utf-8"))
    return {label: tuple(cues) for label, cues in lists.items()}


@cache
def _matcher() -> PhraseMatcher:
    """spaCy's PhraseMatcher of the cue words on their text (ORTH): a hash lookup per word, where
    a Matcher of the same words as token patterns builds a `Token` for each word it tests."""
    vocab = nlp().vocab
    matcher = PhraseMatcher(vocab)
    for label, cues in _cue_lists().items():
        matcher.add(label, [Doc(vocab, words=[cue]) for cue in cues])
    return matcher


@cache
def _every_cue_word() -> frozenset[str]:
    """The cue words of every role: a sentence with none of them needs no matcher."""
    return frozenset(cue for cues in _cue_lists().values() for cue in cues)


def _cues(doc: Sentence) -> list[tuple[int, int, int]]:
    """The matches of roles.json's cues (label id, first word, word after it); a sentence with
    none of the cue words (two in three) makes no spaCy `Doc`."""
    if _every_cue_word().isdisjoint(doc.words):
        return []
    matches: list[tuple[int, int, int]] = _matcher()(doc.doc())
    return matches


@cache
def _name_end() -> re.Pattern[str]:
    endings = [*words("org_suffixes.txt"), *_rules()["names"]["role_suffixes"], *words("org_terms.txt")]
    return re.compile(f"(?:{alternation(endings)})$")


def _ends_name(token: Word, places: bool = False) -> bool:
    """A word that ends a name: an organisation suffix or role noun, not a verb, an adverb or a
    set phrase that happens to end like one (查处, 依法查处, 政局); with `places`, also a level or
    a place that acts as a clause's subject (各省、自治区……, 有关的大中城市)."""
    if token.text in _org_terms():
        return True
    if token.tag_ in ("v", "vn", "d", "p", "c", "u", "uj", "r", "i"):
        return False
    if token.tag_ == "nr" and len(token) < 3:
        return False  # a person's name; 宣传部, which jieba tags as one, is a body
    if token.tag_ == "l" and not token.text.endswith((*_people(), *_long_suffixes())):
        return False  # a set phrase (依法查处), unless it names people or a body (从业人员, 高等学校)
    if token.tag_ != "nt" and token.text.endswith(_endings("names", "not_names")):
        return False  # 境外政局, 城乡社区; not 民政局, which jieba knows as a body
    return _name_end().search(token.text) is not None or (places and token.text.endswith(_place_heads()))


@cache
def _long_suffixes() -> tuple[str, ...]:
    return tuple(suffix for suffix in words("org_suffixes.txt") if len(suffix) > 1)


@cache
def _people() -> tuple[str, ...]:
    return tuple(_rules()["names"]["role_suffixes"])


@cache
def _place_heads() -> tuple[str, ...]:
    return tuple(_rules()["names"]["place_heads"])


@cache
def _cue_words() -> frozenset[str]:
    """The co-operation and acting-on cue words of roles.json: no name runs across one
    (区卫生健康委|会同|区市场监管局)."""
    return frozenset((*_cue_lists()["co"], *_cue_lists()["other"]))


@cache
def _org_terms() -> frozenset[str]:
    return frozenset(words("org_terms.txt"))


def _barrier(token: Word) -> bool:
    """A word no name runs across: punctuation, a preposition, an adverb, a modal, a particle."""
    return (
        token.text in PUNCTUATION
        or token.tag_ in ("p", "d", "u", "uj", "ul", "c")
        or token.text in _vocabulary("roles", "modals")
        or token.text in _cue_words()
    )


# ---------------------------------------------------------------- names


def _one_name(doc: Sentence, first: int, places: bool = False) -> int | None:
    """The last token of the name that starts at token `first`, if a name starts there.

    A name opens with a noun (or 各, 其他, 有关 …), runs over nouns — and 的 (有条件的其他单位)
    — to its suffix, and takes in any further nouns that end in a suffix (…医院青浦分院), also
    across an opener (国务院安委会各有关成员单位).  `places`: see `_ends_name`.
    """
    rules = _rules()["names"]
    if not _opens_name(doc, first, places) or _verb_and_object(doc, first):
        return None
    last: int | None = None
    chars = 0
    levels_end = _quote_end(doc, first) or -1  # … or of levels inside it: 省（区、市）人民政府
    for index in range(first, len(doc)):
        token = doc[index]
        chars += len(token)
        if index <= levels_end:
            continue
        if chars > rules["max_chars"]:
            break
        if index > first and token.text in _vocabulary("names", "separators"):
            if not ((last is None or not _ends_name(doc[last])) and _joins_fields(doc, first, index)):
                break
            continue  # 区住房|和|城乡建设局, 省文化|和|旅游厅: two fields of one body
        if index > first and (levels_end := _levels_inside(doc, index)) > index:
            if last == index - 1 and not (levels_end + 1 < len(doc) and is_nominal(doc[levels_end + 1])):
                last = levels_end  # 各市、县（市、区）要……: the levels close the name
            continue
        if _ends_name(token, places) and (_ends_name(token) or _place_ends(doc, first, index)):
            last = index
        elif index > first and _suffix_after_field(doc, index):
            last = index  # 市场监管|所, 卫生监督|所: a suffix jieba reads as a particle
        elif last is not None:
            if token.text in _vocabulary("names", "openers") and index + 1 < len(doc) and is_nominal(doc[index + 1]):
                continue
            remark = _remark_end(doc, index) if index == last + 1 else None
            if remark is not None:  # 职业院校（含技工院校）
                return remark
            named_on = (  # 区|退役军人|事务局: a verb's set phrase that names a field (not 依法办理)
                index + 1 < len(doc) and _ends_name(doc[index + 1]) and tag_of(token.text[:2]) == "v"
            )
            # after a level alone, a verb before the suffix names the field: 区|文化|执法|大队, 区|投促|中心,
            # 区|政务|服务|办 (not 区教育局|指导|学校, where a name has ended)
            field = last == first and len(doc[first]) == 1 and (named_on or _glued_to_suffix(doc, index))
            ends = (
                _barrier(token) or (not is_nominal(token) and not field) or (_opens_predicate(token) and not named_on)
            )
            if ends and not _joins_fields(doc, first, index + 1):
                break  # 民政部门|依法办理: a set phrase opens the predicate
        elif token.text == "的":  # 有条件的其他单位: only after an opener
            if doc[index - 1].text not in _vocabulary("names", "openers"):
                break
        elif not _inside_name(doc, index) and not _joins_fields(doc, first, index + 1):
            break  # (not 政务|服务|和|数据管理局: a field before 和 may end in a verb)
    return last


def _joins_fields(doc: Sentence, first: int, index: int) -> bool:
    """和 between two fields of one body's name (住房和城乡建设局, 发展和改革委员会): nouns before it
    and a name of its own after it that ends in a government body's word (not 邮政和大型电商企业)."""
    if index + 1 >= len(doc) or doc[index].text != "和":
        return False
    after = _one_name(doc, index + 1)
    fields = doc[first:index]
    return (
        after is not None
        and after - index <= 3
        and doc[after].text.endswith(_endings("names", "joined_bodies"))
        and is_nominal(fields[0])
        and all(is_nominal(t) or t.tag_ in ("v", "vn") or t.text in _vocabulary("names", "openers") for t in fields)
    )


def _verb_and_object(doc: Sentence, index: int) -> bool:
    """培训|从业人员, 面向|社会公众: a verb that takes units as its object, before a whole name, is a
    verb and its object (检查|人员, before a bare generic word, is a name)."""
    if doc[index].text not in _vocabulary("names", "object_verbs") or index + 1 >= len(doc):
        return False
    return doc[index + 1].text not in _vocabulary("names", "generic") and _one_name(doc, index + 1) is not None


def _suffix_after_field(doc: Sentence, index: int) -> bool:
    token, before = doc[index], doc[index - 1]
    return len(token) == 1 and token.text in _one_char_suffixes() and before.tag_ in ("n", "vn", "v", "an", "nz")


@cache
def _one_char_suffixes() -> frozenset[str]:
    return frozenset(suffix for suffix in words("org_suffixes.txt") if len(suffix) == 1)


def _place_ends(doc: Sentence, first: int, index: int) -> bool:
    """A level or place ends a subject's name: a level alone (各省, 各区 — not 区|生态环境局) or after
    an area (重点林区县), a place after nouns (周边地区, 有关的大中城市 — not 调整区)."""
    before = doc[first:index]
    if len(doc[index]) == 1:  # and after an area, the area's level: 重点林区|县, 山区|县
        area = index > first and doc[index - 1].text.endswith(_place_heads()) and doc[index - 1].tag_ in ("n", "ns")
        return area or all(token.text in _vocabulary("names", "openers") for token in before)
    return not any(token.tag_ in ("v", "vn") for token in before)


def _opens_predicate(token: Word) -> bool:
    """An idiom, or a set phrase that opens with an adverb, a preposition or a verb (依法办理, 按程序,
    结合实际): a predicate, not part of a name (生态环境 is a set phrase too)."""
    opens = tag_of(token.text[:2]) in ("d", "ad", "v") or tag_of(token.text[:1]) in ("p", "d")
    return token.tag_ == "i" or (token.tag_ == "l" and opens)


def _levels_inside(doc: Sentence, index: int) -> int:
    """The closing bracket of levels of government that a name holds after a level, before its
    suffix or at its end (省（区、市）人民政府, 县（市、区）政府, 各市、县（市、区）); -1 where there is none."""
    heads = _rules()["names"]["place_heads"]
    if doc[index].text not in "（(" or doc[index - 1].text not in heads:
        return -1
    for close in range(index + 1, min(index + 8, len(doc))):
        if doc[close].text in "）)":
            return close if close > index + 1 else -1
        if doc[close].text not in heads and doc[close].text not in ("、", "，"):
            return -1
    return -1


def _remark_end(doc: Sentence, index: int) -> int | None:
    """The closing bracket of a short remark that qualifies a name: （含技工院校）, （中心）."""
    if doc[index].text not in "（(":
        return None
    for close in range(index + 1, min(index + 8, len(doc))):
        if doc[close].text in "）)":
            return close
        if doc[close].text in PUNCTUATION:
            return None
    return None


def _inside_name(doc: Sentence, index: int) -> bool:
    """Whether a word can stand inside a name before its suffix: a noun, an opener (各级), or
    a verb right before a generic word (机构编制|部门, 住房城乡建设|部门; not 完成|吕巷镇)."""
    token = doc[index]
    if token.text in _vocabulary("names", "openers") or (is_nominal(token) and not _barrier(token)):
        return True
    return _names_a_field(doc, index) or _glued_to_suffix(doc, index)


def _names_a_field(doc: Sentence, index: int) -> bool:
    """A verb of two characters or more before a generic word names a field (物业服务|企业,
    包保|干部); a one-character verb moves (安全宣传进|企业: a slogan, not a name)."""
    token = doc[index]
    following = doc[index + 1] if index + 1 < len(doc) else None
    generic = following is not None and following.text in _vocabulary("names", "generic")
    return (
        token.tag_ in ("v", "vn")
        and len(token) > 1
        and generic
        and token.text not in _cue_words()
        # 加强|单位运行: a verb and its object; after a noun, a field (物业|服务|企业)
        and (token.text not in _action_verbs() or (index > 0 and doc[index - 1].tag_ in ("n", "nz")))
    )


def _opens_name(doc: Sentence, index: int, places: bool = False) -> bool:
    token = doc[index]
    if token.text in _vocabulary("names", "openers") or _quote_end(doc, index) is not None:
        return True
    if token.tag_ == "m":  # a count of units (5家社区卫生服务中心), not a date or a frequency
        following = doc[index + 1] if index + 1 < len(doc) else None
        return following is not None and following.text in _vocabulary("names", "counters")
    if is_nominal(token) and token.tag_ not in IDIOM_TAGS and not _barrier(token):
        return True
    # a verb opens a name only right after a cue (督促包保干部); at a clause's start it is the
    # clause's verb (走访企业, 培训从业人员)
    after_cue = index > 0 and (doc[index - 1].text in _cue_words() or doc[index - 1].tag_ == "p")
    subject = _modal_follows(doc, index + 2)  # 拆解|企业|要……: a subject, not a verb and its object
    field = (after_cue or subject) and _names_a_field(doc, index)
    return field or _glued_to_suffix(doc, index) or (places and _ends_name(token, places))


def _quote_end(doc: Sentence, index: int) -> int | None:
    """The closing quote of a short quoted label that opens a name before a noun (“两客一危”企业,
    “小散乱”企业), or None."""
    if doc[index].text != "“":
        return None
    close = next((i for i in range(index + 1, min(index + 6, len(doc))) if doc[i].text == "”"), None)
    if close is None or close + 1 >= len(doc) or not is_nominal(doc[close + 1]):
        return None
    return close if all(t.text not in PUNCTUATION for t in doc[index + 1 : close]) else None


def _glued_to_suffix(doc: Sentence, index: int) -> bool:
    """养护|院, 卫生监督|所: jieba splits a name's one-character suffix off a word it reads as a verb."""
    following = doc[index + 1] if index + 1 < len(doc) else None
    return (
        following is not None
        and len(following) == 1
        and (_ends_name(following) or following.text in _one_char_suffixes())
    )


def names_from(doc: Sentence, first: int, places: bool = False) -> tuple[list[tuple[int, int]], int]:
    """Token ranges (first, last) of the list of names starting at `first`, and the token after it.

    Names are separated by 、/和/及/与…, and by 特别是/尤其是 (各地区、各部门，特别是……所在地);
    a list whose last item carries the noun all share is one name (省、自治区、直辖市人民政府).
    """
    separators = set(_rules()["names"]["separators"])
    names: list[tuple[int, int]] = []
    index = _past_own_domain(doc, first)
    while index < len(doc):
        last = _one_name(doc, index, places)
        if last is None and not names:
            last = _fields_sharing_a_noun(doc, index)
        if last is None:
            break
        names.append((index, last))
        following = last + 1
        if following < len(doc) and doc[following].text in separators:
            if following + 1 < len(doc) and _one_name(doc, following + 1, places) is not None:
                index = following + 1
                continue
            return _shared_noun(doc, names), following
        highlight = _highlight_end(doc, following) if places else None
        loose = _loose_name(doc, highlight, highlighted=True) if highlight is not None else None
        if loose is not None:
            names.append(loose)
            return _shared_noun(doc, names), loose[1] + 1
        return _split_collectives(doc, _shared_noun(doc, names)), _past_collective(doc, following)
    return _split_collectives(doc, _shared_noun(doc, names)), index


def _fields_sharing_a_noun(doc: Sentence, first: int) -> int | None:
    """各级财政、审计部门: fields, then the last with the kind of unit they share, are one name; its
    last token, or None.  A field is a word, or nouns (市场|监管); not a name of its own (垂直管理局)
    nor a verb and its object (联系|政府)."""
    rules = _rules()["names"]
    nouns = rules["field_nouns"]
    index = first + 1 if doc[first].text in _vocabulary("names", "openers") else first
    while index < len(doc):
        end = next((i for i in range(index, min(index + 3, len(doc))) if doc[i].text == "、"), None)
        if end is None or end == index or not _a_field(doc[index:end]):
            break
        index = end + 1
    if index == first or index >= len(doc) or doc[index - 1].text != "、":
        return None
    for last in range(index, min(index + 3, len(doc))):
        noun = next((word for word in nouns if doc[last].text.endswith(word)), None)
        if noun and (last > index or len(doc[last]) > len(noun)):  # 审计|部门, 市场|监管部门
            return last if last == index or _a_field(doc[index:last]) else None
    return None


def _a_field(words: tuple[Word, ...]) -> bool:
    if any(_barrier(t) for t in words) or _name_end().search("".join(t.text for t in words)):
        return False
    return is_nominal(words[0]) or (len(words) == 1 and words[0].tag_ == "v")  # 审计, 市场|监管, 氧气瓶|制造


def _past_own_domain(doc: Sentence, first: int) -> int:
    """督促本行业、领域企业: the token where the units start after the writer's domain, or `first`
    when no domain opens there or no name follows it."""
    if first >= len(doc):
        return first
    start = doc[first].idx
    domain = _own_domain().match(doc.text, start)
    if domain is None or not (doc[first].text.startswith("本") or "、" in domain.group()):
        return first
    after = next((t.i for t in doc[first:] if t.idx >= domain.end()), None)
    if after is None or doc[after].idx != domain.end() or _one_name(doc, after) is None:
        return first
    return after


@cache
def _own_domain() -> re.Pattern[str]:
    return re.compile(_rules()["names"]["own_domain"])


def _split_collectives(doc: Sentence, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """各地区各部门, 各地各有关部门: two collectives each with its 各 (国务院安委会各有关成员单位,
    which does not open with 各, is one name)."""
    split: list[tuple[int, int]] = []
    for first, last in names:
        inner = [
            t.i for t in doc[first + 1 : last + 1] if t.text == "各" and _ends_name(doc[t.i - 1], places=True)
        ] if doc[first].text.startswith("各") else []  # fmt: skip
        for cut in inner:
            split.append((first, cut - 1))
            first = cut
        split.append((first, last))
    return split


def _past_collective(doc: Sentence, index: int) -> int:
    """The token after a list's 等 and the collective it closes with (……民政部等部门负责同志组成)."""
    if index >= len(doc) or doc[index].text != "等":
        return index
    index += 1
    collectives = set(_rules()["names"]["collectives"])
    start = index
    while index < len(doc) and (doc[index].text in collectives or doc[index].text.endswith(_people())):
        index += 1
    if index == start:  # 企业班组或车间等生产经营一线，要……: a phrase for what the list is
        end = start
        while end < min(start + 4, len(doc)) and is_nominal(doc[end]) and not _barrier(doc[end]):
            end += 1
        if end > start and _predicate_at(doc, end) is not None:
            return end
    return index


def _loose_name(doc: Sentence, start: int, highlighted: bool = False) -> tuple[int, int] | None:
    """A subject name with adverbs and verbs inside (地震重点监视防御区所在地人民政府), at the
    start of a clause or after 特别是: a noun, then words up to the first name end — a body's —
    that a predicate follows; after 特别是 (`highlighted`), any noun that a modal follows
    (……，特别是地震重点监视防御区要……)."""
    if start >= len(doc) or not _opens_name(doc, start, places=True) or doc[start].text in _action_verbs():
        return None
    if _verb_and_object(doc, start):
        return None
    limit = _rules()["names"]["max_chars"]
    for index in range(start, len(doc)):
        token = doc[index]
        if token.text == "、" and doc[index - 1].tag_ == "ns" and index + 1 < len(doc) and doc[index + 1].tag_ == "ns":
            continue  # 长江、黄河流域沿江城市所在地人民政府: places that describe the name
        if token.idx - doc[start].idx > limit or token.text in PUNCTUATION or token.tag_ in ("p", "c", "u"):
            return None
        particle = token.tag_ == "uj" and token.text != "的"  # 的 may join what describes a name to it
        if particle or token.text in _not_in_subjects() or token.text in _cue_words():
            return None
        body = _org_end().search(token.text) is not None or token.text in _org_terms()
        if body and _ends_name(token, places=True) and _predicate_at(doc, index + 1) is not None:
            return start, index  # a body: not people or a place (多渠道增加城乡居民, 合理安排城市)
        if highlighted and token.tag_.startswith("n") and _modal_follows(doc, index + 1):
            return start, index
    return None


def _modal_follows(doc: Sentence, index: int) -> bool:
    """A modal at `index`, or after an adverb or a comma there (……所在地，也要)."""
    ahead = next((t for t in doc[index : index + 3] if t.text not in "，," and t.tag_ not in ("d", "ad")), None)
    return ahead is not None and ahead.text in _vocabulary("roles", "modals")


@cache
def _org_end() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation(words('org_suffixes.txt'))})$")


def _highlight_end(doc: Sentence, index: int) -> int | None:
    """The token after 特别是 / ，尤其是 standing at `index`, if one does."""
    text = doc.text
    at = doc[index].idx if index < len(doc) else len(text)
    at += 1 if text[at : at + 1] in ("，", ",") else 0
    for word in _rules()["names"]["highlights"]:
        if text.startswith(word, at):
            end = at + len(word)
            return next((t.i for t in doc[index:] if t.idx >= end), None)
    return None


def _shared_noun(doc: Sentence, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(各)省、自治区、直辖市人民政府: bare levels, then the last with the noun they share, are one."""
    openers = _rules()["names"]["openers"]

    def bare(first: int, last: int) -> bool:  # 省, 各设区市, 市（州）
        if doc[last].text in "）)":
            opening = next((i for i in range(last - 1, first, -1) if doc[i].text in "（("), None)
            last = opening - 1 if opening is not None else last
        level = doc[last].text in _place_heads() or (len(doc[last]) <= 3 and doc[last].text.endswith(_place_heads()))
        return level and all(t.text in openers for t in doc[first:last])

    if len(names) < 2 or not all(bare(first, last) for first, last in names[:-1]):
        return names
    first, last = names[-1]
    if first == last or doc[first].text not in _place_heads() or doc[last].text in "）)":
        return names  # 各市、县（市、区）: levels, no noun shared
    return [(names[0][0], last)]


def clean_name(name: str) -> str | None:
    """A name as the matrix writes it: no 各/全 or quantity in front (各镇 → 镇; 各地 stays);
    None for the writer's own unit."""
    rules = _rules()["names"]
    name = _counted().sub("", name.strip())
    changed = True
    while changed:
        changed = False
        for prefix in rules["strip_prefixes"]:
            rest = name[len(prefix) :]
            whole_word = len(prefix) == 1 or _starts_with_word(name, prefix)  # 各地|方电力…: 各 only
            if (
                name.startswith(prefix)
                and whole_word
                and (len(rest) > 1 or (prefix == "各" and rest in rules["place_heads"]))
            ):
                name, changed = rest, True
    if not name or name.startswith(tuple(rules["self_prefixes"])):
        return None
    return name


# ---------------------------------------------------------------- roles in a sentence


def find_parties(doc: Sentence, issuer_forms: frozenset[str]) -> list[FoundParty]:
    """Every unit a task sentence names, with its role."""
    found: list[FoundParty] = []
    found += _subjects(doc)
    found += _cued(doc)
    found += _responsible(doc)
    return _best_roles(p for p in found if p.role != "other" or not is_issuer(p.name, issuer_forms))


def _party(doc: Sentence, first: int, last: int, role: Role) -> FoundParty | None:
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    raw = doc.text[start:end]
    if _self_reference().fullmatch(raw):
        return FoundParty(raw, start, end, role)  # 我局: the notice maps it to whoever speaks
    name = clean_name(raw)
    if name is None:
        return None
    written = _counted().sub("", raw.strip())
    return FoundParty(name, end - len(name), end, role, "" if written == name else written)


def _starts_with_word(text: str, prefix: str) -> bool:
    """Whether `prefix` is the whole of `text`'s first words (各地|卫生健康部门), not part of one (各|地方)."""
    length = 0
    for word in segment(text):
        length += len(word)
        if length >= len(prefix):
            return length == len(prefix)
    return False


@cache
def _counted() -> re.Pattern[str]:
    return re.compile(r"^(?:\d+|[一二两三四五六七八九十]+)(?:家|个|所|名)")


@cache
def _self_reference() -> re.Pattern[str]:
    """我局, 我委, 我部: a report's author speaking of itself."""
    return re.compile(_rules()["names"]["self_reference"])


def is_self_reference(name: str) -> bool:
    return _self_reference().fullmatch(name) is not None


def _clauses(doc: Sentence) -> Iterator[tuple[int, int]]:
    """Token ranges of the clauses of a sentence, split at ，；： outside brackets."""
    start, depth = 0, 0
    for index, word in enumerate(doc.words):
        if word in "（(《“":
            depth += 1
        elif word in "）)》”":
            depth = max(0, depth - 1)
        elif word in "，；：,;:" and depth == 0:
            yield start, index
            start = index + 1
    yield start, len(doc)


def _subjects(doc: Sentence) -> Iterator[FoundParty]:
    """The names a clause opens with, where a predicate follows them — in the clause, or in the
    next when the names fill theirs (位于……的大中城市，应抓紧……)."""
    rules = _rules()["roles"]
    for start, end in _clauses(doc):
        if end - start > 2 and doc[start].tag_ == "m" and doc[start + 1].text in ".．、":
            start += 2  # an item's number: 15.提升企业……
        if start >= end or doc[start].text in rules["no_subject_openers"] or doc[end - 1].text == "的":
            continue  # ……的，可申请: a condition names who qualifies, not who acts
        levels = list(_levels(doc, start, end))
        if levels:
            yield from levels
            continue
        names, after = names_from(doc, start, places=True)
        if not names:
            phrase = _loose_name(doc, start) or _modified_name(doc, start, end) or _venue(doc, start)
            names, after = ([phrase], phrase[1] + 1) if phrase else ([], start)
        if not names:
            continue
        if after < len(doc) and doc[after].text == "由" and doc[names[-1][1]].text in rules["posts"]:
            continue  # 领导小组组长由区长担任: a post, filled by whom 由 names
        predicate = _predicate_at(doc, after)
        if predicate is None:
            continue
        joined = next(
            (i for i, (first, _) in enumerate(names) if first > 0 and doc[first - 1].text in ("与", "同")), None
        )
        if joined is not None and after < len(doc) and doc[after].text in rules["co_with_verbs"]:
            yield from _parties(doc, names[:joined], "lead")  # 市应急局与市公安局、市交通局共同开展……
            yield from _parties(doc, names[joined:], "co")
        else:
            yield from _parties(doc, names, _subject_role(doc, predicate))


def _venue(doc: Sentence, start: int) -> tuple[int, int] | None:
    """营业性演出场所要……, A级旅游景区要……: a venue a modal makes act, as its operator does (a venue
    elsewhere is where, not who)."""
    for index in range(start, min(start + 6, len(doc) - 1)):
        if doc[index].text in PUNCTUATION or _barrier(doc[index]):
            return None
        venue = doc[index].text.endswith(_endings("names", "venues"))
        if venue and doc[index + 1].text in _vocabulary("roles", "modals"):
            return start, index
    return None


def _subject_role(doc: Sentence, predicate: int) -> Role:
    """A subject leads, unless its verb (after 共同, 积极 …) joins in — 区公安分局共同参与, 配合 —
    or makes it a member (……等部门负责同志为成员)."""
    rules = _rules()["roles"]
    verb = predicate
    while verb < len(doc) - 1 and doc[verb].tag_ in ("d", "ad"):
        verb += 1
    member = "".join(t.text for t in doc[verb : verb + 2]) in _rules()["names"]["member_of"]
    object_follows = verb + 1 < len(doc) and is_nominal(doc[verb + 1])
    working_with = doc[verb].text in rules["joint_cues"] and object_follows  # 市人防办协同公安……部门开展: it leads
    joins = doc[verb].text in rules["co_verbs"] and not working_with
    return "co" if joins or member else "lead"


def _levels(doc: Sentence, start: int, end: int) -> Iterator[FoundParty]:
    """市、区两级要…… / 省、市、县三级要……: the levels of government named do the work."""
    text = doc.text
    clause = text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])]
    found = _levels_pattern().match(clause)
    if found:
        base = doc[start].idx
        for level in re.finditer(r"[^、]+", found["levels"]):
            yield FoundParty(level.group(), base + level.start(), base + level.end(), "lead")


@cache
def _levels_pattern() -> re.Pattern[str]:
    return re.compile(_rules()["names"]["government_levels"])


def _predicate_at(doc: Sentence, index: int) -> int | None:
    """Where the predicate after a subject opens: at `index`, or after a comma when a modal
    opens it there (……所在地人民政府，也要抓紧……)."""
    if index >= len(doc):
        return None
    if _predicate(doc[index]) or doc[index].text in _cue_words():
        return index
    if doc[index].text in "，," and index + 1 < len(doc):
        following = doc[index + 1 : index + 3]
        if any(token.text in _vocabulary("roles", "modals") for token in following):
            return index + 1
    return None


def _modified_name(doc: Sentence, start: int, end: int, after_cue: bool = False) -> tuple[int, int] | None:
    """A name with what describes it, at a clause's start: 有关的大中城市, 位于……的大中城市,
    负有……职责的部门 — a phrase, 的, then a name."""
    limit = _rules()["names"]["max_chars"]
    first = doc[start]
    if first.text in PUNCTUATION or first.text in _action_verbs() or first.text in _not_in_subjects():
        return None  # 加强……的管理, 要积极推动……的市: the clause directs, it has no subject
    if first.text in _cue_words() and not after_cue:
        return None  # 会同……的部门协调机制: a cue, not a subject (after 由: 由协助分管……的副秘书长)
    if first.tag_ in ("d", "ad", "m", "t"):
        return None  # 2024年底前初步建立配合……的有关部门: a time opens a predicate
    for index in range(start + 1, end):
        token = doc[index]
        if token.idx - first.idx > limit or token.text in PUNCTUATION or token.tag_ == "p":
            return None  # 组长由……的国务院副秘书长担任: 由 opens the predicate
        if not after_cue and (token.text in _cue_words() or token.text in _action_verbs()):
            return None  # 建立配合……的有关部门: a predicate, and its object
        if doc[index].text == "的":
            last = _one_name(doc, index + 1, places=True) if index + 1 < end else None
            return (start, last) if last is not None else None
    return None


@cache
def _not_in_subjects() -> frozenset[str]:
    return frozenset(_rules()["names"]["not_in_subjects"])


@cache
def _action_verbs() -> frozenset[str]:
    return frozenset(words("action_verbs.txt"))


def _predicate(token: Word) -> bool:
    """A word a clause's predicate can open with: a verb, an adverb, a preposition, a time word,
    a set phrase that opens with an adverb (依法办理; not 生态环境)."""
    if token.tag_ == "l":
        return _opens_predicate(token)
    return token.tag_ in PREDICATE_TAGS or token.text in _vocabulary("roles", "modals")


def _cued(doc: Sentence) -> Iterator[FoundParty]:
    rules = _rules()["roles"]
    for label_id, _, cue_end in _cues(doc):
        label = nlp().vocab.strings[label_id]
        if label == "other" and cue_end < len(doc) and doc[cue_end].text == "对":
            cue_end += 1  # 组织对各医疗卫生机构进行培训
        names, after = names_from(doc, cue_end, places=label in ("addressed", "lead_by"))
        if not names and label in ("lead_by", "other", "co_with") and cue_end < len(doc):
            # 组长由协助分管……的国务院副秘书长担任, 推动设区的市制定……
            modified = _modified_name(doc, cue_end, len(doc), after_cue=True)
            names, after = ([modified], modified[1] + 1) if modified else ([], cue_end)
        if not names:
            continue
        following = doc[after].text if after < len(doc) else ""
        if label == "co" and _compound(doc, cue_end, names):
            continue  # 联合办公室, 配合部门: the cue word makes a noun with a bare generic word
        if label == "co":
            yield from _parties(doc, names, "co")
        elif label == "lead_by" and _a_range(doc, after):
            continue  # 由企业在职职工……放宽至……: from what to what, not by whom
        elif label == "lead_by" and (following in rules["lead_by_verbs"] or _predicate_at(doc, after) is not None):
            members = cue_end > 1 and doc[cue_end - 2].text in _vocabulary("names", "member_words")
            yield from _parties(doc, names, "co" if members else "lead")  # 由X牵头; 成员由X组成
            yield from _joining(doc, after + 1)  # 由X牵头、Y共同参与
        elif label == "co_with" and (following in rules["co_with_verbs"] or _joint_noun(doc, after)):
            yield from _parties(doc, names, "co")
        elif label == "other" and _acts(doc, after):
            yield from _parties(doc, names, "other")
        elif label in ("addressed", "needed") and _joins_in(doc, after):
            yield from _parties(doc, names, "co")  # 请区公安分局配合……, 需要其他相关部门支持配合的
        elif label == "addressed" and after < len(doc) and (_predicate(doc[after]) or doc[after].text in _cue_words()):
            yield from _parties(doc, names, "lead")  # 请各单位按照要求……报送, 请财政部会同我部……
    yield from _fields_joined(doc)
    yield from _supervised(doc)
    yield from _roles_played(doc)
    yield from _duty_holders(doc)


def _joins_in(doc: Sentence, after: int) -> bool:
    """X配合, X支持配合, X协助: the words after a name make it join in."""
    co_verbs = _rules()["roles"]["co_verbs"]
    return any(doc[i].text in co_verbs for i in range(after, min(after + 2, len(doc))))


def _a_range(doc: Sentence, after: int) -> bool:
    clause_end = next((t.i for t in doc[after:] if t.text in "，。；,;"), len(doc))
    return any(t.text in ("至", "到") for t in doc[after:clause_end])


def _joining(doc: Sentence, index: int) -> Iterator[FoundParty]:
    """由X牵头、Y（共同）参与: after the lead, the units that join in."""
    if index >= len(doc) or doc[index].text not in "、，,":
        return
    names, after = names_from(doc, index + 1)
    rules = _rules()["roles"]
    following = [t.text for t in doc[after : after + 2]]
    if names and any(word in (*rules["co_verbs"], *rules["guide_verbs"]) for word in following):
        yield from _parties(doc, names, "co")


def _roles_played(doc: Sentence) -> Iterator[FoundParty]:
    """发挥X（在……中的）作用 opening a clause: X is made to act (充分发挥国家融资担保基金作用); after a
    subject, X is the subject's own role (地震部门要充分发挥主管部门的作用)."""
    text = doc.text
    for index, word in enumerate(doc.words):
        if word.endswith("发挥") and index + 1 < len(doc) and _opens_clause(doc, index):
            names, after = names_from(doc, index + 1)
            rest = text[doc[after].idx :] if after < len(doc) else ""
            if names and _role_noun().match(rest):
                yield from _parties(doc, names, "other")


def _duty_holders(doc: Sentence) -> Iterator[FoundParty]:
    """……是各级各部门的一项重要政治任务: whose task, duty or responsibility it is leads."""
    text = doc.text
    for index, word in enumerate(doc.words):
        if word == "是" and index + 1 < len(doc):
            names, after = names_from(doc, index + 1, places=True)
            rest = text[doc[after].idx :] if after < len(doc) else ""
            if names and _duty_noun().match(rest):
                yield from _parties(doc, names, "lead")


@cache
def _duty_noun() -> re.Pattern[str]:
    return re.compile(_rules()["roles"]["duty"])


def _opens_clause(doc: Sentence, index: int) -> bool:
    """Nothing but adverbs between the clause's start and the word at `index`."""
    while index > 0 and doc[index - 1].tag_ in ("d", "ad"):
        index -= 1
    return index == 0 or doc[index - 1].text in PUNCTUATION


@cache
def _role_noun() -> re.Pattern[str]:
    return re.compile(_rules()["roles"]["role_played"])


def _acts(doc: Sentence, after: int) -> bool:
    """After 督促X, 推动X: X is made to act when a predicate follows it or the clause ends; not
    when a noun does (推进区卫健委建设项目: X modifies the noun).  After people a verbal noun
    is their verb (组织有关专家制作……)."""
    if after >= len(doc) or doc[after].text in PUNCTUATION:
        return True
    if doc[after].tag_ == "c":  # X和Y……: unless the list goes on to modify a noun (X、Y和Z的规范化管理)
        rest = next((t for t in doc[after + 1 : after + 7] if t.text in PUNCTUATION or t.text == "的"), None)
        return rest is None or rest.text != "的" or _one_name(doc, rest.i + 1) is not None  # ……和符合条件的企业
    token = doc[after]
    if token.tag_ == "vn" and doc[after - 1].text.endswith(_people()):
        return True
    return not is_nominal(token) or token.tag_ in IDIOM_TAGS or token.text in _vocabulary("roles", "modals")


def _joint_noun(doc: Sentence, after: int) -> bool:
    """与X（之间）的协作机制: X joins in the work."""
    joint = _rules()["roles"]["joint_nouns"]
    rest = [t.text for t in doc[after : after + 3]]
    if rest[:1] in (["间"], ["之间"]):
        rest = rest[1:]
    return len(rest) >= 2 and rest[0] == "的" and rest[1] in joint


def _fields_joined(doc: Sentence) -> Iterator[FoundParty]:
    """与应急、消防、市场监管等有关部门的协作机制: each field's department joins in (应急部门 …)."""
    text = doc.text
    rules = _rules()["names"]
    for match in _field_list().finditer(text):
        for field in re.finditer(r"[^、和]+", match.group(1)):
            if _name_end().search(field.group()):
                continue  # 区住建委 is a name of its own, not a field (区住建委部门)
            if re.fullmatch(rules["field_collective"], field.group()) is None:
                at = match.start(1) + field.start()
                yield FoundParty(f"{field.group()}部门", at, at + len(field.group()), "co")


@cache
def _field_list() -> re.Pattern[str]:
    return re.compile(r"(?:与|会同|配合|协同)((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8}?)(等(?:有关|相关)?部门)")


def _supervised(doc: Sentence) -> Iterator[FoundParty]:
    """加强对下属企业的督促指导, 对医院等场所，要督促……: the units a supervision reaches are made to act."""
    supervision = set(_rules()["names"]["supervision"])
    modals = _vocabulary("roles", "modals")
    for index, word in enumerate(doc.words):
        if word != "对":
            continue
        names, after = names_from(doc, index + 1)
        if not names or after + 1 >= len(doc) or doc[after].text not in ("的", "，"):
            continue
        verb = after + 1
        if doc[after].text == "，" and doc[verb].text in modals and verb + 1 < len(doc):
            verb += 1
        if doc[verb].text in supervision:
            yield from _parties(doc, names, "other")


def _compound(doc: Sentence, first: int, names: list[tuple[int, int]]) -> bool:
    """One bare generic word after the cue (联合|办公室): a noun compound, not a cue and a unit."""
    if len(names) != 1:
        return False
    start, last = names[0]
    return start == last == first and doc[first].text in _vocabulary("names", "generic")


def _responsible(doc: Sentence) -> Iterator[FoundParty]:
    """压实医疗卫生单位主体责任: the unit whose 主体责任 is at stake."""
    for index, word in enumerate(doc.words):
        if word not in _vocabulary("roles", "responsibility"):
            continue
        end = index - 1
        if end >= 0 and doc[end].text == "安全生产":
            end -= 1
        start = end
        while start > 0 and is_nominal(doc[start - 1]) and doc[start - 1].text not in PUNCTUATION:
            start -= 1
        if start > 0 and doc[start - 1].text in _vocabulary("roles", "aims"):
            continue  # 聚焦企业安全生产主体责任落实: what a task aims at, not who acts
        for first in range(start, end + 1):
            last = _one_name(doc, first)
            if last is not None and last >= end:
                yield from _parties(doc, [(first, end)], "other")
                break


def _parties(doc: Sentence, names: list[tuple[int, int]], role: Role) -> Iterator[FoundParty]:
    for first, last in names:
        party = _party(doc, first, last, role)
        if party:
            yield party


def _best_roles(found: Iterable[FoundParty]) -> list[FoundParty]:
    """One entry per unit, in text order: where two readings end at the same character the
    shorter one stands (征询调研各级医疗卫生单位: the cue nearest the name wins), and a name
    found twice keeps its strongest role (lead, then co, then other)."""
    by_end: dict[int, FoundParty] = {}
    for party in found:
        kept = by_end.get(party.end)
        if (
            kept is None
            or party.start > kept.start
            or (party.start == kept.start and ROLE_ORDER[party.role] < ROLE_ORDER[kept.role])
        ):
            by_end[party.end] = party
    best: dict[str, FoundParty] = {}
    for party in by_end.values():
        kept = best.get(party.name)
        if kept is None or ROLE_ORDER[party.role] < ROLE_ORDER[kept.role]:
            best[party.name] = party
    return sorted(best.values(), key=lambda p: p.start)


# ---------------------------------------------------------------- assignments and table columns


Assigned = Role | Literal["listed"]  # listed: the first unit leads, the others are co


def assignment_parties(text: str) -> list[FoundParty]:
    """（牵头单位：A；配合单位：B、C）, （A牵头，B、C参与）, （责任单位：A、B、C）, （A、B等按职责分工负责）,
    （A、B、C）: the units an item assigns, with their roles; a plain list (责任单位, 负责, no role
    word) is led by its first."""
    rules = _rules()["roles"]
    verbs = alternation([*rules["lead_verbs"], *rules["co_verbs"], *rules["guide_verbs"], *rules["listed_verbs"]])
    found = []
    guides: list[tuple[str, int]] = []  # lists that guide: their role depends on the rest
    pending: int | None = None  # where a list without a verb began: （A、B，C按职责分工负责）
    for body, offset in _assignment_parts(text):
        label = re.match(r"^(.{1,6}?)[:：]", body)
        verb = re.search(f"(?:{verbs})$", body)
        if label and (role := _label_role(label.group(1))):  # a label says they are units, whatever their ending
            found += _listed(body[label.end() :], offset + label.end(), role, labelled=True)
            pending = None
        elif verb:
            start = offset if pending is None else pending
            units = text[start : offset + verb.start()]
            joint = re.search(alternation(rules["joint_cues"]), units)
            if verb.group() in rules["guide_verbs"]:
                guides.append((units, start))
            elif joint:  # （A会同B负责）: A leads, B joins in
                found += _listed(units[: joint.start()], start, "lead") + _listed(
                    units[joint.end() :], start + joint.end(), "co"
                )
            elif (
                pending is not None
                and verb.group() in rules["lead_verbs"]
                and (own := _listed(body[: verb.start()], offset, "lead"))
            ):
                found += own + _listed(text[pending:offset], pending, "co")  # （A、B，A牵头）: the others join in
            else:
                found += _listed(units, start, _verb_role(verb.group()))
            pending = None
        elif pending is None and _listed(body, offset, "co"):
            pending = offset
    led = any(p.role == "lead" for p in found)
    for units, start in guides:
        found += _listed(units, start, "co" if led else "listed")
    if not found and not guides:  # （A、B、C）, ——A、B: units and no role word, the first leading
        units = text.strip("（）()【】 —－-")
        found = _listed(units, text.find(units), "listed")
    return _best_roles(found)


def _assignment_parts(text: str) -> Iterator[tuple[str, int]]:
    """An assignment's parts and their offsets: split at 、-free separators (not inside a unit's own
    bracket, 各县（区）人民政府) and before a label that follows a unit with no separator (the space
    between them removed: 牵头部门：市教育局 协助部门：……); a leading 由 dropped (由市应急局牵头)."""
    label = _rules()["roles"]["inline_label"]
    inner = 1 if text[:1] in "（(【" and text[-1:] in "）)】" else 0
    for part in re.finditer(
        r"(?:[^（）()，,；;。]|[（(][^（）()，,；;。]{1,8}[）)])+", text[inner : len(text) - inner]
    ):
        cuts = [0, *(m.start() for m in re.finditer(label, part.group()) if m.start() > 0), len(part.group())]
        for start, end in pairwise(cuts):
            body = part.group()[start:end]
            lead_by = 1 if body.startswith("由") else 0
            yield body[lead_by:], inner + part.start() + start + lead_by


def assigned_time(text: str) -> tuple[str, int] | None:
    """The time an assignment says its tasks are due (（责任单位：……；完成时限：9月底前）, or
    unlabelled beside its units: （区金融办，年底前）) and its offset in `text`, or None."""
    found = _time_label().search(text) or _time_beside_units().search(text)
    return (found["time"], found.start("time")) if found else None


@cache
def _time_label() -> re.Pattern[str]:
    return re.compile(_rules()["roles"]["time_label"])


@cache
def _time_beside_units() -> re.Pattern[str]:
    time = table("tasks.toml")["bracket_assignment"]["time"]
    return re.compile(rf"(?<=[（(，,；;\s])(?P<time>{time})(?=[）)，,；;\s]|$)")


def standing_assignment(text: str, offset: int) -> tuple[str, int] | None:
    """The units an assignment says every later one leaves out (以下均需试点城市政府落实，不再列出),
    as an assignment of their own (试点城市政府落实, at its offset); None if it says none."""
    found = _standing().search(text)
    return (found["units"], offset + found.start("units")) if found else None


@cache
def _standing() -> re.Pattern[str]:
    return re.compile(_rules()["roles"]["standing"])


def _label_role(label: str) -> Assigned | None:
    rules = _rules()["roles"]
    roles: tuple[Assigned, ...] = ("lead", "co", "listed")
    units = rules["label_units"]
    return next((role for role in roles if re.fullmatch(rules[f"{role}_labels"] + units, label)), None)


def _verb_role(verb: str) -> Assigned:
    rules = _rules()["roles"]
    return "lead" if verb in rules["lead_verbs"] else "co" if verb in rules["co_verbs"] else "listed"


def _listed(text: str, base: int, role: Assigned, labelled: bool = False) -> list[FoundParty]:
    """The names a plain list holds (a table cell, an assignment), at their offsets from `base`;
    a `listed` list is led by its first name, the others are co.

    Items split at 、，；, and at 和/及 only between two whole names (教育部和民政部, not
    工业和信息化部); an item with an adverb, a preposition or a particle in it is no name
    (以下均需试点城市政府).
    """
    found: list[FoundParty] = []
    cursor = 0
    text = re.sub("等(和|及|以及)", r"、\1", text)  # ……全国总工会等和各省级人民政府负责: the same length
    for item in split_list(text, "、，,；;"):
        item = _collective_tail().sub("", item)  # 甲、乙等部门: the named units, not the collective
        parts = [part for part in re.split(r"以及|和|及", item) if part]
        for part in parts if all(_name_end().search(p) for p in parts) else [item]:
            at = text.find(part, cursor)
            cursor = at + len(part)
            name = clean_name(part)
            inner = list(make_doc(name))[:-1] if name else []
            named = labelled and len(name or "") <= _rules()["names"]["max_chars"]
            barriers = (t for t in inner if t.text not in ("和", "（", "）", "(", ")"))  # 各县（区）人民政府
            if name and (named or _name_end().search(name)) and not any(_barrier(t) for t in barriers):
                end = base + at + len(part)
                own: Role = ("co" if found and not _collective(found[0].name) else "lead") if role == "listed" else role
                written = _counted().sub("", part.strip())
                found.append(FoundParty(name, end - len(name), end, own, "" if written == name else written))
    return found


def _collective(name: str) -> bool:
    """有关部门, 单位: no named unit — a list of collectives has no first to lead it."""
    return re.sub("^(?:有关|相关|其他|其余|各)", "", name) in _vocabulary("names", "generic")


@cache
def _collective_tail() -> re.Pattern[str]:
    """等, 等部门, 等有关单位 closing a list of named units."""
    return re.compile(f"等(?:{alternation(_rules()['names']['collectives'])})?$")


def column_parties(text: str, start: int, role: Assigned) -> list[FoundParty]:
    return _listed(text, start, role)


# ---------------------------------------------------------------- the issuer and canonical names


@cache
def _abbreviations() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table_ = table("abbreviations.toml")["short"]
    return tuple(sorted(((long, tuple(shorts)) for long, shorts in table_.items()), key=lambda x: -len(x[0])))


def name_key(name: str) -> str:
    """A name with every long form shortened as far as it goes: 区卫生健康委员会 → 区卫健委."""
    for long, shorts in _abbreviations():
        name = name.replace(long, shorts[-1])
    return name


def without_place(name: str) -> str:
    """上海市青浦区卫生健康委员会 → 区卫生健康委员会: the place names before a body's level go."""
    rules = _rules()["issuer"]
    levels = alternation(rules["levels"])
    place = re.compile(
        rf"^(?P<level>{levels})?(?P<place>(?:(?![和与及])[\u4e00-\u9fff]){{2,8}}?)(?=(?:{levels}))"
    )  # not 住房和城|乡
    while (match := place.match(name)) and match.end() < len(name) - 3:
        word = match["place"][-1] + name[match.end()]
        if match["level"] is None and re.match(levels, match["place"]) and word in rules["level_words"]:
            break  # 区城|市管理委员会: 城市 is a word of the body's name
        name = name[match.end() :]
    return name


def issuer_forms(issuers: list[str], text: str) -> tuple[frozenset[str], str | None]:
    """The forms the notice uses for its issuer(s), and the name it goes by in its own text: the
    form of each issuer it uses most (a joint header: both, joined with 、).

    上海市青浦区卫生健康委员会 is 区卫生健康委 in its own plan; 上海市金山区卫生健康委员会 is 区卫健委.
    """
    forms: set[str] = set()
    names = []
    for issuer in issuers:
        own = {form for base in {issuer, without_place(issuer)} for form in _short_forms(base)}
        forms |= own
        names.append(_most_used(own, text) or without_place(issuer))
    return frozenset(forms), "、".join(names) or None


def _most_used(forms: set[str], text: str) -> str | None:
    """The form the text uses most; among as many uses, the longest says most."""
    counts = Counter({form: text.count(form) for form in forms})
    used = [form for form, n in counts.items() if n]
    if not used:
        return None
    top = max(counts[form] for form in used)
    return max((form for form in used if counts[form] == top), key=lambda form: (len(form), form))


def _short_forms(name: str) -> set[str]:
    forms = {name}
    for long, shorts in _abbreviations():
        for form in list(forms):
            if long in form:
                forms |= {form.replace(long, short) for short in shorts}
    return forms


def is_issuer(name: str, forms: frozenset[str]) -> bool:
    key = name_key(name)
    return any(key == name_key(form) for form in forms)


def canonical_names(names: Iterable[str], written: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Each name → one name for its unit in the notice: the fullest written for it (区卫健委 →
    区卫生健康委员会); for a collective, or a level too short to stand without its 各, the text's
    own form (单位 → 各单位, 区 → 各区), the one it uses most.
    `written` pairs each name with the form the text wrote it in."""
    groups: dict[str, list[str]] = {}
    for name in set(names):
        groups.setdefault(name_key(without_place(name)), []).append(name)
    forms = Counter(written)
    chosen: dict[str, str] = {}
    for group in groups.values():
        fullest = max(group, key=lambda n: (len(n), n))
        uses = Counter({form: n for (name, form), n in forms.items() if name in group})
        usual = max(uses, key=lambda f: (uses[f], len(f), f)) if uses else fullest
        if _collective(fullest) or (usual.startswith("各") and len(fullest) <= 2):  # 各区, not 区: as written
            fullest = usual
        chosen.update({name: fullest for name in group})
    return chosen
