"""Sentence -> typed values it asserts: durations, quantities, dates, modality, status, roles, organisations,
reasons. Normalised so that equal things compare equal ("60 days" == "sixty-day") and bounds stay distinct
("up to 90 days" != "at least 90 days"). Nothing here knows the topic of any corpus: only English function
words, units, calendar names, and generic verbs of obligation and outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
_NUM = r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_UNIT = r"(hours?|days?|weeks?|months?|years?)"
_SEP = r"[\s-]+"
INF = float("inf")

_DURATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("range", re.compile(rf"\bbetween {_NUM} and {_NUM}{_SEP}{_UNIT}", re.I)),
    ("range", re.compile(rf"\b(?:from )?{_NUM}\s*(?:-|–|to)\s*{_NUM}{_SEP}{_UNIT}", re.I)),
    ("max", re.compile(rf"\b(?:up to|no more than|at most|as many as|within|a maximum of|maximum of|not more than)"
                       rf" (?:the )?{_NUM}{_SEP}{_UNIT}", re.I)),
    ("min", re.compile(rf"\b(?:at least|no less than|no fewer than|more than|a minimum of|minimum of|over)"
                       rf" {_NUM}{_SEP}{_UNIT}", re.I)),
    ("min", re.compile(rf"\b{_NUM}{_SEP}{_UNIT} or (?:more|longer)\b", re.I)),
    ("approx", re.compile(rf"\b(?:about|roughly|around|approximately|nearly|some|almost) {_NUM}{_SEP}{_UNIT}", re.I)),
    ("exact", re.compile(rf"\b{_NUM}{_SEP}{_UNIT}\b", re.I)),
)

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(" + "|".join(m.capitalize() for m in _MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
_DATE_MDY = re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?(?:, (\d{{4}}))?\b")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)

_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|neither)\b|n['’]t\b", re.I)
_VOLUNTARY = re.compile(r"\b(voluntar\w*|optional|opt[- ]in|free of charge|at no (?:cost|charge)|no charge|"
                        r"for free|free)\b", re.I)
_REQUIRED = re.compile(r"\b(requir\w*|mandat\w*|compel\w*|compulsory|obligat\w*|forced?|must|have to|has to)\b", re.I)
_EVOLUTION = re.compile(r"\b(originally|initially|at first|previously|earlier)\b.*\b(later|then|subsequently|"
                        r"eventually|now|since)\b", re.I)

STATUS_WORDS = {
    "delayed": r"postpon\w*|delay\w*|put off|pushed back|shelv\w*|paus\w*|defer\w*|held off",
    "cancelled": r"cancel\w*|scrap\w*|kill\w*|withdr[ae]w\w*|abandon\w*|dropp?\w*|pull(?:ed|ing) the plug|rejected|"
                 r"repeal\w*|revok\w*|rescind\w*",
    "done": r"signed|approved|enacted|passed|adopted|finali[sz]ed|reopened|completed|issued|took effect|"
            r"signs|approves|enacts|adopts|reopens",
}
_STATUS = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in STATUS_WORDS.items()}
_NOT_YET = re.compile(r"\b(?:would|will|to be|whether|if|before|could|might|may|plan\w* to|expected to|set to|"
                      r"not|never|n['’]t|yet to)\b(?:\s+\w+){0,2}\s*$", re.I)
LATER_MARKERS = re.compile(r"\b(finally|eventually|later|subsequently|has since|have since|since then|"
                           r"ultimately|in the end|went on to)\b", re.I)

_CAUSE = re.compile(r"\b(?:because(?: of)?|due to|owing to|the (?:main |real |official |unofficial |stated )?"
                    r"reasons? (?:is|was|for)|citing|cited|blamed|attributed (?:\w+ )?to|in response to|"
                    r"prompted by|driven by|on the grounds that|(?<=ed) after)\b\s*[\"“]?(?P<clause>(?:[^.;:!?]|(?<=\b[A-Z])\.){6,160})", re.I)
_REASON_LEAD = re.compile(r"\breasons?\b(?:[^.;:]{0,60}?\b(?:is|was) that|\s*(?:is|was|:))\s*[\"“]?"
                          r"(?P<clause>(?:[^.;!?]|(?<=\b[A-Z])\.){6,160})", re.I)

_ORG_HEAD = (r"Department|Agency|Office|Council|Institute|Center|Centre|Administration|Commission|Bureau|"
             r"Service|Authority|Board|Ministry|Committee|Treasury|Congress|Senate|Court|Directorate|Division|"
             r"Corporation|Company|Association|Foundation|Union|Force|Guard|Police")
_CAP = r"(?:[A-Z][\w&'’.-]*)"
_ORG = re.compile(rf"\b(?:the )?((?:{_CAP} (?:of |for |and |on )?(?:the )?)*(?:{_ORG_HEAD})(?: (?:of|for|on) "
                  rf"(?:the )?{_CAP}(?: {_CAP})*)*)")
_ACRONYM = re.compile(r"\b([A-Z]{2,6})\b")
_ACRONYM_DEF = re.compile(r"((?:[A-Z][\w'’-]*\s(?:(?:of|for|and|on|the)\s)*){1,8})\(([A-Z]{2,6})\)")


@dataclass(frozen=True)
class Value:
    """One typed value found in a sentence: `key` compares, `label` is what a reader sees."""

    key: str
    label: str
    low: float = 0.0
    high: float = 0.0
    start: int = 0  # where in the sentence the value was read (quantities use it to find what is counted)
    end: int = 0


def _number(token: str) -> float:
    token = token.lower().replace(",", "")
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def durations(sentence: str) -> list[Value]:
    """'up to 90 days' -> [0, 90]; 'at least 90 days' -> [90, inf); 'between 14 and 90 days' -> [14, 90]."""
    found: list[Value] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DURATION_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            unit = _UNIT_DAYS[m.groups()[-1].lower().rstrip("s")]
            numbers = [_number(g) * unit for g in m.groups()[:-1] if g]
            low, high = {"range": (min(numbers), max(numbers)), "max": (0.0, numbers[0]),
                         "min": (numbers[0], INF)}.get(kind, (numbers[0], numbers[0]))
            key = f"{kind}:{_fmt(low)}-{_fmt(high)}"
            found.append(Value(key=key, label=m.group(0).strip(), low=low, high=high))
    return found


def quantities(sentence: str) -> list[Value]:
    """Numbers that are not years, dates, durations or times of day: '$21 million', '40,000 vehicles'."""
    skip = [(m.start(), m.end()) for p in (p for _, p in _DURATION_PATTERNS) for m in p.finditer(sentence)]
    skip += [(m.start(), m.end()) for p in (_DATE_MDY, _DATE_NUMERIC) for m in p.finditer(sentence)]
    found = []
    for m in re.finditer(r"(\$)?(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion|thousand|percent|%))?", sentence):
        before, after = sentence[max(0, m.start() - 1):m.start()], sentence[m.end():m.end() + 2]
        if any(s <= m.start() < e for s, e in skip) or before in (":", "-", "–") or re.match(r"[:\-–]\d", after):
            continue  # a time of day or a score such as 6-1
        raw = m.group(2).replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", raw) and not m.group(1):
            continue  # a year
        if re.search(r"\d/\s*$|/$", sentence[max(0, m.start() - 3):m.start()]) or sentence[m.end():m.end() + 1] == "/":
            continue  # part of a numeric date
        scale = {"million": 1e6, "billion": 1e9, "thousand": 1e3}.get((m.group(3) or "").lower(), 1)
        value = float(raw) * scale
        found.append(Value(key=f"{'$' if m.group(1) else ''}{_fmt(value)}", label=m.group(0).strip(), low=value,
                           high=value, start=m.start(), end=m.end()))
    return found


def dates(sentence: str, published: datetime | None) -> list[Value]:
    """Calendar dates; weekdays and 'today' are resolved against the article's own printed date."""
    found: list[Value] = []
    year = published.year if published else None
    for m in _DATE_MDY.finditer(sentence):
        month = _month_number(m.group(1))
        y = int(m.group(3)) if m.group(3) else year
        found.append(_date_value(month, int(m.group(2)), y, m.group(0)))
    for m in _DATE_NUMERIC.finditer(sentence):
        found.append(_date_value(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)))
    if published is not None and not found:
        for m in _WEEKDAY.finditer(sentence):
            back = (published.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
            day = published.date() - timedelta(days=back)
            found.append(Value(key=day.isoformat(), label=f"{m.group(1)} ({_pretty(day)}, counting back from the "
                                                          f"article's date {_pretty(published.date())})"))
        for m in _RELATIVE_DAY.finditer(sentence):
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group(1).lower()]
            day = published.date() + timedelta(days=shift)
            found.append(Value(key=day.isoformat(), label=f"{m.group(1)} ({_pretty(day)}, by the article's date)"))
    return [v for v in found if v.key]


