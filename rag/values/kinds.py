"""What a named thing is, as a sentence defines it: 'Big Girl is a Canadian short film, directed by ...' says
the kind of thing ('a Canadian short film'). Read from the shape reference works and news use to introduce a
name: the name, perhaps a '(qualifier)' and a word or two, a form of 'be', then a noun phrase.
"""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

# where the defining noun phrase stops: a clause break, a relative word, a preposition that starts what the thing
# does or where it is, or a participle that starts a description ('directed by', 'spoken in', 'born in')
_END = re.compile(r"[,;:()\[\]—–.!?\"“”]|\s(?:that|which|who|whose|from|by|in|on|at|with|for|since|"
                  r"until|under|between|during|after|before|located|based|known|born|spoken|written|directed|"
                  r"produced|released|published|founded|formed|established|made|used|starring|featuring)\b")
_DETERMINER = re.compile(r"^(?:an?|the|one of the)\s+", re.I)
_BE = r"(?:is|was|are|were|has been|had been|is also|was also)"
MAX_WORDS = 12


def categories(sentence: str, context: Context) -> list[Reading]:
    """For each asked name (Context.people), the noun phrase the sentence says it is; its key is the phrase's
    words without articles or years, so only equal wordings share a position."""
    out: list[Reading] = []
    for name in context.people:
        if ACRONYM.fullmatch(name):  # 'What does VCD refer to?': what the letters stand for, where defined
            out += _expansions(sentence, name)
        pattern = re.compile(rf"\b{_spelled(name)}\b(?:\s*\([^()]{{1,60}}\))?(?:\s+[\w'’-]+){{0,2}}?\s+{_BE}\s+"
                             rf"(?P<what>(?:an?|the|one of the)\s+[^,;:()]{{2,120}})", re.I)
        for m in pattern.finditer(sentence):
            start = m.start("what")
            phrase = m.group("what")
            stop = _END.search(phrase, len(_DETERMINER.match(phrase).group()) if _DETERMINER.match(phrase) else 0)
            phrase = phrase[:stop.start()] if stop else phrase
            phrase = phrase.rstrip()
            words = _DETERMINER.sub("", phrase).split()
            if not words or len(words) > MAX_WORDS:
                continue
            key = " ".join(w.lower() for w in words if not re.fullmatch(r"\d{4}", w))
            asks_field = bool(_ASKS_FIELD.search(context.question or ""))
            field = _field(phrase, sentence[start + len(phrase):]) if asks_field else None
            if field:  # 'what sport is X associated with?': 'a former Welsh snooker player' answers 'snooker'
                a, b = field
                out.append(Reading(Key("category", text=phrase[a:b].lower()), start + a, start + b))
            elif key:
                out.append(Reading(Key("category", text=key), start, start + len(phrase)))
    return sorted(out, key=lambda r: r.start)


_ASKS_FIELD = re.compile(r"\b(?:sport|sports|game|discipline)\b", re.I)
# nouns of a role or body within a field of play: the words before them name the field ('snooker player',
# 'ice hockey team'); status words before the field are not part of it
_FIELD_HEADS = re.compile(r"\b(?:player|players|coach|club|team|tournament|league|competition|event|championships?|"
                          r"manager|umpire|referee|official|administrator|commentator|executive|athlete|"
                          r"international)\b")
_STATUS = frozenset("a an the former retired professional semi-professional amateur international national college "
                    "collegiate junior senior youth under-age women's men's ranking major minor olympic paralympic "
                    "world top leading famous notable current".split())
_PEOPLES = re.compile(r"(?:an|ic|ish|ese)$")
_AGENT = re.compile(r"\b([a-z]{3,}?)(?:er|ers)\b")


def _field(phrase: str, rest: str = "") -> tuple[int, int] | None:
    """Where the phrase names a field of play: the words before a role or body noun ('a former Welsh snooker
    player': 'snooker'; 'a Gaelic football coach': 'Gaelic football'), else the field an agent noun is
    made from when the sentence also uses it as a word ('footballer who played in the Football League': 'football')."""
    head = _FIELD_HEADS.search(phrase)
    if head:
        words = list(re.finditer(r"[\w'’-]+", phrase[:head.start()]))
        kept = []
        for m in reversed(words):
            w = m.group()
            if w.lower() in _STATUS:
                break
            if w[:1].isupper():  # a people's adjective may name the field ('Gaelic football'); 'Tour' not
                if kept and _PEOPLES.search(w):
                    kept.append(m)
                break
            kept.append(m)
        if kept:
            return kept[-1].start(), kept[0].end()
    for m in _AGENT.finditer(phrase):
        if re.search(rf"\b{m.group(1)}\b", phrase[m.end():] + " " + rest, re.I):
            return m.start(1), m.end(1)
    return None


ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,6}\b")  # letters standing for a name: VCD, SFJ
_SMALL = frozenset("of and for the in on de du la le von van der to a an at".split())


def _expansions(sentence: str, acronym: str) -> list[Reading]:
    """'vibrational circular dichroism (VCD)', 'the sapheno-femoral junction (SFJ)': the words before the
    bracketed letters whose initials (of each hyphenated part; small words may be skipped) spell them."""
    out = []
    letters = acronym.replace("&", "").lower()
    for m in re.finditer(rf"\(\s*{re.escape(acronym)}\s*\)", sentence):
        words = list(re.finditer(r"[\w'’]+(?:-[\w'’]+)*", sentence[:m.start()]))[-2 * len(letters) - 2:]
        initials, start = "", None
        for w in reversed(words):
            parts = [x for x in w.group().split("-") if x]
            if w.group().lower() in _SMALL and initials:
                continue
            initials = "".join(x[0].lower() for x in parts) + initials
            start = w.start()
            if initials == letters:
                end = words[-1].end()
                out.append(Reading(Key("category", text=sentence[start:end].lower()), start, end))
                break
            if not letters.endswith(initials):
                break
    return out


def _spelled(name: str) -> str:
    """The name as a sentence may spell it: 'Henry Moseley' also as 'Henry Gwyn Jeffreys Moseley', 'C. Mayer' as
    'Christa Mayer' (a first name or initial, middle names, the last name)."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return re.escape(name)
    first, last = words[0], words[-1]
    given = rf"{re.escape(first[0])}[\w'’-]*\.?" if re.fullmatch(r"[A-Z]\.", first) else re.escape(first)
    return rf"{given}(?:\s+[A-Z][\w'’.-]*){{0,3}}\s+{re.escape(last)}"
