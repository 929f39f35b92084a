"""Articles -> what the store keeps for each (chunks, quotable sentences, their vectors and named entities),
embedded and parsed in batches.

Several articles share one embedding call, so texts of similar length share a model batch (little padding);
the sentence vectors made here are the ones answering uses, so no sentence is embedded at query time. The model
reads each sentence once: a chunk's vector is composed from its sentences' vectors (`_composed_vectors`), where
embedding the chunks too would read every sentence twice (1.5x the time: benchmarks/passes.py). With `pooled` on and an
embedder that gives token states, it is the other way round: one pass over the chunks, and each sentence's
vector pooled from it (slower than composing, since chunks overlap, and worse quotes).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from rag.annotate import Entity, entities
from rag.chunking import Chunker
from rag.embeddings import Embedder
from rag.evidence import stored_sentences
from rag.types import Article, Chunk, Span

GROUP = 16            # articles embedded together
OVERLAP_NER = True    # entity recognition of a group runs beside its embedding
PROGRESS_AFTER_S = 3  # a progress bar appears only on an index that runs longer than this


@dataclass(frozen=True)
class Prepared:
    article: Article
    fingerprint: str
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    summary: np.ndarray  # the article's vector in the sources collection: its chunks' mean direction
    sentences: list[Span]
    sentence_vectors: np.ndarray
    sentence_entities: list[tuple[Entity, ...]]


def prepare(work: Sequence[tuple[Article, str]], chunker: Chunker, embedder: Embedder, *,
            pooled: bool = False, progress: bool = False) -> Iterator[Prepared]:
    """(article, fingerprint) pairs -> Prepared, in order; a bar on stderr when asked and the run is long."""
    bar = _bar(len(work)) if progress and work else None
    vectorise = _pooled_vectors if pooled and getattr(embedder, "token_states", False) else _composed_vectors
    try:
        for first in range(0, len(work), GROUP):
            group = work[first:first + GROUP]
            parts = []
            for article, _ in group:
                chunks = chunker.chunk(article)
                parts.append((article, chunks, stored_sentences(article, chunks)))
            texts = [article.text[s.start:s.end] for article, _, ss in parts for s in ss]
            if OVERLAP_NER:  # the recogniser reads this group in a thread while the model embeds it
                pending = _ner_thread().submit(entities, texts)
                vectors = vectorise(embedder, parts)
                names = iter(pending.result())
            else:
                vectors = vectorise(embedder, parts)
                names = iter(entities(texts))
            for (article, fingerprint), (_, chunks, sentences), (chunk_vectors, summary, sentence_vectors) in zip(
                    group, parts, vectors):
                yield Prepared(article, fingerprint, chunks, chunk_vectors, summary, sentences, sentence_vectors,
                               [next(names) for _ in sentences])
            if bar is not None:
                bar.update(len(group))
    finally:
        if bar is not None:
            bar.close()


Part = tuple[Article, list[Chunk], list[Span]]
Vectors = tuple[np.ndarray, np.ndarray, np.ndarray]  # chunk vectors, summary, sentence vectors


def _composed_vectors(embedder: Embedder, parts: list[Part]) -> list[Vectors]:
    """One pass over the sentences only: each distinct span of an article's chunks is embedded once, and a chunk's
    vector is the unit sum of its spans' vectors, each weighted by its word pieces (mean pooling over the chunk,
    read per sentence). Embedding the chunks as well would read every sentence twice."""
    embed = getattr(embedder, "embed_many", embedder.embed)
    count = getattr(embedder, "count_many", None) or (lambda ts: [embedder.count_tokens(t) for t in ts])
    keys: dict[tuple[int, Span | None], int] = {}  # (article, span) -> its row; overlapping chunks share spans
    texts: list[str] = []
    for i, (article, chunks, _) in enumerate(parts):
        # only spans are shared, not equal texts of two articles: that would flatter the generated benchmark corpus
        # (sentences recombined), where a real one rarely repeats
        for span in dict.fromkeys(s for c in chunks for s in c.sentences) if chunks else [None]:
            keys[(i, span)] = len(texts)
            texts.append(article.text[span.start:span.end] if span else _opening(article))
    vectors = embed(texts)
    weights = np.maximum(np.asarray(count(texts), dtype=np.float32) - 2, 1)  # [CLS] and [SEP] are not the text's
    out = []
    for i, (article, chunks, sentences) in enumerate(parts):
        members = [[keys[(i, s)] for s in c.sentences] for c in chunks]
        chunk_vectors = np.array([(vectors[m] * weights[m, None]).sum(0) for m in members],
                                 dtype=np.float32).reshape(-1, vectors.shape[1])
        chunk_vectors /= np.maximum(np.linalg.norm(chunk_vectors, axis=1, keepdims=True), 1e-12)
        opening = None if chunks else vectors[keys[(i, None)]]
        sentence_vectors = vectors[[keys[(i, s)] for s in sentences]].reshape(-1, vectors.shape[1])
        out.append((chunk_vectors, _summary(chunk_vectors, opening), sentence_vectors))
    return out


def _pooled_vectors(embedder, parts: list[Part]) -> list[Vectors]:
    """One pass over the chunks; each sentence's vector is the unit mean of its token states in the first chunk
    that holds it. A sentence none of whose tokens were read (a truncated chunk) is embedded on its own."""
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    owners: list[tuple[int, Span]] = []  # (part, sentence) of each pooled row, in order
    for i, (article, chunks, sentences) in enumerate(parts):
        wanted = set(sentences)
        for chunk in chunks:
            mine = [s for s in chunk.sentences if s in wanted]
            wanted.difference_update(mine)
            owners += [(i, s) for s in mine]
            texts.append(chunk.text)
            spans.append([(s.start - chunk.start, s.end - chunk.start) for s in mine])
        if not chunks:
            texts.append(_opening(article))
            spans.append([])
    vectors, pooled = embedder.embed_spans(texts, spans)
    found = dict(zip(owners, pooled))
    alone = [key for key, vector in found.items() if not vector.any()]
    if alone:
        found.update(zip(alone, embedder.embed_many([parts[i][0].text[s.start:s.end] for i, s in alone])))
    out, at = [], 0
    for i, (article, chunks, sentences) in enumerate(parts):
        chunk_vectors = vectors[at:at + len(chunks)]
        opening = None if chunks else vectors[at + len(chunks)]
        at += len(chunks) or 1
        sentence_vectors = np.array([found[(i, s)] for s in sentences], dtype=np.float32).reshape(-1, vectors.shape[1])
        out.append((chunk_vectors, _summary(chunk_vectors, opening), sentence_vectors))
    return out


def _opening(article: Article) -> str:
    """What stands for an article with no chunks: nothing to average, so its opening is embedded."""
    return (article.title + "\n" + article.text)[:1000]


def _summary(chunk_vectors: np.ndarray, opening: np.ndarray | None) -> np.ndarray:
    """The article's vector in the sources collection: its chunks' mean direction (else its opening's)."""
    if opening is not None:
        return opening.astype(np.float32)
    summary = chunk_vectors.mean(axis=0)
    return (summary / max(float(np.linalg.norm(summary)), 1e-12)).astype(np.float32)


@functools.cache
def _ner_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="rag-ner")


def _bar(total: int):
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, pipes, tests)
    return tqdm(total=total, unit="article", desc="indexing", file=sys.stderr, delay=PROGRESS_AFTER_S,
                dynamic_ncols=True, leave=False, disable=None)
