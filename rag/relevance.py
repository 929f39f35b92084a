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

from rag.attachment import (BIRTH_WORDS, END_WORDS, MEASURES, life_span, measured, noun_phrase, points_back,
                            range_end, range_start, spanned, undergoer)
from rag.claims import extract
from rag.entities import people
from rag.question import CHOICE_VERBS, CUE_LEMMAS, OBLIGATION
from rag.types import Article, Evidence, QuestionAnalysis
from rag.values import Reading
from rag.values.durations import attached
from rag.values.organisations import ASKS_PARTY
from rag.words import WORD as _WORD, LIGHT_VERBS, clause_of, kin, kin_verbs, proper_names, stem, stems

__all__ = ["CorpusTerms", "Relevance", "stem", "stems"]

_POSSESSIVE_DAY = re.compile(r"^['’]s\b")
# who made a work: 'the artist of the album' is named 'an album by X' or 'X's second album', never 'artist'
CREATORS = frozenset(stem(w) for w in "artist author writer composer creator designer architect painter sculptor "
                     "songwriter performer singer band illustrator photographer playwright poet novelist".split())
_AGENT = re.compile(r"\bby\b", re.I)
WORK_WORDS = 4  # 'the seventh studio album by': the work's noun this many words before 'by' at most
_POSSESSOR = re.compile(r"['’]s\s")
ADVANCE_WORDS = "before ahead advance notice lead early prior head beforehand"  # the question asks a lead time
RARE_DF = 0.34          # an entity at most a third of the articles mention
NEAR_CHARS = 40         # a name this close to the asked word is the one it speaks of ('directed by X')
DISTINCTIVE_DF = 0.8    # a word most articles use (the corpus's topic) does not tell which sentence a question means
GATED = {"status", "date", "number", "modality", "schedule"}  # kinds whose values also describe other events nearby
POLES = {"modality", "money", "status", "schedule"}
TIME_KINDS = ("date", "duration")  # kinds a question names by a time word ('what year', 'the notice period')
HAPPENING = frozenset("happen occur".split())  # verbs that say an event took place, never which one
VALUE_VERBS = ("status", "modality", "money", "schedule")  # kinds whose value the question's own words may name
MEMBERSHIP = stems("affiliated affiliate belong belongs joined join member membership aligned align")
# verbs that ask for the cause of another ('what prompted them to draft it?'): the other is the asked event
CAUSAL_VERBS = frozenset("prompt cause lead drive push trigger spark motivate start begin force come".split())


