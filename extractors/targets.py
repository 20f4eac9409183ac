"""Targets: every quantity a task commits to, and the qualitative results it must reach.

A quantity is a number (Arabic or Chinese, 万/亿 multiplied out, 百分之X as X %) with a
unit from `lexicon/targets.toml`, an optional comparator (不少于, 以上, 左右 …) and the
object it counts: the action after an event unit (开展一次全面梳理和排查), the noun phrase
after the unit (5家社区卫生服务中心, 15万名具有……的中高级紧缺专业技术人才 → the head after
的), else the one before the number (公务车及专业技术车12辆, 食品抽检不少于3000批次).
Ordinals, codes, names and dates are not quantities; neither is a threshold that singles
out a class (超过100人的企业, 2米以上的高处), a number in a clause that states a condition
(……的，可申请), a baseline (在……的基础上), a forecast (预计) or a count of the document's
own parts (从以下8个方面).  A qualitative result (全覆盖, 动态清零, 全部淘汰退出, 家喻户晓,
不发生……事故) is a target with no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from extractors.nlp import PUNCTUATION, Sentence, Word, is_nominal, make_doc, next_token, token_at
from extractors.numerals import parse_number
from extractors.vocab import alternation, table, words

CHINESE_NUMBER = "零〇一二两三四五六七八九十百千"
QUIET = [("《", "》"), ("“", "”"), ("〔", "〕"), ("【", "】")]
CLAUSE_MARKS = "，；。：,;:"
_CLAUSE_MARK = re.compile(f"[{CLAUSE_MARKS}]")
VERB_TAGS = frozenset({"v", "vn", "vd"})
EVENT_MARKS = PUNCTUATION - frozenset("、“”《》")  # 开展一次“回头看”, 面向A、B的培训: one action
ACTION_TAGS = frozenset({"v", "vd"})  # a verb, not a verbal noun: what opens a predicate


@dataclass(frozen=True, slots=True)
class FoundTarget:
    text: str
    start: int  # offsets into the sentence
    end: int
    value: float | None
    unit: str | None
    object: str | None
    comparator: str | None


@cache
def _rules() -> dict[str, Any]:
    return table("targets.toml")


@cache
def _quantity() -> re.Pattern[str]:
    numeric = _rules()["numeric"]
    before = alternation(numeric["comparators_before"])
    after = alternation(numeric["comparators_after"])
    multipliers = alternation(numeric["multipliers"])
    approximate = alternation(numeric["approximate"])
    units = alternation(numeric["units"])
    rates = alternation(numeric["rates"])
    return re.compile(
        rf"(?:(?P<before>{before})(?:{_verb_between()}){{0,2}})?"
        rf"(?:百分之(?P<percent>[{CHINESE_NUMBER}]+|\d+(?:\.\d+)?)"
        rf"|(?P<number>\d+(?:\.\d+)?|[{CHINESE_NUMBER}]+)\s*(?P<approx>{approximate})?"
        rf"(?P<multiplier>{multipliers})?(?P<approx_after>{approximate})?\s*(?P<unit>{units})(?P<rate>{rates})?)"
        rf"(?P<after>{after})?"
    )


def _verb_between() -> str:
    """Delivering verbs between a comparator and its number: 至少组织一次, 至少组织开展1次."""
    return alternation(_rules()["object"]["governing"])


def find_targets(doc: Sentence) -> list[FoundTarget]:
    text = doc.text
    quiet = _quiet(text)
    found = [t for t in _quantities(doc) if not _inside(t, quiet)]
    taken = [(t.start, t.end) for t in found]
    for target in _qualitative(doc):
        if not _inside(target, quiet) and not any(target.start < e and s < target.end for s, e in taken):
            found.append(target)
            taken.append((target.start, target.end))
    conditions = _conditions(text)
    return sorted((t for t in found if not _uncommitted(text, t) and not _inside(t, conditions)), key=lambda t: t.start)


def _quiet(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for pattern in _quoted_spans() for m in pattern.finditer(text)]


@cache
def _quoted_spans() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(f"{opening}[^{closing}]*{closing}") for opening, closing in QUIET)


def _inside(target: FoundTarget, spans: list[tuple[int, int]]) -> bool:
    return any(start <= target.start and target.end <= end for start, end in spans)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    clause_start = max(text.rfind(mark, 0, start) for mark in CLAUSE_MARKS) + 1
    clause_end = min([i for i in (text.find(mark, end) for mark in CLAUSE_MARKS) if i >= 0] or [len(text)])
    return clause_start, clause_end


def _clause_around(text: str, start: int, end: int) -> str:
    clause_start, clause_end = _clause_bounds(text, start, end)
    return text[clause_start:clause_end]


def _uncommitted(text: str, target: FoundTarget) -> bool:
    """In a clause that looks back (在……的基础上, 已完成……) or ahead (预计), a result is a
    baseline or a forecast, not a target."""
    clause_start, clause_end = _clause_bounds(text, target.start, target.end)
    context = _rules()["context"]
    if any(word in text[clause_start:clause_end] for word in [*context["baseline"], *context["forecast"]]):
        return True
    return any(word in text[clause_start : target.start] for word in context["baseline_before"])


def _conditions(text: str) -> list[tuple[int, int]]:
    """Clauses that state a condition: a nominal clause closed by 的 or 时 before a comma
    (……签订1年以上劳动合同的，可申请…), or one opened by 凡/如果/若."""
    context = _rules()["context"]
    ends, not_ends = tuple(context["condition_ends"]), tuple(context["not_condition_ends"])
    openers = tuple(context["condition_openers"])
    spans, start = [], 0
    for mark in _CLAUSE_MARK.finditer(text):
        clause = text[start : mark.start()].strip()
        closed = mark.group() in "，," and clause.endswith(ends) and not clause.endswith(not_ends)
        if closed or clause.startswith(openers):
            spans.append((start, mark.start()))
        start = mark.end()
    if text[start:].strip().startswith(openers):
        spans.append((start, len(text)))
    return spans


# ---------------------------------------------------------------- quantities


def _quantities(doc: Sentence) -> list[FoundTarget]:
    text = doc.text
    found = []
    for match in _quantity().finditer(text):
        start = match.start("percent") if match["percent"] else match.start("number")
        if not _counts(doc, match, start) or _singles_out_a_class(doc, match):
            continue
        if match["percent"]:
            value, unit = parse_number(match["percent"]), "%"
        else:
            value, unit = (
                parse_number(match["number"] + (match["multiplier"] or "")),
                match["unit"] + (match["rate"] or ""),
            )
        if value is None:
            continue
        object_start, object_end = _object(doc, match)
        if text[object_start:object_end].endswith(tuple(_rules()["context"]["document_objects"])):
            continue  # 分三个阶段, 7个方面23项工作任务: the plan's own make-up
        if text[object_start:object_end].startswith(tuple(_rules()["context"]["stock_words"])):
            continue  # 现有养老机构120家: what there is
        span_start, span_end = min(match.start(), object_start), max(match.end(), object_end)
        found.append(
            FoundTarget(
                text=text[span_start:span_end],
                start=span_start,
                end=span_end,
                value=value,
                unit=unit,
                object=text[object_start:object_end] or None,
                comparator=_comparator(match),
            )
        )
    return found


def _comparator(match: re.Match[str]) -> str | None:
    """The bound a quantity is given: 以上 in 达到85%以上 (达到 names the level, 以上 bounds it)."""
    before, after = match["before"], match["after"]
    if before and after and before in _rules()["numeric"]["reaching"]:
        return str(after)
    comparator: str | None = before or after or match["approx"] or match["approx_after"]
    return comparator


def _counts(doc: Sentence, match: re.Match[str], number_start: int) -> bool:
    """Whether a number with a unit is a quantity, not an ordinal, a code, a date, 'a' or a
    count of the document's own parts."""
    text = doc.text
    numeric = _rules()["numeric"]
    before = text[:number_start]
    if before.endswith(tuple(numeric["not_before"])) or (before and (before[-1].isascii() and before[-1].isalnum())):
        return False
    if before.endswith("."):
        return False
    if _counts_the_document(text, number_start):
        return False
    unit = match["unit"]
    if unit and text[match.end("unit") :].startswith(tuple(numeric["not_after"].get(unit, []))):
        return False
    if text[match.end() :].startswith(tuple(numeric["scope_after"])):
        return False
    number = match["number"] or match["percent"] or ""
    if number[:1] in "千百" and not match["percent"]:  # 若千条, 百张: not a number standing alone (百分之百 is)
        return False
    bounded = bool(match["before"] or match["after"] or match["approx"] or match["approx_after"])
    if unit in numeric["needs_comparator_unit"]:
        ranks = not number[:1].isdigit() and "\u4e00" <= text[match.end() : match.end() + 1] <= "\u9fff"  # 二级以上医院
        return bounded and not ranks
    if number == "一" and unit not in numeric["event_units"]:
        return bounded  # 建立一套机制: the article; 至少一个: a count
    if (number and not number[0].isdigit()) or unit in numeric["needs_governing_unit"]:
        governed = before.rstrip().endswith(tuple(_rules()["object"]["governing"]))
        covered = number.isdigit() and before.rstrip().endswith(tuple(_rules()["object"]["covering"]))
        return bool(bounded or match["percent"] or governed or covered or _closes_a_delivered_phrase(doc, match))
    return True


