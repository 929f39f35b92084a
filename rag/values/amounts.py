"""Money and counts: '$21 million', '40,000 vehicles', 'a $3 fare'; 'free of charge' is the amount 0."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading
from rag.values.dates import DATE_PATTERNS
from rag.values.durations import PATTERNS as DURATIONS

_AMOUNT = re.compile(r"(\$|£|€|US\$)?(\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s*(million|billion|thousand|percent|%|"
                     r"dollars?|cents?|pounds?|euros?))?")
_CURRENCY_WORDS = {"dollar", "dollars", "cent", "cents", "pound", "pounds", "euro", "euros"}
_SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3}
# 'free' is a price only where it is said of the thing (predicative, 'for free', 'free of charge'), not in
# 'a free press' or 'free to leave'
_FREE = re.compile(r"\b(?:free of charge|at no (?:cost|charge)|no charge|for free|without charge|(?<=\bis )free|"
                   r"(?<=\bare )free|(?<=\bbe )free|(?<=\bwas )free|(?<=\bwere )free|cost(?:s)? nothing|"
                   r"fare-free|toll-free|charge-free)\b(?!\s+(?:to|from|speech|press|trade|market|will|agent))", re.I)


def _numbers(sentence: str) -> list[tuple[re.Match[str], float]]:
    skip = [(m.start(), m.end()) for p in (p for _, p in DURATIONS) for m in p.finditer(sentence)]
    skip += [(m.start(), m.end()) for p in DATE_PATTERNS for m in p.finditer(sentence)]
    found = []
    for m in _AMOUNT.finditer(sentence):
        before, after = sentence[max(0, m.start() - 1):m.start()], sentence[m.end():m.end() + 2]
        if any(s <= m.start() < e for s, e in skip) or before in (":", "-", "–") or re.match(r"[:\-–]\d", after):
            continue  # a time of day or a score such as 6-1
        raw = m.group(2).replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", m.group(2)) and not m.group(1):
            continue  # a year (never written with a thousands comma: '2,051 people' is a count)
        if re.search(r"\d/\s*$|/$", sentence[max(0, m.start() - 3):m.start()]) or sentence[m.end():m.end() + 1] == "/":
            continue  # part of a numeric date
        scale = _SCALE.get((m.group(3) or "").lower(), 1)
        found.append((m, float(raw) * scale))
    return found


def money(sentence: str, context: Context | None = None) -> list[Reading]:
    out = [Reading(Key("money", low=v, high=v, bound="exact"), m.start(), m.end()) for m, v in _numbers(sentence)
           if m.group(1) or (m.group(3) or "").lower() in _CURRENCY_WORDS]
    out += [Reading(Key("money", low=0.0, high=0.0, bound="exact"), m.start(), m.end()) for m in _FREE.finditer(sentence)]
    return sorted(out, key=lambda r: r.start)


# units and counted nouns that belong to the figure a reader is shown: '98 km', '3,559 people'
_UNIT = re.compile(r"\s?(?:km2?|kilomet(?:re|er)s?|mi(?:les?)?|met(?:re|er)s?|m|ft|feet|acres?|hectares?|sq mi|"
                   r"people|persons|residents|inhabitants|households|families|seats|spectators|employees|"
                   r"students|members|votes)\b")


def counts(sentence: str, context: Context | None = None) -> list[Reading]:
    """Numbers that are not years, dates, durations, times of day or sums of money; a unit or counted noun
    right after one is part of its slice."""
    out = []
    for m, v in _numbers(sentence):
        if m.group(1) or (m.group(3) or "").lower() in _CURRENCY_WORDS:
            continue
        unit = _UNIT.match(sentence, m.end())
        out.append(Reading(Key("number", low=v, high=v, bound="exact"), m.start(), unit.end() if unit else m.end()))
    return out