def _date_value(month: int, day: int, year: int | None, label: str) -> Value:
    try:
        key = date(year, month, day).isoformat() if year else f"--{month:02d}-{day:02d}"
    except ValueError:
        return Value(key="", label=label)
    return Value(key=key, label=label)


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(name[:3]))


def _pretty(day: date) -> str:
    return f"{_MONTHS[day.month - 1].capitalize()} {day.day}, {day.year}"


def parse_published(text: str) -> datetime | None:
    """An article's printed date ('5/26/2026, 1:02:44 PM', '10:30 AM PDT · May 21, 2026') as a datetime."""
    if not text or not re.search(r"\d", text):
        return None
    try:
        return dateparser.parse(text.replace("·", " "), fuzzy=True, ignoretz=True)
    except (ValueError, OverflowError):
        return None


def modality(sentence: str) -> tuple[str | None, str | None]:
    """('voluntary' | 'required' | None, earlier value if the sentence says it changed from another)."""
    marks: list[tuple[int, str]] = []
    for pattern, value in ((_VOLUNTARY, "voluntary"), (_REQUIRED, "required")):
        for m in pattern.finditer(sentence):
            before = sentence[max(0, m.start() - 30):m.start()]
            negated = bool(_NEGATION.search(before.split(",")[-1]))
            if value == "required" and negated:
                value_here = "voluntary"
            elif value == "voluntary" and negated:
                value_here = "required" if m.group(1).lower().startswith("voluntar") else None
            else:
                value_here = value
            if value_here:
                marks.append((m.start(), value_here))
    if not marks:
        return None, None
    marks.sort()
    values = [v for _, v in marks]
    if len(set(values)) > 1:
        if _EVOLUTION.search(sentence):
            return values[-1], values[0]
        return None, None  # both in one breath without a change of state: not a claim either way
    return values[0], None


