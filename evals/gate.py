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
    if metric.startswith("latency_"):
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


MARGIN = 0.05             # floors sit this far below the measured value, ceilings this far above
LATENCY_CEILING_S = 10.0  # p95 per question: catches a pathological slowdown, not a benchmark (see benchmarks/)
RULE = (f"floor = measured - {MARGIN} rounded down to 0.01; ceiling (lower-is-better metrics) = measured + "
        f"{MARGIN} rounded up to 0.01; quote_exactness is always >= 1.0; latency_p95_s <= {LATENCY_CEILING_S}s. "
        "Regenerate with `python -m evals.gate` only after refreshing the baseline on purpose.")


def suggest(result: dict, margin: float = MARGIN) -> dict[str, dict[str, float]]:
    """Bounds for a suite from a measured result, by the rule above: never tuned by hand to pass a run."""
    from evals.metrics import METRICS

    bounds: dict[str, dict[str, float]] = {"quote_exactness": {"min": 1.0}}
    for metric, (_, higher) in METRICS.items():
        value = result["metrics"][metric]["value"]
        if metric == "quote_exactness" or value is None:
            continue
        if higher:
            bounds[metric] = {"min": max(0.0, math.floor(round((value - margin) * 100, 6)) / 100)}
        else:
            bounds[metric] = {"max": min(1.0, math.ceil(round((value + margin) * 100, 6)) / 100)}
    bounds["latency_p95_s"] = {"max": LATENCY_CEILING_S}
    return bounds


def main() -> None:
    """`python -m evals.gate`: print thresholds.json for the committed baselines."""
    suites = {p.stem: suggest(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(BASELINES.glob("*.json"))}
    blocks = [",\n".join(f"    {json.dumps(metric)}: {json.dumps(bound)}" for metric, bound in bounds.items())
              for bounds in suites.values()]
    body = ",\n".join(f"  {json.dumps(suite)}: {{\n{block}\n  }}" for suite, block in zip(suites, blocks))
    print(f"{{\n  \"_rule\": {json.dumps(RULE)},\n{body}\n}}")


if __name__ == "__main__":
    main()
