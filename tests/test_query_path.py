"""What answering costs: the model embeds only the question (sentence vectors come from the store), and a
`rag ask` on an indexed store never imports torch (nor other packages it does not use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import HARBOR, ROOT

QUESTION = "How much will the temporary ferry cost each way?"


def test_answering_embeds_only_the_question(seed_pipeline, embedder, monkeypatch):
    from rag.conflicts import expansions

    calls: list[list[str]] = []
    real = embedder._encode

    def counting(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(embedder, "_encode", counting)
    question = "Which companies pushed back on the draft order, and what did they want instead?"
    answer = seed_pipeline.ask(question)
    assert not answer.abstained and answer.citations
    assert len(calls) == 1, calls
    assert set(calls[0]) <= {question, *expansions(question)} and question in calls[0]


def test_every_quotable_sentence_of_a_chunk_has_a_stored_vector(harbor_pipeline, embedder):
    from rag.evidence import stored_sentences

    name = harbor_pipeline.settings.collection
    articles = harbor_pipeline.articles()
    chunks = harbor_pipeline.store.chunks(name)
    wanted = [(a.id, s.start, s.end) for a in articles.values()
              for s in stored_sentences(a, [c for c in chunks if c.source_id == a.id])]
    stored = harbor_pipeline.store.sentence_vectors(name, wanted)
    assert wanted and set(stored) == set(wanted)
    some = wanted[:5]
    fresh = embedder.embed_many([articles[i].text[s:e] for i, s, e in some])
    for key, vector in zip(some, fresh):
        assert float(stored[key] @ vector) > 0.9999


def _env(**extra: str) -> dict[str, str]:
    return os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                         "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1"} | extra


def test_rag_ask_never_imports_torch(tmp_path, embedder):
    """`embedder` makes sure the ONNX export exists, as it does after the first index on any machine."""
    store = str(tmp_path / "store")
    indexed = subprocess.run([sys.executable, "-m", "rag.cli", "index", str(HARBOR), "--store", store], cwd=ROOT,
                             env=_env(), capture_output=True, text=True, timeout=300)
    assert indexed.returncode == 0, indexed.stderr
    # torch and the sentence-transformers fallback; and what the cold start leaves out because nothing on this
    # path uses it: bm25s's optional accelerators, spaCy's and httpx's command lines, langsmith's API models
    unused = ("torch", "sentence_transformers", "transformers", "numba", "scipy", "spacy.cli", "typer", "weasel",
              "click", "rich", "pygments", "langsmith.types.dataset")
    probe = ("import json, sys; from rag.cli import main; code = main(sys.argv[1:]); "
             f"print(json.dumps({{'code': code, 'torch': sorted(m for m in sys.modules if m.startswith({unused!r}))}}))")
    asked = subprocess.run([sys.executable, "-c", probe, "ask", QUESTION, "--store", store, "--json"], cwd=ROOT,
                           env=_env(), capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    *answer, last = asked.stdout.strip().splitlines()
    assert json.loads("\n".join(answer))["citations"]
    assert json.loads(last) == {"code": 0, "torch": []}


def test_langsmith_types_load_in_full_when_asked_for_after_the_pipeline():
    """The cold start defers langsmith's generated API models; code that does use them still gets the package."""
    probe = ("import sys, rag.pipeline; assert 'langsmith.types' not in sys.modules; "
             "from langsmith.types import Run, RunSelectField; import langsmith; "
             "assert langsmith.types.Run is Run and sys.modules['langsmith.types'].RunSelectField is RunSelectField")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_dense_search_takes_chunks_the_caller_holds_and_fetches_only_the_rest(harbor_pipeline, embedder):
    """With `known` (the lexical index's chunks), Chroma returns ids and distances alone; a chunk the caller
    does not hold (written since it read the collection) is fetched, so the hits are the same either way."""
    name = harbor_pipeline.settings.collection
    vectors = list(embedder.embed([QUESTION, "When did the bridge close?"]))
    full = harbor_pipeline.store.query_many(name, vectors, 12)
    held = harbor_pipeline._retriever.lexical_index(name)
    asked: list[str] = []

    def known(chunk_id):
        asked.append(chunk_id)
        return None if chunk_id == full[0][0][0].id else held.chunk(chunk_id)

    assert harbor_pipeline.store.query_many(name, vectors, 12, known=known) == full
    assert full[0][0][0].id in asked and held.chunk("no-such-chunk") is None
