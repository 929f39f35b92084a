"""Passages -> Evidence: the sentences of the retrieved chunks, scored by how well each answers the question.

Sentences, not chunks, are what the system quotes, so relevance is judged per sentence: cosine similarity of
the sentence and the question, plus a small bonus for sharing the question's content words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from rag.embeddings import Embedder
from rag.types import Article, Chunk, Evidence, Passage, Span
from rag.values.roles import is_style

# (source_id, start, end) -> (vector, named entities) as indexing stored them
StoredSentences = Callable[[list[tuple[str, int, int]]], dict[tuple[str, int, int], tuple[np.ndarray, tuple]]]

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOPWORDS = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being do does did
doing have has had having it its this that these those there here what which who whom whose when where why how
would could should will can may might must shall i you he she we they them his her their our your my me us
about into over under than then so not no yes any all some each other such only own same too very just also
much many more most few
anything something nothing everything anyone someone everyone nobody anybody somebody without
said says say tell told according""".split())
MIN_WORDS = 4          # shorter lines are fragments, not quotable claims
HEADING_WORDS = 8      # an unpunctuated line shorter than this is a section heading, not a claim
LEXICAL_WEIGHT = 0.15  # how much sharing the question's words adds to cosine similarity


def content_words(text: str) -> set[str]:
    """Lower-cased, crudely stemmed words that carry meaning (for overlap, not for display)."""
    return {w.lower()[:6] for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1}


def quotable(sentence: str) -> bool:
    words = len(_WORD.findall(sentence))
    if words < MIN_WORDS:
        return False
    return words >= HEADING_WORDS or sentence.rstrip()[-1:] in ".!?\"”’:;)"


def stored_sentences(article: Article, chunks: list[Chunk]) -> list[Span]:
    """The distinct quotable sentences of an article's chunks: the ones whose vectors are made at index time."""
    spans = dict.fromkeys(s for c in chunks for s in c.sentences)
    return [s for s in spans if quotable(article.text[s.start:s.end])]


def rank_evidence(question: str, passages: list[Passage], articles: dict[str, Article],
                  embedder: Embedder, stored: StoredSentences | None = None) -> list[Evidence]:
    """Every distinct sentence of the passages, best first. `stored` gives the vectors and entities made at index
    time; only a sentence without them (a store written by an older version) is embedded here."""
    seen: set[tuple[str, int]] = set()
    candidates: list[tuple[str, int, int, str]] = []
    for passage in passages:
        article = articles.get(passage.chunk.source_id)
        if not current(passage, article):
            continue
        for span in passage.chunk.sentences:
            key = (article.id, span.start)
            text = article.text[span.start:span.end]
            if key in seen or not quotable(text):
                continue
            seen.add(key)
            candidates.append((article.id, span.start, span.end, text))
    if not candidates:
        return []
    vectors, names = _sentence_vectors(candidates, embedder, stored)
    question_vector = embedder.embed([question])[0]
    similarity = vectors @ question_vector
    asked = content_words(question)
    ranked: list[Evidence] = []
    for (source_id, start, end, text), sim, vector, found in zip(candidates, similarity, vectors, names):
        overlap = len(asked & content_words(text)) / len(asked) if asked else 0.0
        ranked.append(Evidence(source_id=source_id, start=start, end=end, text=text,
                               score=float(sim) + LEXICAL_WEIGHT * overlap, similarity=float(sim),
                               vector=vector, entities=found))
    ranked.sort(key=lambda e: (-e.score, e.source_id, e.start))
    return ranked


def current(passage: Passage, article: Article | None) -> bool:
    """Is the chunk from the article version the ask is reading? A chunk written or deleted meanwhile (its source
    vanished, or its text no longer sits at its offsets) is skipped, never quoted and never a KeyError."""
    chunk = passage.chunk
    return article is not None and article.text[chunk.start:chunk.end] == chunk.text


def _sentence_vectors(candidates: list[tuple[str, int, int, str]], embedder: Embedder,
                      stored: StoredSentences | None) -> tuple[np.ndarray, list[tuple]]:
    found = stored([c[:3] for c in candidates]) if stored else {}
    missing = [c for c in candidates if c[:3] not in found]
    if missing:
        found = found | {c[:3]: (v, ()) for c, v in zip(missing, embedder.embed([c[3] for c in missing]))}
    return np.stack([found[c[:3]][0] for c in candidates]), [found[c[:3]][1] for c in candidates]


def similarity(a: Evidence, b: Evidence) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(np.dot(a.vector, b.vector))


UNCOVERED_SHARE = 0.5  # a question half of whose content words no article uses is about something else


def covered(question: str, vocabulary: set[str], *, verb: str = "", incidental: tuple[str, ...] = ()) -> bool:
    """Does the corpus speak of what the question names? False when the question names a proper noun that no
    article mentions (a company by name), or when most of its content words appear in no article at all. The
    question's own verb (`verb`, a lemma) is not counted: 'what stopped it' may be told as 'delayed'; a word
    that names nothing (`incidental`: adverbs, prepositions, light verbs: 'killed outright', 'behind') is never
    counted against it, since no article need use it."""
    from rag.words import stem  # rag.words reads STOPWORDS from here

    verb = verb.lower()
    words = {w.lower() for w in _WORD.findall(question) if w.lower() not in STOPWORDS and len(w) > 1}
    words = {w for w in words if not (verb and (w[:4] == verb[:4] or stem(w) == stem(verb)))}  # 'taking' is 'take'
    if not words:
        return False
    # "US" is a name but also the stopword "us"; 'Senator' in 'Senator Vale' styles the name and need not be used
    names = {w.lower()[:6] for w in re.findall(r"(?<!^)\b[A-Z][A-Za-z]+\b", question.strip())
             if w.lower() not in STOPWORDS and not is_style(w)}
    names -= {w.lower()[:6] for w in question.split()[:1]}
    if names - vocabulary:
        return False
    known = _stems_of(frozenset(vocabulary))  # frozenset() of a frozenset is the same object: cached once
    uncovered = {w for w in words if w[:6] not in vocabulary and stem(w) not in known}  # 'checks' meets 'check'
    uncovered -= {w.lower() for w in incidental}
    return len(uncovered) / len(words) < UNCOVERED_SHARE


@lru_cache(maxsize=8)
def _stems_of(vocabulary: frozenset[str]) -> frozenset[str]:
    """A collection's vocabulary as stems, made once per vocabulary (a frozenset caches its hash)."""
    from rag.words import stem

    return frozenset(stem(v) for v in vocabulary)
