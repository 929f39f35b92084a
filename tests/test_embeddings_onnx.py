"""The onnxruntime embedder against the sentence-transformers one it is exported from, on the real packaged model."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import HARBOR, SEED


@pytest.fixture(scope="module")
def torch_embedder():
    from rag.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def _chunk_texts() -> list[str]:
    """Chunk-length windows (100-400 word pieces) of the real corpora, plus a short question."""
    texts = []
    for folder in (SEED, HARBOR):
        for path in sorted(folder.iterdir()):
            body = " ".join(path.read_text(encoding="utf-8").split())
            texts += [body[i:i + size] for size in (600, 1200, 2000) for i in range(0, min(len(body), 4000), 1900)]
    return [t for t in texts if t.strip()] + ["How long will the bridge be closed?"]


def test_onnx_is_the_default_and_gives_torchs_vectors(embedder, torch_embedder):
    from rag.embeddings import OnnxEmbedder

    assert isinstance(embedder, OnnxEmbedder)
    texts = _chunk_texts()
    counts = [embedder.count_tokens(t) for t in texts]
    assert max(counts) > 256 and any(128 < c <= 256 for c in counts)  # both pitfalls are exercised
    ours, theirs = embedder.embed_many(texts), torch_embedder.embed_many(texts)
    assert ours.shape == theirs.shape
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float((ours * theirs).sum(axis=1).min()) > 0.9999
    assert counts == [torch_embedder.count_tokens(t) for t in texts]


def test_the_window_is_256_word_pieces_not_the_tokenizer_files_128(embedder):
    words = ("The council met on Tuesday and the harbor bridge closure was debated at length by everyone " * 30).split()
    text_200 = " ".join(words[:180])
    assert 128 < embedder.count_tokens(text_200) <= 256
    prefix_128 = " ".join(words[:110])
    assert embedder.count_tokens(prefix_128) <= 128
    # a text read only up to 128 pieces would embed like its 128-piece prefix
    assert float(embedder.embed_many([text_200])[0] @ embedder.embed_many([prefix_128])[0]) < 0.9999
    long_text = " ".join(words[:400])
    assert embedder.count_tokens(long_text) > 300
    longer = " ".join(words[:420])  # differs only past the window: same vector
    assert float(embedder.embed_many([long_text])[0] @ embedder.embed_many([longer])[0]) > 0.99999


def test_the_export_is_made_once_into_the_cache_folder(tmp_path):
    from rag.embeddings import OnnxEmbedder, export_path, load_embedder, packaged_model_path

    first = load_embedder(cache_dir=tmp_path)
    target = export_path(packaged_model_path(), tmp_path)
    assert isinstance(first, OnnxEmbedder) and target.is_file() and target.is_relative_to(tmp_path)
    made = target.stat().st_mtime_ns
    second = load_embedder(cache_dir=tmp_path)
    assert target.stat().st_mtime_ns == made
    assert sorted(p.suffix for p in target.parent.iterdir()) == [".lock", ".onnx"]  # no leftover partial file
    question = ["When does the ferry start?"]
    assert float(first.embed(question)[0] @ second.embed(question)[0]) > 0.99999


def test_torch_backend_is_the_fallback_when_asked(tmp_path):
    from rag.embeddings import SentenceTransformerEmbedder, load_embedder

    assert isinstance(load_embedder(backend="torch", cache_dir=tmp_path), SentenceTransformerEmbedder)
    assert not (tmp_path / "onnx").exists()
