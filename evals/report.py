"""A suite's result -> the printed table, report.md and chart.svg (each metric against the committed baseline)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from evals.gate import check, directions, value_of

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
    higher_is_better = directions()
    trivial = result.get("trivial", {})
    rows = []
    for metric, m in result["metrics"].items():
        base = _pct(baseline["metrics"][metric]["value"]) if baseline and metric in baseline["metrics"] else "-"
        bound = _bound(metric, thresholds)
        status = "FAIL" if metric in failing else ("ok" if bound != "-" and m["value"] is not None else "")
        rows.append([metric + ("" if higher_is_better[metric] else " (lower is better)"), _pct(m["value"]),
                     f"{m['hits']}/{m['total']}", _pct(trivial.get(metric, {}).get("value")), base, bound, status])
    for field in (LATENCY if "latency" in result else ()):
        metric = f"latency_{field}"
        value = value_of(result, metric)
        base = baseline["latency"].get(field) if baseline else None
        bound = _bound(metric, thresholds)
        status = "FAIL" if metric in failing else ("ok" if bound != "-" else "")
        base = None if base is None or not isinstance(base, (int, float)) else base
        rows.append([f"{metric} (lower is better)", "-" if value is None else f"{value:.3f}s",
                     str(result["latency"]["n"]), "-", "-" if base is None else f"{base:.3f}s", bound, status])
    return rows


HEADER = ["metric", "value", "n", "trivial", "baseline", "threshold", ""]


def summary(result: dict) -> str:
    if "rows" in result:
        return (f"suite {result['suite']}: {result['rows']} RAMDocs rows, each in its own collection "
                f"({len(result['not_exact_sliceable'])} with a gold answer in no document verbatim)")
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
    kinds = list(result.get("by_kind", {}))
    if not kinds:
        return "\n".join(lines)
    names = [m for m in result["metrics"] if any(m in result["by_kind"][k] for k in kinds)]
    width = max(len(n) for n in names) if names else 10
    lines += ["", "by kind".ljust(width) + "".join(k.rjust(14) for k in kinds)]
    for name in names:
        cells = [_pct(result["by_kind"][k][name]["value"]) if name in result["by_kind"][k] else "-" for k in kinds]
        lines.append(name.ljust(width) + "".join(c.rjust(14) for c in cells))
    return "\n".join(lines)


def retrieval_note(result: dict) -> str:
    """Say plainly when recall at k cannot fail: k passages cover every source of the corpus."""
    r = result.get("retrieval")
    if not r:
        return ""
    plain = ("uninformative: k covers every source, so it is 100% by construction; "
             "retrieval_recall_at_n_minus_1 ranks only the first N-1 distinct sources" if not r["informative"]
             else "k is smaller than the corpus")
    return f"retrieval: k = {r['k_passages']} passages over {r['corpus_sources']} sources; recall at k is {plain}"


def paired_rows(result: dict) -> list[list[str]]:
    """metric, original, paraphrase, gap (original - paraphrase), trivial on each."""
    para = result["paraphrase"]
    higher_is_better = directions()
    return [[name + ("" if higher_is_better[name] else " ↓"), _count(result["metrics"][name]),
             _count(para["metrics"][name]), _signed(result["gap"].get(name)),
             _pct(result.get("trivial", {}).get(name, {}).get("value")),
             _pct(para.get("trivial", {}).get(name, {}).get("value"))]
            for name in result["metrics"]]


PAIRED_HEADER = ["metric", "original", "paraphrase", "gap", "trivial (orig)", "trivial (para)"]


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.1f}"


def full_table(result: dict) -> str:
    """What `rag eval` prints: the set's table, then its paraphrase set's and the gap, then the note on k."""
    from evals.gate import load_baseline, load_thresholds

    parts = [table(result, load_baseline(result["suite"]), load_thresholds(result["suite"]))]
    if "paraphrase" in result:
        para = result["paraphrase"]
        parts.append(table(para, load_baseline(para["suite"]), load_thresholds(para["suite"])))
        rows = [PAIRED_HEADER, *paired_rows(result)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(PAIRED_HEADER))]
        parts.append("original vs paraphrase (gap = original - paraphrase, points)\n" + "\n".join(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows))
    if result.get("retrieval"):
        parts.append(retrieval_note(result))
    return "\n\n".join(parts)


def lost(row: dict) -> list[str]:
    """The metrics a question (or RAMDocs row) lost a point on: a ratio short of full, or a rate hit."""
    higher_is_better = directions()
    return [name for name, (hits, n) in row.get("scores", {}).items()
            if (hits < n if higher_is_better.get(name, True) else hits > 0)]


PARTIAL = {"citation_precision_strict", "citation_precision_on_topic", "citation_recall", "retrieval_recall_at_k",
           "retrieval_recall_at_n_minus_1", "gold_recall", "gold_in_quotes"}  # shares within one answer


def failing(row: dict) -> bool:
    """A question fails when it loses a question-level verdict or a quote or side is wrong; a share of its
    citations missing (precision, recall) alone does not make it a failure worth a snapshot."""
    return bool(set(lost(row)) - PARTIAL)


def snapshot(row: dict) -> list[str]:
    """The answer as a user sees it: its text and its citations."""
    title = row.get("id") or f"line {row.get('line')}"
    out = [f"### {title}: {row['question']}", "", f"lost: {', '.join(lost(row))}", ""]
    if "gold_answers" in row:
        out += [f"gold: {row['gold_answers']}; wrong: {row['wrong_answers']}", ""]
    out += ["```text", row.get("answer", "") or "(empty)", "```", ""]
    out += [f"- [{c['n']}] `{c['source_id']}`: {c['quote']}" for c in row.get("citations", []) if "quote" in c]
    return out + [""]


def markdown(result: dict, baseline: dict | None, thresholds: dict) -> str:
    """The report: metric table, per-kind table, chart, failures, warnings and one row per question."""
    failures = check(result, thresholds)
    out = [f"# Eval report: {result['suite']}", "", summary(result) + ".", "",
           f"**{'FAIL' if failures else 'PASS'}** against `evals/thresholds.json`"
           + (f" (baseline: `evals/baseline/{result['suite']}.json`)" if baseline else " (no baseline committed)"),
           "", _md_table(HEADER[:-1] + ["status"], _rows(result, baseline, thresholds)), "",
           "![metrics against the baseline](chart.svg)", ""]
    if result.get("retrieval"):
        out += [retrieval_note(result) + ".", ""]
    if "paraphrase" in result:
        out += ["## Original wording vs paraphrase", "", "gap = original - paraphrase, in points; the paraphrase "
                f"set is `{result['paraphrase']['suite']}`.", "", _md_table(PAIRED_HEADER, paired_rows(result)), ""]
    if "published_exact_match" in result:
        out += ["## Beside the published numbers", "", "RAMDocs paper, Table 1, exact match: " + ", ".join(
                f"{k} {100 * v:.1f}" for k, v in result["published_exact_match"].items())
                + f"; here `strict_match` {_pct(result['metrics']['strict_match']['value'])} (trivial "
                f"{_pct(result['trivial']['strict_match']['value'])}). Our strict match reads the answer's own "
                "words only and needs each gold answer cited to a document holding it, so it is stricter than "
                "exact match over a generated answer.", "",
                f"Rows no exact slice can answer (a gold answer in no document verbatim): "
                f"{len(result['not_exact_sliceable'])} of {result['rows']}: lines "
                f"{', '.join(map(str, result['not_exact_sliceable'])) or '-'}.", ""]
    kinds = list(result.get("by_kind", {}))
    if kinds:
        out += ["## By kind", "", _md_table(["metric", *kinds], [
            [name, *(_pct(result["by_kind"][k][name]["value"]) if name in result["by_kind"][k] else "-"
                     for k in kinds)]
            for name in result["metrics"] if any(name in result["by_kind"][k] for k in kinds)])]
    if failures:
        out += ["", "## Failures", "", *(f"- {f}" for f in failures)]
    if result.get("warnings"):
        out += ["", "## Question-file warnings", "", *(f"- {w}" for w in result["warnings"])]
    if "per_question" in result:
        out += ["", "## Per question", "", _md_table(
            ["id", "kind", "abstained", "acknowledged", "conflicts", "facts/positions cited", "missed sources",
             "latency"],
            [[r["id"], r["kind"], _yes(r["abstained"]), _yes(r["acknowledged"]), str(r["conflicts"]),
              f"{sum(1 for v in r['cited'].values() if v)}/{len(r['cited'])}" if r["cited"] else "-",
              ", ".join(r["missed_sources"]) or "-", f"{r['latency_s']:.3f}s"] for r in result["per_question"]])]
    rows = [r for r in result.get("per_question", result.get("per_row", [])) if failing(r)]
    if "paraphrase" in result:
        rows += [r for r in result["paraphrase"]["per_question"] if failing(r)]
    if rows:
        out += ["", "## What a reader sees, for each failing question", ""]
        for row in rows:
            out += snapshot(row)
    return "\n".join(out) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    cells = lambda r: "| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"  # noqa: E731
    return "\n".join([cells(header), "|" + "|".join("---" for _ in header) + "|", *(cells(r) for r in rows)])


def svg(result: dict, baseline: dict | None, thresholds: dict) -> str:
    """Horizontal bars, 0-100%: this run (blue) over the baseline (grey), the threshold as a red tick."""
    left, bar, row, top = 250, 360, 40, 40
    names = list(result["metrics"])
    higher_is_better = directions()
    height = top + row * len(names) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar + 80}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(result["suite"])}: '
             f'this run (blue) vs baseline (grey); red tick = threshold</text>']
    for i, name in enumerate(names):
        y = top + i * row
        value = result["metrics"][name]["value"]
        base = baseline["metrics"].get(name, {}).get("value") if baseline else None
        label = name + ("" if higher_is_better[name] else " ↓")
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
    """The committed numbers as the READMEs show them: each question suite, its paraphrase set and the gap,
    the trivial baseline in brackets."""
    suites = [s for s in sorted(baselines) if "per_question" in baselines[s] and not s.endswith("-paraphrase")]
    higher_is_better = directions()
    columns = []
    for s in suites:
        columns.append((s, baselines[s]))
        if f"{s}-paraphrase" in baselines:
            columns.append((f"{s}-paraphrase", baselines[f"{s}-paraphrase"]))
            columns.append((f"{s} gap", None))
    names = list(baselines[suites[0]]["metrics"]) if suites else []

    def cell(column: str, b: dict | None, name: str) -> str:
        if b is None:
            orig, para = baselines[column.removesuffix(" gap")], baselines[column.replace(" gap", "-paraphrase")]
            return _signed(gap_of(orig, para, name))
        m = b["metrics"][name]
        t = b.get("trivial", {}).get(name, {}).get("value")
        return _count(m) + ("" if t is None else f" [{_pct(t)}]")

    rows = [[name + ("" if higher_is_better[name] else " ↓"), *(cell(c, b, name) for c, b in columns)]
            for name in names]
    questions = ["questions", *("" if b is None else f"{b['questions']}" for _, b in columns)]
    return _md_table(["metric", *(c for c, _ in columns)], [questions, *rows])


def gap_of(original: dict, paraphrase: dict, name: str) -> float | None:
    a, b = original["metrics"][name]["value"], paraphrase["metrics"][name]["value"]
    return None if a is None or b is None else a - b


def ramdocs_table(baselines: dict[str, dict]) -> str:
    """RAMDocs numbers (CI subset and, when committed, the whole split) with the trivial baseline."""
    suites = [s for s in ("ramdocs-ci", "ramdocs") if s in baselines]
    names = list(baselines[suites[0]]["metrics"]) if suites else []
    higher_is_better = directions()
    header = ["metric", *(f"{s} ({baselines[s]['rows']} rows)" for s in suites), *(f"{s} trivial" for s in suites)]
    rows = [[n + ("" if higher_is_better[n] else " ↓"), *(_count(baselines[s]["metrics"][n]) for s in suites),
             *(_pct(baselines[s]["trivial"][n]["value"]) for s in suites)] for n in names]
    return _md_table(header, rows)


def _count(m: dict) -> str:
    return "-" if m["value"] is None else f"{_pct(m['value'])} ({m['hits']}/{m['total']})"


def main() -> None:
    """`python -m evals.report`: print the README table of the committed baselines."""
    from evals.gate import BASELINES

    baselines = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(BASELINES.glob("*.json"))}
    print(readme_table(baselines))
    print()
    print(ramdocs_table(baselines))


if __name__ == "__main__":
    main()
