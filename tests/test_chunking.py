from rag.chunking import Chunker, SentenceSplitter
from rag.ingest import load_corpus
from rag.types import Article

from conftest import SEED


def test_sentences_survive_abbreviations_and_times():
    text = "Officials met in the U.S. capital at 5 p.m. on Thursday. Then they left.\nA heading\nMr. Sacks called."
    spans = SentenceSplitter().split(text)
    assert [text[s.start:s.end] for s in spans] == [
        "Officials met in the U.S. capital at 5 p.m. on Thursday.", "Then they left.", "A heading", "Mr. Sacks called."]


def test_every_seed_chunk_fits_the_model_window_and_is_an_exact_slice(embedder):
    chunker = Chunker(embedder.count_tokens, max_tokens=200)
    for article in load_corpus(SEED):
        chunks = chunker.chunk(article)
        assert chunks
        covered = set()
        for chunk in chunks:
            assert embedder.count_tokens(chunk.text) <= embedder.max_tokens
            assert article.text[chunk.start:chunk.end] == chunk.text
            for s in chunk.sentences:
                assert chunk.start <= s.start < s.end <= chunk.end
                covered.add((s.start, s.end))
        assert covered == {(s.start, s.end) for s in chunker.sentences(article)}  # nothing dropped


def test_an_overlong_sentence_is_split_to_fit(embedder):
    sentence = "The agency, " + ", ".join(f"working group number {i}" for i in range(120)) + ", met."
    article = Article(id="long", text=sentence)
    chunks = Chunker(embedder.count_tokens, max_tokens=64).chunk(article)
    assert len(chunks) > 3
    assert all(embedder.count_tokens(c.text) <= 64 for c in chunks)
    assert all(article.text[c.start:c.end] == c.text for c in chunks)


def test_chunk_ids_are_deterministic(embedder):
    article = load_corpus(SEED)[0]
    chunker = Chunker(embedder.count_tokens)
    assert [c.id for c in chunker.chunk(article)] == [c.id for c in chunker.chunk(article)]