def _closes_a_delivered_phrase(doc: Sentence, match: re.Match[str]) -> bool:
    """A count written after its noun, closing the clause, where a delivering verb opens the
    noun phrase or its clause (新建社区卫生服务站5个, 打造示范街区两个, 新建公共充电桩1500个) or the
    phrase follows another such count (…5个、养老服务中心3个)."""
    text = doc.text
    if match.end() < len(text) and text[match.end()] not in PUNCTUATION:
        return False
    start = _noun_phrase_start(doc, match.start())
    before = text[:start]
    listed = before.endswith("、") and before[:-1].endswith(match["unit"])
    governing = _rules()["object"]["governing"]
    clause_start = max((t.idx + len(t) for t in doc if t.idx < start and t.text in PUNCTUATION), default=0)
    opened = any(t.text in governing for t in doc if clause_start <= t.idx < start)  # 新建|公共|充电|桩1500个
    return start < match.start() and (listed or before.endswith(tuple(governing)) or opened)


def _counts_the_document(text: str, number_start: int) -> bool:
    context = _rules()["context"]
    if text[:number_start].endswith(tuple(context["document_pointers"])):
        return True
    clause = _clause_around(text, number_start, number_start)
    return any(name in clause[: clause.find(text[number_start])] for name in context["document_names"])


