"""Evidence -> Disagreements: which sources say what, on the point the question asks about.

1. `focus` reads which aspects a question asks about (a duration, a date, voluntary or required, ...).
2. Every relevant evidence sentence is read for typed values of those aspects (`rag.claims`).
3. Values are grouped by their normalised key; two or more groups on one aspect are a disagreement, whether
   they come from different sources or from one source contradicting itself. Different wording of one value
   is one group, so agreement is never reported as conflict.
4. Publication dates and enacted-state wording ("signed", "finally") mark a side as a later development
   rather than a contradiction: the earlier reports are not wrong, they are earlier.
Nothing here names a topic; every rule is about English and the shapes of values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
import numpy as np

from rag import claims
from rag.evidence import content_words
from rag.types import Article, Disagreement, Evidence, Side

FOCUS: dict[str, re.Pattern[str]] = {
    "reason": re.compile(r"\bwhy\b|\breasons?\b|\bcaus\w*|\bexplain\w*|\bmotiv\w*|\bbehind\b|\bprompted\b", re.I),
    "duration": re.compile(r"\bhow (?:long|many (?:hours|days|weeks|months|years))\b|\bhow far (?:ahead|in advance)\b|"
                           r"\b(?:window|duration|period|in advance|ahead of)\b|\b(?:days|weeks|months)\b|"
                           r"\b\d+-(?:day|week|month)\b|\b(?:shorter|longer)\b", re.I),
    "quantity": re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|\bcost\b|\bprice\b|\bvote\b|\$", re.I),
    "date": re.compile(r"^(?:and )?when\b|\bwhen (?:did|was|were|is|will|does|do|has|had|would)\b|\bwhat (?:date|day)\b|"
                       r"\bwhich (?:date|day)\b|\bon what day\b|\bfrom what date\b", re.I),
    "modality": re.compile(r"\b(?:voluntar\w*|optional|mandatory|requir\w*|compel\w*|obligat\w*|forced?|have to|"
                           r"must|free|pay|fare|charge|fee|opt)\b", re.I),
    # outcome questions: yes/no about an outcome verb, or 'what happened', 'status', 'end up' ...
    "status": re.compile(r"^(?:did|was|were|is|has|have|had|will|does|do)\b.*\b(?:sign(?:ed)?|postpon\w*|delay\w*|"
                         r"cancel\w*|scrap\w*|kill\w*|withdr\w*|approv\w*|reject\w*|shelv\w*|reopen\w*|"
                         r"put on hold|enact\w*|adopt\w*)\b|\bwhat happened\b|\bstatus\b|\boutcome\b|\bfate\b|"
                         r"\bend(?:ed)? up\b|\bin the end\b|\beventually\b|\bfinally\b|\bstill (?:on|pending|planned)\b",
                         re.I),
    "role": re.compile(r"\bwho (?:is|was)\b|\b(?:title|position|job)\b|\bdescribed as\b|\bstill the\b|"
                       r"\bformer\b|\bwhat (?:does|did) \w+ do\b", re.I),
    "organisation": re.compile(r"\b(?:which|what) (?:agenc\w*|department\w*|office\w*|organi[sz]ation\w*|bod(?:y|ies)|"
                               r"group\w*|institution\w*|branch\w*|entit\w*)\b|\bwho (?:would|will|should|is going to|"
                               r"was going to|is to) (?:run|decide|determine|oversee|lead|set|conduct|choose|review|"
                               r"inspect|test|carry out|be in charge|handle|evaluate)\b|\bin charge\b", re.I),
}
YES_NO = re.compile(r"^\s*(?:is|are|was|were|do|does|did|will|would|could|can|should|must|has|have|had)\b", re.I)
EXPANSION = {
    "duration": "how many days weeks months: up to, at least, between",
    "modality": "voluntary optional not required mandatory compelled requirement",
    "status": "postponed delayed cancelled scrapped signed approved",
    "organisation": "department agency office will run lead determine",
    "reason": "because the reason was due to citing",
}
LABELS = {
    "duration": "the length of time", "quantity": "the number", "date": "the date",
    "modality": "whether it is voluntary or required", "status": "the outcome",
    "organisation": "which organisation is responsible", "reason": "the reason",
}
DATE_MARGIN = 0.2  # dates are everywhere in news: only the sentences closest to the question count
KIND = {"organisation": "differing accounts", "reason": "differing accounts", "role": "contradiction"}
MAX_PER_SIDE = 3
MAX_SIDES = 5


@dataclass(frozen=True)
class Claim:
    key: str
    label: str
    evidence: Evidence


def focus(question: str) -> list[str]:
    """The aspects a question asks about, most specific first."""
    found = [aspect for aspect, pattern in FOCUS.items() if pattern.search(question)]
    if "modality" in found and not YES_NO.match(question) and "whether" not in question.lower():
        found.remove("modality")  # 'the objection to the voluntary framework' names a modality, does not ask it
    if "duration" in found and "quantity" in found:
        found.remove("quantity")
    if "role" in found and not names_in(question):
        found.remove("role")
    return found


def names_in(question: str) -> list[str]:
    """Capitalised words after the first word: candidates for the person a role question is about."""
    words = re.findall(r"\b([A-Z][a-z][\w’'-]*?)(?:['’]s)?\b", question)
    first = question.split()[0] if question.split() else ""
    return [w for w in dict.fromkeys(words) if w != first.strip("?,.")]


def expansions(question: str) -> list[str]:
    """Extra retrieval queries that look for every side of what is asked (both poles of a yes/no, etc.)."""
    aspects = focus(question)
    extra = [f"{question} {EXPANSION[a]}" for a in aspects if a in EXPANSION]
    if "role" in aspects:
        extra.append(" ".join(names_in(question)))  # every passage naming the person, however it styles them
    return extra


class ConflictFinder:
    """Compare typed claims across sources on the aspects the question asks about."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray] | None = None, *, floor: float = 0.2,
                 margin: float = 0.45, same_reason: float = 0.5) -> None:
        self._embed = embed
        self._floor = floor
        self._margin = margin
        self._same_reason = same_reason

    def find(self, question: str, evidence: list[Evidence], articles: dict[str, Article]) -> list[Disagreement]:
        if not evidence:
            return []
        best = max(e.similarity for e in evidence)
        near = [e for e in evidence if e.similarity >= max(self._floor, best - self._margin)]
        found: list[Disagreement] = []
        for aspect in focus(question):
            found.extend(self._aspect(aspect, question, self._pool(aspect, question, near, evidence, articles), articles))
        return _dedupe(found)[:3]

    def _pool(self, aspect: str, question: str, near: list[Evidence], evidence: list[Evidence],
              articles: dict[str, Article]) -> list[Evidence]:
        """The sentences read for one aspect: those close to the question; for a person's role every sentence
        naming them; for reasons every sentence that states a cause and is at all related."""
        if aspect == "role":
            names = [n.lower() for n in names_in(question)]
            return [e for e in evidence if any(n in e.text.lower() for n in names)] or near
        if aspect == "reason":
            extra = [e for e in evidence if e not in near and e.similarity >= self._floor and claims.reason(e.text)]
            return near + extra
        if aspect == "modality":  # the poles were searched for by name: a retrieved sentence stating one counts,
            # unless it is about an entity the question does not name and few articles mention (another subject)
            rare = _rare_names(question, articles)
            return near + [e for e in evidence if e not in near and claims.modality(e.text)[0]
                           and not rare & set(names_in("x " + e.text))]
        return near

    # one aspect ---------------------------------------------------------------------------------------------

    def _aspect(self, aspect: str, question: str, pool: list[Evidence],
                articles: dict[str, Article]) -> list[Disagreement]:
        if aspect == "reason":
            return self._reasons(question, pool)
        if aspect == "organisation":
            return self._organisations(question, pool, articles)
        extracted: list[Claim] = []
        evolutions: list[Disagreement] = []
        asked = content_words(question) - _cue_words(aspect)
        top = max(e.similarity for e in pool)
        distinct = _distinctive(_proper_names(question), articles)
        topic = _topic_words(articles)
        for e in pool:
            article = articles[e.source_id]
            if aspect in GATED and distinct and not distinct & content_words(e.text):
                continue  # the question names something this sentence does not speak of
            if aspect == "duration":
                extracted += [Claim(v.key, v.label, e) for v in claims.durations(e.text)]
            elif aspect == "quantity":
                extracted += [Claim(v.key, v.label, e) for v in claims.quantities(e.text)
                              if _counts_what_is_asked(e.text, v, asked - topic)]
            elif aspect == "date" and asked & content_words(e.text) and (
                    e.similarity >= top - DATE_MARGIN or claims.statuses(e.text)):
                published = claims.parse_published(article.published)
                extracted += [Claim(v.key, v.label, e) for v in claims.dates(e.text, published)]
            elif aspect == "modality":
                value, before = claims.modality(e.text)
                if value:
                    extracted.append(Claim(value, value, e))
                if before:
                    evolutions.append(Disagreement(
                        aspect=LABELS[aspect], kind="later development",
                        sides=(Side(f"at first {before}", (e,)), Side(f"later {value}", (e,))),
                        note=f"{_name(article)} reports the change itself"))
            elif aspect == "status":
                found = claims.statuses(e.text)
                if len(found) == 1:
                    value = found.pop()
                    extracted.append(Claim(value, _STATUS_LABEL[value], e))
            elif aspect == "role":
                extracted += [Claim(f"{name}:{v.key}", v.label, e) for name in names_in(question)
                              for v in claims.roles(e.text, name)]
        if aspect in ("duration", "modality", "quantity"):
            # a value stated alongside 'signed', 'finally', 'later' describes a later state: its own side
            extracted = [Claim(c.key + "@later", c.label, c.evidence) if claims.says_later(c.evidence.text) else c
                         for c in extracted]
        if aspect == "duration":
            extracted = _drop_compatible(extracted)
        if aspect == "date":
            extracted = _merge_years(extracted)
        label = LABELS.get(aspect, "")
        if aspect == "role":
            extracted, person = _most_described(extracted)
            label = f"how {person} is described"
        return self._compare(aspect, label, extracted, articles) + evolutions

    def _compare(self, aspect: str, label: str, extracted: list[Claim],
                 articles: dict[str, Article]) -> list[Disagreement]:
        groups: dict[str, list[Claim]] = {}
        for claim in extracted:
            groups.setdefault(claim.key, []).append(claim)
        if len(groups) < 2:
            return []
        sides = sorted(groups.values(), key=lambda g: -max(c.evidence.score for c in g))[:MAX_SIDES]
        built = [_side(group) for group in sides]
        later = _later_sides(built, articles)
        kind = KIND.get(aspect, "contradiction")
        if not later:
            return [Disagreement(aspect=label, kind=kind, sides=tuple(built), note=_self_note(built, articles))]
        earlier = [s for i, s in enumerate(built) if i not in later]
        merged = Side(claim="earlier reports: " + "; ".join(s.claim for s in earlier),
                      evidence=tuple(e for s in earlier for e in s.evidence))
        out = [Disagreement(aspect=label, kind="later development",
                            sides=(merged, *(built[i] for i in sorted(later))),
                            note=_timeline(built, later, articles))]
        if len(earlier) >= 2:
            out.insert(0, Disagreement(aspect=label, kind=kind, sides=tuple(earlier),
                                       note=_self_note(earlier, articles)))
        return out

    def _organisations(self, question: str, pool: list[Evidence], articles: dict[str, Article]) -> list[Disagreement]:
        known: dict[str, str] = {}
        for article in articles.values():
            known.update(claims.acronyms(article.text))
        asked = content_words(question) - _cue_words("organisation")
        sets: list[tuple[frozenset[str], Evidence]] = []
        for e in pool:
            names = frozenset(claims.organisations(e.text, known))
            if names and asked & content_words(e.text):
                sets.append((names, e))
        by_source: dict[str, set[str]] = {}
        for names, e in sets:
            by_source.setdefault(e.source_id, set()).update(names)
        disjoint = any(not (a & b) for i, a in enumerate(by_source.values()) for b in list(by_source.values())[i + 1:])
        if not disjoint:
            return []
        extracted = [Claim(",".join(sorted(n)), ", ".join(sorted(n)), e) for n, e in sets]
        return self._compare("organisation", LABELS["organisation"], extracted, articles)

    def _reasons(self, question: str, pool: list[Evidence]) -> list[Disagreement]:
        found = [(claims.reason(e.text), e) for e in pool]
        found = [(r, e) for r, e in found if r]
        if len(found) < 2 or self._embed is None:
            return []
        vectors = self._embed([r for r, _ in found])
        clusters: list[list[int]] = []
        for i in range(len(found)):
            home = next((c for c in clusters if float(vectors[c[0]] @ vectors[i]) >= self._same_reason), None)
            if home is None:
                clusters.append([i])
            else:
                home.append(i)
        if len(clusters) < 2:
            return []
        per_source: dict[str, set[int]] = {}
        for ci, cluster in enumerate(clusters):
            for i in cluster:
                per_source.setdefault(found[i][1].source_id, set()).add(ci)
        held = list(per_source.values())
        if not any(not (a & b) for i, a in enumerate(held) for b in held[i + 1:]):
            return []  # every source that explains it shares an explanation with every other: no dispute
        extracted = [Claim(str(ci), found[c[0]][0], found[i][1]) for ci, c in enumerate(clusters) for i in c]
        groups: dict[str, list[Claim]] = {}
        for claim in extracted:
            groups.setdefault(claim.key, []).append(claim)
        sides = sorted(groups.values(), key=lambda g: -max(c.evidence.score for c in g))[:MAX_SIDES + 1]
        return [Disagreement(aspect=LABELS["reason"], kind="differing accounts", sides=tuple(_side(g) for g in sides))]


