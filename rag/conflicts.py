"""Question + evidence -> Finding: every position the sources take on the asked point, and where they disagree.

1. `rag.question` reads what the question asks (answer type, subject, predicate) from its parse alone.
2. `rag.relevance` picks the sentences to read and keeps only values about the asked point.
3. `rag.claims` reads the values of the asked kind, each an exact slice of its source.
4. `rag.positions` groups equal values (one position however worded), clusters accounts of a reason.
5. `rag.timeline` orders sources by printed date; a side is a later development only when its dates are
   after every other side's, or its own words state an enacted state.
Nothing here names a topic; every rule is about English and the shapes of values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import numpy as np

from rag import attachment, claims, entities, positions, timeline
from rag.positions import Claim
from rag.question import analyse_question
from rag.relevance import CorpusTerms, Relevance, stem
from rag.types import Article, Disagreement, Evidence, Finding, QuestionAnalysis, Side, Value
from rag.values import Context, Reading
from rag.values.kinds import ACRONYM
from rag.values.people import makers
from rag.words import LIGHT_VERBS

EXPANSION = {
    "duration": "how many days weeks months: up to, at least, between",
    "modality": "voluntary optional not required mandatory compelled requirement",
    "money": "free of charge fare fee cost price dollars",
    "status": "postponed delayed paused cancelled scrapped killed abandoned dropped withdrawn signed approved",
    "organisation": "department agency office will run lead determine",
    "reason": "because the reason was due to citing",
    "schedule": "around the clock 24 hours a day weekends only weekdays overnight",
}
# a list of names (or of what a thing is) is not a contradiction
KIND = {"organisation": "differing accounts", "reason": "differing accounts", "role": "contradiction",
        "person": "differing accounts", "place": "differing accounts", "category": "differing accounts"}
TYPED = {"duration", "money", "number", "date"}  # quantities and dates: with none about the point, abstain
MAX_SIDES = 5
MAX_DISAGREEMENTS = 3


def expansions(question: str) -> list[str]:
    """Extra retrieval queries that look for every side of what is asked (both poles of a yes/no, etc.)."""
    analysis = analyse_question(question)
    extra = [f"{question} {EXPANSION[analysis.aspect]}"] if analysis.aspect in EXPANSION else []
    if analysis.aspect == "role":
        extra.append(" ".join(entities.people(analysis)))  # every passage naming the person, however styled
    return extra


class ConflictFinder:
    """Compare typed values across sources on the point the question asks about."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None = None, *, floor: float = 0.2,
                 margin: float = 0.45) -> None:
        self._embed = embed
        self._floor = floor
        self._margin = margin

    def find(self, question: str, evidence: list[Evidence], articles: dict[str, Article]) -> list[Disagreement]:
        """The disagreements alone (the Finding's second half)."""
        return list(self.analyse(question, question, evidence, articles).disagreements)

    def analyse(self, question: str, query: str, evidence: list[Evidence],
                articles: dict[str, Article], terms: CorpusTerms | None = None) -> Finding:
        """Read the question, then the evidence: the positions on what is asked and the disputes among them.
        `terms`: CorpusTerms.of(articles), when the caller keeps it. 'Who' may be answered by an organisation
        ('who is in charge of inspecting it?': a department): when no person is found and the question names
        what is done (a verb that is not a light one, which an organisation's sentence must then use),
        organisations are read."""
        asked = analyse_question(question)
        finding = self._analyse(asked, evidence, articles, terms)
        if asked.aspect == "person" and not finding.positions and evidence and asked.predicate \
                and asked.predicate not in LIGHT_VERBS:
            other = self._analyse(replace(asked, aspect="organisation"), evidence, articles, terms)
            if other.positions:
                return other
        return finding

    def _analyse(self, asked: QuestionAnalysis, evidence: list[Evidence], articles: dict[str, Article],
                 terms: CorpusTerms | None) -> Finding:
        kind = asked.aspect
        if not evidence:
            return Finding(question=asked, positions=(), disagreements=(), answerable=kind not in TYPED)
        meant = entities.meanings(asked, evidence, articles)
        copied = entities.copies(meant, articles) if entities.ambiguous(meant) else []
        ambiguous = entities.ambiguous(meant, copied)
        each_source = ambiguous or entities.reference_style(asked, evidence, articles)
        per_sentence, dated = self._claims(asked, evidence, articles, terms, each_source=each_source)
        changes = [(cs, _evolution(cs, articles)) for cs in per_sentence]  # a sentence stating a change of modality
        evolutions = [d for _, d in changes if d]
        found = [c for cs, d in changes for c in (_changed(cs) if d else cs)]
        if kind == "reason" and self._embed is not None:
            found = positions.cluster_reasons(found, self._embed)
        found = positions.merge_weekdays(positions.drop_compatible(found))
        found = positions.merge_years(positions.drop_spanned(found))
        if kind == "role":
            found = _most_described(found)
        order = lambda e: timeline.order_key(articles[e.source_id])  # noqa: E731
        sides = [positions.side(g, order) for g in positions.group(found)]
        if KIND.get(kind) == "differing accounts":  # a list of names: the most-held and best-matching few
            sides = sorted(sides, key=lambda s: (-len({e.source_id for e in s.evidence}),
                                                 -max(e.score for e in s.evidence)))[:MAX_SIDES]
        sides.sort(key=lambda s: min(order(e) for e in s.evidence))
        disagreements = _dedupe(self._compare(asked, sides, articles) + evolutions)[:MAX_DISAGREEMENTS]
        if copied and not ambiguous:
            # one thing, its page printed twice with the name swapped: the two contradict each other, by the values
            # they state or, when those agree ('released on June 24, 1997' in both), by the names they print
            named = [replace(s, entity="") for s in _entity_positions(evidence, meant)]
            disagreements = _with_copies(disagreements, _copied(kind, sides, copied) or _copied(kind, named, copied))
            if not sides:
                sides = named
        if ambiguous:  # one name, several things: say so, each position with what it is about
            sides = [replace(s, entity=_entity(s, meant)) for s in sides]
            told = {entities.meaning(s.entity) for s in sides}  # a meaning no typed value speaks of: shown by its name
            sides += [p for p in _entity_positions(evidence, meant) if entities.meaning(p.entity) not in told]
            if any(not s.entity for s in sides) and not disagreements:
                # a value from a source that names none of the meanings is a claim against the others, not one
                # more meaning: it is shown as disputed
                disagreements = self._compare(asked, sides, articles)[:MAX_DISAGREEMENTS]
            disagreements = _with_copies(disagreements, _copied(kind, sides, copied))
            return Finding(question=asked, positions=tuple(sides), disagreements=tuple(disagreements),
                           answerable=True, ambiguous=True)
        return Finding(question=asked, positions=tuple(sides), disagreements=tuple(disagreements),
                       answerable=bool(sides) or kind not in TYPED or dated)

    def _claims(self, asked: QuestionAnalysis, evidence: list[Evidence], articles: dict[str, Article],
                terms: CorpusTerms | None = None, *, each_source: bool = False) -> list[list[Claim]]:
        """Per sentence read, the claims of the asked kind that are about the asked point. `each_source`: the
        sources may speak of different things that share a name, so each is read on its own."""
        kind = asked.aspect
        relevance = Relevance(asked, articles, terms)
        known: dict[str, str] = {}
        if kind == "organisation":
            for article in articles.values():
                known.update(_acronyms(article.text))
        people = _named(asked) if kind == "category" else entities.people(asked)
        readings: dict[tuple[str, int], list[Reading]] = {}
        for e in evidence:
            context = Context(published=timeline.published(articles[e.source_id]), acronyms=known,
                              people=people, question=asked.text, entities=e.entities)
            # a band or a studio makes a work as a person does ('an album by the band X')
            readings[(e.source_id, e.start)] = (makers(e.text, context) if kind == "person" and relevance.creator
                                                else claims.extract(kind, e.text, context))
        pool = relevance.pool(kind, evidence, readings, floor=self._floor, margin=self._margin)
        about = {(e.source_id, e.start): [r for r in readings[(e.source_id, e.start)]
                                          if relevance.about(kind, e.text, r, e.source_id, e.start, e.entities)]
                 for e in pool}
        if kind == "date":
            about = _event_dates(pool, about, relevance, each_source)
        out = []
        for e in pool:
            kept = about[(e.source_id, e.start)]
            if kind in ("person", "place"):
                kept = relevance.nearest(e.text, kept)
            if kind == "date":
                kept = relevance.dated_by_verb(e.text, kept)
            if kind == "number":
                kept = attachment.latest(e.text, kept)
            if kind == "status":  # one outcome per sentence, shown as the outcome it names in a few words of English
                kept = [replace(r, label=timeline.STATUS_WORDS[r.key.text]) for r in _main_status(kept, e.text, asked)]
            out.append([positions.claim(r.key, r, e) for r in kept])
        # a date, sum or length stated in a sentence about the subject: the event may be named in other words, so
        # the question is not abstained on (a count must be of the asked thing: 'how many employees')
        dated = kind in ("date", "money", "duration") and any(
            readings[(e.source_id, e.start)] and relevance.names_subject(e.text) for e in pool)
        return out, dated

    def _compare(self, asked: QuestionAnalysis, sides: list[Side],
                 articles: dict[str, Article]) -> list[Disagreement]:
        if len(sides) < 2:
            return []
        kind = asked.aspect
        if KIND.get(kind) == "differing accounts" and not positions.disjoint(sides):
            return []  # every source that names one shares one with every other: no dispute
        if len(_keys(sides)) < 2:
            return []  # different words for one value (two current titles): no dispute
        shown = sorted(sides, key=lambda s: -max(e.score for e in s.evidence))[:MAX_SIDES]
        shown.sort(key=sides.index)
        label = timeline.LABELS.get(kind, "").format(person=" ".join(entities.people(asked)[:1]))
        dispute = KIND.get(kind, "contradiction")
        later = timeline.later_sides(shown, articles) if dispute == "contradiction" else set()
        if not later:
            return [Disagreement(aspect=label, kind=dispute, sides=tuple(shown),
                                 note=timeline.self_note(shown, articles))]
        earlier = [s for i, s in enumerate(shown) if i not in later]
        # every earlier report keeps its own position (one line for them all would show different values as
        # agreeing); the later state comes last
        out = [Disagreement(aspect=label, kind="later development",
                            sides=(*earlier, *(shown[i] for i in sorted(later))),
                            note=timeline.timeline(shown, later, articles))]
        if len(_keys(earlier)) >= 2:
            out.insert(0, Disagreement(aspect=label, kind=dispute, sides=tuple(earlier),
                                       note=timeline.self_note(earlier, articles)))
        return out


