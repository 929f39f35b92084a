"""Claims -> positions: equal values (in any wording) are one position, different values never are.

Numeric keys group by their exact interval and bound; a bare '90-day' takes no side when a bound on 90
exists; 'May 21' joins 'May 21, 2026' when no other year claims that day. Reasons are free text, so they
are clustered: two accounts are one when their embeddings are close or they are fairly close and share
content words (see SAME_ACCOUNT, SAME_ACCOUNT_WITH_WORDS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from rag.attachment import spanned
from rag.relevance import stems
from rag.types import Evidence, Key, Side, Value
from rag.values import Reading
from rag.values.dates import WEEKDAYS
from rag.values.status import enacted

# all-MiniLM-L6-v2 cosine of two clauses: paraphrases of one account measured 0.45-0.7 on the seed and harbor
# reasons, different accounts of one event 0.1-0.4. 0.5 alone splits "didn't like certain aspects of it" from
# "dissatisfaction with the order's language" (0.41); sharing a content word lowers the bar to 0.38.
PER_SOURCE = 2  # sentences kept per source on one side: a headline's verb and the body's may differ
SAME_ACCOUNT = 0.5
SAME_ACCOUNT_WITH_WORDS = 0.38
WORD_OVERLAP = 0.15  # Jaccard share of content stems that counts as sharing words
_CURRENT_ROLE = Key("role", text="current")
ENACTABLE = {"duration", "number", "money", "date", "modality"}  # terms a signed text can set anew (not names)


@dataclass(frozen=True)
class Claim:
    """One value a sentence states on the asked point."""

    key: Key
    value: Value
    evidence: Evidence
    label: str = ""  # a reader's wording when the slice alone is not it
    changed: bool = False  # the state its sentence says this became ('later watered down to voluntary')


def claim(key: Key, reading: Reading, evidence: Evidence) -> Claim:
    value = Value(source_id=evidence.source_id, start=evidence.start + reading.start,
                  end=evidence.start + reading.end, text=evidence.text[reading.start:reading.end], key=str(key))
    return Claim(key=key, value=value, evidence=evidence, label=reading.label)


def group(claims: list[Claim]) -> list[list[Claim]]:
    """Claims with equal keys, in order of first appearance. When the sources state different values, a
    sentence that states an enacted state ('signed ... requiring') is not grouped with one that does not ('a
    proposed requirement'), nor one that states a change ('originally compelled, later voluntary') with one that
    states only where it ended: the same value before and after a change are two states of affairs."""
    split = len({c.key for c in claims}) > 1
    groups: dict[tuple[Key, bool, str], list[Claim]] = {}
    for c in claims:
        done = split and c.key.kind in ENACTABLE and enacted(c.evidence.text)
        # a current title is the source's own description ('AI adviser', 'the venture capitalist'): different
        # titles are different positions, though neither contradicts the other
        title = " ".join(c.value.text.lower().split()) if c.key == _CURRENT_ROLE else ""
        groups.setdefault((c.key, done or c.changed, title), []).append(c)
    return list(groups.values())


def drop_compatible(claims: list[Claim]) -> list[Claim]:
    """A bare '90-day' agrees with both 'up to 90' and 'at least 90': it takes no side when a bound exists."""
    ends = {x for c in claims if c.key.kind == "duration" and c.key.bound != "exact" for x in (c.key.low, c.key.high)}
    return [c for c in claims if not (c.key.bound == "exact" and c.key.low in ends and not enacted(c.evidence.text))]


def _day(c: Claim) -> date | None:
    if c.key.kind != "date" or len(c.key.text) != 10:
        return None
    try:
        return date.fromisoformat(c.key.text)
    except ValueError:
        return None


def merge_weekdays(claims: list[Claim]) -> list[Claim]:
    """A weekday alone ('on Thursday') is a partial date: the calendar day it was resolved to is a guess from the
    page's printed date, so it is the one claimed calendar date falling on that weekday, when only one does."""
    calendar: dict[int, set[str]] = {}
    for c in claims:
        day = _day(c)
        if day is not None and c.value.text.lower() not in WEEKDAYS:
            calendar.setdefault(day.weekday(), set()).add(c.key.text)
    fuller = {t[4:] for days in calendar.values() for t in days}  # '-05-21' of '2026-05-21'
    partial = {c.key.text for c in claims if c.key.kind == "date" and c.key.text.startswith("--")
               and c.key.text[1:] not in fuller}
    out = []
    for c in claims:
        named = c.value.text.lower()
        day = _day(c)
        if c.key.kind != "date" or named not in WEEKDAYS or day is None:
            out.append(c)
            continue
        # 'May 21' with no year falls on a Thursday in the year the weekday was read in
        fits = calendar.get(day.weekday(), set()) | {p for p in partial if _weekday_in(p, day.year) == day.weekday()}
        out.append(replace(c, key=replace(c.key, text=next(iter(fits)))) if len(fits) == 1 else c)
    return out


def _weekday_in(partial: str, year: int) -> int | None:
    try:
        return date(year, int(partial[2:4]), int(partial[5:7])).weekday()
    except ValueError:
        return None


def drop_spanned(claims: list[Claim]) -> list[Claim]:
    """Two dates one sentence joins as a span ('between Monday evening and Tuesday noon', 'from May 3 to
    May 9') are one statement, not two rival dates: when another sentence's date lies within the span, the span
    agrees with it and takes no side (as a bare '90-day' takes none beside 'up to 90')."""
    spans = []
    for a, b in zip(claims, claims[1:]):
        if a.evidence != b.evidence or a.key.kind != "date" or b.key.kind != "date":
            continue
        at = a.evidence.start
        if spanned(a.evidence.text, a.value.start - at, a.value.end - at, b.value.start - at):
            spans.append((a, b))
    drop = set()
    for a, b in spans:
        low, high = sorted((a.key.text, b.key.text))
        ends = {a.key, b.key}
        full = _day(a) is not None and _day(b) is not None
        if any(c.evidence != a.evidence and (c.key in ends or (full and _day(c) is not None and
                                                               low <= c.key.text <= high)) for c in claims):
            drop |= {id(a), id(b)}
    return [c for c in claims if id(c) not in drop]


def merge_years(claims: list[Claim]) -> list[Claim]:
    """A partial date is the fuller one it fits when only one claimed date fits it: 'May 21' is 'May 21, 2026'
    when no other year claims that day, and '1848' is '9 July 1848' when no other date of 1848 is claimed."""
    full: dict[str, set[str]] = {}
    within: dict[str, set[str]] = {}
    for c in claims:
        if c.key.kind == "date" and len(c.key.text) == 10:
            full.setdefault(c.key.text[4:], set()).add(c.key.text)
        if c.key.kind == "date" and len(c.key.text) in (7, 10) and not c.key.text.startswith("--"):
            within.setdefault(c.key.text[:4], set()).add(c.key.text)
    out = []
    for c in claims:
        if c.key.kind != "date":
            out.append(c)
            continue
        text = c.key.text
        fits = (full.get(text[1:], set()) if text.startswith("--") else
                within.get(text, set()) if len(text) == 4 else set())
        out.append(replace(c, key=replace(c.key, text=next(iter(fits)))) if len(fits) == 1 else c)
    return out


def cluster_reasons(claims: list[Claim], embed: Callable[[list[str]], np.ndarray]) -> list[Claim]:
    """Re-key reason claims by account: paraphrases of one account share a key (single-link clustering)."""
    if not claims:
        return []
    texts = [c.value.text for c in claims]
    vectors = embed(texts)
    words = [stems(t) for t in texts]
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            cos = float(vectors[i] @ vectors[j])
            union = words[i] | words[j]
            shared = len(words[i] & words[j]) / len(union) if union else 0.0
            if cos >= SAME_ACCOUNT or (cos >= SAME_ACCOUNT_WITH_WORDS and shared >= WORD_OVERLAP):
                parent[find(i)] = find(j)
    roots = {find(i) for i in range(len(claims))}
    first = {r: min(i for i in range(len(claims)) if find(i) == r) for r in roots}
    return [replace(c, key=Key("reason", text=claims[first[find(i)]].key.text)) for i, c in enumerate(claims)]


def side(claims: list[Claim], order: Callable[[Evidence], tuple]) -> Side:
    """One position: one value and one sentence per source (best sentence first), worded as its earliest source
    words it."""
    # the fullest date a source gives stands for its position ('September 1888', not the '1888' of a '(born
    # 1888)' before it; 'founded on 16 July 1989', not a summary's 'founded in 1989'): the values were keyed by
    # what they said before merging
    ranked = sorted(claims, key=lambda c: (-fullness(c.value), -c.evidence.score))
    chosen: list[Evidence] = []
    values: list[Value] = []
    for c in ranked:
        if sum(e.source_id == c.evidence.source_id for e in chosen) < PER_SOURCE and c.evidence not in chosen:
            chosen.append(c.evidence)
            values.append(c.value)
    # a date is worded as fully as any of its sentences gives it: 'released on June 30, 2009', not the '2009' of
    # a '(2009 album)' title before it
    earliest = min(ranked, key=lambda c: (-fullness(c.value), order(c.evidence)))
    return Side(claim=earliest.label or earliest.value.text, evidence=tuple(chosen), values=tuple(values))


def fullness(value: Value) -> int:
    """How much of a date a value states ('2009' < '2009-06' < '2009-06-30'); 0 for any other kind."""
    return len(value.key) if value.key.startswith("date:") else 0


def holders(sides: list[Side]) -> list[set[str]]:
    return [{e.source_id for e in s.evidence} for s in sides]


def disjoint(sides: list[Side]) -> bool:
    """Some two sources hold no position in common (else every source shares one with every other)."""
    per_source: dict[str, set[int]] = {}
    for i, sources in enumerate(holders(sides)):
        for s in sources:
            per_source.setdefault(s, set()).add(i)
    held = list(per_source.values())
    return any(not (a & b) for i, a in enumerate(held) for b in held[i + 1:])