_STATUS_LABEL = {"delayed": "postponed or delayed", "cancelled": "cancelled or killed", "done": "signed or approved"}


def _cue_words(aspect: str) -> set[str]:
    return content_words(FOCUS[aspect].pattern.replace("\\b", " ").replace("\\w*", "")) | content_words(
        "how many much long when what which who why date day days weeks months")


def _side(group: list[Claim]) -> Side:
    """One side: its wordings (at most two), and its best sentences, one per source."""
    ranked = sorted(group, key=lambda c: -c.evidence.score)
    chosen: list[Evidence] = []
    for claim in ranked:
        if all(e.source_id != claim.evidence.source_id for e in chosen) and len(chosen) < MAX_PER_SIDE:
            chosen.append(claim.evidence)
    wordings = list(dict.fromkeys(c.label for c in ranked if c.evidence in chosen))
    return Side(claim=" / ".join(wordings[:2]), evidence=tuple(chosen))


RARE_DF = 0.34  # an entity at most a third of the articles mention
GATED = {"status", "date", "quantity"}  # aspects whose values also describe other events in the same articles
DISTINCTIVE_DF = 0.8  # a word most articles use (the corpus's topic) does not tell which sentence a question means


@lru_cache(maxsize=4096)
def _profile(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """An article's content words and capitalised names, read once per text rather than once per question."""
    return frozenset(content_words(text)), frozenset(names_in("x " + text))


def _distinctive(asked: set[str], articles: dict[str, Article]) -> set[str]:
    """Question words that only some articles use: a sentence about the question should use one of them."""
    if len(articles) < 3:
        return set()
    vocab = [_profile(a.text)[0] for a in articles.values()]
    return {w for w in asked if 0 < sum(w in v for v in vocab) / len(vocab) < DISTINCTIVE_DF}


def _topic_words(articles: dict[str, Article]) -> set[str]:
    """Words most articles use: they name the corpus's topic, not what one question is after."""
    vocab = [_profile(a.text)[0] for a in articles.values()]
    counts: dict[str, int] = {}
    for words in vocab:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return {w for w, n in counts.items() if len(vocab) >= 3 and n / len(vocab) >= DISTINCTIVE_DF}


def _rare_names(question: str, articles: dict[str, Article]) -> set[str]:
    """Capitalised names that few articles mention and the question does not."""
    asked = set(names_in(question))
    counts: dict[str, int] = {}
    for article in articles.values():
        for name in _profile(article.text)[1]:
            counts[name] = counts.get(name, 0) + 1
    return {n for n, c in counts.items() if n not in asked and c / max(1, len(articles)) <= RARE_DF}


def _proper_names(question: str) -> set[str]:
    return content_words(" ".join(names_in(question)))


def _counts_what_is_asked(sentence: str, value: claims.Value, asked: set[str]) -> bool:
    """A number answers 'how many X' only if X (or the question's verb) stands within a few words of it."""
    window = sentence[max(0, value.start - 25):value.end + 25]
    near = {w[:4] for w in content_words(window)}
    return bool(near & {w[:4] for w in asked})


def _most_described(found: list[Claim]) -> tuple[list[Claim], str]:
    """Keep the roles of the name the sentences describe most; keys become 'former' / 'current'."""
    counts: dict[str, int] = {}
    for claim in found:
        name = claim.key.split(":")[0]
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return [], ""
    person = max(counts, key=counts.get)
    return [Claim(c.key.split(":")[1], c.label, c.evidence) for c in found if c.key.startswith(person + ":")], person


def _drop_compatible(found: list[Claim]) -> list[Claim]:
    """A bare '90-day' agrees with both 'up to 90' and 'at least 90': it takes no side when a bound exists."""
    bounds = {c.key.split("@")[0] for c in found if not c.key.startswith("exact:")}
    ends = {part for key in bounds for part in key.split(":")[1].split("-")}
    return [c for c in found if not (c.key.startswith("exact:") and "@" not in c.key
                                     and c.key.split(":")[1].split("-")[0] in ends)]


def _merge_years(found: list[Claim]) -> list[Claim]:
    """'May 21' and 'May 21, 2026' are the same date when no other year claims that day."""
    full = {c.key[5:]: c.key for c in found if not c.key.startswith("--")}
    return [Claim(full.get(c.key[2:], c.key), c.label, c.evidence) if c.key.startswith("--") else c for c in found]


def _later_sides(sides: list[Side], articles: dict[str, Article]) -> set[int]:
    """Sides that report a later state: enacted or 'finally' wording that no other side has, or printed dates
    strictly after every other side's."""
    enacted = [any(claims.says_later(e.text) for e in s.evidence) for s in sides]
    if sum(enacted) == 1:
        return {enacted.index(True)}
    dated = [[claims.parse_published(articles[e.source_id].published) for e in s.evidence] for s in sides]
    if all(d is not None for ds in dated for d in ds):
        for i, ds in enumerate(dated):
            others = [d for j, o in enumerate(dated) if j != i for d in o]
            if others and min(ds) > max(others):
                return {i}
    return set()


def _timeline(sides: list[Side], later: set[int], articles: dict[str, Article]) -> str:
    """'Wired (undated) reports a later state of affairs; the earlier reports are dated May 16 to May 26, 2026'."""
    def sources(group: list[Side]) -> list[Article]:
        return list({e.source_id: articles[e.source_id] for s in group for e in s.evidence}.values())

    late = sources([sides[i] for i in sorted(later)])
    early = sources([s for i, s in enumerate(sides) if i not in later])
    named = ", ".join(f"{_name(a)} ({a.published or 'undated'})" for a in late)
    dates = sorted(d for d in (claims.parse_published(a.published) for a in early) if d)
    span = (f"dated {dates[0]:%b %d, %Y} to {dates[-1]:%b %d, %Y}" if len(dates) > 1 else
            f"dated {dates[0]:%b %d, %Y}" if dates else "undated")
    if dates and len(dates) < len(early):
        span += " where they show a date"
    return f"{named} report{'s' if len(late) == 1 else ''} a later state of affairs; the earlier reports are {span}"


def _self_note(sides: list[Side], articles: dict[str, Article]) -> str:
    """Name a source that holds more than one side: it contradicts itself."""
    holders: dict[str, int] = {}
    for side in sides:
        for source_id in {e.source_id for e in side.evidence}:
            holders[source_id] = holders.get(source_id, 0) + 1
    both = sorted(_name(articles[s]) for s, n in holders.items() if n > 1)
    return f"{' and '.join(both)} states more than one of these" if both else ""


def _name(article: Article) -> str:
    return article.outlet or article.title or article.id


def _dedupe(found: list[Disagreement]) -> list[Disagreement]:
    seen: set[tuple] = set()
    out = []
    for d in found:
        key = (d.aspect, tuple(sorted((e.source_id, e.start) for s in d.sides for e in s.evidence)))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out

