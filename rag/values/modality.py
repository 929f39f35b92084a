"""Voluntary or required: obligation words, their negation, and a stated change from one to the other."""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

NEGATION = re.compile(r"\b(?:not|no|never|without|nor|neither)\b|n['’]t\b", re.I)
_VOLUNTARY = re.compile(r"\b(voluntar\w*|optional|opt[- ]in|opt(?:ional)?ly)\b", re.I)
_REQUIRED = re.compile(r"\b(requir\w*|mandat\w*|compel\w*|compulsory|obligat\w*|forced?|must|have to|has to)\b", re.I)
EVOLUTION = re.compile(r"\b(originally|initially|at first|previously|earlier)\b.*\b(later|then|subsequently|"
                       r"eventually|now|since)\b", re.I)


def modality(sentence: str, context: Context | None = None) -> list[Reading]:
    """One reading when the sentence states one modality; two (earlier first) when it states a change from
    one to the other; none when it names both without a change of state."""
    marks: list[Reading] = []
    for pattern, value in ((_VOLUNTARY, "voluntary"), (_REQUIRED, "required")):
        for m in pattern.finditer(sentence):
            window = max(0, m.start() - 30)
            before = sentence[window:m.start()]
            tail = before.split(",")[-1]
            negation = list(NEGATION.finditer(tail))
            negated = bool(negation)
            start = window + len(before) - len(tail) + negation[-1].start() if negated else m.start()
            if value == "required" and negated:
                here = "voluntary"
            elif value == "voluntary" and negated:
                here = "required" if m.group(1).lower().startswith("voluntar") else None
            else:
                here = value
            if here:
                marks.append(Reading(Key("modality", text=here), start, m.end()))  # 'not required', whole
    marks.sort(key=lambda r: r.start)
    values = [r.key.text for r in marks]
    if len(set(values)) > 1:
        if EVOLUTION.search(sentence):
            return [marks[0], next(r for r in reversed(marks) if r.key.text != marks[0].key.text)]
        return []
    return marks[:1]


# the words a reader needs around an obligation word in a lead: 'would require government evaluation', not the
# bare 'require'; 'a voluntary mechanism', not 'voluntary'
_AUXILIARIES = re.compile(r"(?:\b(?:would|will|could|should|must|may|might|can|to|have|has|had|be|been|being|is|was|"
                          r"are|were|not|never)\s+)+$", re.I)
_DETERMINER = re.compile(r"\b(?:a|an|the|purely|entirely|largely|strictly)\s+$", re.I)
_OBJECT_WORD = re.compile(r"\s+([A-Za-z][\w’'-]*)")
_PHRASE_END = frozenset("of to for before after that which who with by in on from and or but as at than until "
                        "while when if because".split())
OBJECT_WORDS = 4  # words of a verb's object kept ('would have required pre-release government security reviews')


def phrase(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of a modality reading widened to the phrase it heads, within the sentence."""
    word = sentence[start:end]
    verb = not re.fullmatch(r"(?:voluntar\w*|optional|mandatory|compulsory)", word.split()[-1], re.I)
    before = (_AUXILIARIES if verb else _DETERMINER).search(sentence[:start])
    if before:
        start = before.start()
    for _ in range(OBJECT_WORDS if verb else 1):
        m = _OBJECT_WORD.match(sentence, end)
        if not m or m.group(1).lower() in _PHRASE_END:
            break
        end = m.end()
    return start, end