def _event_dates(pool: list[Evidence], about: dict[tuple[str, int], list[Reading]], relevance: Relevance,
                 each_source: bool) -> dict[tuple[str, int], list[Reading]]:
    """When some date is said of the asked event itself ('will close on March 9'), the others are of things said
    or done around it ('said Thursday', 'defended the closure on Wednesday'): across the sources, or within each
    one when they may be about different things that share a name."""
    group = (lambda e: e.source_id) if each_source else (lambda e: "")  # noqa: E731
    bound: dict[str, set[str]] = {}
    for e in pool:
        for r in about[(e.source_id, e.start)]:
            if relevance.event_dated(e.text, r):
                bound.setdefault(group(e), set()).add(r.key.text)
    return {(e.source_id, e.start): [r for r in about[(e.source_id, e.start)]
                                     if group(e) not in bound or _fuller(r.key.text, bound[group(e)])
                                     or relevance.event_dated(e.text, r)] for e in pool}


def _fuller(date: str, partial: set[str]) -> bool:
    """A fuller form of a year or month said of the event is that date told more fully ('founded in 1989';
    'founded by X, an activist, on 16 July 1989'), not a date of something else."""
    return any(len(p) in (4, 7) and p[:4].isdigit() and len(date) > len(p) and date.startswith(p) for p in partial)


