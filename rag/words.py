"""The word-level English every rule shares: a crude stem, content stems, candidate names, a value's clause."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.evidence import STOPWORDS

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


def proper_names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: candidate names."""
    found = re.finditer(r"(?<![.!?:—–\"“]\s)(?<!\n)(?<!^)(?<![\"“(\n])\b([A-Z][a-z][\w’'-]*?)(?:['’]s)?\b", text)
    return list(dict.fromkeys(m.group(1) for m in found if m.group(1) not in CALENDAR))


def clause_of(sentence: str, start: int, end: int) -> str:
    """The stretch of the sentence between the clause breaks around [start, end)."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            return sentence[left:m.start()]
    return sentence[left:]
