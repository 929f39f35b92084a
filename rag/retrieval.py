"""Question -> ranked, source-diverse Passages: dense (Chroma) and lexical (BM25) lists fused by rank.

Conflicts can only be shown if the disagreeing sources are retrieved, so the final list first takes the best
passage of every source that has relevant evidence, then fills the remaining places by fused rank.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import Stemmer

from rag.embeddings import Embedder
from rag.imports import absent
from rag.store import ChunkStore
from rag.types import Chunk, Passage

with absent("numba", "scipy"):  # bm25s imports both when it can; its default numpy backend (used here) needs neither
    import bm25s

RRF_K = 60  # the constant of reciprocal rank fusion (Cormack et al., 2009)


class LexicalIndex:
    """BM25 over one collection's chunks, rebuilt only when the collection's contents change."""

    def __init__(self, chunks: Sequence[Chunk], *, built: "bm25s.BM25 | None" = None) -> None:
        """`built`: the index save() wrote for these same chunks, loaded instead of indexing them again."""
        self.chunks = chunks
        self._bm25 = built
        self._stemmer = Stemmer.Stemmer("english")  # 'required' finds 'requirement'
        self._positions: dict[str, int] | None = None  # chunk id -> place in chunks, made on first use
        if chunks and built is None:
            tokens = bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=self._stemmer,
                                    show_progress=False)
            if tokens.vocab:  # only stopwords (a document reading 'a'): nothing to index, and bm25s would fail
                self._bm25 = bm25s.BM25()
                self._bm25.index(tokens, show_progress=False)

    def save(self, folder: Path) -> bool:
        """Write the index into folder; False when there is none (no chunks, or only stopwords)."""
        if self._bm25 is None:
            return False
        self._bm25.save(str(folder), show_progress=False)
        return True

    @classmethod
    def load(cls, folder: Path | None, chunks: Sequence[Chunk]) -> "LexicalIndex":
        """The index save() wrote into folder for these chunks (folder None: save() wrote none)."""
        if folder is None:
            index = cls([])
            index.chunks = chunks
            return index
        built = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        if built.scores["num_docs"] != len(chunks):
            raise ValueError(f"the BM25 index in {folder} is of {built.scores['num_docs']} chunks, not {len(chunks)}")
        return cls(chunks, built=built)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The indexed chunk of this id, or None (one written since this index was made)."""
        if self._positions is None:
            ids = getattr(self.chunks, "ids", None) or [c.id for c in self.chunks]
            self._positions = {cid: i for i, cid in enumerate(ids)}
        i = self._positions.get(chunk_id)
        return None if i is None else self.chunks[i]

    def search(self, query: str, n: int) -> list[tuple[Chunk, float]]:
        if self._bm25 is None:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, return_ids=False,
                                show_progress=False)
        if not tokens[0]:
            return []
        ids, scores = self._bm25.retrieve(tokens, k=min(n, len(self.chunks)), show_progress=False)
        return [(self.chunks[int(i)], float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]


class Retriever:
    """Embed the question, search both ways, fuse, keep the best passages from as many sources as deserve it."""

    def __init__(self, store: ChunkStore, embedder: Embedder, *, candidates: int = 30,
                 min_source_similarity: float = 0.2, lexical: Callable[[str], LexicalIndex] | None = None) -> None:
        """`lexical`: where a collection's current BM25 index comes from; default: built here, per version."""
        if candidates <= 0:
            raise ValueError(f"candidates must be > 0, got {candidates}")
        self._lexical_source = lexical
        self._store = store
        self._embedder = embedder
        self._candidates = candidates
        self._min_source_similarity = min_source_similarity
        self._lexical: dict[str, tuple[str, LexicalIndex]] = {}
        self._lock = threading.Lock()

    def retrieve(self, question: str, collection: str, *, top_k: int = 8, also: list[str] | None = None,
                 lexical: LexicalIndex | None = None) -> list[Passage]:
        """`also`: extra phrasings (e.g. both poles of a yes/no) whose hits are fused in with the question's;
        `lexical`: the collection's BM25 index, when the caller already holds the version it reads."""
        if top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {top_k}")
        queries = [question, *(also or [])]
        vectors = self._embedder.embed(queries)
        lexical = lexical or self.lexical_index(collection)
        dense_lists = self._store.query_many(collection, list(vectors), self._candidates, known=lexical.chunk)
        lexical_lists = [lexical.search(q, self._candidates) for q in queries]
        return select_diverse(fuse(dense_lists, lexical_lists), top_k=top_k,
                              min_similarity=self._min_source_similarity)

    def lexical_index(self, collection: str) -> LexicalIndex:
        """The BM25 index of a collection, rebuilt when its version changes (another process may write)."""
        if self._lexical_source is not None:
            return self._lexical_source(collection)
        version = self._store.version(collection)
        with self._lock:
            cached = self._lexical.get(collection)
            if cached is None or cached[0] != version:
                cached = (version, LexicalIndex(self._store.chunks(collection)))
                self._lexical[collection] = cached
            return cached[1]

    def forget(self, collection: str) -> None:
        with self._lock:
            self._lexical.pop(collection, None)


def fuse(dense: list[list[tuple[Chunk, float]]], lexical: list[list[tuple[Chunk, float]]]) -> list[Passage]:
    """Reciprocal rank fusion of ranked lists; each passage keeps its best cosine similarity (the first list
    is the question itself, so its similarity is the one reported when present)."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    similarity: dict[str, float] = {}
    lexical_hit: set[str] = set()
    for ranked, is_dense in [(r, True) for r in dense] + [(r, False) for r in lexical]:
        for rank, (chunk, value) in enumerate(ranked):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (RRF_K + rank + 1)
            chunks[chunk.id] = chunk
            if is_dense:
                similarity[chunk.id] = max(similarity.get(chunk.id, 0.0), value)
            else:
                lexical_hit.add(chunk.id)
    ranked = sorted(scores, key=lambda cid: (-scores[cid], cid))
    return [Passage(chunk=chunks[c], score=scores[c], dense=similarity.get(c, 0.0), lexical=c in lexical_hit)
            for c in ranked]


def select_diverse(passages: list[Passage], *, top_k: int, min_similarity: float) -> list[Passage]:
    """Best passage of each source with relevant evidence first, then the rest by fused rank."""
    chosen: list[Passage] = []
    seen_sources: set[str] = set()
    for passage in passages:
        relevant = passage.dense >= min_similarity or passage.lexical
        if relevant and passage.chunk.source_id not in seen_sources:
            chosen.append(passage)
            seen_sources.add(passage.chunk.source_id)
    chosen = chosen[:top_k]
    picked = {p.chunk.id for p in chosen}
    for passage in passages:
        if len(chosen) >= top_k:
            break
        if passage.chunk.id not in picked:
            chosen.append(passage)
            picked.add(passage.chunk.id)
    return sorted(chosen, key=lambda p: -p.score)
