"""Evidence + Disagreements -> Answer: numbered quotes, the generator's text, and citations checked to be exact.

The disagreement sentence at the top is written here, not by the generator, so that no backend can flatten a
conflict the finder saw. Every citation is checked against its article (`text[start:end] == quote`) before the
answer leaves this module.
"""

from __future__ import annotations

import re

from langchain_core.runnables import Runnable

from rag.errors import QuoteMismatchError
from rag.evidence import similarity
from rag.provenance import independent_sources
from rag.types import Answer, Article, Citation, Conflict, Disagreement, Evidence, Position

_MARKER = re.compile(r"\[(\d+)\]")
DUPLICATE = 0.88        # cosine above which two sentences of different sources say the same thing
SAME_SOURCE_REPEAT = 0.8
RELATIVE_FLOOR = 0.75   # a supporting quote scores at least this share of the best one


class AnswerComposer:
    """Choose the quotes, number them, let the generator write the body, attach verified citations."""

    def __init__(self, chain: Runnable, *, max_quotes: int = 6) -> None:
        if max_quotes <= 0:
            raise ValueError(f"max_quotes must be > 0, got {max_quotes}")
        self._chain = chain
        self._max_quotes = max_quotes

    def compose(self, question: str, evidence: list[Evidence], disagreements: list[Disagreement],
                articles: dict[str, Article]) -> Answer:
        groups = self._groups(evidence, disagreements, articles)
        numbers: dict[tuple[str, int], int] = {}
        citations: list[Citation] = []
        for group in groups:
            for item in group:
                numbers[(item.source_id, item.start)] = len(citations) + 1
                citations.append(cite(len(citations) + 1, item, articles[item.source_id]))
        conflicts = [_numbered(d, numbers) for d in disagreements]
        body = self._chain.invoke({
            "question": question,
            "conflicts": "\n".join(f"- {describe(c)}" for c in conflicts) or "- none",
            "quotes": "\n".join(_quote_line(g, numbers, articles) for g in groups),
        }).strip()
        answer_text = "\n".join([*(describe(c) for c in conflicts), "", body]).strip()
        used = {int(n) for n in _MARKER.findall(answer_text)}
        kept = tuple(c for c in citations if c.n in used)
        result = Answer(question=question, answer=answer_text, citations=kept, conflicts=tuple(conflicts))
        verify(result, articles)
        return result

    def _groups(self, evidence: list[Evidence], disagreements: list[Disagreement],
                articles: dict[str, Article]) -> list[list[Evidence]]:
        """Quote order: every side of every disagreement, then the best remaining sentences; near-duplicates
        from different sources share a line (they agree), repeats within one source are dropped."""
        ordered: list[Evidence] = [e for d in disagreements for side in d.sides for e in side.evidence]
        pinned = len(ordered)
        if evidence:
            floor = evidence[0].score * RELATIVE_FLOOR
            ordered += [e for e in evidence if e.score >= floor]
        groups: list[list[Evidence]] = []
        placed: set[tuple[str, int]] = set()
        for index, item in enumerate(ordered):
            key = (item.source_id, item.start)
            if key in placed:
                continue
            if index >= pinned and len(groups) >= self._max_quotes:
                break
            home = None
            for group in groups:
                head = group[0]
                sim = similarity(head, item)
                if head.source_id == item.source_id and sim >= SAME_SOURCE_REPEAT and index >= pinned:
                    home = "skip"
                    break
                if (index >= pinned and sim >= DUPLICATE and  # agreement needs another file, not a blurb of this one
                        articles[item.source_id].provenance not in independent_sources((g.source_id for g in group), articles)):
                    home = group
                    break
            if home == "skip":
                continue
            placed.add(key)
            if home is None:
                groups.append([item])
            else:
                home.append(item)
        return groups


def cite(n: int, item: Evidence, article: Article) -> Citation:
    return Citation(n=n, source_id=article.id, title=article.title, outlet=article.outlet,
                    published=article.published, url=article.url, quote=article.text[item.start:item.end],
                    start=item.start, end=item.end)


def verify(answer: Answer, articles: dict[str, Article]) -> None:
    """Refuse to return a quote that is not an exact slice of its source."""
    for c in answer.citations:
        article = articles.get(c.source_id)
        if article is None or article.text[c.start:c.end] != c.quote or not c.quote:
            raise QuoteMismatchError(f"citation [{c.n}] is not an exact slice of {c.source_id}[{c.start}:{c.end}]")
    numbers = {c.n for c in answer.citations}
    for conflict in answer.conflicts:
        for position in conflict.positions:
            missing = set(position.citations) - numbers
            if missing:
                raise QuoteMismatchError(f"conflict {conflict.aspect!r} cites {sorted(missing)}, which are not citations")


def label(article: Article) -> str:
    """How the answer names a source: its outlet, else its title, else its id."""
    return article.outlet or article.title or article.id


def describe(conflict: Conflict) -> str:
    """The plain sentence that opens an answer with a conflict: each side and its markers."""
    sides = "; ".join(f"{p.claim} {''.join(f'[{n}]' for n in p.citations)}" for p in conflict.positions)
    opening = {
        "contradiction": "The sources disagree on",
        "differing accounts": "The sources give differing accounts of",
        "later development": "The sources describe a later development in",
    }[conflict.kind]
    note = f" ({conflict.note})" if conflict.note else ""
    return f"{opening} {conflict.aspect}: {sides}.{note}"


def _numbered(d: Disagreement, numbers: dict[tuple[str, int], int]) -> Conflict:
    positions = tuple(
        Position(claim=side.claim, citations=tuple(sorted({numbers[(e.source_id, e.start)] for e in side.evidence})))
        for side in d.sides)
    return Conflict(aspect=d.aspect, kind=d.kind, positions=positions, note=d.note)


def _quote_line(group: list[Evidence], numbers: dict[tuple[str, int], int], articles: dict[str, Article]) -> str:
    markers = "".join(f"[{numbers[(e.source_id, e.start)]}]" for e in group)
    names = list(dict.fromkeys(label(articles[e.source_id]) for e in group))
    who = names[0] if len(names) == 1 else " and ".join([", ".join(names[:-1]), names[-1]]) + " agree"
    return f'{markers} {who}: "{group[0].text}"'

