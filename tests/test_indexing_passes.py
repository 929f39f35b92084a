"""The index passes: chunk vectors composed from their sentences' vectors (the default), sentence vectors pooled
from the chunk pass (RAG_POOLED_SENTENCE_VECTORS) and entity recognition beside the embedding, on the real
packaged model and parser.

Bounds for composed chunk vectors, measured once before their test was written: cosine with the chunk embedded
whole has median 0.925 (seed, 33 chunks) and 0.874 (harbor, 15), minimum 0.737 and 0.818, and each composed
vector is nearer its own chunk than any other chunk for every chunk of both corpora.

Bounds measured once on these corpora before this test was written: each pooled vector's cosine with its own
sentence embedded alone has median 0.750 (seed) and 0.694 (harbor), and beats every sentence of the other
corpus for 166/167 (seed) and 88/89 (harbor) sentences; short sentences that lean on their context ('That may
be correct.', 0.18) are the ones pulled away.
"""

from __future__ import annotations

import numpy as np
import pytest

from rag.chunking import Chunker
from rag.indexing import prepare
from rag.ingest import load_corpus
from tests.conftest import HARBOR, SEED


def _prepared(embedder, folder, pooled):
    chunker = Chunker(embedder.count_tokens, max_tokens=200)
    return list(prepare([(a, "f") for a in load_corpus(folder)], chunker, embedder, pooled=pooled))


@pytest.mark.parametrize("folder, other", [(SEED, HARBOR), (HARBOR, SEED)], ids=["seed", "harbor"])
def test_pooled_sentence_vectors_stand_for_their_own_sentences(embedder, folder, other):
    pooled, alone = _prepared(embedder, folder, True), _prepared(embedder, folder, False)
    for p, a in zip(pooled, alone):
        assert p.sentences == a.sentences and len(p.sentence_vectors) == len(p.sentences) > 0
        assert np.allclose(np.linalg.norm(p.sentence_vectors, axis=1), 1.0, atol=1e-5)
        whole = embedder.embed_many([c.text for c in p.chunks])
        assert np.abs(p.chunk_vectors - whole).max() < 1e-5  # the chunk pass itself is the plain embedding
    vectors = np.concatenate([p.sentence_vectors for p in pooled])
    own = (vectors * np.concatenate([a.sentence_vectors for a in alone])).sum(axis=1)
    unrelated = vectors @ np.concatenate([p.sentence_vectors for p in _prepared(embedder, other, False)]).T
    assert float(np.median(own)) >= 0.6
    assert float((own > unrelated.max(axis=1)).mean()) >= 0.95


@pytest.mark.parametrize("folder, median", [(SEED, 0.9), (HARBOR, 0.85)], ids=["seed", "harbor"])
def test_composed_chunk_vectors_stand_for_their_chunks(embedder, folder, median, monkeypatch):
    read: list[str] = []
    embed_many = embedder.embed_many
    monkeypatch.setattr(embedder, "embed_many", lambda texts: read.extend(texts) or embed_many(texts))
    prepared = _prepared(embedder, folder, False)
    monkeypatch.undo()
    spans = [p.article.text[s.start:s.end] for p in prepared
             for s in dict.fromkeys(s for c in p.chunks for s in c.sentences)]
    assert sorted(read) == sorted(spans)  # the model reads each piece of an article once, and no chunk whole
    for p in prepared:  # each sentence is read alone, once: its vector is the one answering quotes by
        alone = embedder.embed_many([p.article.text[s.start:s.end] for s in p.sentences])
        assert np.abs(p.sentence_vectors - alone).max() < 1e-5
    composed = np.concatenate([p.chunk_vectors for p in prepared])
    assert np.allclose(np.linalg.norm(composed, axis=1), 1.0, atol=1e-5)
    similarity = composed @ embedder.embed_many([c.text for p in prepared for c in p.chunks]).T
    assert float(np.median(np.diag(similarity))) >= median and float(np.diag(similarity).min()) >= 0.7
    assert (similarity.argmax(axis=1) == np.arange(len(composed))).all()  # nearer its own chunk than any other


def test_a_span_the_model_never_read_gets_no_pooled_vector(embedder):
    words = "The council met on Tuesday and debated the harbor bridge closure at length. " * 40
    tail = (len(words) - 60, len(words) - 1)  # far past the 256-piece window: truncated away
    vectors, pooled = embedder.embed_spans([words], [[(0, 76), tail]])
    assert np.isclose(float(np.linalg.norm(pooled[0])), 1.0, atol=1e-5) and not pooled[1].any()
    assert float(vectors[0] @ embedder.embed_many([words])[0]) > 0.99999


def test_entities_read_beside_the_embedding_are_the_ones_read_after_it(embedder, monkeypatch):
    import rag.indexing

    monkeypatch.setattr(rag.indexing, "OVERLAP_NER", False)
    serial = _prepared(embedder, SEED, False)
    monkeypatch.setattr(rag.indexing, "OVERLAP_NER", True)
    overlapped = _prepared(embedder, SEED, False)
    assert [p.sentence_entities for p in overlapped] == [p.sentence_entities for p in serial]
    assert any(names for p in serial for names in p.sentence_entities)
