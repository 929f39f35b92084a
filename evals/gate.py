"""The regression gate: a suite's result against its floors and ceilings in evals/thresholds.json.

Quote exactness must be 1.0 for every suite, with or without a thresholds entry: a quote that is not an exact
slice of its source is a bug, never a regression to tolerate.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from evals.questions import QuestionError

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"
BASELINES = Path(__file__).resolve().parent / "baseline"


def load_thresholds(suite: str, path: Path = THRESHOLDS) -> dict[str, dict[str, float]]:
    """{metric: {"min": x} or {"max": x}} for one suite; {} when the file has no entry for it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QuestionError(f"{path}: not a JSON object of thresholds ({exc})") from exc
    entry = data.get(suite, {})
    for metric, bound in entry.items():
        if not isinstance(bound, dict) or not set(bound) <= {"min", "max"} or not bound:
            raise QuestionError(f"{path}: {suite}.{metric} must be {{\"min\": x}} or {{\"max\": x}}, got {bound!r}")
    return entry


def load_baseline(suite: str, directory: Path = BASELINES) -> dict | None:
    path = Path(directory) / f"{suite}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def value_of(result: dict, metric: str) -> float | None:
    """A ratio metric's value, or a latency figure named latency_<field> (e.g. latency_p95_s)."""
    if metric in result["metrics"]:
        return result["metrics"][metric]["value"]
    if metric.startswith("latency_") and "latency" in result:
        return result["latency"].get(metric.removeprefix("latency_"))
    raise QuestionError(f"thresholds name an unknown metric {metric!r}; use one of "
                        f"{', '.join(result['metrics'])} or latency_p50_s / latency_p95_s / latency_max_s")


def check(result: dict, thresholds: dict[str, dict[str, float]]) -> list[str]:
    """One line per broken bound; empty when the suite passes."""
    bounds = {"quote_exactness": {"min": 1.0}} | thresholds
    bounds["quote_exactness"] = {"min": 1.0}  # not negotiable per suite
    failures = []
    for metric, bound in bounds.items():
        value = value_of(result, metric)
        if value is None:
            continue  # nothing to measure (e.g. a suite without disputed questions)
        if "min" in bound and value < bound["min"]:
            failures.append(f"{result['suite']}: {metric} = {value:.4g} is below the floor {bound['min']}")
        if "max" in bound and value > bound["max"]:
            failures.append(f"{result['suite']}: {metric} = {value:.4g} is above the ceiling {bound['max']}")
    return failures


def check_all(result: dict, path: Path = THRESHOLDS) -> list[str]:
    """`check` a result against its suite's bounds, and its paraphrase set's result (if any) against theirs."""
    failures = check(result, load_thresholds(result["suite"], path))
    if "paraphrase" in result:
        failures += check(result["paraphrase"], load_thresholds(result["paraphrase"]["suite"], path))
    return failures


MARGIN = 0.05             # floors sit this far below the measured value, ceilings this far above ...
SMALL = 0.02              # ... or this far, where the system is not better than the trivial baseline
LATENCY_CEILING_S = 10.0  # p95 per question: catches a pathological slowdown, not a benchmark (see benchmarks/)
RULE = (f"higher-is-better: floor = measured - {MARGIN} (rounded down to 0.01), raised to just above the trivial "
        f"baseline where the system beats it; where it does not, floor = measured - {SMALL}. Lower-is-better: the "
        f"mirror image (ceiling measured + {MARGIN}, lowered to just below the trivial baseline; else measured + "
        f"{SMALL}). quote_exactness is always >= 1.0; latency_p95_s <= {LATENCY_CEILING_S}s. Regenerate with "
        "`python -m evals.gate --refresh` only after a change someone means to adopt; `_notes` names the metrics "
        "where the system is not above the trivial baseline.")


def _down(x: float) -> float:
    return max(0.0, math.floor(round(x * 100, 6)) / 100)


def _up(x: float) -> float:
    return min(1.0, math.ceil(round(x * 100, 6)) / 100)


def directions() -> dict[str, bool]:
    """metric -> higher is better, for every metric of question suites and of RAMDocs."""
    from evals import metrics, ramdocs

    return {name: higher for name, (_, higher) in (metrics.METRICS | ramdocs.METRICS).items()}


