"""What a value in a sentence is attached to, read from the words around it (no parse of the evidence):
the thing an outcome verb happens to, the measure a figure counts and the year it is given for, and which end
of a date range a date is.
"""

from __future__ import annotations

import re

from rag.values import Reading
from rag.words import CALENDAR, WORD as _WORD, clause_of, stem, stems

_LIFE_SPAN = re.compile(r"[A-Z][\w'’.-]*\s*\(\s*(?:born\s+)?(?:[^()]{0,25}[–—-]\s*)?$")
_RANGE_END = re.compile(r"\d\s*(?:–|—|-|to|until)\s*$")
_RANGE_START = re.compile(r"\s*(?:–|—|-|to|until)\s*(?:[A-Z][a-z]+\.? )?\d")
BIRTH_WORDS = stems("born bear birth")
END_WORDS = stems("die died death end ended close closed dissolve dissolved demolish demolished retire retired "
                  "disband")


def range_end(sentence: str, reading: Reading) -> bool:
    """The second date of a range: '(1848–1912)', 'from 1964 to 1982'."""
    return bool(_RANGE_END.search(sentence[:reading.start]))


def range_start(sentence: str, reading: Reading) -> bool:
    """The first date of a range, or a span read as one slice ('1902–1903')."""
    return bool(_RANGE_START.match(sentence[reading.end:]) or _SPAN.search(sentence[reading.start:reading.end]))


_SPAN = re.compile(r"\d\s?[–—-]\s?\d")


_SPAN_OPEN = re.compile(r"\b(?:between|from)\s+(?:the\s+)?$", re.I)
_SPAN_JOIN = re.compile(r"^\s*(?:[a-z]+\s+)?(?:(?P<and>and)|to|until|through|till|[–-])\s+(?:the\s+)?$", re.I)


def spanned(sentence: str, start: int, end: int, next_start: int) -> bool:
    """The value at [start, end) and the one at next_start are the ends of one span: 'between Monday evening and
    Tuesday noon', 'from May 3 to May 9'."""
    join = _SPAN_JOIN.match(sentence[end:next_start])
    return bool(join) and (not join.group("and") or bool(_SPAN_OPEN.search(sentence[:start])))


def life_span(sentence: str, reading: Reading) -> bool:
    """A date inside the parenthesis after a name: 'Ann Vale (9 July 1848 – 3 June 1912)', '(born 1945)'."""
    return bool(_LIFE_SPAN.search(sentence[:reading.start]))


# what a measurement question asks for; a population is also stated as a head count: 'there were 3,559 people',
# 'home to 900 residents', '2,772 inhabitants'
MEASURES = frozenset(stem(w) for w in "population height elevation altitude depth width area capacity attendance "
                     "weight distance circumference diameter".split())
# 'there were 3,559 people', 'the 2010 census counted 3,171 people': a head count
_HEAD_COUNT = re.compile(r"(?:\bthere (?:are|were|is|was)|\bhome to|\bhad|\bhas|"
                         r"\bcensus\b.{0,40}?\b(?:counted|found|recorded|enumerated|showed|reported|listed))\s+"
                         r"(?:about |approximately |some |"
                         r"around |nearly |over |roughly )?$", re.I)
_RESIDENTS = re.compile(r"\s+(?:residents|inhabitants|people (?:live|lived|living|reside|resided|residing))\b", re.I)
# what may stand between a measure noun and its figure: 'population of', 'population was', 'population in 2010:'
# (not 'population density was', a different measure)
_LINKS = re.compile(r"^\W*(?:$|(?:of|was|is|were|are|in|at|as|stood|totaled|totalled|reached|estimated|about|"
                    r"approximately|around|nearly|over|some)\b)", re.I)
_PEOPLE = re.compile(r"\s+(?:people|persons|residents|inhabitants)\b", re.I)