def _singles_out_a_class(doc: Sentence, match: re.Match[str]) -> bool:
    """A bound on a quantity that modifies a noun picks out which things (超过100人的企业,
    2米以上的高处, 二级以上医院), unless a verb delivers them (建成10个以上示范区).  A share
    bounded after it (20%以上的面积) is the target itself."""
    numeric = _rules()["numeric"]
    thresholds = set(numeric["thresholds"])
    share = _is_share(match)
    if not (match["before"] in thresholds or (not share and match["after"] in thresholds)):
        return False
    return _modifies_a_noun(doc, match.end()) and not doc.text[: match.start()].endswith(
        tuple(_rules()["object"]["governing"])
    )


def _is_share(match: re.Match[str]) -> bool:
    return bool(match["percent"]) or match["unit"] in _rules()["numeric"]["shares"]


def _modifies_a_noun(doc: Sentence, end: int) -> bool:
    """Whether what follows a quantity makes it a modifier: a noun or 的 right after it, or a
    coordinated threshold that runs into 的 (开采深度超过800米或者生产规模超过30万吨/年的矿山)."""
    following = token_at(doc, end)
    if following is None or following.idx != end:
        return False
    if following.text == "的" or (following.text not in PUNCTUATION and is_nominal(following)):
        return True
    if following.tag_ != "c" and following.text != "、":
        return False
    bounds = {*_rules()["numeric"]["comparators_before"], *_rules()["numeric"]["comparators_after"]}
    for token in doc[following.i + 1 :]:
        if token.text == "的":
            return True
        if token.text in PUNCTUATION - {"、"} or not (is_nominal(token) or token.text in bounds or token.tag_ == "c"):
            return False
    return False


