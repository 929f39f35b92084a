"""Sentence -> typed values, one small extractor per kind behind one interface.

Each extractor reads one sentence and returns `Reading`s: a typed `Key` (equal things compare equal, "60 days"
== "sixty-day"; bounds stay distinct, "up to 12 weeks" != "at least 12 weeks") and the exact [start, end) slice of
the sentence that states it. Nothing here knows the topic of any corpus: only English function words, units,
calendar names, and generic verbs of obligation and outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from rag.types import Key


@dataclass(frozen=True)
class Reading:
    """One value in a sentence: its key and where the sentence states it (sentence[start:end])."""

    key: Key
    start: int
    end: int
    label: str = ""  # what a reader sees when the slice alone would not say it (a reason's clause is its slice)


@dataclass(frozen=True)
class Context:
    """What an extractor may know besides the sentence: the article's printed date, its acronyms, asked names."""

    published: datetime | None = None
    acronyms: dict[str, str] = field(default_factory=dict)
    people: tuple[str, ...] = ()
    question: str = ""  # the question's own words: a name it holds is never an answer to it
    entities: tuple[tuple[str, int, int], ...] = ()  # the sentence's named entities, stored at index time


Extractor = Callable[[str, Context], list[Reading]]
