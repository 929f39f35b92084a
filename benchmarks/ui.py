"""The web UI's speed as a reader feels it, beside the API's own latency, and serving memory with and without it.

    make bench-ui         # or: .venv/bin/python benchmarks/ui.py [--repeat 3]

- page: time from pressing Enter to the first progress text ("Searching N articles…") and to the full answer in
  the chat, measured inside the page (a real headless Chromium, Playwright) for the seed example questions;
- API: POST /v1/ask latency for the same questions on the same server (the baseline of the same run);
- memory: resident set size of the serving process after those questions, with the UI mounted and with
  RAG_UI=false (same questions over the API).
Writes benchmarks/out/ui.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.webui.conftest import ensure_chromium  # noqa: E402
from tests.webui.page import ask, open_page, started_server  # noqa: E402
from ui.examples import read_examples  # noqa: E402

SEED = ROOT / "corpus" / "articles"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(ln for ln in status.splitlines() if ln.startswith("VmRSS")).split()[1]) / 1024


def api_times(url: str, questions: list[str], repeat: int) -> list[float]:
    times = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for q in questions:  # warm-up: first-time sentence embedding is not what a reader waits for twice
            client.post("/v1/ask", json={"question": q}).raise_for_status()
        for _ in range(repeat):
            for q in questions:
                start = time.perf_counter()
                client.post("/v1/ask", json={"question": q}).raise_for_status()
                times.append(time.perf_counter() - start)
    return times


def page_times(url: str, questions: list[str], repeat: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    progress, full = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_page(page, url)
        for _ in range(repeat):
            for q in questions:
                before = page.locator('#chat [data-testid="bot"]').count()
                ask(page, q)
                enter, log = page.evaluate("[window.__enterAt, window.__chatLog]")
                mine = [e for e in log if e["n"] == before + 1 and e["t"] >= enter]
                first = next(e["t"] for e in mine if e["text"].startswith("Searching "))
                done = next(e["t"] for e in mine if not e["text"].startswith(("Searching", "The server is busy")))
                progress.append((first - enter) / 1000)
                full.append((done - enter) / 1000)
        browser.close()
    return progress, full


def summary(values: list[float]) -> dict:
    return {"p50": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="passes over the questions")
    args = parser.parse_args()
    questions = read_examples(SEED)
    results: dict = {"questions": questions, "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        with started_server(Path(tmp) / "ui") as server:
            url = server.url
            results["api_with_ui"] = summary(api_times(url, questions, args.repeat))
            progress, full = page_times(url, questions, args.repeat)
            results["page_progress"], results["page_answer"] = summary(progress), summary(full)
            results["rss_mib_with_ui"] = rss_mib(server.pid)
        with started_server(Path(tmp) / "api", RAG_UI="false") as server:
            url = server.url
            assert httpx.get(url + "/").status_code == 404, "RAG_UI=false must serve no page"
            results["api_without_ui"] = summary(api_times(url, questions, args.repeat))
            results["rss_mib_without_ui"] = rss_mib(server.pid)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ui.json").write_text(json.dumps(results, indent=2))
    ms = lambda s: f"{s['p50'] * 1000:.0f} / {s['p95'] * 1000:.0f} ms"  # noqa: E731
    api = results["api_with_ui"]
    print(f"| measure ({len(questions)} questions x {args.repeat}) | p50 / p95 | baseline (same run) | ratio (p50) |")
    print("|---|---|---|---|")
    print(f"| Enter → first progress on the page | {ms(results['page_progress'])} | POST /v1/ask {ms(api)} | "
          f"{results['page_progress']['p50'] / api['p50']:.2f} |")
    print(f"| Enter → full answer on the page | {ms(results['page_answer'])} | POST /v1/ask {ms(api)} | "
          f"{results['page_answer']['p50'] / api['p50']:.2f} |")
    print(f"| POST /v1/ask, server with the UI | {ms(api)} | RAG_UI=false {ms(results['api_without_ui'])} | "
          f"{api['p50'] / results['api_without_ui']['p50']:.2f} |")
    print(f"| serving RSS | {results['rss_mib_with_ui']:.0f} MiB with the UI | "
          f"{results['rss_mib_without_ui']:.0f} MiB with RAG_UI=false | "
          f"{results['rss_mib_with_ui'] / results['rss_mib_without_ui']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