def measured(sentence: str, reading: Reading, subject: str) -> str:
    """How a number is attached to the measure a question's subject names: 'noun' when the measure noun is a
    few words before it ('population was', 'a length of'), 'count' when it is a head count of residents
    ('there were 8,930 people', '2,772 inhabitants') and a population is asked, else ''."""
    measures = stems(subject) & MEASURES  # the measure, even when every article names it
    if not measures:
        return ""
    for m in _WORD.finditer(sentence[:reading.start]):
        between = _A_YEAR.sub("", sentence[m.end():reading.start])
        # 'population was 3,559', 'Population in 2010: 5,000'; not the '1,085' of 'a population of 3,046,
        # 1,085 households', which another figure separates from the noun
        if (stem(m.group()) in measures and _LINKS.match(between) and len(_WORD.findall(between)) <= 4
                and not re.search(r"\d", between)):
            return "noun"
    # what follows the figure itself: the slice may hold its counted noun ('3,559 people')
    figure = re.match(r"[\d.,]*\d", sentence[reading.start:reading.end])
    rest = sentence[reading.start + figure.end():] if figure else sentence[reading.end:]
    if re.match(r"\s*(?:per\b|/)", rest):
        return ""  # '36.4 people per square mile' is a density
    if stem("population") in measures and (_RESIDENTS.match(rest) or (
            _PEOPLE.match(rest) and _HEAD_COUNT.search(sentence[:reading.start]))):
        return "count"
    return ""


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
        lead = _DEMONSTRATIVE.match(rest)  # 'revoked that order': 'that' opens the object, not a clause
        stop = _NP_END.search(rest, lead.end() if lead else 0)
        phrase = rest[:stop.start()] if stop else rest
    words = _WORD.findall(phrase)
    if not words or len(words) > 16:
        return set()
    if words[0].lower() in _PRONOUNS - {"its", "their"} and not (words[0].lower() in DEMONSTRATIVES and len(words) > 1):
        return set()  # 'cancelled it'; but 'revoked that order' names an order, which an earlier sentence owns
    heads = set()
    for i, part in enumerate(re.split(r"\s+(?:of|on)\s+", phrase)):
        found = noun_phrase(_WORD.findall(part))
        if not found or (i and (found[0] in CALENDAR or found[0][0].isdigit())):
            break  # 'on May 21' is when, not what
        heads.add(stem(found[-1]))
    return heads


DEMONSTRATIVES = frozenset("this that these those".split())
_DEMONSTRATIVE = re.compile(r"\s*(?:this|that|these|those)\s+(?=[a-z])", re.I)


def points_back(sentence: str, start: int, end: int) -> bool:
    """The thing an outcome verb happens to is named with 'that'/'this' ('revoked that order'): it is the one
    an earlier sentence spoke of, which may not be the one asked about."""
    before = _BEING.search(sentence[:start])
    phrase = sentence[:before.start()].rstrip() if before else sentence[end:]
    words = _WORD.findall(phrase)
    if not words:
        return False
    first = words[-2] if before and len(words) >= 2 else words[0]
    return first.lower() in DEMONSTRATIVES


_DETERMINERS = frozenset("a an the its their his her this that these those our your my".split())


def noun_phrase(words: list[str]) -> list[str]:
    """The words up to a participle that follows a noun ('a scaled-back order requiring companies'): a participle
    after 'the', an adverb or another modifier is a modifier too ('the signing ceremony', 'a highly anticipated
    order', 'a revised parking ordinance')."""
    for i, w in enumerate(words[1:], start=1):
        before = words[i - 1].lower()
        if re.search(r"(?:ing|ed)$", w) and before not in _DETERMINERS and not _MODIFIER.search(before):
            return words[:i]
    return words


_MODIFIER = re.compile(r"(?:ly|ed|ing|al|ive|ous|ful|ic|-\w+|^\d+)$")  # a year too: "the 2019 parking plan"


_A_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def year_of(sentence: str, reading: Reading) -> int:
    """The year a figure is given for: 'in 2010' right after it, else the nearest year before it in its clause."""
    after = re.match(r"\s*(?:\w+\s+){0,2}?(?:in|as of)\s+(1[89]\d\d|20\d\d)\b", sentence[reading.end:])
    if after:
        return int(after.group(1))
    clause = clause_of(sentence, reading.start, reading.end)
    offset = sentence.find(clause)
    before = [m for m in _A_YEAR.finditer(clause) if offset + m.end() <= reading.start]
    return int(before[-1].group(1)) if before else 0


def latest(sentence: str, found: list[Reading]) -> list[Reading]:
    """Counts of one measure for different years in one sentence ('its 2016 population of 11,947, a change
    from its 2011 population of 12,278'): the latest year's is what the sentence reports, the rest history."""
    years = [year_of(sentence, r) for r in found]
    if len({y for y in years if y}) < 2:
        return found
    last = max(y for y in years if y)
    return [r for r, y in zip(found, years) if y in (last, 0)]
