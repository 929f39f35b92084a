"""Evidence + Finding -> Answer: the lead sentence first, then each source's quote in its own words, verified.

The lead is written here from the Finding's positions (rag.lead templates), not by the generator, so no backend
can flatten a disagreement. The generator only lays out the supporting quote lines; whatever it writes is
parsed and checked by rag.verify, and a text that fails is replaced by the plain quote lines.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from rag.imports import langsmith_types_deferred, spacy_hidden_cli

with langsmith_types_deferred():  # LangChain's tracers import langsmith, which would load 160 API models first
    from langchain_core.runnables import Runnable

from rag import lead as leads
from rag.claims import parse_published
from rag.entities import meaning
from rag.errors import QuoteMismatchError
from rag.evidence import similarity
from rag.labels import label
from rag.positions import fullness
from rag.values.modality import phrase
from rag.types import (Answer, Article, Citation, Conflict, Disagreement, Evidence, Finding, LeadValue, Position,
                       Side, Value)
with spacy_hidden_cli():  # spaCy's package import pulls thinc (which imports torch when it can) and its CLI
    from spacy.lang.en.stop_words import STOP_WORDS
from rag.verify import quote_line, verify

log = logging.getLogger(__name__)
SAME_SOURCE_REPEAT = 0.8  # cosine above which a second sentence of one source says the same thing again
RELATIVE_FLOOR = 0.75     # a supporting quote scores at least this share of the best one
SUPPORTING = 2            # supporting quotes beside the quotes that hold the positions
MIN_WORDS = 8             # shorter sentences are fragments ("The ceremony was scheduled.")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_TRAILING = re.compile(r"[\s.,;:!?]+$")


class AnswerComposer:
    """Choose the quotes, number them, write the lead, let the generator lay out the quotes, verify it all."""

    def __init__(self, chain: Runnable, *, max_quotes: int = 6) -> None:
        if max_quotes <= 0:
            raise ValueError(f"max_quotes must be > 0, got {max_quotes}")
        self._chain = chain
        self._max_quotes = max_quotes

    def compose(self, question: str, evidence: list[Evidence], finding: Finding,
                articles: dict[str, Article]) -> Answer:
        if not finding.answerable:
            return abstain(question)
        shown = self._quotes(evidence, finding, articles)
        if not shown:
            return abstain(question)
        numbers = {(e.source_id, e.start): n for n, e in enumerate(shown, 1)}
        citations = tuple(cite(n, e, articles[e.source_id]) for n, e in enumerate(shown, 1))
        lead = self._lead(finding, shown, numbers, citations, articles)
        lines = [quote_line(c) for c in citations]
        conflicts = tuple(_numbered(d, numbers) for d in finding.disagreements)
        body = self._chain.invoke({"question": question, "lead": lead.text, "quotes": "\n".join(lines)}).strip()
        answer = Answer(question=question, answer=f"{lead.text}\n\n{body}", citations=citations,
                        conflicts=conflicts, lead=lead)
        try:
            verify(answer, articles)
        except QuoteMismatchError as exc:
            log.warning("generator text refused (%s); answering with the plain quote lines", exc)
            answer = Answer(question=question, answer=lead.text + "\n\n" + "\n".join(lines), citations=citations,
                            conflicts=conflicts, lead=lead)
        verify(answer, articles)
        return answer

    # which quotes ----------------------------------------------------------------------------------------------

    def _quotes(self, evidence: list[Evidence], finding: Finding, articles: dict[str, Article]) -> list[Evidence]:
        """Every position's sentences (one per source), then a few of the best other sentences that are whole,
        relevant sentences and not repeats of a sentence already shown from the same source."""
        pinned: list[Evidence] = []
        for side in (*finding.positions, *(s for d in finding.disagreements for s in d.sides)):
            for e in _holding(side, articles):
                if all((p.source_id, p.start) != (e.source_id, e.start) for p in pinned):
                    pinned.append(e)
        room = 0 if finding.positions else SUPPORTING if pinned else self._max_quotes
        floor = evidence[0].score * RELATIVE_FLOOR if evidence else 0.0
        extra = self._supporting(evidence, pinned, room, floor, articles)
        if not pinned and not extra:  # nothing whole near the top: the best whole sentence, else the best one
            extra = self._supporting(evidence, [], 1, 0.0, articles) or evidence[:1]
        return pinned + extra

    def _supporting(self, evidence: list[Evidence], pinned: list[Evidence], room: int, floor: float,
                    articles: dict[str, Article]) -> list[Evidence]:
        extra: list[Evidence] = []
        for e in evidence:
            if len(pinned) + len(extra) >= max(self._max_quotes, len(pinned)) or len(extra) >= room:
                break
            if e.score < floor or not quotable(e, articles[e.source_id]):
                continue
            if any(p.source_id == e.source_id and (p.start == e.start or similarity(p, e) >= SAME_SOURCE_REPEAT)
                   for p in (*pinned, *extra)):
                continue
            extra.append(e)
        return extra

    # the lead --------------------------------------------------------------------------------------------------

    def _lead(self, finding: Finding, shown: list[Evidence], numbers: dict[tuple[str, int], int],
              citations: tuple[Citation, ...], articles: dict[str, Article]):
        by_n = {c.n: c for c in citations}
        later = _later_positions(finding)
        clauses: list[leads.Clause] = []
        order = sorted(range(len(finding.positions)), key=lambda i: i in later)  # later developments last
        for i in order:
            side = finding.positions[i]
            held = [(v, e) for v, e in _value_sentences(side, articles) if (e.source_id, e.start) in numbers]
            if not held:
                continue
            value, sentence = held[0]
            markers = tuple(dict.fromkeys(numbers[(e.source_id, e.start)] for _, e in held))
            n = markers[0]
            article = articles[sentence.source_id]
            start, end, quoted = value.start, value.end, False
            if value.key.startswith("modality:"):  # 'would require government evaluation', not 'require'
                start, end = (sentence.start + x for x in phrase(sentence.text, start - sentence.start,
                                                                  end - sentence.start))
                quoted = (start, end) != (value.start, value.end)
            clauses.append(leads.Clause(
                value=LeadValue(text=article.text[start:end], n=n, start=start, end=end), markers=markers,
                label=by_n[n].label, later=i in later, undated=parse_published(article.published) is None,
                answer=value.key if value.key in ("yes", "no") else "", quoted=quoted, reading=value.text))
        if finding.question.answer_type == "yes/no":
            clauses = _yes_or_no(finding.question.text, clauses, finding.positions)
        if not clauses:  # nothing typed to state: the best quote, as its source words it
            first = citations[0]
            text = _TRAILING.sub("", first.quote)
            start = first.start + first.quote.index(text)
            value = LeadValue(text=text, n=first.n, start=start, end=start + len(text))
            return leads.render("sole", [leads.Clause(value=value, markers=(first.n,), label=first.label, quoted=True)])
        return leads.render(_mode(finding, clauses, {by_n[n].source_id for c in clauses for n in c.markers}), clauses)


def abstain(question: str) -> Answer:
    return Answer(question=question, answer=leads.ABSTAIN, abstained=True, lead=leads.abstention())


def cite(n: int, item: Evidence, article: Article) -> Citation:
    return Citation(n=n, source_id=article.id, title=article.title, outlet=article.outlet,
                    published=article.published, url=article.url, quote=article.text[item.start:item.end],
                    start=item.start, end=item.end, label=label(article))


def quotable(e: Evidence, article: Article) -> bool:
    """A whole sentence worth reading: not a headline or heading, not a fragment."""
    text = e.text.strip()
    return (len(text.split()) >= MIN_WORDS and bool(_SENTENCE_END.search(text))
            and text != article.title.strip() and "\n" not in text)


def _mode(finding: Finding, clauses: list[leads.Clause], sources: set[str]) -> str:
    """The opener. `sources`: the sources of the clauses; one, for a disagreement shown, is an article that
    contradicts itself."""
    if _ambiguous(finding):
        return "ambiguous"
    if len(clauses) >= 2 and finding.disagreements:
        if finding.question.answer_type == "reason":
            return "accounts"
        return "itself" if len(sources) == 1 else "disagree"
    if clauses[0].answer and len(clauses) == 1:
        return clauses[0].answer
    return "sole"


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP_WORDS}


def _yes_or_no(question: str, clauses: list[leads.Clause], positions: tuple[Side, ...]) -> list[leads.Clause]:
    """A yes/no question names the value it asks about ('free', 'approved', 'voluntary'): the positions whose
    value or key shares a word with it say yes, the others no. When all or none do, or the question offers
    alternatives, the lead says neither."""
    if re.search(r"\bor\b", question, re.I):
        return clauses  # 'X or Y?' asks which, not whether
    asked = _stems(question)
    keys = {v.text: v.key for side in positions for v in side.values}
    if any(k.startswith("role:") for k in keys.values()):
        return clauses  # 'is X still the czar?': 'former czar' shares the word and means no; a title is shown as said
    says = [bool(asked & _stems(_meant(c.reading or c.value.text, keys.get(c.reading or c.value.text, ""))))
            for c in clauses]
    if any(c.answer for c in clauses) or (len(clauses) > 1 and all(says)) or not any(says):
        return clauses
    return [replace(c, answer="yes" if yes else "no") for c, yes in zip(clauses, says)]


def _meant(words: str, key: str) -> str:
    """What a value says, for telling yes from no: an obligation by what it means ('not required' is voluntary),
    anything else by its words and its key."""
    return key.split(":", 1)[1] if key.startswith("modality:") else words + " " + key.replace(":", " ")


def _ambiguous(finding: Finding) -> bool:
    """Positions about different things that share a name, as the analysis marks them."""
    return finding.ambiguous or len({meaning(p.entity) for p in finding.positions if p.entity}) >= 2


def _value_sentences(side: Side, articles: dict[str, Article]) -> list[tuple[Value, Evidence]]:
    """Each source's first value with the sentence that holds it, the earliest-listed source first; a value in
    a whole sentence of the body before one in the headline (a headline's 'approves' summarises the report's
    'approved ... in a 6-1 vote'), and the fullest date a source gives before a year ('June 30, 2009', not the
    '2009' of a '(2009 album)' title)."""
    found: dict[str, list[tuple[Value, Evidence]]] = {}
    for v in side.values:
        e = next((e for e in side.evidence if e.source_id == v.source_id and e.start <= v.start and v.end <= e.end),
                 None)
        if e is not None:
            found.setdefault(v.source_id, []).append((v, e))
    return [min(held, key=lambda ve: (_headline(ve[1], articles), -fullness(ve[0]))) for held in found.values()]


def _headline(e: Evidence, articles: dict[str, Article]) -> bool:
    article = articles.get(e.source_id)
    return article is not None and e.text.strip() == article.title.strip()


def _holding(side: Side, articles: dict[str, Article]) -> list[Evidence]:
    """The sentences to quote for a side: those holding its values, else its evidence (one per source)."""
    held = [e for _, e in _value_sentences(side, articles)]
    for e in side.evidence:
        if all(h.source_id != e.source_id for h in held):
            held.append(e)
    return held


def _later_positions(finding: Finding) -> set[int]:
    """Positions that a 'later development' disagreement names as the later state (its last side)."""
    later: set[int] = set()
    for d in finding.disagreements:
        if d.kind != "later development":
            continue
        # a sentence that states the change itself is on both sides: it holds the later state
        before = {e for side in d.sides[:-1] for e in side.evidence} - set(d.sides[-1].evidence)
        for i, p in enumerate(finding.positions):
            if set(p.evidence) & set(d.sides[-1].evidence) and not set(p.evidence) & before:
                later.add(i)
    return later


def _numbered(d: Disagreement, numbers: dict[tuple[str, int], int]) -> Conflict:
    positions = tuple(
        Position(claim=side.claim, citations=tuple(sorted({numbers[(e.source_id, e.start)] for e in side.evidence
                                                           if (e.source_id, e.start) in numbers})))
        for side in d.sides)
    return Conflict(aspect=d.aspect, kind=d.kind, positions=positions, note=d.note)
