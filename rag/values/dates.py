"""Calendar dates in a sentence, and an article's printed date parsed once (partial dates stay partial)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser

from rag.types import Key
from rag.values import Context, Reading

MONTHS = "january february march april may june july august september october november december".split()
_MONTH = r"(" + "|".join(m.capitalize() for m in MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
DATE_MDY = re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:, (\d{{4}}))?\b")
DATE_DMY = re.compile(rf"\b(\d{{1,2}}) {_MONTH},? (\d{{4}})\b")  # '9 July 1848', as much of the world writes it
DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH} (\d{{4}})\b")
# a bare year where English puts one: after a preposition, 'born', 'c.', or opening a parenthesis ('(1848–1912)')
_YEAR = re.compile(r"(?:\b(?i:in|since|of|from|until|by|born|circa|c\.|around|about|year)|\(|[–-]) ?((?:1[0-9]|20)\d\d)\b"
                   r"(?![\d,.]\d)")
DATE_PATTERNS = (DATE_MDY, DATE_DMY, DATE_NUMERIC)
_QUALIFIED_YEAR = re.compile(r"\b((?:early|mid|late)[- ]|(?:spring|summer|fall|autumn|winter) of |(?:about|around|circa|"
                             r"c\.) ?)((?:1[0-9]|20)\d\d)\b", re.I)
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)


def dates(sentence: str, context: Context | None = None) -> list[Reading]:
    """Calendar dates; weekdays and 'today' are resolved against the article's own printed date."""
    published = context.published if context else None
    found: list[Reading] = []
    year = published.year if published else None
    for m in DATE_MDY.finditer(sentence):
        y = int(m.group(3)) if m.group(3) else year
        found.append(_reading(_month_number(m.group(1)), int(m.group(2)), y, m))
    taken = [(r.start, r.end) for r in found]
    for m in DATE_DMY.finditer(sentence):
        if not any(s < m.end() and m.start() < e for s, e in taken):  # '21 May 2026' vs 'May 21, 2026'
            found.append(_reading(_month_number(m.group(2)), int(m.group(1)), int(m.group(3)), m))
    for m in DATE_NUMERIC.finditer(sentence):
        found.append(_reading(int(m.group(1)), int(m.group(2)), int(m.group(3)), m))
    taken = [(r.start, r.end) for r in found]
    for m in _MONTH_YEAR.finditer(sentence):
        if not any(s <= m.start() < e for s, e in taken):
            found.append(Reading(Key("date", text=f"{m.group(2)}-{_month_number(m.group(1)):02d}"), m.start(), m.end()))
    taken = [(r.start, r.end) for r in found]
    for m in _QUALIFIED_YEAR.finditer(sentence):  # 'the fall of 1964', 'late 1914': the year, as the source words it
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(Reading(Key("date", text=m.group(2)), m.start(), m.end()))
    taken = [(r.start, r.end) for r in found]
    for m in _YEAR.finditer(sentence):
        if not any(s <= m.start(1) < e for s, e in taken):
            found.append(Reading(Key("date", text=m.group(1)), m.start(1), m.end(1)))
    found = _year_spans(sentence, found)
    if published is not None and not found:
        for m in _WEEKDAY.finditer(sentence):
            back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
            day = published.date() - timedelta(days=back)
            found.append(Reading(Key("date", text=day.isoformat()), m.start(), m.end()))
        for m in _RELATIVE_DAY.finditer(sentence):
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group(1).lower()]
            found.append(Reading(Key("date", text=(published.date() + timedelta(days=shift)).isoformat()),
                                 m.start(), m.end()))
    return sorted((r for r in found if r.key.text), key=lambda r: r.start)


_SPAN_TAIL = re.compile(r"\s?[–—-]\s?((?:1[0-9]|20)?\d\d)\b(?![–—-]\d)")
_LIFE = re.compile(r"\(\s*(?:born\s+|b\.\s*)?$")


def _year_spans(sentence: str, found: list[Reading]) -> list[Reading]:
    """'built 1902–1903', 'in 1810-11': a span of years is one statement, so the first year's slice runs to the
    end of the span (its key stays the first year; the second year is still read on its own, as the end). A
    life span opening a parenthesis ('(1848–1912)') is two dates, birth and death, and is left alone."""
    out = []
    for r in found:
        tail = _SPAN_TAIL.match(sentence, r.end) if len(r.key.text) == 4 else None
        if tail and not _LIFE.search(sentence[:r.start]):
            end = tail.group(1)
            full = end if len(end) == 4 else r.key.text[:2] + end
            if full > r.key.text:
                r = Reading(r.key, r.start, tail.end(), r.label)
        out.append(r)
    return out


def _reading(month: int, day: int, year: int | None, m: re.Match[str]) -> Reading:
    try:
        text = date(year, month, day).isoformat() if year else f"--{month:02d}-{day:02d}"
    except ValueError:
        text = ""
    return Reading(Key("date", text=text), m.start(), m.end())


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(name[:3]))


def pretty(day: date) -> str:
    return f"{MONTHS[day.month - 1].capitalize()} {day.day}, {day.year}"


class Published:
    """An article's printed date as far as it goes: year, month and day, each None when the page omits it."""

    def __init__(self, year: int | None, month: int | None = None, day: int | None = None,
                 when: datetime | None = None) -> None:
        self.year, self.month, self.day, self.when = year, month, day, when

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)


_PARTIAL = re.compile(rf"^\s*(?:{_MONTH}\s+)?((?:19|20)\d\d)\s*$")
_cache: dict[str, datetime | None] = {}


def parse_published(text: str) -> datetime | None:
    """An article's printed date ('5/26/2026, 1:02:44 PM', '10:30 AM PDT · May 21, 2026'), parsed once per
    string. A page that prints only a year or a month gives None here (see `published_parts`)."""
    if text in _cache:
        return _cache[text]
    value = None
    if text and re.search(r"\d", text) and not _PARTIAL.match(text):
        try:
            value = dateparser.parse(text.replace("·", " "), fuzzy=True, ignoretz=True)
        except (ValueError, OverflowError):
            value = None
    if len(_cache) < 10000:
        _cache[text] = value
    return value


def published_parts(text: str) -> Published | None:
    """The printed date with what it leaves out kept out: 'May 2026' has no day, '2026' no month."""
    m = _PARTIAL.match(text or "")
    if m:
        return Published(int(m.group(2)), _month_number(m.group(1)) if m.group(1) else None)
    when = parse_published(text)
    return Published(when.year, when.month, when.day, when) if when else None
