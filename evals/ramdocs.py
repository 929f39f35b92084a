"""RAMDocs, a corpus nobody here wrote: each row in its own fresh collection, scored on the answer's own words.

A row (see ../shared/ramdocs/README.md) holds a question, its documents, the gold answers (several when the
question is ambiguous) and the planted wrong answers. Its documents become Articles doc-1, doc-2, ... with
no metadata, indexed through the same Pipeline as any corpus. Definitions are in evals/README.md.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from evals.metrics import Ratio, quote_exactness, total
from evals.sides import own_sentences, own_words, word_in
from evals.trivial import trivial_answer
from rag.errors import QuoteMismatchError, RagError
from rag.types import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "ramdocs" / "dev.jsonl"
CI_SUBSET = Path(__file__).resolve().parent / "ramdocs_ci.json"
PUBLISHED = {"best baseline (Llama3.3-70B)": 0.326, "MADAM-RAG (Llama3.3-70B)": 0.344}
AMBIGUITY = re.compile(r"\b(?:ambiguous|ambiguity|more than one (?:answer|\w+ (?:named|called))|several answers|"
                       r"multiple answers|(?:several|different|two|various) (?:people|things|entities|places|works) "
                       r"(?:named|called|share))\b", re.I)
METRICS = {  # name -> (what it measures, higher is better)
    "gold_recall": ("gold answers in the own words, in a sentence citing a document holding them", True),
    "strict_match": ("rows with every gold answer so stated and no wrong answer in the own words", True),
    "ambiguity_acknowledged": ("ambiguous rows with a structured conflict or a statement of ambiguity", True),
    "misinformation_unflagged": ("rows stating a wrong answer in the own words with nothing flagged", False),
    "quote_exactness": ("quotes equal to text[start:end]", True),
    "gold_in_quotes": ("gold answers found anywhere in the answer, quotes included (context only)", True),
    "abstention_rate": ("rows answered with an abstention (every row is answerable)", False),
}


class RamdocsError(RagError):
    """A RAMDocs file or subset that cannot be run."""


def load_rows(path: Path, *, rows: int | None = None, subset: str | None = None) -> list[tuple[int, dict]]:
    """(line number, row) pairs: every row, the first `rows`, or the committed CI subset."""
    path = Path(path)
    if rows is not None and rows < 1:
        raise RamdocsError(f"--rows must be at least 1, got {rows}")
    if not path.exists():
        raise RamdocsError(f"{path}: RAMDocs file not found; it is expected at ../shared/ramdocs/dev.jsonl "
                           "beside the repository (pass --ramdocs FILE)")
    try:
        loaded = [(n, json.loads(line)) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if line.strip()]
    except (ValueError, UnicodeDecodeError) as exc:
        raise RamdocsError(f"{path}: not RAMDocs JSONL ({exc})") from None
    if subset == "ci":
        wanted = set(json.loads(CI_SUBSET.read_text(encoding="utf-8"))["lines"])
        loaded = [(n, r) for n, r in loaded if n in wanted]
    elif subset:
        raise RamdocsError(f"unknown subset {subset!r}; use 'ci'")
    if rows is not None:
        loaded = loaded[:rows]
    if not loaded:
        raise RamdocsError(f"{path}: no rows to run")
    return loaded


def articles_of(row: dict) -> list[Article]:
    """The row's documents as Articles doc-1.. (numbered in file order), without metadata."""
    return [Article(id=f"doc-{i}", text=d["text"]) for i, d in enumerate(row["documents"], 1) if d["text"].strip()]


def exact_sliceable(row: dict) -> bool:
    """Every gold answer occurs (normalised, word-bounded) in some document: answerable from exact slices."""
    return all(any(word_in(g, d["text"]) for d in row["documents"]) for g in row["gold_answers"])


