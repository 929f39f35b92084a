"""Lengths of time: 'up to 12 weeks' -> [0, 84] days; 'at least 12 weeks' -> [84, inf); 'between 3 and 12 weeks'."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading
from rag.values.numbers import INF, NUM, number

_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_UNIT = r"(hours?|days?|weeks?|months?|years?)"
_SEP = r"[\s-]+"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("range", re.compile(rf"\bbetween {NUM} and {NUM}{_SEP}{_UNIT}", re.I)),
    ("range", re.compile(rf"\b(?:from )?{NUM}\s*(?:-|–|to)\s*{NUM}{_SEP}{_UNIT}", re.I)),
    ("max", re.compile(rf"\b(?:up to|no more than|at most|as many as|within|a maximum of|maximum of|not more than|"
                       rf"less than|fewer than|under)"
                       rf" (?:the )?{NUM}{_SEP}{_UNIT}", re.I)),
    ("min", re.compile(rf"\b(?:at least|no less than|no fewer than|more than|a minimum of|minimum of|over)"
                       rf" {NUM}{_SEP}{_UNIT}", re.I)),
    ("min", re.compile(rf"\b{NUM}{_SEP}{_UNIT} or (?:more|longer)\b", re.I)),
    ("approx", re.compile(rf"\b(?:about|roughly|around|approximately|nearly|some|almost) {NUM}{_SEP}{_UNIT}", re.I)),
    ("exact", re.compile(rf"\b{NUM}{_SEP}{_UNIT}\b", re.I)),
)
# 'two days after the vote', 'hours before the deadline': an offset from another event, not a length
OFFSET = re.compile(r"^\s*(?:after|before|ahead of|prior to|later|earlier|ago|since|from now)\b\s*(?P<what>[^,.;]{0,40})",
                    re.I)
PURPOSE = re.compile(r"^\s*(?:to|in which to) (?P<what>\w+)", re.I)  # 'two weeks to plan': the time for planning
RECURRENCE = re.compile(r"^\s*(?:cycles?|basis|rotations?|intervals?|old|ago)\b", re.I)
EVERY = re.compile(r"\b(?:every|each|once a|per)\s*$", re.I)


def durations(sentence: str, context: Context | None = None) -> list[Reading]:
    found: list[Reading] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            unit = _UNIT_DAYS[m.groups()[-1].lower().rstrip("s")]
            numbers = [number(g) * unit for g in m.groups()[:-1] if g]
            low, high = {"range": (min(numbers), max(numbers)), "max": (0.0, numbers[0]),
                         "min": (numbers[0], INF)}.get(kind, (numbers[0], numbers[0]))
            found.append(Reading(Key("duration", low=low, high=high, bound=kind), m.start(), m.end()))
    return sorted(found, key=lambda r: r.start)


def attached(sentence: str, reading: Reading) -> str | None:
    """The words a duration is the length of, when the sentence says ('after the vote', 'to plan'); '' when it
    does not; None when it is no length at all but a frequency or an age ('every two years', 'two years old')."""
    rest = sentence[reading.end:]
    if RECURRENCE.match(rest) or EVERY.search(sentence[:reading.start]):
        return None
    m = OFFSET.match(rest) or PURPOSE.match(rest)
    # the event itself, not what it is about: 'the vote on the tunnel' -> 'the vote'
    return re.split(r"\b(?:of|on|in|for|to|by|with|about|over|at)\b", m.group("what"))[0] if m else ""