def suggest(result: dict, margin: float = MARGIN) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Bounds for a suite from a measured result by the rule above, and notes on metrics where the system is
    not above the trivial baseline: never tuned by hand to pass a run."""
    higher_is_better = directions()
    trivial = result.get("trivial", {})
    bounds: dict[str, dict[str, float]] = {"quote_exactness": {"min": 1.0}}
    notes = []
    for metric, measured in result["metrics"].items():
        value, base = measured["value"], trivial.get(metric, {}).get("value")
        if metric == "quote_exactness" or value is None:
            continue
        if higher_is_better[metric]:
            if base is None or value > base:
                floor = _down(value - margin)
                if base is not None:
                    floor = max(floor, min(_down(base) + 0.01, _down(value)))
            else:
                floor = _down(value - SMALL)
                notes.append(f"{metric}: {value:.4g} is not above the trivial baseline {base:.4g}")
            bounds[metric] = {"min": round(floor, 2)}
        else:
            if base is None or value < base:
                ceiling = _up(value + margin)
                if base is not None:
                    ceiling = min(ceiling, max(_up(base) - 0.01, _up(value)))
            else:
                ceiling = _up(value + SMALL)
                notes.append(f"{metric}: {value:.4g} is not below the trivial baseline {base:.4g}")
            bounds[metric] = {"max": round(ceiling, 2)}
    if "latency" in result:
        bounds["latency_p95_s"] = {"max": LATENCY_CEILING_S}
    return bounds, notes


def thresholds_json(results: dict[str, dict]) -> str:
    """thresholds.json for results keyed by suite name."""
    suggested = {suite: suggest(result) for suite, result in sorted(results.items())}
    blocks = [",\n".join(f"    {json.dumps(metric)}: {json.dumps(bound)}" for metric, bound in bounds.items())
              for bounds, _ in suggested.values()]
    body = ",\n".join(f"  {json.dumps(suite)}: {{\n{block}\n  }}" for suite, block in zip(suggested, blocks))
    notes = json.dumps({suite: n for suite, (_, n) in suggested.items() if n}, indent=4).replace("\n", "\n  ")
    return f"{{\n  \"_rule\": {json.dumps(RULE)},\n  \"_notes\": {notes},\n{body}\n}}\n"


def baselines(directory: Path = BASELINES) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("*.json"))}


def refresh(*, full: bool = False, embedder=None) -> list[Path]:
    """Re-measure every committed suite (seed and harbor with their paraphrase sets, the RAMDocs CI subset, and
    with `full` the whole RAMDocs split), write baseline/*.json and thresholds.json; returns the paths written."""
    from evals import ramdocs
    from evals.runner import DEFAULT_CORPUS, ROOT, run_suite

    questions = ROOT / "evals" / "questions"
    results = {}
    for corpus, name in ((DEFAULT_CORPUS, "seed"), (ROOT / "tests" / "corpora" / "harbor", "harbor")):
        result = run_suite(corpus, questions / f"{name}.jsonl", embedder=embedder)
        paraphrase = result.pop("paraphrase")
        result.pop("gap")
        results[name], results[paraphrase["suite"]] = result, paraphrase
    results["ramdocs-ci"] = ramdocs.run(ramdocs.DEFAULT_FILE, subset="ci", embedder=embedder)
    if full:
        results["ramdocs"] = ramdocs.run(ramdocs.DEFAULT_FILE, embedder=embedder)
    written = []
    for suite, result in results.items():
        path = BASELINES / f"{suite}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    THRESHOLDS.write_text(thresholds_json(baselines()), encoding="utf-8")  # every committed baseline
    return [*written, THRESHOLDS]


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.gate [--refresh [--full]]`: print thresholds.json for the committed baselines, or
    re-measure everything and write the baselines and thresholds."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m evals.gate")
    parser.add_argument("--refresh", action="store_true", help="re-measure every suite; write baseline/ and thresholds")
    parser.add_argument("--full", action="store_true", help="with --refresh: also the whole RAMDocs split (slow)")
    args = parser.parse_args(argv)
    if args.refresh:
        for path in refresh(full=args.full):
            print(f"wrote {path}")
        from evals.report import ramdocs_table, readme_table

        print(readme_table(baselines()) + "\n\n" + ramdocs_table(baselines()))
    else:
        print(thresholds_json(baselines()), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
