"""Sentence -> typed values of one kind: the one interface over the per-kind extractors in `rag.values`.

`extract(kind, sentence, context)` returns `Reading`s (a typed `Key` and the exact slice of the sentence that
states it). Which readings are about what a question asks is decided in `rag.relevance`, not here.
"""

from __future__ import annotations

from rag.values import Context, Extractor, Reading
from rag.values.amounts import counts, money
from rag.values.dates import dates, parse_published, published_parts
from rag.values.durations import durations
from rag.values.kinds import categories
from rag.values.modality import modality
from rag.values.organisations import acronyms, organisations
from rag.values.people import people, places
from rag.values.reasons import reasons
from rag.values.schedule import schedules
from rag.values.roles import roles, roles_of
from rag.values.status import enacted, statuses

EXTRACTORS: dict[str, Extractor] = {
    "duration": durations, "money": money, "number": counts, "date": dates, "modality": modality,
    "status": statuses, "role": roles, "organisation": organisations, "reason": reasons,
    "person": people, "place": places, "category": categories, "schedule": schedules,
}
KINDS = tuple(EXTRACTORS)


def extract(kind: str, sentence: str, context: Context | None = None) -> list[Reading]:
    """The values of one kind a sentence states; [] for a kind no extractor reads (a description)."""
    extractor = EXTRACTORS.get(kind)
    return extractor(sentence, context or Context()) if extractor else []


__all__ = ["Context", "Reading", "EXTRACTORS", "KINDS", "extract", "acronyms", "counts", "dates", "durations",
           "enacted", "modality", "money", "organisations", "parse_published", "people", "places", "published_parts", "reasons",
           "roles", "roles_of", "schedules", "statuses"]