def statuses(sentence: str) -> set[str]:
    """Outcome words the sentence asserts as having happened (not 'would be signed', not 'not withdrawn')."""
    found = set()
    for status, pattern in _STATUS.items():
        for m in pattern.finditer(sentence):
            if _NOT_YET.search(sentence[max(0, m.start() - 40):m.start()]):
                continue
            found.add(status)
    return found


def says_later(sentence: str) -> bool:
    return bool(LATER_MARKERS.search(sentence)) or "done" in statuses(sentence)


def reason(sentence: str) -> str | None:
    """The clause a sentence gives as a cause, if it gives one."""
    m = _REASON_LEAD.search(sentence) or _CAUSE.search(sentence)
    if not m:
        return None
    clause = re.split(r',["”]|["”],|["”] (?=[a-z])', m.group("clause"))[0]  # stop where a quotation ends
    return clause.strip(" ,—–-\"“”'") or None


def acronyms(text: str) -> dict[str, str]:
    """'National Security Agency (NSA)' -> {'NSA': 'National Security Agency'} for one article's text."""
    out = {}
    for m in _ACRONYM_DEF.finditer(text):
        words, acro = m.group(1).split(), m.group(2)
        phrase: list[str] = []
        for word in reversed(words):  # walk back until the capitals spell the acronym
            phrase.insert(0, word)
            initials = "".join(w[0] for w in phrase if w[0].isupper())
            if initials == acro:
                out[acro] = " ".join(phrase)
                break
            if len(initials) > len(acro):
                break
    return out


def organisations(sentence: str, known: dict[str, str]) -> set[str]:
    """Organisations named in a sentence, acronyms expanded so 'NSA' == 'National Security Agency'."""
    names: set[str] = set()
    expanded = {v.lower(): k for k, v in known.items()}
    for m in _ORG.finditer(sentence):
        name = re.sub(r"^(?:The|A|An) ", "", m.group(1).strip())
        if len(name.split()) == 1 and name not in ("Treasury", "Congress", "Senate"):
            continue
        names.add(expanded.get(name.lower(), name))
    for m in _ACRONYM.finditer(sentence):
        if m.group(1) in known:
            names.add(m.group(1))
    return {n for n in names if n}


_TITLE_HEADS = (r"czar|adviser|advisor|director|secretary|chief|head|chair(?:man|woman)?|president|ceo|officer|"
                r"minister|master|mayor|governor|commissioner|spokes(?:wo)?man|spokesperson|manager|lobbyist|"
                r"engineer|inspector|councillor|councilor|member|leader|founder|capitalist")
_NAME = r"(?P<name>(?:[A-Z][\w’'.-]+ ){0,2}[A-Z][\w’'-]+)"
_TITLE_BEFORE = re.compile(rf"(?P<title>(?:[\w’'.-]+ ){{0,5}}?(?i:{_TITLE_HEADS})) {_NAME}")
_TITLE_AFTER = re.compile(rf"{_NAME}(?:,| \()\s*(?:the |a |an )?(?P<title>[^,;()]{{3,80}}?)(?:,| \)|\)| who\b| said\b)")
_FORMER = re.compile(r"^(?:former|ex-\w*|erstwhile|one-time|onetime)$", re.I)


def roles(sentence: str, person: str) -> list[Value]:
    """How a sentence styles a person (matched on the last word of `person`): 'former harbor master'."""
    surname = person.split()[-1].lower()
    found = []
    for pattern in (_TITLE_BEFORE, _TITLE_AFTER):
        for m in pattern.finditer(sentence):
            title = m.group("title")
            if m.group("name").split()[-1].lower() == surname and re.search(rf"\b(?:former|ex-|{_TITLE_HEADS})\b",
                                                                               title, re.I):
                found.append(_role_value(title))
    return found


def _role_value(title: str) -> Value:
    words = re.sub(r"\s+", " ", title).strip().split(" ")
    former = [i for i, w in enumerate(words) if _FORMER.match(w)]
    words = words[former[0]:] if former else words[-3:]
    return Value(key="former" if former else "current", label=" ".join(words))


def _fmt(x: float) -> str:
    return "inf" if x == INF else (str(int(x)) if float(x).is_integer() else f"{x:g}")
