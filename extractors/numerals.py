"""Chinese numerals: 二十五 → 25, 一九九六 → 1996, 3.8万 → 38000."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

from extractors.vocab import table


@cache
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    numerals = table("numerals.toml")
    return numerals["digits"], numerals["units"], numerals["large_units"]


def chinese_chars() -> str:
    """Every character a Chinese numeral is written with."""
    digits, units, large = _tables()
    return "".join([*digits, *units, *large])


def parse_int(text: str) -> int | None:
    """An integer written in Arabic digits or Chinese numerals; None if it is neither.

    Digit-by-digit forms (一九九六, 二〇二四) read as years; positional forms (二十五,
    一百零八, 十二) by their units.
    """
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    digits, units, large = _tables()
    if not all(ch in digits or ch in units or ch in large for ch in text):
        return None
    if len(text) > 1 and all(ch in digits for ch in text):
        return int("".join(str(digits[ch]) for ch in text))
    total = section = 0
    number = None
    for ch in text:
        if ch in digits:
            number = digits[ch]
        elif ch in units:
            section += (1 if number is None else number) * units[ch]
            number = None
        else:
            section += number or 0
            total += (section or 1) * large[ch]
            section, number = 0, None
    return total + section + (number or 0)


def parse_number(text: str) -> float | None:
    """A quantity: 12, 3.8, 二十, 百分之五十 (the percent word stays the caller's job), 3.8万."""
    text = text.strip()
    if not text:
        return None
    _, _, large = _tables()
    multiplier = 1
    while text and text[-1] in large:
        multiplier *= large[text[-1]]
        text = text[:-1]
    try:
        return float(Decimal(text) * multiplier)
    except InvalidOperation:
        pass
    whole = parse_int(text)
    return None if whole is None else float(whole * multiplier)
