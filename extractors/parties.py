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

The cue words are spaCy `Matcher` patterns (`roles.json`); the surrounding vocabulary is in
`roles.toml`.  The notice's issuer is the implicit lead, not a party, unless it is a
clause's subject.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from extractors.metadata import split_list
from extractors.nlp import IDIOM_TAGS, PREDICATE_TAGS, PUNCTUATION, is_nominal, make_doc, nlp, text_of
from extractors.vocab import alternation, lexicon_path, table, words
from schemas.notice import Role

ROLE_ORDER: dict[Role, int] = {"lead": 0, "co": 1, "other": 2}


@dataclass(frozen=True, slots=True)
class FoundParty:
    name: str
    start: int  # offsets into the text it was found in
    end: int
    role: Role


@cache
def _rules() -> dict[str, Any]:
    return table("roles.toml")


@cache
def _matcher() -> Matcher:
    matcher = Matcher(nlp().vocab)
    for entry in json.loads(lexicon_path("roles.json").read_text(encoding="utf-8")):
        matcher.add(entry["label"], [entry["pattern"]])
    return matcher


@cache
def _name_end() -> re.Pattern[str]:
    endings = [*words("org_suffixes.txt"), *_rules()["names"]["role_suffixes"], *words("org_terms.txt")]
    return re.compile(f"(?:{alternation(endings)})$")


def _ends_name(token: Token) -> bool:
    """A word that ends a name: an organisation suffix or role noun, not a verb, an adverb or a
    set phrase that happens to end like one (查处, 依法查处, 政局)."""
    if token.text in _org_terms():
        return True
    return (
        token.tag_ not in ("v", "vn", "d", "p", "c", "u", "uj", "r", "l", "i", "nr")
        and not token.text.endswith(tuple(_rules()["names"]["not_names"]))
        and _name_end().search(token.text) is not None
    )


@cache
def _org_terms() -> frozenset[str]:
    return frozenset(words("org_terms.txt"))


def _barrier(token: Token) -> bool:
    """A word no name runs across: punctuation, a preposition, an adverb, a modal, a particle."""
    return (
        token.text in PUNCTUATION
        or token.tag_ in ("p", "d", "u", "uj", "ul", "c")
        or token.text in _rules()["roles"]["modals"]
    )


# ---------------------------------------------------------------- names


def _one_name(doc: Doc, first: int) -> int | None:
    """The last token of the name that starts at token `first`, if a name starts there.

    A name opens with a noun (or 各, 其他, 有关 …), runs over nouns — and 的 (有条件的其他单位)
    — to its suffix, and takes in any further nouns that end in a suffix (…医院青浦分院).
    """
    rules = _rules()["names"]
    if not _opens_name(doc, first):
        return None
    last: int | None = None
    chars = 0
    for index in range(first, len(doc)):
        token = doc[index]
        chars += len(token)
        if chars > rules["max_chars"] or (index > first and token.text in rules["separators"]):
            break
        if _ends_name(token):
            last = index
        elif last is not None:
            if _barrier(token) or not is_nominal(token):
                break
        elif token.text == "的":  # 有条件的其他单位: only after an opener
            if doc[index - 1].text not in rules["openers"]:
                break
        elif not _inside_name(doc, index):
            break
    return last


def _inside_name(doc: Doc, index: int) -> bool:
    """Whether a word can stand inside a name before its suffix: a noun, an opener (各级), or
    a verb right before a generic word (机构编制|部门, 住房城乡建设|部门; not 完成|吕巷镇)."""
    token = doc[index]
    if token.text in _rules()["names"]["openers"] or (is_nominal(token) and not _barrier(token)):
        return True
    following = doc[index + 1] if index + 1 < len(doc) else None
    generic = following is not None and following.text in _rules()["names"]["generic"]
    # a verb of two characters or more names a field (物业服务|企业); a one-character verb
    # moves (安全宣传进|企业: a slogan, not a name)
    return (token.tag_ in ("v", "vn") and len(token) > 1 and generic) or _glued_to_suffix(doc, index)


def _opens_name(doc: Doc, index: int) -> bool:
    token = doc[index]
    if token.text in _rules()["names"]["openers"]:
        return True
    if token.tag_ == "m":  # a count of units (5家社区卫生服务中心), not a date or a frequency
        following = doc[index + 1] if index + 1 < len(doc) else None
        return following is not None and following.text in _rules()["names"]["counters"]
    nominal = is_nominal(token) and token.tag_ not in IDIOM_TAGS and not _barrier(token)
    return nominal or _glued_to_suffix(doc, index)


