"""Outcomes a sentence asserts as having happened: postponed, cancelled, signed (not 'would be signed')."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

# outcomes said as the state a thing is in, which a question may use as they are ('is it on hold?')
STATE_PHRASES = r"on hold|on ice|in limbo|on the back burner|off the table"
STATUS_WORDS = {
    "delayed": r"postpon\w*|delay\w*|put off|pushed back|shelv\w*|paus\w*|defer\w*|held off|on hold|reschedul\w*|"
               r"stall(?:ed|s|ing)?|suspend\w*|on ice|in limbo|on the back burner",
    "cancelled": r"cancel\w*|scrap\w*|kill\w*|withdr[ae]w\w*|abandon\w*|dropp?ed|pull(?:ed|ing) the plug|rejected|"
                 r"call(?:ed|ing|s)? off|"
                 r"repeal\w*|revok\w*|rescind\w*|dead|defunct|off the table",
    "done": r"signed|approved|enacted|passed|adopted|finali[sz]ed|reopened|completed|issued|took effect|"
            r"signs|approves|enacts|adopts|reopens|in effect|in force",
}
_STATUS = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in STATUS_WORDS.items()}
_NOT_YET = re.compile(r"\b(?:would|will|to be|whether|if|before|could|might|may|plan\w* to|expected to|set to|"
                      r"not|never|n['’]t|yet to)\b(?:\s+\w+){0,2}\s*$", re.I)
_ATTRIBUTIVE = re.compile(r"^\s+(?:by|in|on)\b", re.I)


def statuses(sentence: str, context: Context | None = None) -> list[Reading]:
    found = []
    for status, pattern in _STATUS.items():
        for m in pattern.finditer(sentence):
            if _NOT_YET.search(sentence[max(0, m.start() - 40):m.start()]):
                continue
            found.append(Reading(Key("status", text=status), m.start(), m.end()))
    return sorted(found, key=lambda r: r.start)


def enacted(sentence: str) -> bool:
    """The sentence states an enacted state in its own words (signed, took effect), as having happened."""
    return any(r.key.text == "done" for r in statuses(sentence))
