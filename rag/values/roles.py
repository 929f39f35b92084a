"""How a sentence styles a person: 'Maria Lopez, the club secretary,' (current) or 'former adviser X' (former)."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

# general English job titles (heads of a title phrase before a name); an apposition after a name needs none
TITLE_HEADS = (r"adviser|advisor|director|secretary|chief|head|chair(?:man|woman|person)?|president|ceo|officer|"
               r"minister|mayor|governor|commissioner|spokes(?:wo)?man|spokesperson|manager|engineer|inspector|"
               r"councill?or|member|leader|founder|senator|judge|justice|ambassador|attorney general|attorney|"
               r"representative|congress(?:wo)?man|prosecutor|chancellor|premier|treasurer|editor|professor|"
               r"analyst|captain|commander|economist|executive|official|deputy|aide|envoy|chairman|coach|"
               r"superintendent|administrator|sheriff|lawyer|auditor|regulator|strategist")
# words that style a name rather than being one ('Senator Ann Vale', 'General Reed', 'Sir John')
HONORIFICS = (r"general|admiral|colonel|major|lieutenant|sergeant|commodore|marshal|king|queen|prince|princess|"
              r"emperor|empress|sultan|tsar|czar|saint|st|pope|bishop|archbishop|cardinal|rabbi|imam|reverend|"
              r"rev|father|sir|lord|lady|dame|baron|baroness|count|countess|duke|duchess|earl|dr|mr|mrs|ms|miss")
_STYLE = re.compile(rf"(?:{TITLE_HEADS}|{HONORIFICS})\.?", re.I)


def is_style(word: str) -> bool:
    """A title or honorific a name may carry ('Senator', 'Judge', 'General'), not a name itself."""
    return bool(_STYLE.fullmatch(word))


_NAME = r"(?P<name>(?:[A-Z][\w’'.-]+ ){0,2}[A-Z][\w’'-]+)"
_TITLE_AFTER = re.compile(rf"{_NAME}(?:,| \()\s*(?P<title>(?:the |a |an |former |then-)[^,;()]{{3,80}}?)"
                          rf"(?:,| \)|\)| who\b| said\b|[.;]|$)")
_GIVEN = re.compile(r"\b[A-Z][a-z’'-]+ $")
_CONJUNCTION = re.compile(r"^(?:and|or|&|with|nor)$", re.I)
_FORMER = re.compile(r"^(?:former|ex-\w*|erstwhile|one-time|onetime|then-\w*)$", re.I)
_TITLE_WORD = re.compile(rf"\b(?:former|ex-|{TITLE_HEADS})\b", re.I)


def roles(sentence: str, context: Context | None = None) -> list[Reading]:
    """Titles given to any of the context's people (matched on their last name)."""
    out = []
    for person in (context.people if context else ()):
        out += roles_of(sentence, person)
    return out


def roles_of(sentence: str, person: str) -> list[Reading]:
    surname = person.split()[-1]
    found = []
    for m in re.finditer(rf"\b{re.escape(surname)}\b", sentence):
        given = " ".join(person.split()[:-1]) + " "
        name_start = m.start() - len(given) if given.strip() and sentence[:m.start()].endswith(given) else m.start()
        while not given.strip() and (g := _GIVEN.search(sentence[:name_start])) and not _TITLE_WORD.match(g.group()):
            name_start = g.start()  # asked by surname: 'coach John Reed', the given name is not the title
        clause_start = max((b.end() for b in re.finditer(r"[,;:()—–]", sentence[:name_start])), default=0)
        words = list(re.finditer(r"\S+", sentence[clause_start:name_start]))[-6:]
        conjunction = max((i + 1 for i, w in enumerate(words) if _CONJUNCTION.match(w.group())), default=0)
        words = words[conjunction:]  # 'coach Ann Vale and John Reed': the title is the other person's
        if words and _TITLE_WORD.search(" ".join(w.group() for w in words)) and words[-1].end() + clause_start \
                == name_start - 1:
            found.append(_reading(sentence, clause_start + words[0].start(), clause_start + words[-1].end(), person))
    for m in _TITLE_AFTER.finditer(sentence):
        if m.group("name").split()[-1].lower() == surname.lower():
            found.append(_reading(sentence, m.start("title"), m.end("title"), person))
    return found


def _reading(sentence: str, start: int, end: int, person: str) -> Reading:
    """Keep the words from 'former' on, else the last three words of the title phrase."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", sentence[start:end])]
    former = [i for i, (_, _, w) in enumerate(words) if _FORMER.match(w)]
    kept = words[former[0]:] if former else words[-3:]
    return Reading(Key("role", text=("former" if former else "current")), kept[0][0], kept[-1][1], label=person)