def _glued_to_suffix(doc: Doc, index: int) -> bool:
    """养护|院: jieba splits a name's one-character suffix off a word it reads as a verb."""
    following = doc[index + 1] if index + 1 < len(doc) else None
    return following is not None and len(following) == 1 and _ends_name(following)


def names_from(doc: Doc, first: int) -> tuple[list[tuple[int, int]], int]:
    """Token ranges (first, last) of the list of names starting at `first`, and the token after it."""
    separators = set(_rules()["names"]["separators"])
    names: list[tuple[int, int]] = []
    index = first
    while index < len(doc):
        last = _one_name(doc, index)
        if last is None:
            break
        names.append((index, last))
        following = last + 1
        if following < len(doc) and doc[following].text in separators:
            index = following + 1
            continue
        return names, following
    return names, index


def clean_name(name: str) -> str | None:
    """A name as the matrix writes it: no 各/全 or quantity in front; None for the writer's own unit."""
    rules = _rules()["names"]
    name = re.sub(r"^(?:\d+|[一二两三四五六七八九十]+)(?:家|个|所|名)", "", name.strip())
    changed = True
    while changed:
        changed = False
        for prefix in rules["strip_prefixes"]:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                name, changed = name[len(prefix) :], True
    if not name or name.startswith(tuple(rules["self_prefixes"])):
        return None
    return name


# ---------------------------------------------------------------- roles in a sentence


def find_parties(doc: Doc, issuer_forms: frozenset[str]) -> list[FoundParty]:
    """Every unit a task sentence names, with its role."""
    found: list[FoundParty] = []
    found += _subjects(doc)
    found += _cued(doc)
    found += _responsible(doc)
    return _best_roles(p for p in found if p.role == "lead" or not is_issuer(p.name, issuer_forms))


def _party(doc: Doc, first: int, last: int, role: Role) -> FoundParty | None:
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    raw = text_of(doc)[start:end]
    name = clean_name(raw)
    if name is None:
        return None
    return FoundParty(name, end - len(name), end, role)


def _clauses(doc: Doc) -> Iterator[tuple[int, int]]:
    """Token ranges of the clauses of a sentence, split at ，；： outside brackets."""
    start, depth = 0, 0
    for token in doc:
        if token.text in "（(《“":
            depth += 1
        elif token.text in "）)》”":
            depth = max(0, depth - 1)
        elif token.text in "，；：,;:" and depth == 0:
            yield start, token.i
            start = token.i + 1
    yield start, len(doc)


def _subjects(doc: Doc) -> Iterator[FoundParty]:
    rules = _rules()["roles"]
    for start, end in _clauses(doc):
        if end - start > 2 and doc[start].tag_ == "m" and doc[start + 1].text in ".．、":
            start += 2  # an item's number: 15.提升企业……
        if start >= end or doc[start].text in rules["no_subject_openers"]:
            continue
        names, after = names_from(doc, start)
        if not names or after >= end or not _predicate(doc[after]):
            continue  # no predicate after the names: they modify a noun (区血站等单位项目开工建设)
        role: Role = "co" if doc[after].text in rules["co_verbs"] else "lead"
        yield from _parties(doc, names, role)


def _predicate(token: Token) -> bool:
    """A word a clause's predicate can open with: a verb, an adverb, a preposition, a time word."""
    return token.tag_ in PREDICATE_TAGS or token.text in _rules()["roles"]["modals"]


def _cued(doc: Doc) -> Iterator[FoundParty]:
    rules = _rules()["roles"]
    for label_id, _, cue_end in _matcher()(doc):
        label = nlp().vocab.strings[label_id]
        names, after = names_from(doc, cue_end)
        if not names:
            continue
        following = doc[after].text if after < len(doc) else ""
        if label in ("co", "other") and _compound(doc, cue_end, names):
            continue  # 联合办公室, 配合部门: the cue word makes a noun with a bare generic word
        if label == "co":
            yield from _parties(doc, names, "co")
        elif label == "lead_by" and following in rules["lead_by_verbs"]:
            yield from _parties(doc, names, "lead")
        elif label == "co_with" and following in rules["co_with_verbs"]:
            yield from _parties(doc, names, "co")
        elif label == "other" and (not following or following in PUNCTUATION or not is_nominal(doc[after])):
            yield from _parties(doc, names, "other")
        elif label == "addressed" and after < len(doc) and _predicate(doc[after]):
            yield from _parties(doc, names, "lead")  # 请各单位按照要求……报送


