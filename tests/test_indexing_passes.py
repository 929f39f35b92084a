"""The index passes: sentence vectors pooled from the chunk pass (RAG_POOLED_SENTENCE_VECTORS) and entity
recognition beside the embedding, on the real packaged model and parser.

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
        assert np.abs(p.chunk_vectors - a.chunk_vectors).max() < 1e-5  # the chunk pass itself is unchanged
    vectors = np.concatenate([p.sentence_vectors for p in pooled])
    own = (vectors * np.concatenate([a.sentence_vectors for a in alone])).sum(axis=1)
    unrelated = vectors @ np.concatenate([p.sentence_vectors for p in _prepared(embedder, other, False)]).T
    assert float(np.median(own)) >= 0.6
    assert float((own > unrelated.max(axis=1)).mean()) >= 0.95


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
