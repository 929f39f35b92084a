"""The gate and the report, on a hand-made result: what fails, what is printed, what is written."""

import json

import pytest

from evals import gate, report
from evals.metrics import METRICS, Ratio
from evals.questions import QuestionError


def result(**values):
    metrics = {name: Ratio(9, 10).to_dict() for name in METRICS}
    metrics |= {name: Ratio(*value).to_dict() for name, value in values.items()}
    return {"suite": "toy", "corpus": "toy/", "questions": 10,
            "kinds": {"disputed": 4, "undisputed": 4, "unanswerable": 2},
            "settings": {"top_k": 10, "llm": "extractive"}, "metrics": metrics,
            "by_kind": {"disputed": {"conflict_recall": Ratio(3, 4).to_dict()}},
            "latency": {"n": 10, "mean_s": 0.2, "p50_s": 0.2, "p95_s": 0.5, "max_s": 0.6, "warm_up_s": 1.0},
            "warnings": [], "per_question": [
                {"id": "t1", "kind": "disputed", "abstained": False, "acknowledged": True, "conflicts": 1,
                 "cited": {"a": [1], "b": []}, "missed_sources": ["x"], "latency_s": 0.2}]}


def test_a_result_within_bounds_passes():
    bounds = {"conflict_recall": {"min": 0.85}, "flattening_rate": {"max": 0.95}, "latency_p95_s": {"max": 2.0}}
    assert gate.check(result(quote_exactness=(10, 10)), bounds) == []


def test_each_broken_bound_is_one_line():
    bounds = {"conflict_recall": {"min": 0.95}, "flattening_rate": {"max": 0.5}, "latency_p95_s": {"max": 0.4}}
    failures = gate.check(result(quote_exactness=(10, 10)), bounds)
    assert failures == ["toy: conflict_recall = 0.9 is below the floor 0.95",
                        "toy: flattening_rate = 0.9 is above the ceiling 0.5",
                        "toy: latency_p95_s = 0.5 is above the ceiling 0.4"]


def test_quote_exactness_must_be_perfect_whatever_the_thresholds_say():
    failures = gate.check(result(quote_exactness=(99, 100)), {"quote_exactness": {"min": 0.5}})
    assert failures == ["toy: quote_exactness = 0.99 is below the floor 1.0"]


def test_unmeasured_metrics_are_skipped_and_unknown_ones_refused():
    assert gate.check(result(quote_exactness=(0, 0), conflict_recall=(0, 0)), {"conflict_recall": {"min": 1}}) == []
    with pytest.raises(QuestionError, match="unknown metric 'recall'"):
        gate.check(result(), {"recall": {"min": 0.5}})


def test_thresholds_file_is_checked(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"toy": {"conflict_recall": {"floor": 1}}}))
    with pytest.raises(QuestionError, match=r"toy.conflict_recall must be"):
        gate.load_thresholds("toy", path)
    assert gate.load_thresholds("other", path) == {}


def test_committed_thresholds_cover_both_suites_and_demand_exact_quotes():
    for suite in ("seed", "harbor"):
        bounds = gate.load_thresholds(suite)
        assert bounds["quote_exactness"] == {"min": 1.0}
        assert set(bounds) - {"quote_exactness"}, f"{suite} has no regression floors"


def test_table_shows_value_count_baseline_bound_and_status():
    baseline = result(conflict_recall=(4, 4))
    text = report.table(result(quote_exactness=(10, 10)), baseline, {"conflict_recall": {"min": 0.95}})
    line = next(row for row in text.splitlines() if row.startswith("conflict_recall"))
    assert line.split() == ["conflict_recall", "90.0%", "9/10", "-", "100.0%", ">=", "95.0%", "FAIL"]
    assert "flattening_rate (lower is better)" in text and "by kind" in text


def test_write_produces_json_markdown_and_a_chart(tmp_path):
    paths = report.write(result(), result(), {"conflict_recall": {"min": 0.8}}, tmp_path / "out")
    assert [p.name for p in paths] == ["result.json", "report.md", "chart.svg"]
    assert json.loads(paths[0].read_text())["suite"] == "toy"
    markdown = paths[1].read_text()
    assert "![metrics against the baseline](chart.svg)" in markdown and "| t1 | disputed |" in markdown
    chart = paths[2].read_text()
    assert chart.startswith("<svg") and chart.count('fill="#3b6fd8"') == len(METRICS)
    assert chart.count('stroke="#d62728"') == 2  # conflict_recall's floor and quote exactness's


