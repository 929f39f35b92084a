"""Which evidence sentences are read for a question, and which values in them are about what it asks.

A value counts only when its own clause speaks of the question's terms: 'less than two weeks to plan' is the
time for planning, 'two days after the vote' an offset from the vote, 'Tuesday's meeting' the meeting's day,
and a clause naming an entity the question does not (and few articles do) is about something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rag.evidence import STOPWORDS
from rag.types import Article, Evidence, QuestionAnalysis
from rag.claims import extract
from rag.values import Reading
from rag.values.durations import attached

_SUFFIXES = ("ments", "ment", "ings", "ing", "ures", "ure", "ions", "ion", "ers", "er", "ied", "ies", "ed", "es", "s",
             "e", "y")
CALENDAR = frozenset("January February March April May June July August September October November December Monday "
                     "Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_CLAUSE_BREAK = re.compile(r"[;:()—–]|,\s+(?=(?:which|who|while|but|though|although|whereas|as|after|before)\b)")
_POSSESSIVE_DAY = re.compile(r"^['’]s\b")
_LIFE_SPAN = re.compile(r"[A-Z][\w'’.-]*\s*\(\s*(?:born\s+)?(?:[^()]{0,25}[–—-]\s*)?$")
BIRTH_WORDS = "born bear birth"
_RANGE_END = re.compile(r"\d\s*(?:–|—|-|to|until)\s*$")
_RANGE_START = re.compile(r"\s*(?:–|—|-|to|until)\s*(?:[A-Z][a-z]+\.? )?\d")
END_WORDS = "die died death end ended close closed dissolve dissolved demolish demolished retire retired disband"
ADVANCE_WORDS = "before ahead advance notice lead early prior head beforehand"  # the question asks a lead time
RARE_DF = 0.34          # an entity at most a third of the articles mention
NEAR_CHARS = 40         # a name this close to the asked word is the one it speaks of ('directed by X')
DISTINCTIVE_DF = 0.8    # a word most articles use (the corpus's topic) does not tell which sentence a question means
GATED = {"status", "date", "number", "modality"}  # kinds whose values also describe other events nearby
POLES = {"modality", "money", "status"}
LIGHT_VERBS = frozenset("be have do get make take go say able suppose".split())  # say nothing about which event


@lru_cache(maxsize=65536)  # a pure function of the word, called for every word of every article
def stem(word: str) -> str:
    """A crude English stem, enough to make 'closure', 'closed' and 'close' meet ('clos')."""
    w = word.lower().strip("'’")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:6]


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning."""
    return frozenset(stem(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1)


@lru_cache(maxsize=4096)
def _profile(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """An article's stems and capitalised names, read once per text rather than once per question."""
    return stems(text), frozenset(proper_names(text))


def proper_names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: candidate names."""
    found = re.finditer(r"(?<![.!?:—–\"“]\s)(?<!\n)(?<!^)(?<![\"“(\n])\b([A-Z][a-z][\w’'-]*?)(?:['’]s)?\b", text)
    return list(dict.fromkeys(m.group(1) for m in found if m.group(1) not in CALENDAR))


# what a measurement question asks for; a population is also stated as a head count: 'there were 3,559 people',
# 'home to 900 residents', '2,772 inhabitants'
MEASURES = frozenset(stem(w) for w in "population height elevation altitude depth width area capacity attendance "
                     "weight distance circumference diameter".split())
_HEAD_COUNT = re.compile(r"(?:\bthere (?:are|were|is|was)|\bhome to|\bhad|\bhas)\s+(?:about |approximately |some |"
                         r"around |nearly |over |roughly )?$", re.I)
_RESIDENTS = re.compile(r"\s+(?:residents|inhabitants|people (?:live|lived|living|reside|resided|residing))\b", re.I)
# what may stand between a measure noun and its figure: 'population of', 'population was', 'population in 2010:'
# (not 'population density was', a different measure)
_LINKS = re.compile(r"^\W*(?:$|(?:of|was|is|were|are|in|at|as|stood|totaled|totalled|reached|estimated|about|"
                    r"approximately|around|nearly|over|some)\b)", re.I)
_PEOPLE = re.compile(r"\s+(?:people|persons|residents|inhabitants)\b", re.I)


@dataclass(frozen=True)
class CorpusTerms:
    """How many of a collection's articles use each stem and name each name: what makes a term the topic or
    rare. The same for every question, so made once per collection version, not once per question."""

    articles: int
    stems: dict[str, int]
    names: dict[str, int]

    @classmethod
    def of(cls, articles: Iterable[Article]) -> "CorpusTerms":
        profiles = [_profile(a.text) for a in articles]
        df: dict[str, int] = {}
        counts: dict[str, int] = {}
        for words, names in profiles:
            for w in words:
                df[w] = df.get(w, 0) + 1
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        return cls(len(profiles), df, counts)


class Relevance:
    """The question's terms against one collection's articles: what counts as about the question."""

    def __init__(self, question: QuestionAnalysis, articles: dict[str, Article],
                 terms: CorpusTerms | None = None) -> None:
        """`terms`: CorpusTerms.of(articles), when the caller already has it."""
        self.question = question
        terms = terms or CorpusTerms.of(articles.values())
        self._articles = articles  # an article's words are read (once, cached) when a sentence leaves it a term
        n, df = terms.articles, terms.stems
        light = {stem(v) for v in LIGHT_VERBS}
        asked = ({stem(t) for t in question.terms if len(t) > 1} | stems(question.subject)) - light
        topic = {w for w in asked if n >= 3 and df.get(w, 0) / n >= DISTINCTIVE_DF}
        self.all_terms = asked
        # the words that tell this question's sentences from the rest; when all are the corpus's topic, the rarest
        self.terms = _telling(asked, topic, df)
        # for outcomes, obligations and prices the question's verb is the value asked ('approved?', 'forced?',
        # 'pay?'): the sentence must speak of the thing, whatever it says happened to it
        words = _WORD.findall(question.text)
        asked_values = {stem(w) for kind in ("status", "modality", "money")
                        for r in extract(kind, question.text) for w in _WORD.findall(question.text[r.start:r.end])}
        asked_values |= {stem(w) for kind in ("status", "modality", "money") for w in words if extract(kind, w)}
        self.thing = _telling(asked - {stem(question.predicate)} - asked_values, topic, df) or self.terms
        self.things = (asked - {stem(question.predicate)} - asked_values) or asked  # topic words included
        self.head = stem(question.subject.split()[-1]) if question.subject.split() else ""
        self.predicate = stem(question.predicate) if question.predicate not in LIGHT_VERBS else ""
        self.subject = stems(question.subject) - topic
        self.subject_terms = _telling(stems(question.subject) | stems(" ".join(question.names)), topic, df) or asked
        self.advance = bool(stems(question.text) & stems(ADVANCE_WORDS))
        name_words = stems(" ".join(question.names))
        self.distinctive = {w for w in name_words if n >= 3 and 0 < df.get(w, 0) / n < DISTINCTIVE_DF}
        asked_words = self.asked_words = stems(question.text)
        self.rare = {name for name, c in terms.names.items()
                     if stem(name) not in asked_words and c / max(1, n) <= RARE_DF}

    def pool(self, kind: str, evidence: list[Evidence], readings: dict[tuple[str, int], list[Reading]], *,
             floor: float, margin: float) -> list[Evidence]:
        """Sentences close to the question, plus any related sentence holding a value of the kind (the other
        sides of a dispute are often worded unlike the question); for a person every sentence naming them."""
        if not evidence:
            return []
        if kind == "role":
            names = [n.split()[-1].lower() for n in self.question.names]
            return [e for e in evidence if any(n in e.text.lower() for n in names)]
        best = max(e.similarity for e in evidence)
        near = [e for e in evidence if e.similarity >= max(floor, best - margin)]
        # both poles of an obligation, an outcome or a price were searched for by name: any sentence holding one
        # counts, however unlike the question it is worded
        low = -1.0 if kind in POLES else floor
        extra = [e for e in evidence if e not in near and e.similarity >= low and readings.get((e.source_id, e.start))]
        return near + extra

    def about(self, kind: str, sentence: str, reading: Reading, source_id: str = "") -> bool:
        """Is this value, in this sentence, a value of what the question asks?"""
        if kind in ("role", "reason", "category"):
            return True  # the extractor read it as said of the asked person or thing
        words = stems(sentence)
        measured = self._measured(sentence, reading) if kind == "number" else ""
        if measured:
            # 'a population of 11,947', '8,930 people': the count is of the asked measure, whatever else the
            # clause names (a census by a statistics office); it must still be of the asked thing, which the
            # sentence may leave to its article ('The population was 3,559')
            others = self.terms - stems(self.question.subject) - {self.predicate}
            article = self._articles.get(source_id)
            named = words | (stems(article.text) if article is not None else frozenset())
            return not others or bool(named & others)
        if kind == "number" and stems(self.question.subject) & MEASURES:
            return False  # a measure is asked: a figure not attached to it is some other count
        if not words & self.all_terms:
            return False
        if kind in GATED and self.distinctive and not self.distinctive & words:
            return False  # the question names something this sentence does not speak of
        clause = clause_of(sentence, reading.start, reading.end)
        if kind in GATED and self.rare & set(proper_names(clause)):
            return False  # the clause is about an entity the question does not name and few articles mention
        if kind in GATED and self._owned_by_another(clause):
            return False  # "Biden's order" when the question asks about an order of no such name
        if kind == "duration":
            what = attached(sentence, reading)
            if what is None:
                return False  # a frequency or an age ('on a two-year cycle'), not a length
            if what and not stems(what) & self.all_terms:
                offset = re.match(r"\s*(?:before|ahead of|prior to|in advance)", sentence[reading.end:], re.I)
                return bool(offset and self.advance)
            return True
        if kind == "date":
            if _POSSESSIVE_DAY.match(sentence[reading.end:]):
                return False  # 'Tuesday's meeting': the day of the meeting
            ends = bool(stems(self.question.text) & stems(END_WORDS))
            if _RANGE_END.search(sentence[:reading.start]) and not ends:
                return False  # '(1848–1912)': the second date is when it ended ('born' asks the first)
            if _RANGE_START.match(sentence[reading.end:]) and ends:
                return False
            if _LIFE_SPAN.search(sentence[:reading.start]) and (
                    (_RANGE_START.match(sentence[reading.end:]) and stems(self.question.text) & stems(BIRTH_WORDS))
                    or (_RANGE_END.search(sentence[:reading.start]) and ends)):
                return True  # 'Ann Vale (9 July 1848 – 3 June 1912)': a life span, as reference works print it
            return bool(words & self.terms)
        if kind == "number":
            window = stems(sentence[max(0, reading.start - 25):reading.end + 25])
            others = self.terms - self.subject - {self.predicate}
            return bool(window & (self.subject | {self.predicate})) and (not others or bool(words & others))
        if kind in ("person", "place"):  # the name's own clause says what is asked: 'directed by X', 'held in Y'
            cues = {self.predicate, self.head} - {""}
            if cues and not stems(clause) & cues:
                return False
        if kind in ("organisation", "person", "place"):
            return (not self.predicate or self.predicate in words) and bool(words & self.terms)
        if kind == "modality":  # 'was participation voluntary?': the thing is often only implied
            return bool(words & self.things) or len(self.things) <= 1
        if kind == "status":  # the agent or the thing: 'did the council drop the plan' is about the plan too
            done_to = undergoer(sentence, reading.start, reading.end)
            if done_to and not done_to & (self.things | {self.head, self.predicate}):
                return False  # 'canceled the signing ceremony' says what happened to the ceremony
            return bool(words & self.things)
        if kind == "money":
            return bool(stems(clause) & self.thing)
        return True


    def nearest(self, sentence: str, found: list[Reading]) -> list[Reading]:
        """For a person or place: per mention of what is asked ('directed', 'director', 'held'), the one name
        closest to it within a few words; a sentence listing a cast names one director, not all of them."""
        cues = {self.predicate, self.head} - {""}
        at = [m.start() for m in _WORD.finditer(sentence) if stem(m.group()) in cues]
        chosen: list[Reading] = []
        for cue in at:
            near = [(min(abs(r.start - cue), abs(cue - r.end)), r) for r in found]
            near = [(d, r) for d, r in near if d <= NEAR_CHARS]
            if near:
                best = min(near, key=lambda dr: dr[0])[1]
                if best not in chosen:
                    chosen.append(best)
        return chosen if cues else found[:1]

    def latest(self, sentence: str, found: list[Reading]) -> list[Reading]:
        """Counts of one measure for different years in one sentence ('its 2016 population of 11,947, a change
        from its 2011 population of 12,278'): the latest year's is what the sentence reports, the rest history."""
        years = [_year_of(sentence, r) for r in found]
        if len({y for y in years if y}) < 2:
            return found
        last = max(y for y in years if y)
        return [r for r, y in zip(found, years) if y in (last, 0)]

    def _measured(self, sentence: str, reading: Reading) -> str:
        """How the number is attached to the measure the question asks for: 'noun' when the measure noun is a
        few words before it ('population was', 'a length of'), 'count' when it is a head count of residents
        ('there were 8,930 people', '2,772 inhabitants') and a population is asked, else ''."""
        measures = stems(self.question.subject) & MEASURES  # the measure, even when every article names it
        if not measures:
            return ""
        for m in _WORD.finditer(sentence[:reading.start]):
            between = _A_YEAR.sub("", sentence[m.end():reading.start])
            # 'population was 3,559', 'Population in 2010: 5,000'; not the '1,085' of 'a population of 3,046,
            # 1,085 households', which another figure separates from the noun
            if (stem(m.group()) in measures and _LINKS.match(between) and len(_WORD.findall(between)) <= 4
                    and not re.search(r"\d", between)):
                return "noun"
        rest = sentence[reading.end:]
        if re.match(r"\s*(?:per\b|/)", rest):
            return ""  # '36.4 people per square mile' is a density
        if stem("population") in measures and (_RESIDENTS.match(rest) or (
                _PEOPLE.match(rest) and _HEAD_COUNT.search(sentence[:reading.start]))):
            return "count"
        return ""

    def names_subject(self, sentence: str) -> bool:
        """The sentence speaks of the question's subject (its telling words, else its rarest)."""
        return bool(stems(sentence) & self.subject_terms)

    def _owned_by_another(self, clause: str) -> bool:
        """The clause gives the asked thing an owner the question does not name ('Y's order')."""
        if not self.head:
            return False
        for m in _OWNER.finditer(clause):
            if stem(m.group("owner")) not in self.asked_words and stem(m.group("thing")) == self.head:
                return True
        return False


_OWNER = re.compile(r"\b(?P<owner>[A-Z][\w-]+)['’]s (?:[\w-]+ ){0,3}?(?P<thing>[a-z][\w-]+)\b")


_NP_END = re.compile(r"[,;:()—–.]|\b(?:that|which|who|whose|when|while|after|before|because|as|to|in|at|by|for|"
                     r"with|from|and|or|but|until|amid)\b", re.I)
_BEING = re.compile(r"\b(?:was|were|is|are|been|be|being|got|get|gets)\s+(?:\w+ly\s+)?$", re.I)
_PRONOUNS = frozenset("it they them this that these those its their he she him her".split())


def undergoer(sentence: str, start: int, end: int) -> set[str]:
    """Stems of the head nouns an outcome verb may happen to: its object and the themes its 'of'/'on' phrases
    name ('postponed its vote on the contract': vote, contract; 'canceled the signing ceremony for X': the
    ceremony alone), or in the passive its subject ('the signing ceremony was cancelled'). Empty when there is
    none or it is a pronoun."""
    before = _BEING.search(sentence[:start])
    if before:  # the subject: the phrase before 'was', past a parenthetical ', which had been expected,'
        left = sentence[:before.start()].rstrip()
        if left.endswith(","):
            left = left[:-1].rsplit(",", 1)[0]
        phrase = re.split(r"[,;:()—–]|\b(?:that|which|who|when|while|after|before|because|as|if)\b", left)[-1]
    else:
        rest = sentence[end:]
        stop = _NP_END.search(rest)
        phrase = rest[:stop.start()] if stop else rest
    words = _WORD.findall(phrase)
    if not words or words[0].lower() in _PRONOUNS - {"its", "their"} or len(words) > 16:
        return set()
    heads = set()
    for i, part in enumerate(re.split(r"\s+(?:of|on)\s+", phrase)):
        found = _noun_phrase(_WORD.findall(part))
        if not found or (i and (found[0] in CALENDAR or found[0][0].isdigit())):
            break  # 'on May 21' is when, not what
        heads.add(stem(found[-1]))
    return heads


_DETERMINERS = frozenset("a an the its their his her this that these those our your my".split())


def _noun_phrase(words: list[str]) -> list[str]:
    """The words up to a participle that follows a noun ('a scaled-back order requiring companies'): a participle
    after 'the' or an adverb is a modifier ('the signing ceremony', 'a highly anticipated order')."""
    for i, w in enumerate(words[1:], start=1):
        before = words[i - 1].lower()
        if re.search(r"(?:ing|ed)$", w) and before not in _DETERMINERS and not before.endswith("ly"):
            return words[:i]
    return words


_A_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _year_of(sentence: str, reading: Reading) -> int:
    """The year a figure is given for: 'in 2010' right after it, else the nearest year before it in its clause."""
    after = re.match(r"\s*(?:\w+\s+){0,2}?(?:in|as of)\s+(1[89]\d\d|20\d\d)\b", sentence[reading.end:])
    if after:
        return int(after.group(1))
    clause = clause_of(sentence, reading.start, reading.end)
    offset = sentence.find(clause)
    before = [m for m in _A_YEAR.finditer(clause) if offset + m.end() <= reading.start]
    return int(before[-1].group(1)) if before else 0


def _telling(asked: set[str], topic: set[str], df: dict[str, int]) -> set[str]:
    if asked - topic:
        return asked - topic
    rarest = min((df.get(w, 0) for w in asked), default=0)
    return {w for w in asked if df.get(w, 0) == rarest}


def clause_of(sentence: str, start: int, end: int) -> str:
    """The stretch of the sentence between the clause breaks around [start, end)."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            return sentence[left:m.start()]
    return sentence[left:]
