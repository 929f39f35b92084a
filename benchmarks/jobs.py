"""One measured job per process (so peak memory and imports are the job's own); prints one JSON line.

    python benchmarks/jobs.py ours-index CORPUS STORE
    python benchmarks/jobs.py base-index CORPUS STORE
    python benchmarks/jobs.py floor CORPUS
    python benchmarks/jobs.py ours-warm STORE QUESTIONS_JSON ASKS
    python benchmarks/jobs.py base-warm STORE QUESTIONS_JSON
    python benchmarks/jobs.py base-ask STORE QUESTION      (the baseline's cold start: load, retrieve, print)
    python benchmarks/jobs.py ours-cold STORE QUESTION EPOCH (a cold `rag ask` in phases; EPOCH: when the parent
                                                            started the process, so interpreter start-up shows)
    python benchmarks/jobs.py profile-index CORPUS STORE N (cProfile of indexing N articles)
    python benchmarks/jobs.py answers STORE QUESTIONS_JSON OUT (every answer's JSON into OUT, and its digest: a
                                                              speed change must leave the digest as it was)
    python benchmarks/jobs.py eval
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _k, _v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
               "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1",
               "GRADIO_ANALYTICS_ENABLED": "False"}.items():
    os.environ.setdefault(_k, _v)

from benchmarks.corpus import texts  # noqa: E402

COLLECTION = "bench"
CHUNK_SIZE, CHUNK_OVERLAP, K = 1000, 200, 4  # the tutorial's numbers


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ours ---------------------------------------------------------------------------------------------------------

def ours_pipeline(store: str):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    return Pipeline.from_settings(Settings(store=Path(store), collection=COLLECTION))


def ours_index(corpus: str, store: str) -> dict:
    pipeline = ours_pipeline(store)
    started = time.perf_counter()
    report = pipeline.index(Path(corpus), COLLECTION)
    seconds = time.perf_counter() - started
    pipeline.close()
    return {"seconds": seconds, "articles": len(report.source_ids), "written": report.added + report.updated,
            "chunks": report.chunks, "peak_mib": peak_mib()}


def ours_warm(store: str, questions_file: str, asks: int) -> dict:
    questions = json.loads(Path(questions_file).read_text())
    pipeline = ours_pipeline(store)
    finder = pipeline._finder
    analysis_name = "analyse" if hasattr(finder, "analyse") else "find"
    spent = {"analysis": 0.0}
    real = getattr(finder, analysis_name)

    def timed_analysis(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent["analysis"] += time.perf_counter() - started

    setattr(finder, analysis_name, timed_analysis)
    pipeline.ask(questions[0])  # first-call costs (lexical index, caches) are not warm latency
    # the questions repeat (1,000 asks of about 200), so the embedder's cache of recent texts would embed most
    # of them without the model, which the baseline's retriever never does: each ask forgets its own phrasings
    # first, as a new question would find them; what the cache keeps of the articles' words (the clauses a
    # reason question compares) it keeps, as a serving process would. The `cold` asks forget everything first.
    from rag.conflicts import expansions

    clear = getattr(pipeline.embedder, "clear_cache", None)

    def ask(q: str) -> dict:
        spent["analysis"] = 0.0
        t0 = time.perf_counter()
        retrieved = pipeline.retrieve(q)
        t1 = time.perf_counter()
        pipeline.answer(retrieved)
        t2 = time.perf_counter()
        return {"retrieval": t1 - t0, "analysis": spent["analysis"], "composition": t2 - t1 - spent["analysis"],
                "total": t2 - t0}

    rows, rss = [], [(0, rss_mib())]
    for i in range(asks):
        q = questions[i % len(questions)]
        if clear:
            clear([q, *expansions(q)])
        rows.append(ask(q))
        if (i + 1) % max(1, asks // 5) == 0:
            rss.append((i + 1, rss_mib()))
    cold = []
    for q in questions if clear else ():
        clear()
        cold.append(ask(q))
    pipeline.close()
    return {"rows": rows, "cold_rows": cold, "rss_mib": rss, "peak_mib": peak_mib()}


# the LangChain tutorial baseline ------------------------------------------------------------------------------

def base_embeddings():
    from langchain_huggingface import HuggingFaceEmbeddings

    from rag.embeddings import packaged_model_path

    return HuggingFaceEmbeddings(model_name=str(packaged_model_path()), model_kwargs={"device": "cpu"})


def base_store(store: str, embeddings):
    from langchain_chroma import Chroma
    from chromadb.config import Settings

    return Chroma(collection_name=COLLECTION, embedding_function=embeddings, persist_directory=store,
                  client_settings=Settings(anonymized_telemetry=False, is_persistent=True, persist_directory=store))


def base_splits(corpus: str):
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [Document(page_content=text, metadata={"source": name}) for name, text in texts(Path(corpus))]
    return docs, RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_documents(docs)


def base_index(corpus: str, store: str) -> dict:
    embeddings = base_embeddings()  # model load is outside the timing, as it is for ours
    started = time.perf_counter()
    docs, splits = base_splits(corpus)
    base_store(store, embeddings).add_documents(splits)
    return {"seconds": time.perf_counter() - started, "articles": len(docs), "chunks": len(splits),
            "peak_mib": peak_mib()}


def base_warm(store: str, questions_file: str) -> dict:
    questions = json.loads(Path(questions_file).read_text())
    retriever = base_store(store, base_embeddings()).as_retriever(search_kwargs={"k": K})
    retriever.invoke(questions[0])
    times = []
    for q in questions:
        t0 = time.perf_counter()
        retriever.invoke(q)
        times.append(time.perf_counter() - t0)
    return {"retrieval": times, "peak_mib": peak_mib()}


def base_ask(store: str, question: str) -> dict:
    retriever = base_store(store, base_embeddings()).as_retriever(search_kwargs={"k": K})
    docs = retriever.invoke(question)
    print("\n\n".join(d.page_content for d in docs)[:200])
    return {"docs": len(docs), "peak_mib": peak_mib()}


def ours_cold(store: str, question: str, epoch: str) -> dict:
    """What `rag ask` does, in the CLI's order, timed phase by phase (wall and CPU seconds)."""
    phases: dict[str, dict] = {"start-up": {"wall": time.time() - float(epoch), "cpu": time.process_time()}}
    mark = [time.perf_counter(), time.process_time()]

    def done(name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        phases[name] = {"wall": wall - mark[0], "cpu": cpu - mark[1]}
        mark[:] = [wall, cpu]

    from rag.cli import render_text
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    done("import")
    pipeline = Pipeline.from_settings(Settings(store=Path(store), collection=COLLECTION))
    done("store + embedder")
    from rag.question import nlp

    nlp()
    done("spaCy load")
    text = render_text(pipeline.ask(question))
    done("first answer")
    pipeline.close()
    return {"phases": phases, "chars": len(text), "peak_mib": peak_mib()}


def answers(store: str, questions_file: str, out: str) -> dict:
    import hashlib

    pipeline = ours_pipeline(store)
    found = [pipeline.ask(q).to_dict() for q in json.loads(Path(questions_file).read_text())]
    pipeline.close()
    text = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True)
    Path(out).write_text(text, encoding="utf-8")
    return {"answers": len(found), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def floor(corpus: str) -> dict:
    """The same model embedding the baseline's chunk texts in one plain batch loop: no splitting, no store."""
    from sentence_transformers import SentenceTransformer

    from rag.embeddings import packaged_model_path

    _, splits = base_splits(corpus)
    model = SentenceTransformer(str(packaged_model_path()), device="cpu", local_files_only=True)
    chunk_texts = [d.page_content for d in splits]
    started = time.perf_counter()
    model.encode(chunk_texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return {"seconds": time.perf_counter() - started, "chunks": len(chunk_texts), "peak_mib": peak_mib()}


def profile_index(corpus: str, store: str, n: int) -> dict:
    import cProfile
    import io
    import pstats

    from rag.ingest import load_corpus

    articles = load_corpus(Path(corpus))[:n]
    pipeline = ours_pipeline(store)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    pipeline.add_articles(articles, COLLECTION)
    profiler.disable()
    seconds = time.perf_counter() - started
    pipeline.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    return {"seconds": seconds, "articles": len(articles), "profile": out.getvalue()}


def evals() -> dict:
    from evals.runner import run_suite

    found = {}
    for corpus, questions in [(ROOT / "corpus" / "articles", ROOT / "evals" / "questions" / "seed.jsonl"),
                              (ROOT / "tests" / "corpora" / "harbor", ROOT / "evals" / "questions" / "harbor.jsonl")]:
        result = run_suite(corpus, questions)
        found[questions.stem] = {name: m.get("value", m) if isinstance(m, dict) else m
                                 for name, m in result["metrics"].items()}
    return found


JOBS = {"ours-index": ours_index, "base-index": base_index, "floor": floor, "ours-warm": ours_warm,
        "base-warm": base_warm, "base-ask": base_ask, "ours-cold": ours_cold, "profile-index": profile_index, "eval": evals,
        "answers": answers}


if __name__ == "__main__":
    job, *args = sys.argv[1:]
    args = [int(a) if a.isdigit() else a for a in args]
    print(json.dumps(JOBS[job](*args)))