@lru_cache(maxsize=4096)
def _profile(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """An article's stems and capitalised names, read once per text rather than once per question."""
    return stems(text), frozenset(proper_names(text))


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
        light = {stem(v) for v in LIGHT_VERBS | HAPPENING}
        # 'the release date': the date is what is asked, not a word the answer must use ('released on May 1')
        named_kind = {stem(w) for w in CUE_LEMMAS[question.aspect]} if question.aspect in TIME_KINDS else set()
        asked = ({stem(t) for t in question.terms if len(t) > 1} | (stems(question.subject) - named_kind)) - light
        topic = {w for w in asked if n >= 3 and df.get(w, 0) / n >= DISTINCTIVE_DF}
        # the words that tell this question's sentences from the rest; when all are the corpus's topic, the rarest
        self.terms = _telling(asked, topic, df)
        # 'established' is asked; 'opened in August 1998' answers it ('shut' is asked; 'will close' answers it)
        self.terms = _with_kin(self.terms)
        self.all_terms = _with_kin(asked)
        # for outcomes, obligations and prices the question's verb is the value asked ('approved?', 'forced?',
        # 'pay?'): the sentence must speak of the thing, whatever it says happened to it
        words = _WORD.findall(question.text)
        asked_values = {stem(w) for kind in VALUE_VERBS
                        for r in extract(kind, question.text) for w in _WORD.findall(question.text[r.start:r.end])}
        asked_values |= {stem(w) for kind in VALUE_VERBS for w in words if extract(kind, w)}
        self.thing = _telling(asked - {stem(question.predicate)} - asked_values, topic, df) or self.terms
        self.things = _with_kin((asked - {stem(question.predicate)} - asked_values) or asked)  # topic words included
        self.head = stem(question.subject.split()[-1]) if question.subject.split() else ""
        self.creator = self.head in CREATORS
        self.predicate = stem(question.predicate) if question.predicate not in LIGHT_VERBS else ""
        self.predicates = kin(self.predicate)  # the asked verb and those said in its place
        self.event_words = (kin_verbs(question.predicate) | set(question.forms)) \
            if self.predicate and question.predicate not in OBLIGATION else frozenset()  # 'need' names no event
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
        if kind == "role":  # the person styled, as the question names them ('Is Vale still ...')
            names = [n.split()[-1].lower() for n in people(self.question)]
            return [e for e in evidence if any(n in e.text.lower() for n in names)]
        best = max(e.similarity for e in evidence)
        near = [e for e in evidence if e.similarity >= max(floor, best - margin)]
        # both poles of an obligation, an outcome or a price were searched for by name: any sentence holding one
        # counts, however unlike the question it is worded
        low = -1.0 if kind in POLES else floor
        extra = [e for e in evidence if e not in near and e.similarity >= low and readings.get((e.source_id, e.start))]
        if kind == "number":  # 'there were 3,559 people' states a population in words unlike the question's
            extra += [e for e in evidence if e not in near and e not in extra and any(
                measured(e.text, r, self.question.subject) for r in readings.get((e.source_id, e.start), ()))]
        return near + extra

    def about(self, kind: str, sentence: str, reading: Reading, source_id: str = "", at: int = -1,
              entities: Iterable[tuple[str, int, int]] = ()) -> bool:
        """Is this value, in this sentence, a value of what the question asks? `at`: where the sentence starts
        in its article, so that 'revoked that order' can be read against the sentence before it; `entities`:
        the sentence's named entities (spaCy label, start, end), when read at index time."""
        if kind == "reason":
            return self._reason_of_asked_event(sentence)
        if kind in ("role", "category"):
            return True  # the extractor read it as said of the asked person or thing
        words = stems(sentence)
        if kind == "number" and measured(sentence, reading, self.question.subject):
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
        if kind in GATED and self.rare & _actors(sentence, clause, entities):
            return False  # the clause is about an entity the question does not name and few articles mention
        if kind in GATED and self._owned_by_another(clause):
            return False  # "Biden's order" when the question asks about an order of no such name
        if kind in GATED and self._points_to_another(clause, source_id, at):
            return False  # 'revoked that order in January 2025', after a sentence on another's order
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
            asked = stems(self.question.text)
            ends, first, second = bool(asked & END_WORDS), range_start(sentence, reading), range_end(sentence, reading)
            if (second and not ends) or (first and ends):
                return False  # '(1848–1912)': the first date is when it began ('born'), the second when it ended
            if life_span(sentence, reading) and ((first and asked & BIRTH_WORDS) or (second and ends)):
                return True  # 'Ann Vale (9 July 1848 – 3 June 1912)': a life span, as reference works print it
            return bool(words & self.terms)
        if kind == "number":
            window = stems(sentence[max(0, reading.start - 25):reading.end + 25])
            others = self.terms - self.subject - {self.predicate}
            return bool(window & (self.subject | {self.predicate})) and (not others or bool(words & others))
        if kind in ("person", "place"):  # the name's own clause says what is asked: 'directed by X', 'held in Y'
            cues = (self.predicates | {self.head}) - {""}
            if cues and not stems(clause) & cues and not (kind == "person" and self._made_by(clause, sentence, reading)):
                return False
        if kind in ("organisation", "person", "place"):
            # a party's member is 'elected as a Republican', not said to be 'affiliated with' or 'belong to' it
            verb_said = not self.predicate or bool(self.predicates & words) or (
                self.predicate in MEMBERSHIP and ASKS_PARTY.search(self.question.text) is not None)
            return verb_said and bool(words & self.terms)
        if kind == "modality":  # 'was participation voluntary?': the thing is often only implied
            # 'could a firm have declined to take part?': declining is the choice asked about, not an event
            if self.predicate and self.question.predicate not in OBLIGATION | CHOICE_VERBS:
                # 'would companies have had to hold back releases?': the obligation asked is to hold back, and
                # a sentence saying taking part was voluntary answers another one
                return bool(self.predicates & words)
            return bool(words & self.things) or len(self.things) <= 1
        if kind == "status":  # the agent or the thing: 'did the council drop the plan' is about the plan too
            # 'did he end up signing it?' names the thing only in the conversation: any thing is allowed
            done_to = undergoer(sentence, reading.start, reading.end) if not self.question.refers_back else set()
            if done_to and not done_to & (self.things | {self.head, self.predicate}):
                return False  # 'canceled the signing ceremony' says what happened to the ceremony
            if done_to and points_back(sentence, reading.start, reading.end) and self._earlier_owner(source_id, at):
                return False  # 'Y's 2023 order required ... The administration revoked that order.'
            return bool(words & self.things)
        if kind == "money":
            return bool(stems(clause) & self.thing)
        if kind == "schedule":  # 'closed on weekends only' is about the closure; 'the ferry runs nightly' is not
            return bool(words & self.things)
        return True

    def _made_by(self, clause: str, sentence: str, reading: Reading) -> bool:
        """A maker asked ('the artist of X'): the clause names the work 'by' someone, or the name owns the work
        ('X's second album')."""
        return self.creator and (bool(self._agents(clause)) or bool(_POSSESSOR.match(sentence, reading.end)))

    def _agents(self, text: str) -> list[int]:
        """Where 'by' follows a word for the asked work within a few words ('the second EP by', 'a symphony
        by'); 'released by' or 'produced by' names a label or a producer, not who made it."""
        return [m.start() for m in _AGENT.finditer(text)
                if stems(" ".join(_WORD.findall(text[:m.start()])[-WORK_WORDS:])) & self.things]

    def nearest(self, sentence: str, found: list[Reading], cues: set[str] | None = None) -> list[Reading]:
        """For a person or place: per mention of what is asked ('directed', 'director', 'held'), the one name
        closest to it within a few words; a sentence listing a cast names one director, not all of them."""
        default = cues is None
        cues = (self.predicates | {self.head}) - {""} if cues is None else cues
        at = [m.start() for m in _WORD.finditer(sentence) if stem(m.group()) in cues]
        chosen: list[Reading] = []
        if default and self.creator:  # 'an EP by X', 'X's second album'
            at += self._agents(sentence)
            chosen += [r for r in found if _POSSESSOR.match(sentence, r.end)]
        for cue in at:
            near = [(min(abs(r.start - cue), abs(cue - r.end)), r) for r in found]
            near = [(d, r) for d, r in near if d <= NEAR_CHARS]
            if near:
                best = min(near, key=lambda dr: dr[0])[1]
                if best not in chosen:
                    chosen.append(best)
        return chosen if cues else found[:1]

    def dated_by_verb(self, sentence: str, found: list[Reading]) -> list[Reading]:
        """For a date: when the sentence uses the asked verb ('established', or another verb of founding for
        one), the date nearest each use within a few words ('established in 1856, rebuilt in 1951' answers
        'established' with 1856); else every date found."""
        cues = set(self.predicates)
        if not cues or len(found) < 2:
            return found
        chosen = self.nearest(sentence, found, cues)
        # the other end of a span a chosen date opens or closes belongs with it
        chosen += [b for a, b in zip(found, found[1:]) if a in chosen and b not in chosen
                   and spanned(sentence, a.start, a.end, b.start)]
        chosen += [a for a, b in zip(found, found[1:]) if b in chosen and a not in chosen
                   and spanned(sentence, a.start, a.end, b.start)]
        return sorted(chosen, key=lambda r: r.start) or found

    def event_dated(self, sentence: str, reading: Reading) -> bool:
        """The date is in the clause that names the asked event ('will close starting March 9' for 'when does it
        shut?'), and is not the day someone said, posted or announced something ('the mayor's office said
        Thursday')."""
        if not self.event_words:
            return False
        if life_span(sentence, reading):
            return True  # 'Ann Vale (9 July 1848 – 3 June 1912)': a birth and a death, as reference works print them
        phrase = _phrase_of(sentence, reading)
        # a capitalised word inside the phrase is a name: 'Sacks' is not the verb 'sack'
        used = {m.group().lower() for m in _WORD.finditer(phrase) if m.start() == 0 or not m.group()[:1].isupper()}
        if not used & self.event_words:
            return False
        return self.event_words & _REPORTING or not _REPORTED.search(sentence[max(0, reading.start - 80):reading.start])

    def names_subject(self, sentence: str) -> bool:
        """The sentence speaks of the question's subject (its telling words, else its rarest)."""
        return bool(stems(sentence) & self.subject_terms)

    def _reason_of_asked_event(self, sentence: str) -> bool:
        """A reason given for an outcome ('delayed it, citing costs') is not the reason for another event the
        question asks about ('what prompted them to draft it?'), unless the sentence names that event too."""
        verbs = self.question.events
        if not verbs or verbs[0] not in CAUSAL_VERBS:
            return True  # no 'what prompted ... to V': the asked event is the question's own verb, read elsewhere
        events = {stem(v) for v in verbs[1:]} - {stem(v) for v in CAUSAL_VERBS | LIGHT_VERBS}
        if not events or extract("status", self.question.text) or not extract("status", sentence):
            return True
        # the event's verb, not the same word as a noun after an article ('delayed signing a draft order')
        used = [m for m in _WORD.finditer(sentence) if stem(m.group()) in events]
        return any(not _ARTICLE_BEFORE.search(sentence[:m.start()]) for m in used)

    def _earlier_owner(self, source_id: str, at: int) -> bool:
        """The sentence before this one gives the asked thing an owner the question does not name."""
        article = self._articles.get(source_id)
        if article is None or at <= 0:
            return False
        before = _SENTENCE_END.split(article.text[max(0, at - 600):at].rstrip())[-1]
        names, asked = {stem(n) for n in proper_names(before)}, self.things | {self.head}
        for m in _NAMED_OWNER.finditer(before):
            owner = stem(m.group("owner"))
            thing = noun_phrase(_WORD.findall(m.group("phrase")))
            if owner in names and owner not in self.asked_words and thing and stem(thing[-1]) in asked:
                return True
        return False

    def _points_to_another(self, clause: str, source_id: str, at: int) -> bool:
        """The clause names the asked thing with 'that' or 'this', and the sentence before gives it an owner the
        question does not name: it is that owner's thing."""
        m = _THAT_THING.search(clause)
        return bool(m and stem(m.group("thing")) in self.things | {self.head} and self._earlier_owner(source_id, at))

    def _owned_by_another(self, clause: str) -> bool:
        """The clause gives the asked thing an owner the question does not name ('Y's order')."""
        if not self.head:
            return False
        for m in _OWNER.finditer(clause):
            if stem(m.group("owner")) not in self.asked_words and stem(m.group("thing")) == self.head:
                return True
        return False


# 'born in Leeds', 'closed at Dover': a place after a preposition of place is where the event happened;
# 'released through Ferret Music': a name after 'through' or 'via' is the means, not who the clause is about
_SETTING = re.compile(r"\b(?:in|at|near|from|outside|inside|across|around|through|via)\s+(?:the\s+)?$", re.I)


def _actors(sentence: str, clause: str, entities: Iterable[tuple[str, int, int]]) -> set[str]:
    """The names in a clause that may be who or what it is about: not the place it happened in ('born in
    Leeds') nor a nationality or group used as an adjective ('an English courtier', 'a Republican senator')."""
    offset = sentence.find(clause)
    described = {sentence[s:e] for label, s, e in entities
                 if label == "NORP" and re.match(r"\s+[a-z]", sentence[e:e + 2])}
    out = set()
    for run in re.finditer(r"\b[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*", clause):  # 'Ferret Music' is one name
        if _SETTING.search(sentence[max(0, offset + run.start() - 12):offset + run.start()]):
            continue
        for m in re.finditer(r"[A-Z][\w’'-]*", run.group()):
            name = m.group().removesuffix("’s").removesuffix("'s")
            if name not in described:
                out.add(name)
    return out & set(proper_names(clause))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_REPORTING = frozenset("said say says told tell announced announce reported report posted post published publish "
                       "stated state wrote write added add confirmed confirm noted note".split())
# 'said Thursday', 'announced on Monday', 'posted by the city's transit division on Wednesday': a few words, no comma
_REPORTED = re.compile(r"\b(?:said|says|told|announced|reported|posted|published|stated|wrote|added|confirmed|noted)"
                       r"(?:\s+[\w’'-]+){0,6}?\s+(?:on\s+)?$")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|this|that|its|their)\s+$", re.I)
