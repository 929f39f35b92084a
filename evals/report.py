"""A suite's result -> the printed table, report.md and chart.svg (each metric against the committed baseline)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from evals.gate import check, value_of
from evals.metrics import METRICS

LATENCY = ("p50_s", "p95_s", "max_s")


def write(result: dict, baseline: dict | None, thresholds: dict, out: Path) -> list[Path]:
    """out/result.json, out/report.md and out/chart.svg; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "result.json", out / "report.md", out / "chart.svg"]
    paths[0].write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(result, baseline, thresholds), encoding="utf-8")
    paths[2].write_text(svg(result, baseline, thresholds), encoding="utf-8")
    return paths


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _bound(metric: str, thresholds: dict) -> str:
    bound = thresholds.get(metric, {"min": 1.0} if metric == "quote_exactness" else {})
    seconds = metric.startswith("latency_")
    show = (lambda v: f"{v:g}s") if seconds else _pct
    return " ".join(f"{'>=' if k == 'min' else '<='} {show(v)}" for k, v in bound.items()) or "-"


def _rows(result: dict, baseline: dict | None, thresholds: dict) -> list[list[str]]:
    failing = {line.split(": ", 1)[1].split(" = ", 1)[0] for line in check(result, thresholds)}
    rows = []
    for metric, (_, higher) in METRICS.items():
        m = result["metrics"][metric]
        base = _pct(baseline["metrics"][metric]["value"]) if baseline and metric in baseline["metrics"] else "-"
        bound = _bound(metric, thresholds)
        status = "FAIL" if metric in failing else ("ok" if bound != "-" and m["value"] is not None else "")
        rows.append([metric + ("" if higher else " (lower is better)"), _pct(m["value"]),
                     f"{m['hits']}/{m['total']}", base, bound, status])
    for field in LATENCY:
        metric = f"latency_{field}"
        value = value_of(result, metric)
        base = baseline["latency"].get(field) if baseline else None
        bound = _bound(metric, thresholds)
        status = "FAIL" if metric in failing else ("ok" if bound != "-" else "")
        rows.append([f"{metric} (lower is better)", "-" if value is None else f"{value:.3f}s",
                     str(result["latency"]["n"]), "-" if base is None else f"{base:.3f}s", bound, status])
    return rows


HEADER = ["metric", "value", "n", "baseline", "threshold", ""]


def summary(result: dict) -> str:
    kinds = ", ".join(f"{n} {kind}" for kind, n in result["kinds"].items())
    return (f"suite {result['suite']}: {result['questions']} questions ({kinds}) over {result['corpus']}, "
            f"retrieval k={result['settings']['top_k']}, llm={result['settings']['llm']}")