def _compound(doc: Doc, first: int, names: list[tuple[int, int]]) -> bool:
    """One bare generic word after the cue (联合|办公室): a noun compound, not a cue and a unit."""
    if len(names) != 1:
        return False
    start, last = names[0]
    return start == last == first and doc[first].text in _rules()["names"]["generic"]


def _responsible(doc: Doc) -> Iterator[FoundParty]:
    """压实医疗卫生单位主体责任: the unit whose 主体责任 is at stake."""
    for token in doc:
        if token.text not in _rules()["roles"]["responsibility"]:
            continue
        end = token.i - 1
        if end >= 0 and doc[end].text == "安全生产":
            end -= 1
        start = end
        while start > 0 and is_nominal(doc[start - 1]) and doc[start - 1].text not in PUNCTUATION:
            start -= 1
        for first in range(start, end + 1):
            last = _one_name(doc, first)
            if last is not None and last >= end:
                yield from _parties(doc, [(first, end)], "other")
                break


def _parties(doc: Doc, names: list[tuple[int, int]], role: Role) -> Iterator[FoundParty]:
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


def assignment_parties(text: str) -> list[FoundParty]:
    """（牵头单位：A；配合单位：B、C） or （A牵头，B、C参与）: the units an item assigns."""
    rules = _rules()["roles"]
    verbs = alternation([*rules["lead_verbs"], *rules["co_verbs"]])
    found = []
    for segment in re.finditer(r"[^（）()，,；;。]+", text):
        body, offset = segment.group(), segment.start()
        label = re.match(r"^(.{1,6}?)[:：]", body)
        verb = re.search(f"(?:{verbs})$", body)
        if label and (role := _label_role(label.group(1))):
            found += _listed(body[label.end() :], offset + label.end(), role)
        elif verb:
            found += _listed(body[: verb.start()], offset, "lead" if verb.group() in rules["lead_verbs"] else "co")
    return _best_roles(found)


def _label_role(label: str) -> Role | None:
    rules = _rules()["roles"]
    if label in rules["lead_labels"]:
        return "lead"
    if label in rules["co_labels"]:
        return "co"
    return None


def _listed(text: str, base: int, role: Role) -> list[FoundParty]:
    """The names a plain list holds (a table cell, an assignment), at their offsets from `base`.

    Items split at 、，；, and at 和/及 only between two whole names (教育部和民政部, not
    工业和信息化部); an item with an adverb, a preposition or a particle in it is no name
    (以下均需试点城市政府).
    """
    found, cursor = [], 0
    for item in split_list(text, "、，,；;"):
        parts = re.split(r"以及|和|及", item)
        for part in parts if len(parts) > 1 and all(_name_end().search(p) for p in parts) else [item]:
            at = text.find(part, cursor)
            cursor = at + len(part)
            name = clean_name(part)
            if name and _name_end().search(name) and not any(_barrier(t) for t in make_doc(name) if t.text != "和"):
                end = base + at + len(part)
                found.append(FoundParty(name, end - len(name), end, role))
    return found


def column_parties(text: str, start: int, role: Role) -> list[FoundParty]:
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
    levels = alternation(_rules()["issuer"]["levels"])
    place = re.compile(rf"^(?:{levels})?[\u4e00-\u9fff]{{2,5}}?(?=(?:{levels}))")
    while (match := place.match(name)) and match.end() < len(name) - 3:
        name = name[match.end() :]
    return name


def issuer_forms(issuers: list[str], text: str) -> tuple[frozenset[str], str | None]:
    """The forms the notice uses for its issuer(s), and the one it uses most in its text.

    上海市青浦区卫生健康委员会 is 区卫生健康委 in its own plan; 上海市金山区卫生健康委员会 is 区卫健委.
    """
    forms: set[str] = set()
    for issuer in issuers:
        for base in {issuer, without_place(issuer)}:
            forms |= _short_forms(base)
    counts = Counter({form: text.count(form) for form in forms})
    used = [form for form, n in counts.most_common() if n]
    if not used:
        return frozenset(forms), (without_place(issuers[0]) if issuers else None)
    top = counts[used[0]]
    # among the forms used as often as the most used one, the longest says most
    return frozenset(forms), max((f for f in used if counts[f] == top), key=len)


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


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Each written name → the fullest name written for the same unit in the notice."""
    groups: dict[str, list[str]] = {}
    for name in set(names):
        groups.setdefault(name_key(without_place(name)), []).append(name)
    return {name: max(group, key=lambda n: (len(n), n)) for group in groups.values() for name in group}
