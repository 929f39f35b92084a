"""ConflictFinder's Disagreements -> a Finding, until the question analysis (`analyse`) replaces this adapter.

Each side's value is located in each of its sentences as an exact slice (the side's own wording, else a typed
value of the asked kind); an undisputed question gets one position from the best sentence holding such a value.
"""

from __future__ import annotations

from rag import claims
from rag.conflicts import YES_NO, ConflictFinder, focus
from rag.types import AnswerType, Article, Disagreement, Evidence, Finding, QuestionAnalysis, Side, Value

_TYPES: dict[str, AnswerType] = {"duration": "duration", "quantity": "number", "date": "date", "reason": "reason",
                                 "organisation": "organisation", "role": "description", "modality": "yes/no",
                                 "status": "description"}
TOP = 3  # an undisputed answer is read from the best few sentences only


def analyse(finder: ConflictFinder, question: str, query: str, evidence: list[Evidence],
            articles: dict[str, Article]) -> Finding:
    aspects = focus(question)
    kind = _TYPES.get(aspects[0], "description") if aspects else ("yes/no" if YES_NO.match(question) else "description")
    analysis = QuestionAnalysis(text=question, answer_type=kind)
    found = finder.find(query, evidence, articles)
    aspect = aspects[0] if aspects else ""
    if found:
        positions = tuple(sorted(_positions(found, aspect, articles), key=lambda side: _first_date(side, articles)))
        return Finding(question=analysis, positions=positions, disagreements=tuple(found))
    single = _undisputed(aspect, evidence, articles)
    return Finding(question=analysis, positions=(single,) if single else (), disagreements=())


def _positions(found: list[Disagreement], aspect: str, articles: dict[str, Article]) -> tuple[Side, ...]:
    """Every side once; a merged 'earlier reports' side is left out when its sentences are sides of their own."""
    sides: list[Side] = []
    for d in found:
        for side in d.sides:
            if any(set(side.evidence) <= set(s.evidence) for s in sides):
                continue
            covered = {e for s in (*sides, *(x for dd in found for x in dd.sides if x is not side)) for e in s.evidence
                       if s.claim != side.claim}
            if side.claim.startswith("earlier reports: ") and set(side.evidence) <= covered:
                continue
            sides.append(Side(claim=side.claim, evidence=side.evidence,
                              values=tuple(v for e in side.evidence
                                           if (v := _locate(side.claim, e, aspect, articles)) is not None)))
    return tuple(sides)


def _locate(claim: str, e: Evidence, aspect: str, articles: dict[str, Article]) -> Value | None:
    """The side's value as it is written in one sentence: an exact slice of the article."""
    wordings = [w.strip() for part in claim.removeprefix("earlier reports: ").split("; ") for w in part.split(" / ")]
    for wording in wordings:
        at = e.text.lower().find(wording.lower()) if wording else -1
        if at >= 0:
            return _value(e, at, at + len(wording), wording.lower())
    typed = _typed(aspect, e, articles)
    return typed[0] if typed else None


def _typed(aspect: str, e: Evidence, articles: dict[str, Article]) -> list[Value]:
    if aspect == "duration":
        found = claims.durations(e.text)
    elif aspect == "quantity":
        found = claims.quantities(e.text)
    elif aspect == "date":
        found = claims.dates(e.text, claims.parse_published(articles[e.source_id].published))
    elif aspect in ("modality", "status"):
        value, _ = claims.modality(e.text) if aspect == "modality" else (None, None)
        patterns = {"voluntary": claims._VOLUNTARY, "required": claims._REQUIRED} if aspect == "modality" else claims._STATUS
        return [_value(e, m.start(), m.end(), key) for key, p in patterns.items() if value in (None, key)
                for m in p.finditer(e.text)][:1]
    else:
        return []
    out = []
    for v in found:
        written = v.label.split(" (")[0]  # a resolved weekday's label explains itself after the word
        at = e.text.find(written)
        if at >= 0:
            out.append(_value(e, at, at + len(written), v.key))
    return out


def _value(e: Evidence, start: int, end: int, key: str) -> Value:
    return Value(source_id=e.source_id, start=e.start + start, end=e.start + end, text=e.text[start:end], key=key)


def _undisputed(aspect: str, evidence: list[Evidence], articles: dict[str, Article]) -> Side | None:
    """The best sentence's typed value, and every other source among the best that states the same value."""
    best = [e for e in evidence[:TOP]]
    for e in best:
        values = _typed(aspect, e, articles)
        if values:
            key = values[0].key
            same = [(x, v) for x in best for v in _typed(aspect, x, articles)[:1] if v.key == key]
            chosen: dict[str, tuple[Evidence, Value]] = {}
            for x, v in same:
                chosen.setdefault(x.source_id, (x, v))
            return Side(claim=values[0].text, evidence=tuple(x for x, _ in chosen.values()),
                        values=tuple(v for _, v in chosen.values()))
    return None


def _first_date(side: Side, articles: dict[str, Article]) -> float:
    """Dates decide the order: the side's earliest printed date; undated sides after the dated ones."""
    dates = [d.timestamp() for e in side.evidence if (d := claims.parse_published(articles[e.source_id].published))]
    return min(dates) if dates else float("inf")
