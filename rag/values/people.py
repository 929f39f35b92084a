"""People and places a sentence names, read from the entity spans stored at index time (no parse here).

A name the question itself holds is never an answer to it ('Who was X's father?' is not answered by 'X'),
and a leading article or trailing possessive is not part of a name, so 'the Hague' == 'The Hague'.
"""

from __future__ import annotations

from rag.types import Key
from rag.values import Context, Reading

PERSON = frozenset({"PERSON"})
PLACE = frozenset({"GPE", "LOC", "FAC"})


def people(sentence: str, context: Context) -> list[Reading]:
    return _named(sentence, context, PERSON, "person")


def places(sentence: str, context: Context) -> list[Reading]:
    return _named(sentence, context, PLACE, "place")


def _named(sentence: str, context: Context, labels: frozenset[str], kind: str) -> list[Reading]:
    asked = context.question.lower()
    out: list[Reading] = []
    for label, start, end in context.entities:
        if label not in labels or not 0 <= start < end <= len(sentence):
            continue
        start, end = _trimmed(sentence, start, end)
        text = sentence[start:end].lower()
        if not text or text in asked:
            continue
        out.append(Reading(Key(kind, text=text), start, end))
    return out


def _trimmed(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the' and a trailing possessive from an entity's span."""
    words = sentence[start:end]
    if words.lower().startswith("the "):
        start += 4
    if sentence[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end
