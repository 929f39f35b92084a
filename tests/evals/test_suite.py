"""The CI gate: both committed suites, their paraphrase sets and the RAMDocs CI subset, against a real index,
the real model and the default answerer, offline.

Fails when quote exactness is below 100% or any metric crosses its bound in evals/thresholds.json. The
pipelines are the session's (one model load); the suites run once per module.
"""

import json

import pytest

from conftest import HARBOR, ROOT, SEED
from evals import gate, report
from evals.questions import load_questions
from evals.runner import evaluate, run_cli
from rag.cli import build_parser, main

QUESTIONS = ROOT / "evals" / "questions"
SUITES = {"seed": (SEED, "seed_pipeline"), "seed-paraphrase": (SEED, "seed_pipeline"),
          "harbor": (HARBOR, "harbor_pipeline"), "harbor-paraphrase": (HARBOR, "harbor_pipeline")}
RAMDOCS = ROOT.parent / "shared" / "ramdocs" / "dev.jsonl"


@pytest.fixture(scope="module", params=sorted(SUITES))
def suite(request):
    corpus, pipeline = SUITES[request.param]
    return evaluate(request.getfixturevalue(pipeline), load_questions(QUESTIONS / f"{request.param}.jsonl"),
                    suite=request.param, corpus=str(corpus.relative_to(ROOT)))


def test_every_quote_is_an_exact_slice_of_its_source(suite):
    exactness = suite["metrics"]["quote_exactness"]
    assert exactness["total"] > 0 and exactness["value"] == 1.0, exactness


def test_no_metric_regressed_below_its_threshold(suite):
    thresholds = gate.load_thresholds(suite["suite"])
    failures = gate.check(suite, thresholds)
    table = report.table(suite, gate.load_baseline(suite["suite"]), thresholds)
    assert not failures, "\n".join(failures) + "\n\n" + table


@pytest.fixture(scope="module")
def ramdocs_ci(tmp_path_factory, embedder):
    from evals import ramdocs
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    rows = ramdocs.load_rows(RAMDOCS, subset="ci")  # a missing file fails here, with the path it expected
    pipeline = Pipeline.from_settings(Settings(store=tmp_path_factory.mktemp("ramdocs-store")), embedder=embedder)
    try:
        yield ramdocs.evaluate(pipeline, rows, name="ramdocs-ci")
    finally:
        pipeline.close()


def test_ramdocs_ci_subset_is_the_committed_40_rows_and_passes_its_thresholds(ramdocs_ci):
    assert ramdocs_ci["rows"] == 40 and ramdocs_ci["lines"] == list(range(1, 361, 9))
    assert ramdocs_ci["metrics"]["quote_exactness"]["value"] == 1.0
    failures = gate.check(ramdocs_ci, gate.load_thresholds("ramdocs-ci"))
    assert not failures, "\n".join(failures) + "\n\n" + report.table(
        ramdocs_ci, gate.load_baseline("ramdocs-ci"), gate.load_thresholds("ramdocs-ci"))


def test_rag_eval_ramdocs_without_the_file_fails_in_one_line(tmp_path, capsys):
    missing = tmp_path / "nowhere.jsonl"
    assert main(["eval", "--ramdocs", str(missing), "--subset", "ci", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"rag: error: {missing}: RAMDocs file not found") and "\n" not in err


def test_rag_eval_writes_result_report_and_chart(tmp_path, embedder, capsys):
    lines = (QUESTIONS / "harbor.jsonl").read_text(encoding="utf-8").splitlines()
    mini = tmp_path / "mini.jsonl"
    picked = {"harbor-01", "harbor-12", "harbor-21"}
    mini.write_text("\n".join(line for line in lines if json.loads(line)["id"] in picked))
    args = build_parser().parse_args(["eval", "--corpus", str(HARBOR), "--questions", str(mini),
                                      "--out", str(tmp_path / "out"), "--check"])
    assert run_cli(args, embedder=embedder) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("suite mini: 3 questions (1 disputed, 1 undisputed, 1 unanswerable)")
    assert "no thresholds for suite 'mini'" in printed.err
    written = json.loads((tmp_path / "out" / "result.json").read_text())
    assert [q["id"] for q in written["per_question"]] == ["harbor-01", "harbor-12", "harbor-21"]
    assert written["metrics"]["quote_exactness"]["value"] == 1.0
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "out" / "chart.svg").exists()
    assert "trivial" in written and written["retrieval"]["corpus_sources"] > 0


def test_rag_eval_refuses_a_bad_question_file_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b1", "question": "Why?", "kind": "sure"}\n')
    assert main(["eval", "--questions", str(bad), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"rag: error: {bad}:1: b1: 'kind' is 'sure'; use one of disputed, undisputed, unanswerable"
