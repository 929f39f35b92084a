"""The clause a sentence gives as a cause: 'because of corrosion found in the cables'."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

_CLAUSE = r"[\"“]?(?P<clause>(?:[^.;:!?]|(?<=\b[A-Z])\.){6,160})"
_CAUSE = re.compile(r"\b(?:because(?: of)?|due to|owing to|the (?:main |real |official |unofficial |stated )?"
                    r"reasons? (?:is|was|for)|citing|cited|blamed|attributed (?:\w+ )?to|in response to|"
                    r"prompted by|driven by|on the grounds that|(?<=ed) after|(?<=ed) over|amid)\b\s*" + _CLAUSE, re.I)
_REASON_LEAD = re.compile(r"\breasons?\b(?:[^.;:]{0,60}?\b(?:is|was) that|\s*(?:is|was|:))\s*[\"“]?"
                          r"(?P<clause>(?:[^.;!?]|(?<=\b[A-Z])\.){6,160})", re.I)
_STRIP = " ,—–-\"“”'"


def reasons(sentence: str, context: Context | None = None) -> list[Reading]:
    m = _REASON_LEAD.search(sentence) or _CAUSE.search(sentence)
    if not m:
        return []
    start = m.start("clause")
    clause = re.split(r',["”]|["”],|["”] (?=[a-z])', m.group("clause"))[0]  # stop where a quotation ends
    lead = len(clause) - len(clause.lstrip(_STRIP))
    clause = clause.strip(_STRIP)
    if not clause:
        return []
    start += lead
    return [Reading(Key("reason", text=clause.lower()), start, start + len(clause))]