@lru_cache(maxsize=16384)
def _acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """An article's acronyms, read once per text: an organisation question reads every article's, which at a
    thousand articles cost about 0.1 s a question."""
    return tuple(claims.acronyms(text).items())


def _named(asked: QuestionAnalysis) -> tuple[str, ...]:
    """What a 'what is X' question names: its quoted titles and entities, else its subject when capitalised."""
    found = entities.names(asked)
    if not found:  # 'What does the abbreviation SFJ refer to?': the letters are the name
        found = ACRONYM.findall(asked.text)
    if not found and asked.subject[:1].isupper():
        found = [asked.subject]
    return tuple(found)


def _keys(sides: list[Side]) -> set[str]:
    return {v.key for s in sides for v in s.values}


def _main_status(found: list[Reading], sentence: str, asked: QuestionAnalysis) -> list[Reading]:
    """'approved ..., two days after members delayed it': the outcome the question's verb names, else the first."""
    if len({r.key.text for r in found}) <= 1:
        return found[:1]
    verb = stem(asked.predicate)
    named = [r for r in found if stem(sentence[r.start:r.end]) == verb]
    return named[:1] or found[:1]


def _entity(side: Side, meant: dict[str, tuple[str, int, int]]) -> str:
    return next((meant[e.source_id][0] for e in side.evidence if e.source_id in meant), "")


