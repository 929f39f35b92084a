"""The index passes alone, without the store: chunking, embedding and entity recognition of a generated corpus,
for each way of making the vectors, interleaved so a busy machine slows each about equally.

    .venv/bin/python benchmarks/passes.py --articles 100 --runs 3

'composed' (the default) embeds each sentence once and builds chunk vectors from them; 'pooled'
(RAG_POOLED_SENTENCE_VECTORS) embeds the chunks and pools sentence vectors from them; 'separate' embeds the
chunks and then every sentence again (what indexing did before 7f493cf), kept here as the yardstick.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import generate  # noqa: E402
from rag import indexing  # noqa: E402
from rag.annotate import entities  # noqa: E402
from rag.chunking import Chunker  # noqa: E402
from rag.embeddings import load_embedder  # noqa: E402
from rag.evidence import stored_sentences  # noqa: E402
from rag.ingest import load_corpus  # noqa: E402


def separate(embedder, chunker, articles) -> None:
    """Chunks and sentences embedded apart, in one model batch, the recogniser beside it (as indexing ran it)."""
    parts = [(a, chunks, stored_sentences(a, chunks)) for a in articles for chunks in [chunker.chunk(a)]]
    sentences = [a.text[s.start:s.end] for a, _, spans in parts for s in spans]
    pending = indexing._ner_thread().submit(entities, sentences)
    embedder.embed_many([c.text for _, chunks, _ in parts for c in chunks] + sentences)
    pending.result()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rag-passes-") as folder:
        articles = load_corpus(generate(Path(folder), args.articles))
    embedder = load_embedder()
    chunker = Chunker(embedder.count_tokens)
    work = [(a, "") for a in articles]
    list(indexing.prepare(work[:4], chunker, embedder))  # model and recogniser loaded before any timing
    ways = {"composed": {"pooled": False}, "pooled": {"pooled": True}, "separate": None}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.runs):
        for name, options in ways.items():
            started = time.perf_counter()
            if options is None:
                separate(embedder, chunker, articles)
            else:
                list(indexing.prepare(work, chunker, embedder, **options))
            seconds[name].append(time.perf_counter() - started)
    print(f"{args.articles} generated articles, median of {args.runs} interleaved runs (prepare: chunk, embed, "
          "recognise entities; no store)")
    for name, values in seconds.items():
        print(f"  {name:9s} {statistics.median(values):6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
