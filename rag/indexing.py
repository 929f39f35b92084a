"""Articles -> what the store keeps for each (chunks, quotable sentences, their vectors and named entities),
embedded and parsed in batches.

Several articles share one embedding call, so texts of similar length share a model batch (little padding);
the sentence vectors made here are the ones answering uses, so no sentence is embedded at query time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from rag.annotate import Entity, entities
from rag.chunking import Chunker
from rag.embeddings import Embedder
from rag.evidence import stored_sentences
from rag.types import Article, Chunk, Span

GROUP = 16            # articles embedded together
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
            progress: bool = False) -> Iterator[Prepared]:
    """(article, fingerprint) pairs -> Prepared, in order; a bar on stderr when asked and the run is long."""
    bar = _bar(len(work)) if progress and work else None
    embed = getattr(embedder, "embed_many", embedder.embed)
    try:
        for first in range(0, len(work), GROUP):
            group = work[first:first + GROUP]
            parts = []
            texts: list[str] = []
            for article, _ in group:
                chunks = chunker.chunk(article)
                sentences = stored_sentences(article, chunks)
                parts.append((chunks, sentences))
                texts += [c.text for c in chunks] + [article.text[s.start:s.end] for s in sentences]
                if not chunks:  # nothing to average: the article's opening stands for it
                    texts.append((article.title + "\n" + article.text)[:1000])
            vectors = embed(texts)
            names = iter(entities([article.text[s.start:s.end] for (article, _), (_, ss) in zip(group, parts)
                                   for s in ss]))
            at = 0
            for (article, fingerprint), (chunks, sentences) in zip(group, parts):
                chunk_vectors = vectors[at:at + len(chunks)]
                at += len(chunks)
                sentence_vectors = vectors[at:at + len(sentences)]
                at += len(sentences)
                if chunks:
                    summary = chunk_vectors.mean(axis=0)
                    summary = summary / max(float(np.linalg.norm(summary)), 1e-12)
                else:
                    summary, at = vectors[at], at + 1
                yield Prepared(article, fingerprint, chunks, chunk_vectors, summary.astype(np.float32),
                               sentences, sentence_vectors, [next(names) for _ in sentences])
            if bar is not None:
                bar.update(len(group))
    finally:
        if bar is not None:
            bar.close()


def _bar(total: int):
    from tqdm import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, pipes, tests)
    return tqdm(total=total, unit="article", desc="indexing", file=sys.stderr, delay=PROGRESS_AFTER_S,
                dynamic_ncols=True, leave=False, disable=None)