def _object(doc: Sentence, match: re.Match[str]) -> tuple[int, int]:
    """Where the counted object is: the action after an event unit, what a share is of, the
    noun phrase after the unit (or the head after a relative clause …的), else the noun
    phrase before the number."""
    text = doc.text
    rules = _rules()
    after = match.end()
    if match["unit"] in rules["numeric"]["event_units"]:
        end = _event_end(doc, after)
        if end > after:
            return after, end
    if _is_share(match):  # 失业保险费的50%, 城市建成区20%以上的面积, 婴儿死亡率5‰
        start, end = _object_before(doc, match)
        if start < end:
            return start, end
    stops = tuple(rules["object"]["stops"])
    end = after
    while end < len(text) and not text.startswith(stops, end) and text[end] not in PUNCTUATION:
        token = token_at(doc, end)
        if token is not None and token.idx == end and _ends_phrase(doc, token, first=end == after):
            break
        end += 1
    if end > after and _names_a_thing(doc, end):
        return after, end
    named = _org_ending().match(text, after, _phrase_end(text, after, stops))
    if named:  # 18家养护院完成: jieba reads 养护 as a verb, but 院 ends an institution's name
        return after, named.end()
    head = _head_after_relative_clause(doc, after)
    if head is not None:
        return head
    return (after, end) if end > after else _object_before(doc, match)


def _event_end(doc: Sentence, start: int) -> int:
    """Where the action an event unit counts ends: at the clause's end, or at a 、 that opens
    the next action (开展一次A、编发一本B); a 、 between the action's nouns does not end it
    (一次面向A、B主要负责人的培训)."""
    text = doc.text
    stops = tuple(_rules()["object"]["event_stops"])
    end = _phrase_end(text, start, stops, marks=EVENT_MARKS)
    for mark in re.finditer("、", text[start:end]):
        following = next_token(doc, start + mark.end())
        if following is None or following.tag_ in ACTION_TAGS or following.tag_ in {"t", "d"}:
            return start + mark.start()
    return end


def _names_a_thing(doc: Sentence, end: int) -> bool:
    """Whether a phrase ending at `end` ends in a noun or an action, not in a word that only
    qualifies one (规模较大的学校, 有条件、有基础的城市)."""
    last = token_at(doc, end - 1)
    return last is not None and last.tag_ not in _rules()["object"]["attribute_tags"]


def _phrase_end(text: str, start: int, stops: tuple[str, ...], marks: frozenset[str] = PUNCTUATION) -> int:
    end = start
    while end < len(text) and not text.startswith(stops, end) and text[end] not in marks:
        end += 1
    return end


def _head_after_relative_clause(doc: Sentence, start: int) -> tuple[int, int] | None:
    """100项具有较大知名度的体育精品赛事, 最高不超过15万元的创业担保贷款: the phrase after the
    clause's last 的."""
    text = doc.text
    clause_end = min([i for i in (text.find(mark, start) for mark in CLAUSE_MARKS) if i >= 0] or [len(text)])
    de = text.rfind("的", start, clause_end)
    if de < 0:
        return None
    head_end = _phrase_end(text, de + 1, tuple(_rules()["object"]["stops"]))
    return (de + 1, head_end) if head_end > de + 1 else None


@cache
def _org_ending() -> re.Pattern[str]:
    return re.compile(rf"[^，。；、]*(?:{alternation(words('org_suffixes.txt'))})")


def _ends_phrase(doc: Sentence, token: Word, first: bool) -> bool:
    """A verb ends the object, unless nouns lead up to it and it closes the clause
    (村卫生室标准化改造。: a nominalised action) or nouns alone follow it to the phrase's end
    (应急避难场所: a verb inside a compound noun); a verb right after the unit starts a predicate."""
    if is_nominal(token):
        return False
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if following is not None and token.text in _rules()["object"]["governing"] and is_nominal(following):
        return True  # 对12所小学开展安全检查: a delivering verb opens the predicate, with its own object
    if not first and _nouns_to_phrase_end(doc, token.i + 1):
        return False
    return first or (following is not None and following.text not in PUNCTUATION)


def _nouns_to_phrase_end(doc: Sentence, index: int) -> bool:
    stops = tuple(_rules()["object"]["stops"])
    rest = []
    for token in doc[index:]:
        if token.text in PUNCTUATION or token.text.startswith(stops):
            break
        rest.append(token)
    return bool(rest) and all(t.tag_.startswith("n") and t.tag_ != "vn" for t in rest)


