"""Reliability figures for the README (issue 12): answer and 503 latencies under load, and full-length kill -9 runs.

    python benchmarks/reliability.py load  [--clients 20 100] [--seconds 30] [--client both|procs|threads]
                                           [--env RAG_MAX_CONCURRENT_ASKS=2 ...]
    python benchmarks/reliability.py race  [--seconds 30]
    python benchmarks/reliability.py crash [--articles 200] [--kills 20]

`load` starts `rag serve` on 127.0.0.1 over the harbor corpus (stopped by PID afterwards); each client asks in
a loop on a keep-alive connection. Reported: answers and 503s, p50/p95 of each, and connections that closed
without a response. Two load generators, run one after the other against the same server: `procs` (asyncio
raw-socket clients spread over several processes, timed from the request written to its status line read) and
`threads` (one httpx.Client thread per client in this one process, timed around the whole call). On a 2-core
machine the second measures its own GIL contention as well as the server; both are printed, labelled.
The tests assert the behaviour; this script measures the times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
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


# `rag serve` with the interpreter's GIL switch interval set first (how long a thread may hold the GIL while
# another, such as the event loop, waits for it)
SERVE_WITH_SWITCH_INTERVAL = "import sys; sys.setswitchinterval(float(sys.argv.pop(1))); from rag import cli; " \
                             "sys.exit(cli.main(sys.argv[1:]))"


def start_server(tmp: Path, switch_interval: float | None = None, **env: str) -> tuple[Process, str]:
    port = free_port()
    command = ["-m", "rag.cli"] if switch_interval is None else ["-c", SERVE_WITH_SWITCH_INTERVAL, str(switch_interval)]
    server = Process([sys.executable, *command, "serve", "--host", "127.0.0.1", "--port", str(port),
                      "--corpus", str(HARBOR)], env={"RAG_STORE": str(tmp / "store")} | env, log=tmp / "server.log")
    url = f"http://127.0.0.1:{port}"
    server.wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200, timeout=300)
    return server, url


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def threaded_load(url: str, clients: int, seconds: float) -> dict:
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
    return summary("threads", clients, seconds, answers, refusals, other, len(closed))


def summary(generator: str, clients: int, seconds: float, answers: list[float], refusals: list[float],
            other: list[int], closed: int) -> dict:
    ms = lambda v: round(v * 1000, 1)
    return {"generator": generator, "clients": clients, "seconds": seconds, "answers": len(answers),
            "refused_503": len(refusals), "other_status": sorted(set(other)), "closed_without_response": closed,
            "answer_p50_ms": ms(percentile(answers, 0.5)), "answer_p95_ms": ms(percentile(answers, 0.95)),
            "refusal_p50_ms": ms(percentile(refusals, 0.5)), "refusal_p95_ms": ms(percentile(refusals, 0.95))}


async def _raw_clients(host: str, port: int, first: int, count: int, stop_at: float) -> dict:
    """`count` keep-alive HTTP/1.1 clients on raw asyncio streams; each time is from the request written to
    its status line read, so neither JSON decoding nor this process's other clients are counted."""
    out: dict = {"answers": [], "refusals": [], "other": [], "closed": 0}

    async def client(n: int) -> None:
        body = json.dumps({"question": QUESTIONS[n % len(QUESTIONS)]}).encode()
        request = (f"POST /v1/ask HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        reader = writer = None
        while time.time() < stop_at:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            sent = time.perf_counter()
            try:
                status_line = await reader.readline()
                took = time.perf_counter() - sent
                if not status_line:
                    raise ConnectionError("closed before the status line")
                status = int(status_line.split()[1])
                headers = {}
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                await reader.readexactly(int(headers.get("content-length", "0")))
            except (ConnectionError, asyncio.IncompleteReadError):
                out["closed"] += 1
                writer.close()
                reader = writer = None
                continue
            if status == 200:
                out["answers"].append(took)
            elif status == 503 and headers.get("retry-after"):
                out["refusals"].append(took)
                await asyncio.sleep(0.05)
            else:
                out["other"].append(status)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client(n) for n in range(first, first + count)))
    return out


def _raw_process(host: str, port: int, first: int, count: int, seconds: float, barrier, results) -> None:
    barrier.wait()  # every process imported and ready before the clock runs
    results.put(asyncio.run(_raw_clients(host, port, first, count, time.time() + seconds)))


def process_load(url: str, clients: int, seconds: float, processes: int) -> dict:
    """The same clients as threaded_load, spread over `processes` processes of asyncio clients."""
    host, port = url.removeprefix("http://").split(":")
    processes = max(1, min(processes, clients))
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=_raw_process, args=(host, int(port), sum(shares[:i]), shares[i], seconds,
                                                          barrier, results)) for i in range(processes)]
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=seconds + 300) for _ in workers]
    for worker in workers:
        worker.join()
    merged = {k: [v for part in parts for v in part[k]] for k in ("answers", "refusals", "other")}
    return summary(f"procs x{processes}", clients, seconds, merged["answers"], merged["refusals"], merged["other"],
                   sum(part["closed"] for part in parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p_load = sub.add_parser("load")
    p_load.add_argument("--clients", type=int, nargs="+", default=[20, 100])
    p_load.add_argument("--seconds", type=float, default=30)
    p_load.add_argument("--client", choices=["both", "procs", "threads"], default="both")
    p_load.add_argument("--processes", type=int, default=4, help="client processes for --client procs")
    p_load.add_argument("--switch-interval", type=float, help="the server's sys.setswitchinterval (default 0.005)")
    p_load.add_argument("--env", nargs="*", default=[], metavar="RAG_X=V", help="server settings for this run")
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
        server, url = start_server(tmp, getattr(args, "switch_interval", None),
                                   **dict(kv.split("=", 1) for kv in getattr(args, "env", [])))
        try:
            if args.what == "race":
                from tests.api.test_reliability_server import race

                httpx.post(f"{url}/v1/collections", json={"name": "race"})
                statuses, problems, checked = race(url, args.seconds)
                print(json.dumps({"seconds": args.seconds, "requests": len(statuses),
                                  "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
                                  "answers_checked": checked, "problems": len(problems),
                                  "first_problems": [p[:300] for p in problems[:3]]}))
                if problems:
                    log = server.log.read_text(errors="replace").splitlines()
                    print("\n".join(line for line in log if not line.startswith("INFO:")), file=sys.stderr)
                return 1 if problems else 0
            httpx.post(f"{url}/v1/ask", json={"question": QUESTIONS[0]}, timeout=120)  # warm up
            print(json.dumps({"server_env": args.env, "switch_interval": args.switch_interval,
                              "load_average": [round(v, 2) for v in os.getloadavg()],
                              "utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}), flush=True)
            for clients in args.clients:
                if args.client in ("both", "procs"):
                    print(json.dumps(process_load(url, clients, args.seconds, args.processes)), flush=True)
                if args.client in ("both", "threads"):
                    print(json.dumps(threaded_load(url, clients, args.seconds)), flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
