"""Speed, memory and retrieval coverage, each against a baseline measured in the same run.

    make bench            # or: .venv/bin/python benchmarks/run.py [--repeat 3]

- indexing: a full index of the seed corpus vs. re-indexing it unchanged (the incremental path);
- answering: a whole ask() (retrieve, conflicts, compose, verify) vs. retrieval alone;
- coverage: share of the sources holding each side of a disputed question that reach the answerer, for this
  project's retrieval (hybrid, source-diverse, pole expansion) vs. plain dense top-k over the same index;
- memory: peak resident set size of the process.
Writes benchmarks/out/latest.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _k, _v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
               "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1"}.items():
    os.environ.setdefault(_k, _v)

from rag.pipeline import Pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402

SUITES = [(ROOT / "corpus" / "articles", ROOT / "evals" / "questions" / "seed.jsonl"),
          (ROOT / "tests" / "corpora" / "harbor", ROOT / "evals" / "questions" / "harbor.jsonl")]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="passes over each question set")
    args = parser.parse_args()
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}}
    ask_times: list[float] = []
    retrieve_times: list[float] = []
    ours_cov: list[float] = []
    dense_cov: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        (pipeline, load_s) = timed(lambda: Pipeline.from_settings(Settings(store=Path(tmp) / "store")))
        results["model_load_s"] = load_s
        for corpus, questions_file in SUITES:
            name = corpus.name.replace("_", "-")
            _, full = timed(lambda: pipeline.index(corpus, name))
            _, again = timed(lambda: pipeline.index(corpus, name))
            results[f"index_full_s[{name}]"] = full
            results[f"reindex_unchanged_s[{name}]"] = again
            questions = [json.loads(line) for line in questions_file.read_text().splitlines() if line.strip()]
            pipeline.ask(questions[0]["question"], collection=name)  # warm the caches once
            for _ in range(args.repeat):
                for q in questions:
                    _, t = timed(lambda: pipeline.ask(q["question"], collection=name))
                    ask_times.append(t)
                    _, t = timed(lambda: pipeline.retrieve(q["question"], collection=name))
                    retrieve_times.append(t)
            for q in questions:
                wanted = {s for p in q.get("positions", []) for s in p["sources"]}
                if q["kind"] != "disputed" or not wanted:
                    continue
                ours = {p.chunk.source_id for p in pipeline.retrieve(q["question"], collection=name).passages}
                vector = pipeline.embedder.embed([q["question"]])[0]
                dense = {c.source_id for c, _ in pipeline.store.query(name, vector, pipeline.settings.top_k)}
                ours_cov.append(len(wanted & ours) / len(wanted))
                dense_cov.append(len(wanted & dense) / len(wanted))
        pipeline.close()
    results |= {
        "ask_p50_s": statistics.median(ask_times), "ask_p95_s": percentile(ask_times, 0.95),
        "retrieve_p50_s": statistics.median(retrieve_times),
        "disputed_source_coverage": statistics.mean(ours_cov),
        "disputed_source_coverage_dense_topk": statistics.mean(dense_cov),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "questions_timed": len(ask_times),
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(render(results))
    return 0


def render(r: dict) -> str:
    rows = ["| measure | value | baseline (same run) | ratio |", "|---|---|---|---|"]
    for name in ("articles", "harbor"):
        full, again = r[f"index_full_s[{name}]"], r[f"reindex_unchanged_s[{name}]"]
        rows.append(f"| re-index unchanged `{name}` | {again * 1000:.1f} ms | full index {full:.2f} s | {again / full:.3f} |")
    rows.append(f"| ask() p50 / p95 | {r['ask_p50_s'] * 1000:.0f} / {r['ask_p95_s'] * 1000:.0f} ms | retrieval alone p50 "
                f"{r['retrieve_p50_s'] * 1000:.0f} ms | {r['ask_p50_s'] / r['retrieve_p50_s']:.2f} |")
    rows.append(f"| sources of every side retrieved (disputed questions) | {r['disputed_source_coverage']:.3f} | "
                f"dense top-k {r['disputed_source_coverage_dense_topk']:.3f} | "
                f"{r['disputed_source_coverage'] / max(1e-9, r['disputed_source_coverage_dense_topk']):.2f} |")
    rows.append(f"| peak RSS | {r['peak_rss_mib']:.0f} MiB | | |")
    rows.append(f"| model load | {r['model_load_s']:.1f} s | | |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