def _object_before(doc: Sentence, match: re.Match[str]) -> tuple[int, int]:
    """What a number measures when nothing follows it: the noun phrase before it, over a
    nominalised action (食品抽检不少于3000批次), a 的 (失业保险费的50%), a verb of change
    (月最低标准提高20元) and a share's verb (面积占建成区50%); for an event unit, the action
    it counts (开展检查不少于2次)."""
    text = doc.text
    end = match.start()
    if text[:end].endswith("的"):
        end -= 1
    changed = next((verb for verb in _rules()["object"]["change_verbs"] if text[:end].endswith(verb)), "")
    end -= len(changed)
    if changed:
        end = _before_comparison(doc, end)
    action = token_at(doc, end - 1)
    if match["unit"] in _rules()["numeric"]["event_units"] and action is not None and _counted_action(action):
        start = _noun_phrase_start(doc, action.idx)  # 开展检查不少于2次: the action counted
    else:
        start = _result_subject_start(doc, end)
    for verb in _rules()["object"]["share_verbs"]:
        if start > 0 and text[:start].endswith(verb):
            whole = _noun_phrase_start(doc, start - len(verb))
            if whole < start - len(verb):
                start = whole
            break
    return (start, end) if start < end else (match.start(), match.start())


def _before_comparison(doc: Sentence, end: int) -> int:
    """死亡人数较“十三五”期下降10%: what changes ends where the baseline it is compared with begins."""
    token = token_at(doc, end - 1)
    for earlier in reversed(doc[: token.i + 1] if token is not None else []):
        if earlier.text in CLAUSE_MARKS:
            break
        if earlier.text in _rules()["object"]["comparison_words"]:
            return int(earlier.idx)
    return end


def _counted_action(token: Word) -> bool:
    return token.tag_ in VERB_TAGS and token.text not in _rules()["object"]["governing"]


# ---------------------------------------------------------------- qualitative results


@cache
def _qualitative_rules() -> tuple[tuple[re.Pattern[str], bool, str | None], ...]:
    return tuple((re.compile(r["pattern"]), r["object_before"], r.get("then")) for r in _rules()["qualitative"])


def _qualitative(doc: Sentence) -> list[FoundTarget]:
    text = doc.text
    names = tuple(_rules()["qualitative_words"]["names_after"])
    found = []
    for pattern, object_before, then in _qualitative_rules():
        for match in pattern.finditer(text):
            result = "result" if "result" in pattern.groupindex else 0  # the words that are the result
            end = _result_end(doc, match.start(result), match.end(result), then)
            if end is None or text.startswith(names, end):
                continue
            start = _result_subject_start(doc, match.start(result)) if object_before else match.start(result)
            found.append(
                FoundTarget(
                    text=text[start:end],
                    start=start,
                    end=end,
                    value=None,
                    unit=None,
                    object=text[start : match.start(result)] or None,
                    comparator=None,
                )
            )
    return found


def _result_end(doc: Sentence, start: int, end: int, then: str | None) -> int | None:
    """Where a result ends, by what its rule says may follow the matched words:
    - end_or_action: the clause's end (…全覆盖，), or an action it qualifies (全覆盖检查);
    - action_to_end: an action, to the clause's end (全部整改销号, 全部建设应用……场景), never a
      preposition or a noun (全部由财政承担), and not after a determiner or a verb whose
      object it opens (采用上述全部考核指标);
    - nothing: the words as matched.
    None if the words are no result here."""
    if then is None:
        return end
    text = doc.text
    clause_end = _phrase_end(text, end, ())
    if then == "end_or_action":
        if end == len(text) or text[end] in PUNCTUATION or text.startswith(("和", "及", "与", "并"), end):
            return end
        return clause_end if _ends_in_action(doc, end, clause_end) else None
    following, preceding = token_at(doc, end), token_at(doc, start - 1)
    if following is None or following.idx != end or following.tag_ not in VERB_TAGS:
        return None
    if preceding is not None and _determines(preceding):
        return None
    return clause_end


def _determines(token: Word) -> bool:
    if token.text in _rules()["qualitative_words"]["determiners"]:
        return True
    return token.tag_ in ACTION_TAGS and token.text not in _rules()["object"]["governing"]


def _ends_in_action(doc: Sentence, start: int, end: int) -> bool:
    """Whether the words from start to end are a short phrase that ends in an action (条件复核)."""
    last = token_at(doc, end - 1)
    first = token_at(doc, start)
    return last is not None and first is not None and last.tag_ in VERB_TAGS and last.i - first.i < 3


def _result_subject_start(doc: Sentence, end: int) -> int:
    """What reaches a result may end in its action: 污水排放达标, 安全生产监管全覆盖."""
    token = token_at(doc, end - 1)
    if token is None or token.text in _rules()["object"]["governing"]:
        return end  # 开展全覆盖检查: the verb that delivers the result, not what reaches it
    if token.tag_ in VERB_TAGS and token.i > 0 and is_nominal(doc[token.i - 1]):
        return _noun_phrase_start(doc, token.idx)
    return _noun_phrase_start(doc, end)


