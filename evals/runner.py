"""`rag eval`: index a corpus into a throw-away store, ask every question, score, report, and gate.

`evaluate()` scores an already indexed pipeline (tests pass the session's); `run_suite()` builds one for a
corpus folder; `run_cli()` adds the files and the exit code.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from evals import gate, metrics, report
from evals.trivial import trivial_answer
from evals.questions import KINDS, PARAPHRASE, check_sources, keyword_warnings, load_questions
from rag.errors import QuoteMismatchError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpus" / "articles"
DEFAULT_QUESTIONS = ROOT / "evals" / "questions" / "seed.jsonl"
WARM_UP = "What do the articles report?"


def suite_name(questions_path: Path) -> str:
    """A suite is named by its question file: evals/questions/harbor.jsonl is the 'harbor' suite."""
    return Path(questions_path).stem


def evaluate(pipeline, questions: list[dict], *, suite: str, corpus: str = "", collection: str | None = None) -> dict:
    """Ask every question (timed; its retrieved passages give recall@k) and score the answers."""
    articles = pipeline.articles(collection)
    check_sources(questions, set(articles), corpus or "the indexed corpus")
    texts = {source_id: article.text for source_id, article in articles.items()}
    started = time.perf_counter()
    pipeline.ask(WARM_UP, collection=collection)  # first-call costs (lazy indexes, model warm-up) are not latency
    warm_up = time.perf_counter() - started
    rows, scores, trivial = [], [], []
    for question in questions:
        started = time.perf_counter()  # retrieve() then answer() is ask(), split to reuse its passages
        found = pipeline.retrieve(question["question"], collection=collection)
        try:
            answer, refused = pipeline.answer(found).to_dict(), None
        except QuoteMismatchError as exc:  # the answerer caught its own bad quote: the suite must still fail
            answer, refused = {"answer": "", "citations": [], "conflicts": [], "abstained": False}, str(exc)
        elapsed = time.perf_counter() - started
        retrieved = list(dict.fromkeys(p.chunk.source_id for p in found.passages))
        scored = metrics.score(answer, question, texts, retrieved)
        if refused:
            scored["quote_exactness"] = metrics.Ratio(0, 1)
        scores.append(scored)
        trivial.append(metrics.score(trivial_answer(found), question, texts, retrieved))
        rows.append(_row(question, answer, retrieved, scored, elapsed) | ({"error": refused} if refused else {}))
    summed = metrics.total(scores)
    return {
        "suite": suite,
        "corpus": corpus,
        "questions": len(questions),
        "kinds": {kind: sum(q["kind"] == kind for q in questions) for kind in KINDS},
        "settings": {"top_k": pipeline.settings.top_k, "llm": pipeline.settings.llm,
                     "embedding_model": pipeline.embedder.name, "max_quotes": pipeline.settings.max_quotes,
                     "min_relevance": pipeline.settings.min_relevance},
        "metrics": {name: ratio.to_dict() for name, ratio in summed.items()},
        "trivial": {name: ratio.to_dict() for name, ratio in metrics.total(trivial).items()},
        "retrieval": {"k_passages": pipeline.settings.top_k, "corpus_sources": len(texts),
                      "informative": pipeline.settings.top_k < len(texts)},
        "by_kind": {kind: {name: ratio.to_dict() for name, ratio in metrics.total(
                        s for s, q in zip(scores, questions) if q["kind"] == kind).items() if ratio.total}
                    for kind in KINDS if any(q["kind"] == kind for q in questions)},
        "latency": metrics.latency([row["latency_s"] for row in rows]) | {"warm_up_s": round(warm_up, 4)},
        "warnings": keyword_warnings(questions, texts, metrics.normalise),
        "per_question": rows,
    }


def run_suite(corpus: Path, questions_path: Path, store: Path | None = None, *, collection: str | None = None,
              embedder=None) -> dict:
    """Index `corpus` into `store` (a temp folder unless given) with the real model, then `evaluate` the set and,
    when it has one (seed.jsonl -> seed-paraphrase.jsonl), its paraphrase set on the same index."""
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    questions = load_questions(questions_path)
    suite = suite_name(questions_path)
    paraphrases = paraphrase_path(Path(questions_path))
    collection = collection or _collection_for(suite)
    with tempfile.TemporaryDirectory(prefix="rag-eval-") as scratch:
        pipeline = Pipeline.from_settings(Settings(store=store or Path(scratch)), embedder=embedder)
        try:
            started = time.perf_counter()
            pipeline.index(Path(corpus), collection)
            indexed = time.perf_counter() - started
            result = evaluate(pipeline, questions, suite=suite, corpus=shown(corpus), collection=collection)
            if paraphrases:
                result = paired(result, evaluate(pipeline, load_questions(paraphrases), suite=paraphrases.stem,
                                                 corpus=shown(corpus), collection=collection))
        finally:
            pipeline.close()
    return result | {"questions_file": shown(questions_path), "index_s": round(indexed, 3)}


def paraphrase_path(questions_path: Path) -> Path | None:
    """The paraphrase set of an original question file, when there is one."""
    if questions_path.stem.endswith(PARAPHRASE):
        return None
    candidate = questions_path.with_name(questions_path.stem + PARAPHRASE + questions_path.suffix)
    return candidate if candidate.exists() else None


def paired(original: dict, paraphrase: dict) -> dict:
    """The original set's result carrying its paraphrase set's result and the gap (original - paraphrase)."""
    return original | {"paraphrase": paraphrase, "gap": metrics.gap(original["metrics"], paraphrase["metrics"])}


def run_cli(args: argparse.Namespace, *, embedder=None) -> int:
    """The `rag eval` command: table (or JSON) on stdout, result.json + report.md + chart.svg in --out."""
    if getattr(args, "ramdocs", None):
        return _run_ramdocs(args, embedder=embedder)
    corpus = args.corpus or DEFAULT_CORPUS
    questions = args.questions or DEFAULT_QUESTIONS
    suite = suite_name(questions)
    thresholds = gate.load_thresholds(suite)
    load_questions(questions)  # fail on a bad file before loading the model
    print(f"rag eval: suite {suite!r}: {questions} against {corpus}", file=sys.stderr)
    result = run_suite(corpus, questions, getattr(args, "store", None),
                       collection=getattr(args, "collection", None), embedder=embedder)
    written = report.write(result, gate.load_baseline(suite), thresholds, Path(args.out))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report.full_table(result))
        print(f"\nwrote {', '.join(str(p) for p in written)}")
    if result["warnings"]:
        print(f"rag eval: {len(result['warnings'])} keyword warning(s), e.g. {result['warnings'][0]}", file=sys.stderr)
    if not thresholds:
        print(f"rag eval: no thresholds for suite {suite!r} in {gate.THRESHOLDS}; only quote exactness is gated",
              file=sys.stderr)
    failures = gate.check_all(result)
    for failure in failures:
        print(f"rag eval: FAIL {failure}", file=sys.stderr)
    return 1 if failures and args.check else 0


def _run_ramdocs(args: argparse.Namespace, *, embedder=None) -> int:
    """`rag eval --ramdocs FILE [--rows N | --subset ci]`: every row in its own collection."""
    from evals import ramdocs

    rows = ramdocs.load_rows(args.ramdocs, rows=args.rows, subset=args.subset)  # fail before loading the model
    print(f"rag eval: RAMDocs: {len(rows)} rows of {args.ramdocs}", file=sys.stderr)
    result = ramdocs.run(args.ramdocs, rows=args.rows, subset=args.subset, embedder=embedder)
    thresholds = gate.load_thresholds(result["suite"])
    written = report.write(result, gate.load_baseline(result["suite"]), thresholds, Path(args.out))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else report.full_table(result))
    if not args.json:
        print(f"\nwrote {', '.join(str(p) for p in written)}")
    failures = gate.check_all(result)
    for failure in failures:
        print(f"rag eval: FAIL {failure}", file=sys.stderr)
    return 1 if failures and args.check else 0


def shown(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it, so baselines travel."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _collection_for(suite: str) -> str:
    name = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_-]+", "-", suite.lower())).strip("-_")[:40]
    return f"eval-{name or 'suite'}"


def _row(question: dict, answer: dict, retrieved: list[str], scored: dict, elapsed: float) -> dict:
    """What a reviewer needs to see why a question scored as it did."""
    keywords = [k for c in metrics.claims(question) for k in c["keywords"]]
    return {
        "id": question["id"],
        "kind": question["kind"],
        "question": question["question"],
        "abstained": answer["abstained"],
        "acknowledged": metrics.acknowledged(answer, question),
        "conflicts": len(answer["conflicts"]),
        "conflict_positions": [[p["claim"], p["citations"]] for c in answer["conflicts"] for p in c["positions"]],
        "citations": [{"n": c["n"], "source_id": c["source_id"], "quote": c["quote"],
                       "supports": metrics.supports(c["quote"], keywords),
                       "on_topic": metrics.on_topic(c["quote"], question["question"])}
                      for c in answer["citations"]],
        "cited": {c.get("claim") or c.get("text"): metrics.supporting(answer, c) for c in metrics.claims(question)},
        "missed_sources": sorted(set(question["sources"]) - set(retrieved)),
        "latency_s": round(elapsed, 4),
        "scores": {name: [ratio.hits, ratio.total] for name, ratio in scored.items() if ratio.total},
        "answer": answer["answer"],
    }
