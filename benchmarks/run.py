"""This project against a LangChain tutorial pipeline on the same generated corpus, measured in one run.

    make bench          # 1,000 articles, fresh stores in a temp folder
    make bench-10k      # 10,000 articles; corpus and both stores cached in benchmarks/cache and reused
    python benchmarks/run.py --cache DIR --only cold --only serve --against ../main   # a quick A/B of one part

Every figure is also given as a ratio to the baseline (RecursiveCharacterTextSplitter(1000, 200) ->
HuggingFaceEmbeddings on the packaged model -> langchain-chroma -> retriever k=4) and, for indexing, to the raw
embedding floor (the same model embedding the baseline's chunks in one batch loop). Each measured job runs in
its own process (benchmarks/jobs.py). The load generator of the HTTP throughput test shares the machine's
cores with the server. Writes benchmarks/out/latest-<n>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                    "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
PY = sys.executable
QUESTION_FILES = ["seed.jsonl", "harbor.jsonl", "seed-paraphrase.jsonl", "harbor-paraphrase.jsonl"]
UI_OFF = {"RAG_UI": "false"}  # the web UI's switch (rag/settings.py `ui`)

from benchmarks.corpus import generate  # noqa: E402


def questions() -> list[str]:
    found = []
    for name in QUESTION_FILES:
        path = ROOT / "evals" / "questions" / name
        if path.exists():
            found += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    return list(dict.fromkeys(found))


def job(*args, root: Path = ROOT) -> dict:
    """Run one job in its own process; its JSON (each job reports its own peak RSS)."""
    done = subprocess.run([PY, str(root / "benchmarks" / "jobs.py"), *map(str, args)], cwd=root, env=ENV,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"job {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def command(args: list[str], root: Path = ROOT) -> tuple[float, float, str, float]:
    """A CLI command from start to exit: (wall seconds, its peak RSS MiB, stdout, its user+system CPU seconds)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=root, env=ENV, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{args} failed:\n{err.read()[-3000:]}")
        return wall, usage.ru_maxrss / 1024, out.read(), usage.ru_utime + usage.ru_stime


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def du_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(store: Path, qs: list[str], *, extra_env: dict | None = None, load: bool = True,
          root: Path = ROOT) -> dict:
    """Start `rag serve`, time until it answers, RSS at start / after 100 asks / after the load runs."""
    import httpx

    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "rag.cli", "serve", "--store", str(store), "--collection", "bench",
                             "--port", str(port)], cwd=root, env=ENV | (extra_env or {}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1/ask"
    out: dict = {}
    try:
        with httpx.Client(timeout=120) as http:
            while True:
                if proc.poll() is not None:
                    raise SystemExit("rag serve exited before answering")
                try:
                    if http.post(url, json={"question": qs[0]}).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            out["ready_s"] = time.perf_counter() - started
            out["rss_start_mib"] = vm_rss(proc.pid)
            for q in (qs * 3)[:100]:
                http.post(url, json={"question": q}).raise_for_status()
            out["rss_after_100_mib"] = vm_rss(proc.pid)
        if load:
            for clients in (1, 2, 4):
                out[f"throughput_{clients}"] = throughput(url, qs, clients)
            out["rss_after_load_mib"] = vm_rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def throughput(url: str, qs: list[str], clients: int, seconds: float = 20.0) -> float:
    """Answers per second with `clients` threads posting back to back (they share the server's cores)."""
    import httpx

    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        with httpx.Client(timeout=120) as http:
            n = i
            while time.perf_counter() < stop:
                http.post(url, json={"question": qs[n % len(qs)]}).raise_for_status()
                done[i] += 1
                n += clients

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu,
            "cores": os.cpu_count(), "python": platform.python_version(), "load_avg_at_start": os.getloadavg()[0]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=None, help="keep corpus and stores here and reuse them")
    parser.add_argument("--asks", type=int, default=1000, help="warm asks (RSS is sampled along the way)")
    parser.add_argument("--skip-evals", action="store_true")
    parser.add_argument("--only", action="append", choices=["cold", "serve"], default=None,
                        help="with --cache holding both stores: measure only this part (repeatable)")
    parser.add_argument("--against", type=Path, default=None,
                        help="with --only: another checkout whose code is measured in the same runs, interleaved")
    parser.add_argument("--runs", type=int, default=3, help="with --only: runs per part and checkout")
    args = parser.parse_args()
    if args.only:
        return parts(args)
    r: dict = {"machine": machine(), "articles": args.articles}
    work = args.cache or Path(tempfile.mkdtemp(prefix="rag-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = generate(work / f"corpus-{args.articles}", args.articles)
    ours, base = work / f"ours-{args.articles}", work / f"base-{args.articles}"
    qs = questions()
    qfile = work / "questions.json"
    qfile.write_text(json.dumps(qs))
    r["questions"] = len(qs)
    try:
        print(f"bench: {args.articles} articles in {work}; {len(qs)} questions", file=sys.stderr)
        r["floor"] = job("floor", corpus)
        reuse = args.cache is not None and ours.exists() and base.exists()
        if not reuse:
            shutil.rmtree(ours, ignore_errors=True)
            shutil.rmtree(base, ignore_errors=True)
            r["base_index"] = job("base-index", corpus, base)
            print(f"bench: baseline indexed in {r['base_index']['seconds']:.0f} s", file=sys.stderr)
            r["ours_index"] = job("ours-index", corpus, ours)
            print(f"bench: ours indexed in {r['ours_index']['seconds']:.0f} s", file=sys.stderr)
        r["ours_reindex"] = job("ours-index", corpus, ours)
        r["store_mib"] = {"ours": du_mib(ours), "base": du_mib(base)}
        r["base_warm"] = job("base-warm", base, qfile)
        r["ours_warm"] = job("ours-warm", ours, qfile, args.asks)
        cold_ours, cold_base, cold_cpu, phases = [], [], [], []
        for q in qs[:3]:  # interleaved
            wall, rss, _, cpu = command([PY, "-m", "rag.cli", "ask", q, "--store", str(ours), "--collection", "bench"])
            cold_ours.append((wall, rss))
            cold_cpu.append(cpu)
            cold_base.append(command([PY, str(ROOT / "benchmarks" / "jobs.py"), "base-ask", str(base), q])[:2])
            phases.append(job("ours-cold", ours, q, repr(time.time()))["phases"])
        r["cold"] = {"ours": cold_ours, "base": cold_base, "ours_cpu": cold_cpu, "ours_phases": phases}
        r["serve"] = serve(ours, qs)
        from rag.settings import Settings

        if "ui" in Settings.model_fields:
            r["serve_no_ui"] = serve(ours, qs, extra_env=UI_OFF, load=False)
        r["profile_index"] = job("profile-index", corpus, work / "profile-store", 60)
        shutil.rmtree(work / "profile-store", ignore_errors=True)
        if not args.skip_evals:
            r["evals"] = job("eval")
    finally:
        if args.cache is None:
            shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"latest-{args.articles}.json").write_text(json.dumps(r, indent=2))
    table = render(r)
    (out / f"latest-{args.articles}.md").write_text(table + "\n")
    print(table)
    return 0


def parts(args) -> int:
    """Only the cold ask and/or serving memory, on cached stores, each run interleaved with the same run of the
    --against checkout's code (its own copy of the store: a snapshot is named by the code that made it)."""
    if args.cache is None or not (args.cache / f"ours-{args.articles}").exists():
        raise SystemExit("--only needs --cache with a store built by a full run")
    roots = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    stores = {"this": args.cache / f"ours-{args.articles}"}
    if args.against:
        stores["against"] = args.cache / f"ours-{args.articles}-against"
        if not stores["against"].exists():
            shutil.copytree(stores["this"], stores["against"])
    qs = questions()
    r: dict = {"machine": machine(), "articles": args.articles, "roots": {k: str(v) for k, v in roots.items()}}
    for name, root in roots.items():  # untimed: a snapshot this code has not made yet is built here
        command([PY, "-m", "rag.cli", "ask", qs[0], "--store", str(stores[name]), "--collection", "bench"], root)
    for part in args.only:
        runs: dict[str, list] = {name: [] for name in roots}
        for i in range(args.runs):
            for name, root in roots.items():
                store = stores[name]
                if part == "cold":
                    q = qs[i % len(qs)]
                    wall, rss, _, cpu = command([PY, "-m", "rag.cli", "ask", q, "--store", str(store),
                                                 "--collection", "bench"], root)
                    phases = job("ours-cold", store, q, repr(time.time()), root=root)["phases"]
                    runs[name].append({"wall": wall, "peak_mib": rss, "cpu": cpu, "phases": phases})
                else:
                    runs[name].append({"ui": serve(store, qs, load=False, root=root),
                                       "no_ui": serve(store, qs, extra_env=UI_OFF, load=False, root=root)})
        r[part] = runs
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"parts-{args.articles}.json").write_text(json.dumps(r, indent=2))
    print(render_parts(r))
    return 0