def _copied(kind: str, sides: list[Side], copied: list[tuple[str, str]]) -> list[Disagreement]:
    """A contradiction for each pair of sources that print nearly the same text of differently named things."""
    out = []
    for a, b in copied:
        held = [next((s for s in sides if any(e.source_id == x for e in s.evidence)), None) for x in (a, b)]
        if held[0] is not None and held[1] is not None and held[0] is not held[1]:
            out.append(Disagreement(aspect=timeline.LABELS.get(kind, "") or "what it is", kind="contradiction",
                                    sides=(held[0], held[1]),
                                    note="the two print nearly the same text but name different things"))
    return out


def _with_copies(found: list[Disagreement], copies: list[Disagreement]) -> list[Disagreement]:
    """The copies' contradictions first; another disagreement between the very same sides is dropped."""
    same = [{id(s) for s in d.sides} for d in copies]
    return _dedupe([*copies, *(d for d in found if {id(s) for s in d.sides} not in same)])[:MAX_DISAGREEMENTS]


def _entity_positions(evidence: list[Evidence], meant: dict[str, tuple[str, int, int]]) -> list[Side]:
    """No typed value to compare: one position per meaning, its value the qualified name the source prints."""
    out: list[Side] = []
    for source_id, (text, start, end) in meant.items():
        if any(entities.meaning(s.entity) == entities.meaning(text) for s in out):
            continue
        holding = [e for e in evidence if e.source_id == source_id and e.start <= start and end <= e.end]
        if holding:
            value = Value(source_id=source_id, start=start, end=end, text=text, key=f"entity:{text.lower()}")
            out.append(Side(claim=text, evidence=(holding[0],), values=(value,), entity=text))
    return out


def _evolution(found: list[Claim], articles: dict[str, Article]) -> Disagreement | None:
    """One sentence stating a change of modality ('originally compelled ... later voluntary')."""
    kinds = [c for c in found if c.key.kind == "modality"]
    if len(kinds) != 2 or kinds[0].key.text == kinds[1].key.text:
        return None
    first, then = kinds
    source = timeline.name(articles[first.evidence.source_id])
    return Disagreement(aspect=timeline.LABELS["modality"], kind="later development",
                        sides=(Side(f"at first {first.value.text}", (first.evidence,), (first.value,)),
                               Side(f"later {then.value.text}", (then.evidence,), (then.value,))),
                        note=f"{source} reports the change itself")


def _changed(found: list[Claim]) -> list[Claim]:
    """A sentence stating a change keeps the state it ended in, as its own position worded as the change: a
    reader told 'three reports say voluntary' would not learn that one of them says it was compelled at first."""
    first, then = [c for c in found if c.key.kind == "modality"]
    return [replace(then, label=f"at first {first.value.text}, later {then.value.text}", changed=True)]


def _most_described(found: list[Claim]) -> list[Claim]:
    """Keep the roles of the one asked person the sentences describe most."""
    counts: dict[str, int] = {}
    for c in found:
        counts[c.label] = counts.get(c.label, 0) + 1
    if not counts:
        return []
    person = max(counts, key=counts.get)
    return [replace(c, label="") for c in found if c.label == person]


def _dedupe(found: list[Disagreement]) -> list[Disagreement]:
    seen: set[tuple] = set()
    out = []
    for d in found:
        key = (d.aspect, tuple(sorted((e.source_id, e.start) for s in d.sides for e in s.evidence)))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