def test_readme_shows_the_committed_baseline():
    from evals.gate import BASELINES

    baselines = {p.stem: json.loads(p.read_text()) for p in sorted(BASELINES.glob("*.json"))}
    assert {"seed", "seed-paraphrase", "harbor", "harbor-paraphrase", "ramdocs-ci"} <= set(baselines)
    readme = (BASELINES.parent / "README.md").read_text(encoding="utf-8")
    for table in (report.readme_table(baselines), report.ramdocs_table(baselines)):
        assert table in readme, f"evals/README.md is out of date; paste `python -m evals.report`:\n{table}"


def test_suggested_bounds_sit_a_margin_outside_the_measured_values():
    measured = result(quote_exactness=(10, 10), citation_recall=(60, 100), flattening_rate=(1, 9),
                      conflict_recall=(0, 0), abstention_accuracy=(1, 50))
    bounds, notes = gate.suggest(measured)
    assert notes == []
    assert bounds["quote_exactness"] == {"min": 1.0}
    assert bounds["citation_recall"] == {"min": 0.55}           # 0.60 - 0.05, not 0.549999...
    assert bounds["flattening_rate"] == {"max": 0.17}           # 0.111 + 0.05 rounded up
    assert bounds["abstention_accuracy"] == {"min": 0.0}        # never below zero
    assert "conflict_recall" not in bounds                      # nothing measured, nothing bound
    assert bounds["latency_p95_s"] == {"max": gate.LATENCY_CEILING_S}
    assert gate.check(measured, bounds) == []  # the run that set the bounds passes them


def test_suggested_bounds_sit_above_the_trivial_baseline_or_say_it_is_not_beaten():
    measured = result(quote_exactness=(10, 10), citation_recall=(60, 100), conflict_recall=(40, 100),
                      flattening_rate=(10, 100), false_conflict_rate=(30, 100))
    measured["trivial"] = {"citation_recall": Ratio(58, 100).to_dict(), "conflict_recall": Ratio(50, 100).to_dict(),
                           "flattening_rate": Ratio(12, 100).to_dict(), "false_conflict_rate": Ratio(0, 100).to_dict()}
    bounds, notes = gate.suggest(measured)
    assert bounds["citation_recall"] == {"min": 0.59}        # above the trivial 0.58, not 0.60 - 0.05
    assert bounds["conflict_recall"] == {"min": 0.38}        # below trivial: measured - 0.02, and said so
    assert bounds["flattening_rate"] == {"max": 0.11}        # below the trivial 0.12, not 0.10 + 0.05
    assert bounds["false_conflict_rate"] == {"max": 0.32}    # worse than trivial: measured + 0.02
    assert notes == ["conflict_recall: 0.4 is not above the trivial baseline 0.5",
                     "false_conflict_rate: 0.3 is not below the trivial baseline 0"]
    assert gate.check(measured, bounds) == []


def test_paired_result_shows_original_paraphrase_and_gap(tmp_path):
    from evals.runner import paired

    para = result(conflict_recall=(5, 10)) | {"suite": "toy-paraphrase"}
    both = paired(result(), para)
    assert both["gap"]["conflict_recall"] == 0.4
    markdown = report.markdown(both, None, {})
    assert "## Original wording vs paraphrase" in markdown and "| conflict_recall | 90.0% (9/10) | 50.0% (5/10) | +40.0 |" in markdown


def test_report_shows_each_failing_question_as_a_reader_sees_it():
    failing = result()
    failing["per_question"][0] |= {"question": "How long?", "scores": {"conflict_recall": [0, 1]},
                                   "answer": "Gazette: “up to 60 days” [1]",
                                   "citations": [{"n": 1, "source_id": "a", "quote": "up to 60 days"}]}
    markdown = report.markdown(failing, None, {})
    assert "### t1: How long?" in markdown and "lost: conflict_recall" in markdown
    assert "Gazette: “up to 60 days” [1]" in markdown and "- [1] `a`: up to 60 days" in markdown


def test_a_ramdocs_result_renders_with_the_published_numbers_and_failing_rows():
    ci = gate.load_baseline("ramdocs-ci")
    markdown = report.markdown(ci, ci, gate.load_thresholds("ramdocs-ci"))
    assert "## Beside the published numbers" in markdown and "MADAM-RAG" in markdown
    assert "## What a reader sees" in markdown