# 'Ann Vale's order', 'the Ann Vale administration's 2023 order': a name, then perhaps one word of office
_NAMED_OWNER = re.compile(r"\b(?P<owner>[A-Z][\w-]+)(?: [a-z][\w-]+)?['’]s (?P<phrase>(?:[\w-]+ ){0,4}[\w-]+)")
_THAT_THING = re.compile(r"\b(?:that|this)\s+(?P<thing>[a-z][\w-]+)")
_OWNER = re.compile(r"\b(?P<owner>[A-Z][\w-]+)['’]s (?:[\w-]+ ){0,3}?(?P<thing>[a-z][\w-]+)\b")


_ASIDE = re.compile(r"\([^()]*\)")


def _phrase_of(sentence: str, reading: Reading) -> str:
    """The comma-delimited stretch of the clause holding the value ('which opened in 1971, will close on June 10':
    1971 is the opening's); a phrase fronted before its clause ('Early on June 3, the city closed ...') reaches
    into the next stretch. A bracketed aside not holding the value does not end the clause ('founded as a county
    school (CS) in 1912' is the founding's date)."""
    sentence = _ASIDE.sub(lambda m: m.group() if m.start() <= reading.start < m.end() else " " * len(m.group()),
                          sentence)
    clause = clause_of(sentence, reading.start, reading.end)
    at = sentence.find(clause)
    start, end = reading.start - at, reading.end - at
    left = clause.rfind(",", 0, start) + 1
    right = clause.find(",", end)
    right = len(clause) if right < 0 else right
    if at == 0 and left == 0 and not clause[end:right].strip() and right < len(clause):  # 'Early on May 21, X'
        nxt = clause.find(",", right + 1)
        right = len(clause) if nxt < 0 else nxt
    return clause[left:right]


def _with_kin(terms: set[str]) -> set[str]:
    return {k for t in terms for k in kin(t)}


def _telling(asked: set[str], topic: set[str], df: dict[str, int]) -> set[str]:
    if asked - topic:
        return asked - topic
    rarest = min((df.get(w, 0) for w in asked), default=0)
    return {w for w in asked if df.get(w, 0) == rarest}
