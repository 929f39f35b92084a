"""Reliability figures for the README (issue 12): answer and 503 latencies under load, and full-length kill -9 runs.

    python benchmarks/reliability.py load  [--clients 20 100] [--seconds 30]
    python benchmarks/reliability.py race  [--seconds 30]
    python benchmarks/reliability.py crash [--articles 200] [--kills 20]

`load` starts `rag serve` on 127.0.0.1 over the harbor corpus (stopped by PID afterwards); each client asks in
a loop on a keep-alive connection. Reported: answers and 503s, p50/p95 of each, and connections that closed
without a response. The tests assert the behaviour; this script measures the times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.api.conftest import HARBOR, Process, free_port  # noqa: E402

QUESTIONS = ["How long will the Harbor Bridge be closed?", "Will the temporary ferry be free?",
             "Who will inspect the bridge?", "Why is the bridge closing now?"]


def start_server(tmp: Path, **env: str) -> tuple[Process, str]:
    port = free_port()
    server = Process([sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                      "--corpus", str(HARBOR)], env={"RAG_STORE": str(tmp / "store")} | env, log=tmp / "server.log")
    url = f"http://127.0.0.1:{port}"
    server.wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200, timeout=300)
    return server, url


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load(url: str, clients: int, seconds: float) -> dict:
    answers: list[float] = []
    refusals: list[float] = []
    closed: list[str] = []
    other: list[int] = []
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            barrier.wait()
            while time.monotonic() < stop:
                sent = time.monotonic()
                try:
                    response = http.post("/v1/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
                except httpx.HTTPError as exc:
                    closed.append(type(exc).__name__)
                    continue
                took = time.monotonic() - sent
                if response.status_code == 200:
                    answers.append(took)
                elif response.status_code == 503 and response.headers.get("retry-after"):
                    refusals.append(took)
                    time.sleep(0.05)
                else:
                    other.append(response.status_code)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    ms = lambda v: round(v * 1000, 1)
    return {"clients": clients, "seconds": seconds, "answers": len(answers), "refused_503": len(refusals),
            "other_status": sorted(set(other)), "closed_without_response": len(closed),
            "answer_p50_ms": ms(percentile(answers, 0.5)), "answer_p95_ms": ms(percentile(answers, 0.95)),
            "refusal_p50_ms": ms(percentile(refusals, 0.5)), "refusal_p95_ms": ms(percentile(refusals, 0.95))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p_load = sub.add_parser("load")
    p_load.add_argument("--clients", type=int, nargs="+", default=[20, 100])
    p_load.add_argument("--seconds", type=float, default=30)
    p_race = sub.add_parser("race")
    p_race.add_argument("--seconds", type=float, default=30)
    p_crash = sub.add_parser("crash")
    p_crash.add_argument("--articles", type=int, default=200)
    p_crash.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.what == "crash":
            from rag.embeddings import SentenceTransformerEmbedder
            from tests.api.test_reliability_crash import check_crash_recovery

            started = time.monotonic()
            began = check_crash_recovery(tmp, SentenceTransformerEmbedder(), args.kills, args.articles)
            print(json.dumps({"articles": args.articles, "kills": len(began), "writes_begun_per_run": began,
                              "identical_to_clean_index": True, "seconds": round(time.monotonic() - started)}))
            return 0
        server, url = start_server(tmp)
        try:
            if args.what == "race":
                from tests.api.test_reliability_server import race

                httpx.post(f"{url}/v1/collections", json={"name": "race"})
                statuses, problems, checked = race(url, args.seconds)
                print(json.dumps({"seconds": args.seconds, "requests": len(statuses),
                                  "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
                                  "answers_checked": checked, "problems": len(problems)}))
                return 1 if problems else 0
            httpx.post(f"{url}/v1/ask", json={"question": QUESTIONS[0]}, timeout=120)  # warm up
            for clients in args.clients:
                print(json.dumps(load(url, clients, args.seconds)), flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
