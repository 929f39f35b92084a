"""The word-level English every rule shares: a crude stem, content stems, candidate names, a value's clause."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.evidence import STOPWORDS

# verbs that say nothing about which event is meant ('make a decision', 'was supposed to')
LIGHT_VERBS = frozenset("be have do get make take go say able suppose".split())

_SUFFIXES = ("ments", "ment", "ings", "ing", "ures", "ure", "ions", "ion", "ers", "er", "ied", "ies", "ed", "es", "s",
             "e", "y")
CALENDAR = frozenset("January February March April May June July August September October November December Monday "
                     "Tuesday Wednesday Thursday Friday Saturday Sunday".split())
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_CLAUSE_BREAK = re.compile(r"[;:()—–]|,\s+(?=(?:which|who|while|but|though|although|whereas|as|after|before)\b)")


@lru_cache(maxsize=65536)  # a pure function of the word, called for every word of every article
def stem(word: str) -> str:
    """A crude English stem, enough to make 'closure', 'closed' and 'close' meet ('clos')."""
    w = word.lower().strip("'’")
    if w.endswith(("'s", "’s")):
        w = w[:-2]  # a possessive is its noun: "Women's" meets 'women'
    if len(w) == 4 and w.endswith("ied"):
        w = w[:-1]  # 'died' meets 'die' ('tied', 'lied'): too short to lose '-ed'
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:6]


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning."""
    return frozenset(stem(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1)


# verbs (with their event nouns) and a few nouns that news writing uses for one another, so a question asking
# one is answered by a sentence using another. A class never holds opposites ('open' and 'close', 'approve' and
# 'reject').
_KIN = (
    "establish establishment found foundation open form formation create creation incorporate incorporation launch "
    "build built construct construction erect inaugurate charter",  # coming into being
    "close closure shut shutdown",
    "inspect inspection inspector check examine examination assess assessment audit monitor",
    "finish complete completion conclude",
    "begin beginning start commence",
    "approve approval ratify endorse authorise authorize",
    "decide decision determine determination choose choice pick select selection",
    "contract deal agreement pact accord",  # nouns: what is agreed
    "event ceremony occasion",  # nouns: what is held
)
_KIN_OF = {w: frozenset(stem(x) for x in line.split()) for line in _KIN for w in (stem(x) for x in line.split())}


_KIN_WORDS = {w: tuple(line.split()) for line in _KIN for w in (stem(x) for x in line.split())}


def inflections(word: str) -> frozenset[str]:
    """The regular English inflections of a verb or noun: 'close' -> closes, closed, closing; 'stop' -> stopped."""
    w = word.lower()
    out = {w, w + "s", w + "es", w + "ed", w + "ing", w + "d"}
    if w.endswith("e"):
        out |= {w[:-1] + "ing"}
    if w.endswith("y"):
        out |= {w[:-1] + "ied", w[:-1] + "ies"}
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return frozenset(out)


_NOUN_ENDINGS = ("ure", "ion", "ment", "down", "al", "or")


def kin_verbs(word: str) -> frozenset[str]:
    """kin_words without the event nouns ('closure', 'inspection'): a date next to 'defended the closure' is the
    day of the defence, one next to 'will close' the day of the closing."""
    return frozenset(f for w in _KIN_WORDS.get(stem(word), (word,)) if not w.endswith(_NOUN_ENDINGS) or w == word
                     for f in inflections(w))


def kin(word_stem: str) -> frozenset[str]:
    """The stem and those of the verbs English uses in its place ('shut' -> also 'close', 'closure')."""
    return _KIN_OF.get(word_stem, frozenset((word_stem,)) if word_stem else frozenset())


def proper_names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: candidate names."""
    found = re.finditer(r"(?<![.!?:—–\"“]\s)(?<!\n)(?<!^)(?<![\"“(\n])\b([A-Z][a-z][\w’'-]*?)(?:['’]s)?\b", text)
    return list(dict.fromkeys(m.group(1) for m in found if m.group(1) not in CALENDAR
                              and m.group(1).removesuffix("s") not in CALENDAR))  # 'on Saturdays' too


def clause_of(sentence: str, start: int, end: int) -> str:
    """The stretch of the sentence between the clause breaks around [start, end)."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            return sentence[left:m.start()]
    return sentence[left:]