def render_parts(r: dict) -> str:
    m, names = r["machine"], list(r["roots"])
    rows = [f"{r['articles']:,} articles, {m['date']}, {m['cpu']}, {m['cores']} cores (load average "
            f"{m['load_avg_at_start']:.1f} at start); medians of runs interleaved across: "
            + ", ".join(f"{k} = {v}" for k, v in r["roots"].items()), "",
            "| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def row(label: str, part: str, value, fmt: str) -> None:
        cells = [fmt.format(statistics.median(value(run) for run in r[part][n])) for n in names]
        rows.append(f"| {label} ({len(r[part][names[0]])} runs) | " + " | ".join(cells) + " |")

    if "cold" in r:
        row("cold `rag ask`, start to answer", "cold", lambda x: x["wall"], "{:.2f} s")
        row("· its CPU (user+sys)", "cold", lambda x: x["cpu"], "{:.2f} s")
        row("· its peak RSS", "cold", lambda x: x["peak_mib"], "{:.0f} MiB")
        for phase in r["cold"][names[0]][0]["phases"]:
            row(f"· cold phase: {phase}, wall", "cold", lambda x, p=phase: x["phases"][p]["wall"], "{:.2f} s")
    if "serve" in r:
        for ui in ("ui", "no_ui"):
            label = "with the web UI" if ui == "ui" else "without the web UI"
            row(f"`rag serve` until it answers, {label}", "serve", lambda x, u=ui: x[u]["ready_s"], "{:.2f} s")
            row(f"serving RSS at start, {label}", "serve", lambda x, u=ui: x[u]["rss_start_mib"], "{:.0f} MiB")
            row(f"serving RSS after 100 asks, {label}", "serve", lambda x, u=ui: x[u]["rss_after_100_mib"],
                "{:.0f} MiB")
    return "\n".join(rows)


def render(r: dict) -> str:
    m = r["machine"]
    oi, bi, fl = r.get("ours_index"), r.get("base_index"), r["floor"]
    rows = [f"{r['articles']:,} generated articles, {m['date']}, {m['cpu']}, {m['cores']} cores "
            f"(load average {m['load_avg_at_start']:.1f} at start: the cores are shared)", "",
            "| measure | this project | LangChain baseline | ratio (ours/baseline) | target |", "|---|---|---|---|---|"]
    if oi and bi:
        oa, ba = oi["articles"] / oi["seconds"], bi["articles"] / bi["seconds"]
        fa = bi["articles"] / fl["seconds"]
        rows.append(f"| indexing, articles/s | {oa:.2f} | {ba:.2f} | {oa / ba:.2f}× (floor {fa:.2f}/s: "
                    f"{oa / fa:.2f}× of it) | ≥ 1.0× {'✓' if oa / ba >= 1.0 else '✗'} |")
        rows.append(f"| indexing, chunks/s | {oi['chunks'] / oi['seconds']:.1f} ({oi['chunks']} chunks) | "
                    f"{bi['chunks'] / bi['seconds']:.1f} ({bi['chunks']} chunks) | "
                    f"{(oi['chunks'] / oi['seconds']) / (bi['chunks'] / bi['seconds']):.2f}× | |")
        rows.append(f"| indexing peak RSS | {oi['peak_mib']:.0f} MiB | {bi['peak_mib']:.0f} MiB | "
                    f"{oi['peak_mib'] / bi['peak_mib']:.2f}× | |")
        re_s = r["ours_reindex"]["seconds"]
        rows.append(f"| re-index unchanged | {re_s:.2f} s | (rebuilds: {bi['seconds']:.0f} s) | "
                    f"{oi['seconds'] / re_s:.0f}× faster than our index | ≥ 50× "
                    f"{'✓' if oi['seconds'] / re_s >= 50 else '✗'} |")
    warm = r["ours_warm"]["rows"]
    base_ret = r["base_warm"]["retrieval"]
    bp50, bp95 = statistics.median(base_ret), pct(base_ret, 0.95)
    tot = [w["total"] for w in warm]
    p50, p95 = statistics.median(tot), pct(tot, 0.95)
    rows.append(f"| warm ask p50 / p95 | {p50 * 1000:.1f} / {p95 * 1000:.1f} ms | retrieval only "
                f"{bp50 * 1000:.1f} / {bp95 * 1000:.1f} ms | {p50 / bp50:.2f}× / {p95 / bp95:.2f}× | ≤ 1.5× / ≤ 2× "
                f"{'✓' if p50 / bp50 <= 1.5 else '✗'}{'✓' if p95 / bp95 <= 2 else '✗'} |")
    for part in ("retrieval", "analysis", "composition"):
        values = [w[part] for w in warm]
        rows.append(f"| · {part} p50 / p95 | {statistics.median(values) * 1000:.1f} / {pct(values, 0.95) * 1000:.1f} ms"
                    f" | | | |")
    cold = [w["total"] for w in r["ours_warm"].get("cold_rows", [])]
    if cold:
        c50, c95 = statistics.median(cold), pct(cold, 0.95)
        rows.append(f"| · with the embedder's cache emptied before each ask, p50 / p95 | {c50 * 1000:.1f} / "
                    f"{c95 * 1000:.1f} ms | | {c50 / bp50:.2f}× / {c95 / bp95:.2f}× | |")
    rss = r["ours_warm"]["rss_mib"]
    rows.append(f"| RSS across {len(warm)} warm asks | " + " → ".join(f"{v:.0f}" for _, v in rss) + " MiB | | | flat |")
    co, cb = r["cold"]["ours"], r["cold"]["base"]
    cos, cbs = statistics.median(t for t, _ in co), statistics.median(t for t, _ in cb)
    rows.append(f"| cold `rag ask`, start to answer | {cos:.2f} s, {max(m for _, m in co):.0f} MiB | {cbs:.2f} s, "
                f"{max(m for _, m in cb):.0f} MiB | {cos / cbs:.2f}× | ≤ 2 s {'✓' if cos <= 2 else '✗'} |")
    if r["cold"].get("ours_phases"):
        rows.append(f"| · cold `rag ask` CPU (user+sys) | {statistics.median(r['cold']['ours_cpu']):.2f} s | | | |")
        phases = r["cold"]["ours_phases"]
        for name in phases[0]:
            wall = statistics.median(p[name]["wall"] for p in phases)
            cpu = statistics.median(p[name]["cpu"] for p in phases)
            rows.append(f"| · cold phase: {name}, wall / CPU | {wall:.2f} / {cpu:.2f} s | | | |")
    s, n = r["serve"], r.get("serve_no_ui", {})
    rows.append(f"| `rag serve` start until it answers | {s['ready_s']:.2f} s | | | |")
    ui = f" / without UI {n['rss_start_mib']:.0f}, {n['rss_after_100_mib']:.0f}" if n else ""
    rows.append(f"| serving RSS: start, after 100 asks, after load | {s['rss_start_mib']:.0f}, {s['rss_after_100_mib']:.0f}, "
                f"{s['rss_after_load_mib']:.0f} MiB{ui} | | | ≤ 400 MB "
                f"{'✓' if max(s['rss_after_100_mib'], s['rss_after_load_mib']) * 1.048576 <= 400 else '✗'} |")
    t1, t2, t4 = s["throughput_1"], s["throughput_2"], s["throughput_4"]
    rows.append(f"| `POST /v1/ask` answers/s, 1 / 2 / 4 clients | {t1:.1f} / {t2:.1f} / {t4:.1f} | | 2: {t2 / t1:.2f}×, "
                f"4: {t4 / t1:.2f}× of 1 client | 2 ≥ 1.5×, 4 ≥ 2's {'✓' if t2 / t1 >= 1.5 else '✗'}"
                f"{'✓' if t4 >= t2 * 0.95 else '✗'} |")
    st = r["store_mib"]
    rows.append(f"| store on disk | {st['ours']:.0f} MiB | {st['base']:.0f} MiB | {st['ours'] / max(st['base'], 1e-9):.2f}× | |")
    for suite, metrics in r.get("evals", {}).items():
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items() if isinstance(v, (int, float)))
        rows.append(f"| eval `{suite}` | {shown} | | | unchanged |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