def table(result: dict, baseline: dict | None, thresholds: dict) -> str:
    """Fixed-width tables: every metric with baseline and bound, then the per-kind breakdown."""
    rows = [HEADER, *_rows(result, baseline, thresholds)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = [summary(result), ""]
    for r in rows:
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    kinds = list(result["by_kind"])
    names = [m for m in METRICS if any(m in result["by_kind"][k] for k in kinds)]
    width = max(len(n) for n in names) if names else 10
    lines += ["", "by kind".ljust(width) + "".join(k.rjust(14) for k in kinds)]
    for name in names:
        cells = [_pct(result["by_kind"][k][name]["value"]) if name in result["by_kind"][k] else "-" for k in kinds]
        lines.append(name.ljust(width) + "".join(c.rjust(14) for c in cells))
    return "\n".join(lines)


def markdown(result: dict, baseline: dict | None, thresholds: dict) -> str:
    """The report: metric table, per-kind table, chart, failures, warnings and one row per question."""
    failures = check(result, thresholds)
    out = [f"# Eval report: {result['suite']}", "", summary(result) + ".", "",
           f"**{'FAIL' if failures else 'PASS'}** against `evals/thresholds.json`"
           + (f" (baseline: `evals/baseline/{result['suite']}.json`)" if baseline else " (no baseline committed)"),
           "", _md_table(HEADER[:-1] + ["status"], _rows(result, baseline, thresholds)), "",
           "![metrics against the baseline](chart.svg)", "", "## By kind", ""]
    kinds = list(result["by_kind"])
    out.append(_md_table(["metric", *kinds], [
        [name, *(_pct(result["by_kind"][k][name]["value"]) if name in result["by_kind"][k] else "-" for k in kinds)]
        for name in METRICS if any(name in result["by_kind"][k] for k in kinds)]))
    if failures:
        out += ["", "## Failures", "", *(f"- {f}" for f in failures)]
    if result["warnings"]:
        out += ["", "## Question-file warnings", "", *(f"- {w}" for w in result["warnings"])]
    out += ["", "## Per question", "", _md_table(
        ["id", "kind", "abstained", "acknowledged", "conflicts", "facts/positions cited", "missed sources", "latency"],
        [[r["id"], r["kind"], _yes(r["abstained"]), _yes(r["acknowledged"]), str(r["conflicts"]),
          f"{sum(1 for v in r['cited'].values() if v)}/{len(r['cited'])}" if r["cited"] else "-",
          ", ".join(r["missed_sources"]) or "-", f"{r['latency_s']:.3f}s"] for r in result["per_question"]])]
    return "\n".join(out) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    cells = lambda r: "| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"  # noqa: E731
    return "\n".join([cells(header), "|" + "|".join("---" for _ in header) + "|", *(cells(r) for r in rows)])


def svg(result: dict, baseline: dict | None, thresholds: dict) -> str:
    """Horizontal bars, 0-100%: this run (blue) over the baseline (grey), the threshold as a red tick."""
    left, bar, row, top = 250, 360, 40, 40
    names = list(METRICS)
    height = top + row * len(names) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar + 80}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(result["suite"])}: '
             f'this run (blue) vs baseline (grey); red tick = threshold</text>']
    for i, name in enumerate(names):
        y = top + i * row
        value = result["metrics"][name]["value"]
        base = baseline["metrics"].get(name, {}).get("value") if baseline else None
        label = name + ("" if METRICS[name][1] else " ↓")
        parts.append(f'<text x="10" y="{y + 15}">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{bar}" height="26" fill="#f3f3f3"/>')
        if value is not None:
            parts.append(f'<rect x="{left}" y="{y}" width="{bar * value:.1f}" height="14" fill="#3b6fd8"/>')
        if base is not None:
            parts.append(f'<rect x="{left}" y="{y + 16}" width="{bar * base:.1f}" height="10" fill="#9a9a9a"/>')
        bound = thresholds.get(name, {"min": 1.0} if name == "quote_exactness" else {})
        for limit in bound.values():
            x = left + bar * limit
            parts.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + 28}" '
                         'stroke="#d62728" stroke-width="2"/>')
        parts.append(f'<text x="{left + bar + 8}" y="{y + 12}">{_pct(value)}</text>')
        if base is not None:
            parts.append(f'<text x="{left + bar + 8}" y="{y + 26}" fill="#777">{_pct(base)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def readme_table(baselines: dict[str, dict]) -> str:
    """The committed numbers as evals/README.md shows them: one column per suite."""
    suites = sorted(baselines)
    rows = [[name + ("" if higher else " ↓"), *(_count(baselines[s]["metrics"][name]) for s in suites)]
            for name, (_, higher) in METRICS.items()]
    rows += [[f"latency {field.removesuffix('_s')} ↓", *(f"{baselines[s]['latency'][field]:.3f}s" for s in suites)]
             for field in ("p50_s", "p95_s")]
    questions = ["questions", *(f"{b['questions']} ({', '.join(f'{n} {k}' for k, n in b['kinds'].items())})"
                                for b in (baselines[s] for s in suites))]
    return _md_table(["metric", *suites], [questions, *rows])


def _count(m: dict) -> str:
    return "-" if m["value"] is None else f"{_pct(m['value'])} ({m['hits']}/{m['total']})"


def main() -> None:
    """`python -m evals.report`: print the README table of the committed baselines."""
    from evals.gate import BASELINES

    print(readme_table({p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(BASELINES.glob("*.json"))}))


if __name__ == "__main__":
    main()
