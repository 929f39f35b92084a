"""The words a disagreement carries: what the aspect is called, and the dates that make one side later."""

from __future__ import annotations

from datetime import datetime

from rag.types import Article, Side
from rag.values.dates import parse_published
from rag.values.status import enacted

LABELS = {
    "duration": "the length of time", "number": "the number", "money": "the cost", "date": "the date",
    "modality": "whether it is voluntary or required", "status": "the outcome",
    "organisation": "which organisation is responsible", "reason": "the reason", "role": "how {person} is described",
    "person": "who it was", "place": "where it was", "category": "what it is", "schedule": "when it applies",
}
STATUS_WORDS = {"delayed": "postponed or delayed", "cancelled": "cancelled or withdrawn", "done": "signed or approved"}


def name(article: Article) -> str:
    return article.outlet or article.title or article.id


def published(article: Article) -> datetime | None:
    return parse_published(article.published)


def order_key(article: Article) -> tuple:
    """Dated sources by date, earliest first; undated ones after them."""
    when = published(article)
    return (when is None, when or datetime.min, article.id)


def later_sides(sides: list[Side], articles: dict[str, Article]) -> set[int]:
    """The one side whose own words state an enacted or changed state ('signed', 'took effect', 'former') that no
    other side states, unless its printed dates are earlier than another side's. Dates order the sources; a
    later date alone, or the word 'later', does not make a development."""
    stated = [any(enacted(e.text) for e in s.evidence) or any(v.key == "role:former" for v in s.values)
              for s in sides]
    if sum(stated) != 1 or len(sides) < 2:
        return set()
    i = stated.index(True)
    mine = [d for e in sides[i].evidence if (d := published(articles[e.source_id]))]
    others = [d for j, s in enumerate(sides) if j != i for e in s.evidence if (d := published(articles[e.source_id]))]
    if mine and others and min(mine) < max(others):
        return set()  # it says 'signed', but a report printed after it still says otherwise
    return {i}


def timeline(sides: list[Side], later: set[int], articles: dict[str, Article]) -> str:
    """'Wired (undated) reports a later state of affairs; the earlier reports are dated May 16 to May 26, 2026'."""
    def sources(group: list[Side]) -> list[Article]:
        return list({e.source_id: articles[e.source_id] for s in group for e in s.evidence}.values())

    late = sources([sides[i] for i in sorted(later)])
    early = sources([s for i, s in enumerate(sides) if i not in later])
    named = ", ".join(f"{name(a)} ({a.published or 'undated'})" for a in late)
    dates = sorted(d for d in (published(a) for a in early) if d)
    span = (f"dated {dates[0]:%b %d, %Y} to {dates[-1]:%b %d, %Y}" if len(dates) > 1 else
            f"dated {dates[0]:%b %d, %Y}" if dates else "undated")
    if dates and len(dates) < len(early):
        span += " where they show a date"
    return f"{named} report{'s' if len(late) == 1 else ''} a later state of affairs; the earlier reports are {span}"


def self_note(sides: list[Side], articles: dict[str, Article]) -> str:
    """Name a source that holds more than one side: it contradicts itself."""
    counts: dict[str, int] = {}
    for s in sides:
        for source_id in {e.source_id for e in s.evidence}:
            counts[source_id] = counts.get(source_id, 0) + 1
    both = sorted(name(articles[s]) for s, n in counts.items() if n > 1)
    return f"{' and '.join(both)} states more than one of these" if both else ""
