"""Organisations named in a sentence, acronyms expanded so 'WHO' == 'World Health Organization'."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

_ORG_HEAD = (r"Department|Agency|Office|Council|Institute|Center|Centre|Administration|Commission|Bureau|"
             r"Service|Authority|Board|Ministry|Committee|Congress|Senate|Parliament|Court|Directorate|Division|"
             r"Corporation|Company|Association|Foundation|Union|Force|Guard|Police|Party|League|Alliance|Front")
_SINGLE = {"Congress", "Senate", "Parliament"}  # institutions whose one-word name is unambiguous in English
_CAP = r"(?:(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][\w&'’.-]*)"
# 'Bureau of Arts and Letters' is one name; 'Bureau of Arts and the Water Board' two
_AND_NOT_ORG = rf"(?: and (?!(?:the )?(?:{_CAP} )*(?:{_ORG_HEAD})\b){_CAP}(?: {_CAP})*)?"
_ORG = re.compile(rf"\b(?:the )?((?:{_CAP} (?:(?:of|for|on) (?:the )?|and )?)*(?:{_ORG_HEAD})(?: (?:of|for|on) "
                  rf"(?:the )?{_CAP}(?: {_CAP})*{_AND_NOT_ORG})*)")
ASKS_PARTY = re.compile(r"\bpart(?:y|ies)\b", re.I)  # a question asking for a political party
_PARTY_HEAD = re.compile(r"\b(?:Party|League|Alliance|Front|Movement|Coalition|Federation|Bloc)\b")
_ACRONYM = re.compile(r"\b([A-Z]{2,6})\b")
_ACRONYM_DEF = re.compile(r"((?:[A-Z][\w'’-]*\s(?:(?:of|for|and|on|the)\s)*){1,8})\(([A-Z]{2,6})\)")


def acronyms(text: str) -> dict[str, str]:
    """'World Health Organization (WHO)' -> {'WHO': 'World Health Organization'} for one article's text."""
    out = {}
    for m in _ACRONYM_DEF.finditer(text):
        words, acro = m.group(1).split(), m.group(2)
        phrase: list[str] = []
        for word in reversed(words):  # walk back until the capitals spell the acronym
            phrase.insert(0, word)
            initials = "".join(w[0] for w in phrase if w[0].isupper())
            if initials == acro:
                out[acro] = " ".join(phrase)
                break
            if len(initials) > len(acro):
                break
    return out


def organisations(sentence: str, context: Context | None = None) -> list[Reading]:
    known = context.acronyms if context else {}
    expanded = {v.lower(): k for k, v in known.items()}
    found: list[Reading] = []
    for m in _ORG.finditer(sentence):
        raw = m.group(1).strip()
        lead = re.match(r"^(?:The|A|An) ", raw)
        start = m.start(1) + (lead.end() if lead else 0)
        name = sentence[start:m.end(1)].strip()
        if len(name.split()) == 1 and name not in _SINGLE:
            continue
        found.append(Reading(Key("organisation", text=expanded.get(name.lower(), name)), start, start + len(name)))
    asks_party = bool(context and ASKS_PARTY.search(context.question))
    if asks_party:  # a legislature or a court is not a party: 'elected as a Republican to the 36th Congress'
        found = [r for r in found if _PARTY_HEAD.search(r.key.text)]
    taken = [(r.start, r.end) for r in found]
    if asks_party:  # a party is also named by its members' word: 'a Republican'
        for label, s, e in context.entities:
            if label == "NORP" and not any(a < e and s < b for a, b in taken) and 0 <= s < e <= len(sentence):
                found.append(Reading(Key("organisation", text=sentence[s:e]), s, e))
    taken = [(r.start, r.end) for r in found]
    for m in _ACRONYM.finditer(sentence):
        if m.group(1) in known and not any(s <= m.start() < e for s, e in taken):
            found.append(Reading(Key("organisation", text=m.group(1)), m.start(), m.end()))
    return sorted(found, key=lambda r: r.start)


def names(sentence: str, context: Context | None = None) -> set[str]:
    return {r.key.text for r in organisations(sentence, context)}
