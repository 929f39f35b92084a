"""People and places a sentence names, read from the entity spans stored at index time (no parse here).

A name the question itself holds is never an answer to it ('Who was X's father?' is not answered by 'X'),
and a leading article or trailing possessive is not part of a name, so 'the Hague' == 'The Hague'.
"""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

PERSON = frozenset({"PERSON"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
TOWNS = frozenset({"GPE"})  # towns, regions and countries
_LOCATED = re.compile(r"\bwhere\b.*\b(?:located|situated|based|found|lies?)\b|\bin which (?:city|town|state|country|"
                      r"county|region|province)\b", re.I)


def people(sentence: str, context: Context) -> list[Reading]:
    return _named(sentence, context, PERSON, "person")


# 'an album by British folk trio Grey Owls, released ...': the capitalised name that ends the phrase after
# 'by', past its lower-case (and capitalised) describing words
_BY_NAME = re.compile(r"\bby\s+(?:[\w-]+\s+){0,6}?(?P<name>[A-Z](?:\.|[\w'’&-]*)(?:\s+(?:[A-Z](?:\.|[\w'’&-]*)|of|the|and|&)"
                      r")*?)(?=\s*(?:[,.;:()]|$)|\s+(?:released|recorded|in|on|from|with|and|which|that|who|for|as|"
                      r"at|under)\b)")


def makers(sentence: str, context: Context) -> list[Reading]:
    """Who made a work: a person, or a band, studio or firm (an ORG entity), read as a person; else the name that
    ends a phrase after 'by' when the recogniser found none there."""
    found = _named(sentence, context, PERSON | {"ORG"}, "person")
    asked = context.question.lower()
    for m in _BY_NAME.finditer(sentence):
        start, end = _trimmed(sentence, m.start("name"), m.end("name"))
        text = sentence[start:end].lower()
        if text and text not in asked and not any(r.start < end and start < r.end for r in found):
            found.append(Reading(Key("person", text=text), start, end))
    return sorted(found, key=lambda r: r.start)


def places(sentence: str, context: Context) -> list[Reading]:
    """Place names; a town and the region after it are one place (two place names joined by a comma), and where
    a thing is located is answered by a town or region rather than the building or thoroughfare it stands on."""
    found = _joined(sentence, _named(sentence, context, PLACE, "place"))
    if _LOCATED.search(context.question):
        towns = _named(sentence, context, TOWNS, "place")
        if towns:
            found = [r for r in found if any(t.start >= r.start and t.end <= r.end for t in towns)]
    return found


def _joined(sentence: str, found: list[Reading]) -> list[Reading]:
    out: list[Reading] = []
    for r in found:
        if out and re.fullmatch(r",\s*", sentence[out[-1].end:r.start]):
            start = out[-1].start
            out[-1] = Reading(Key("place", text=sentence[start:r.end].lower()), start, r.end)
        else:
            out.append(r)
    return out


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
