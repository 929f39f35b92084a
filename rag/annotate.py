"""Sentences -> the names in them (people, places, organisations, works), read once, at index time.

The entity spans are stored beside each sentence's vector, so answering a "who" or "where" question reads
them instead of parsing evidence: only the question itself is parsed at query time. The parser, tagger and
lemmatiser are skipped here (the recogniser has its own token vectors), which doubles the speed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.question import nlp

Entity = tuple[str, int, int]  # (spaCy label, start, end) within the sentence
KEPT = frozenset("PERSON ORG GPE LOC FAC NORP WORK_OF_ART EVENT PRODUCT".split())
_UNUSED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
BATCH = 64


def entities(texts: Sequence[str]) -> list[tuple[Entity, ...]]:
    """The named entities of each text, as offsets into it (thread-safe: no pipe is switched off globally)."""
    if not texts:
        return []
    model = nlp()
    skip = [p for p in _UNUSED if p in model.pipe_names]
    return [tuple((e.label_, e.start_char, e.end_char) for e in doc.ents if e.label_ in KEPT)
            for doc in model.pipe(list(texts), disable=skip, batch_size=BATCH)]