def score_row(answer: dict, row: dict, texts: dict[str, str]) -> dict[str, Ratio]:
    """Every RAMDocs metric for one row's answer."""
    golds = row["gold_answers"]
    wrongs = [w for w in row["wrong_answers"] if not any(word_in(w, g) or word_in(g, w) for g in golds)]
    cited = {c["n"]: c["source_id"] for c in answer.get("citations", [])}
    sentences = own_sentences(answer.get("answer", ""))
    words = own_words(answer.get("answer", ""))

    def stated(gold: str) -> bool:
        return any(word_in(gold, s) and any(word_in(gold, texts.get(cited.get(n, ""), "")) for n in markers)
                   for s, markers in sentences)

    found = [g for g in golds if stated(g)]
    wrong_stated = any(word_in(w, words) for w in wrongs)
    flagged = bool(answer.get("conflicts"))
    ambiguous = len(golds) > 1
    everything = answer.get("answer", "") + " " + " ".join(c["quote"] for c in answer.get("citations", []))
    return {
        "gold_recall": Ratio(len(found), len(golds)),
        "strict_match": Ratio(int(len(found) == len(golds) and not wrong_stated), 1),
        "ambiguity_acknowledged": Ratio(int(flagged or bool(AMBIGUITY.search(words))), 1) if ambiguous else Ratio(),
        "misinformation_unflagged": Ratio(int(wrong_stated and not flagged), 1),
        "quote_exactness": quote_exactness(answer, texts),
        "gold_in_quotes": Ratio(sum(1 for g in golds if word_in(g, everything)), len(golds)),
        "abstention_rate": Ratio(int(bool(answer.get("abstained"))), 1),
    }


def evaluate(pipeline, rows: list[tuple[int, dict]], *, name: str = "ramdocs") -> dict:
    """Index each row into its own collection, ask its question, score the system and the trivial baseline."""
    per_row, system, trivial = [], [], []
    started = time.perf_counter()
    for line, row in rows:
        collection = f"ramdocs-{line}"
        if collection in pipeline.collections():
            pipeline.delete_collection(collection)
        articles = articles_of(row)
        try:
            pipeline.add_articles(articles, collection)
            texts = {a.id: a.text for a in articles}
            found = pipeline.retrieve(row["question"], collection=collection)
            try:
                answer, refused = pipeline.answer(found).to_dict(), None
            except QuoteMismatchError as exc:
                answer, refused = {"answer": "", "citations": [], "conflicts": [], "abstained": False}, str(exc)
            scored = score_row(answer, row, texts)
            if refused:
                scored["quote_exactness"] = Ratio(0, 1)
            system.append(scored)
            trivial.append(score_row(trivial_answer(found), row, texts))
        finally:
            pipeline.delete_collection(collection)
        per_row.append({"line": line, "row": row.get("row"), "question": row["question"],
                        "gold_answers": row["gold_answers"], "wrong_answers": row["wrong_answers"],
                        "exact_sliceable": exact_sliceable(row), "answer": answer["answer"],
                        "citations": [{"n": c["n"], "source_id": c["source_id"], "quote": c["quote"]}
                                      for c in answer["citations"]],
                        "conflicts": len(answer["conflicts"]), "abstained": answer["abstained"],
                        "scores": {k: [r.hits, r.total] for k, r in scored.items() if r.total}}
                       | ({"error": refused} if refused else {}))
    sliceable = [s for s, r in zip(system, per_row) if r["exact_sliceable"]]
    return {
        "suite": name,
        "rows": len(rows),
        "lines": [line for line, _ in rows],
        "not_exact_sliceable": [r["line"] for r in per_row if not r["exact_sliceable"]],
        "metrics": _dicts(total(system, METRICS)),
        "metrics_exact_sliceable": _dicts(total(sliceable, METRICS)),
        "trivial": _dicts(total(trivial, METRICS)),
        "published_exact_match": PUBLISHED,
        "seconds": round(time.perf_counter() - started, 2),
        "per_row": per_row,
    }


def run(path: Path, *, rows: int | None = None, subset: str | None = None, embedder=None) -> dict:
    """Load the rows, build a pipeline on a throw-away store and `evaluate`."""
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    picked = load_rows(path, rows=rows, subset=subset)
    name = "ramdocs-ci" if subset == "ci" else ("ramdocs" if rows is None else f"ramdocs-first-{rows}")
    with tempfile.TemporaryDirectory(prefix="rag-ramdocs-") as scratch:
        pipeline = Pipeline.from_settings(Settings(store=Path(scratch)), embedder=embedder)
        try:
            return evaluate(pipeline, picked, name=name)
        finally:
            pipeline.close()


def _dicts(summed: dict[str, Ratio]) -> dict[str, dict]:
    return {name: ratio.to_dict() for name, ratio in summed.items()}