def _noun_phrase_start(doc: Sentence, end: int) -> int:
    """Where the noun phrase ending at `end` begins: back over nouns (and 及/和) to a verb or a mark."""
    governing = set(_rules()["object"]["governing"])
    start = end
    while start > 0:
        token = token_at(doc, start - 1)
        gloss = _gloss_start(doc, start) if start < end else None
        if gloss is not None:
            start = gloss  # 细颗粒物（PM2.5）浓度: a bracketed gloss inside the noun phrase
            continue
        if token is None or token.text in PUNCTUATION or token.text in governing:
            break
        if token.text in _rules()["object"]["noun_suffixes"] and token.i > 0:
            start = doc[token.i - 1].idx  # 治理|率: jieba's cut inside one noun
            continue
        if not is_nominal(token) and token.text not in "及和与" and not _inside_compound(doc, token):
            break
        if token.tag_ == "f" and token.i > 0 and doc[token.i - 1].tag_ in {"t", "m"}:
            break  # 春节前, 6月前: the end of a time, not of a noun phrase
        if _is_time(doc, token):
            break  # 三年全覆盖, 2026年不低于80%: a time, not what is counted
        if token.tag_ == "vn" and _verb_of_phrase(doc, token):
            break
        start = token.idx
    first = token_at(doc, start)
    if first is not None and start < end and first.text in ("及", "和", "与"):
        start += len(first.text)  # 排查整改和动态清零: a result joined to another, no phrase of its own
    return start


def _gloss_start(doc: Sentence, end: int) -> int | None:
    """Where a bracketed gloss ending at `end` opens: another name for the noun before it, of
    nouns alone (细颗粒物（PM2.5）, 化学需氧量（COD）); not a note (（含中转站台）, （指……以上）)."""
    text = doc.text
    opening = text.rfind("（", 0, end)
    if not text[:end].endswith("）") or opening < 1:
        return None
    inside = [t for t in doc if opening < t.idx < end - 1]
    before = token_at(doc, opening - 1)
    if not inside or any(t.text in PUNCTUATION or not is_nominal(t) for t in inside):
        return None
    return opening if before is not None and before.text not in PUNCTUATION and is_nominal(before) else None


def _is_time(doc: Sentence, token: Word) -> bool:
    """三年, 2026年, 全年, 本年度, 两年内: a time, not part of what is counted (not the 月 of
    养老金月最低标准)."""
    context = _rules()["context"]
    if doc.text[: token.idx + len(token.text)].endswith(tuple(context["time_words"])):
        return True
    if token.text in context["time_closers"] and token.i > 0 and _is_time(doc, doc[token.i - 1]):
        return True
    if token.tag_ != "m" or not any(unit in token.text for unit in "年月日"):
        return False
    number = token.text[0] if len(token.text) > 1 else (doc[token.i - 1].text[-1:] if token.i > 0 else "")
    return number.isdigit() or number in CHINESE_NUMBER


def _verb_of_phrase(doc: Sentence, token: Word) -> bool:
    """培训基层干部: a verbal noun that opens a phrase is its verb; after a verb it is an
    attribute of the object (建成标准化食品快检室)."""
    if token.i == 0:
        return True
    before = doc[token.i - 1]
    return not is_nominal(before) and before.tag_ not in VERB_TAGS


def _inside_compound(doc: Sentence, token: Word) -> bool:
    """粪污处理设施, 新增停车泊位: a verb that never opens an instruction, between nouns or
    between a delivering verb and its noun, is part of a noun."""
    governing = _rules()["object"]["governing"]
    if token.tag_ != "v" or token.text in governing or token.text in words("action_verbs.txt"):
        return False
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    nominal_after = after is not None and (after.tag_.startswith("n") or after.tag_ == "s")
    return nominal_after and before is not None and (before.tag_.startswith("n") or before.text in governing)


def find_goals(text: str) -> list[str]:
    """Overall goals a preamble states: a clause opening with 确保/力争/实现 that sets a result."""
    openers = alternation(_rules()["context"]["goal_openers"])
    goals = []
    for match in re.finditer(rf"(?:{openers})[^，。；]+", text):
        if find_targets(make_doc(match.group(0))):
            goals.append(match.group(0))
    return goals
