"""Slow and hostile clients, overload and start-up mistakes (issue 12), against a real `rag serve` on 127.0.0.1.

Behaviour only; the times are measured by benchmarks/reliability.py."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest

from tests.api.conftest import OFFLINE, ROOT

BODY_TIMEOUT = 2
QUESTIONS = ["How long will the Harbor Bridge be closed?", "Will the temporary ferry be free?",
             "Who will inspect the bridge?", "Why is the bridge closing now?"]


@pytest.fixture(scope="module")
def server(serve, harbor_corpus, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("rel")
    with serve(corpus=harbor_corpus, RAG_BODY_TIMEOUT=str(BODY_TIMEOUT), RAG_MAX_CONCURRENT_INGESTS="2",
               RAG_MAX_CONCURRENT_ASKS="2", RAG_MAX_IN_FLIGHT="24") as url:
        httpx.post(f"{url}/v1/collections", json={"name": "news"}).raise_for_status()
        yield url


def server_log(url: str) -> str:
    """The log of our server on url: serve() sends its stdout and stderr to a file, found through /proc."""
    port = str(urlparse(url).port).encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            if b"serve" in cmd and port in cmd:
                with open(os.readlink(f"/proc/{pid}/fd/1"), errors="replace") as handle:
                    return handle.read()
        except OSError:
            continue
    raise AssertionError(f"no server process found for {url}")


def connect(url: str) -> socket.socket:
    parsed = urlparse(url)
    return socket.create_connection((parsed.hostname, parsed.port), timeout=BODY_TIMEOUT * 5)


def stalled_upload(url: str) -> socket.socket:
    """A client that promises 1000 bytes of upload and sends 10."""
    sock = connect(url)
    sock.sendall(b"POST /v1/collections/news/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"documen")
    return sock


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, response.read()


def test_stalled_uploads_hold_no_slot_and_time_out_with_408(server):
    stalled = [stalled_upload(server) for _ in range(3)]  # more than the 2 ingest slots
    try:
        time.sleep(0.3)
        doc = {"documents": [{"id": "during-stall", "title": "T", "text": "The ferry costs $4 each way."}]}
        response = httpx.post(f"{server}/v1/collections/news/documents", json=doc, timeout=30)
        assert response.status_code == 201, response.text
        for sock in stalled:
            status, body = read_response(sock)
            assert status == 408 and b"did not arrive" in body
    finally:
        for sock in stalled:
            sock.close()


def test_a_client_that_hangs_up_mid_body_leaves_no_traceback(server):
    for path in ("/v1/collections/news/documents", "/v1/ask"):
        sock = connect(server)
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: 5000\r\n\r\n{\"question\": \"Is".encode())
        time.sleep(0.2)
        sock.close()
    time.sleep(0.5)
    assert httpx.get(f"{server}/healthz").status_code == 200
    log = server_log(server)
    assert "Traceback" not in log and "ClientDisconnect" not in log, log[-3000:]


def test_huge_headers_are_refused_without_reading_them(server):
    sock = connect(server)
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        sent = 0
        try:
            while sent < 64 * 1024 * 1024:
                sock.sendall(b"a" * 65536)
                sent += 65536
        except OSError:  # the server stopped reading and closed: what we want
            pass
        assert sent < 8 * 1024 * 1024, "the server kept reading a header of many megabytes"
        try:
            status, _ = read_response(sock)
            assert 400 <= status < 500
        except (OSError, http.client.HTTPException):
            pass  # closed before we could read the refusal: also not a 2xx
    finally:
        sock.close()
    assert httpx.get(f"{server}/healthz").status_code == 200


def test_too_many_headers_get_431(server):
    headers = {f"X-H{n}": "v" for n in range(150)}
    response = httpx.get(f"{server}/v1/collections", headers=headers)
    assert response.status_code == 431 and "headers" in response.json()["detail"]


def test_twenty_clients_get_only_answers_or_503_with_retry_after(server):
    statuses, problems = _hammer(server, clients=20, seconds=6)
    assert not problems, problems[:5]
    assert set(statuses) <= {200, 503} and statuses.count(200) > 0, sorted(set(statuses))


def test_a_hundred_clients_are_refused_at_once_and_the_server_recovers(server):
    reference = httpx.post(f"{server}/v1/ask", json={"question": QUESTIONS[0]}, timeout=120).json()
    barrier = threading.Barrier(100)

    def one(n: int):
        with httpx.Client(timeout=120) as http:
            barrier.wait()
            started = time.monotonic()
            response = http.post(f"{server}/v1/ask", json={"question": QUESTIONS[n % 4]})
            return response.status_code, time.monotonic() - started, response.headers.get("retry-after")

    with ThreadPoolExecutor(100) as pool:
        results = list(pool.map(one, range(100)))
    answered = sorted(t for s, t, _ in results if s == 200)
    refused = sorted(t for s, t, _ in results if s == 503)
    assert {s for s, _, _ in results} <= {200, 503}
    assert answered and len(refused) >= 50, (len(answered), len(refused))
    assert all(r == "1" for s, _, r in results if s == 503)
    # refused without waiting for a slot: a typical refusal comes back before a typical answer
    assert statistics.median(refused) < statistics.median(answered), (refused[::10], answered[::5])
    after = httpx.post(f"{server}/v1/ask", json={"question": QUESTIONS[0]}, timeout=120)
    assert after.status_code == 200 and after.json() == reference


def _hammer(url: str, *, clients: int, seconds: float) -> tuple[list[int], list[str]]:
    """`clients` keep-alive clients asking for `seconds`; every response status, and every connection that
    closed without a response (or any other transport error)."""
    statuses: list[int] = []
    problems: list[str] = []
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.monotonic() < stop:
                try:
                    response = http.post("/v1/ask", json={"question": QUESTIONS[n % 4]})
                except httpx.HTTPError as exc:
                    problems.append(f"{type(exc).__name__}: {exc}")
                    continue
                statuses.append(response.status_code)
                if response.status_code == 503 and response.headers.get("retry-after") != "1":
                    problems.append(f"503 without Retry-After: {response.text}")
                if response.status_code == 503:
                    time.sleep(0.05)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return statuses, problems


# start-up mistakes -------------------------------------------------------------------------------------------

def rag(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=os.environ | OFFLINE | env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("env, message", [
    ({"RAG_API_TOKEN": "   "}, "RAG_API_TOKEN is set but empty"),
    ({"RAG_PROTECT_READS": "true"}, "RAG_PROTECT_READS=true needs RAG_API_TOKEN"),
])
def test_misconfiguration_is_one_line_and_exit_2(tmp_path, env, message):
    result = rag("serve", "--port", "1", "--store", str(tmp_path / "s"), env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("rag: error:") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_serve_on_a_locked_store_is_one_line_and_exit_2_like_ask(tmp_path):
    from rag.store import ChunkStore

    store = ChunkStore.open_local(tmp_path / "store")  # this test process now owns the store
    try:
        for args in (["serve", "--port", "1"], ["ask", "Is the ferry free?"]):
            result = rag(*args, "--store", str(tmp_path / "store"), env={})
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith("rag: error: store") and "in use by another process" in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
    finally:
        store.close()


# reads racing writes -----------------------------------------------------------------------------------------

RACE_TEXTS = {
    "closure": ["The Harbor Bridge will close for {n} days of cable repairs, the city said on Monday.",
                "The Harbor Bridge will stay closed for {n} weeks while crews replace corroded cables."],
    "ferry": ["The temporary ferry will be free for every rider during the closure, version {n} said.",
              "The temporary ferry will cost {n} dollars each way during the closure, the transit office said."],
}
RACE_QUESTIONS = ["How long will the Harbor Bridge be closed?", "Will the temporary ferry be free?"]


def race(url: str, seconds: float) -> tuple[list[int], list[str], int]:
    """Askers against uploads that replace documents and deletes of the whole collection, for `seconds`.
    Returns the statuses, the problems (5xx, transport errors, inexact quotes) and how many answers were checked."""
    stop = time.monotonic() + seconds
    versions: dict[str, set[str]] = {sid: set() for sid in RACE_TEXTS}
    lock = threading.Lock()
    statuses: list[int] = []
    problems: list[str] = []
    checked = 0
    # start from no collection: an earlier race on the same server leaves versions this one never uploaded
    assert httpx.delete(f"{url}/v1/collections/race", timeout=60).status_code in (204, 404)

    def writer(deleting: bool) -> None:
        n = 0
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.monotonic() < stop:
                n += 1
                if deleting and n % 3 == 0:
                    statuses.append(http.delete("/v1/collections/race").status_code)
                    continue
                statuses.append(http.post("/v1/collections", json={"name": "race"}).status_code)
                docs = []
                for sid, texts in RACE_TEXTS.items():
                    text = texts[n % 2].format(n=n)
                    with lock:
                        versions[sid].add(text)
                    docs.append({"id": sid, "title": sid, "text": text})
                response = http.post("/v1/collections/race/documents", json={"documents": docs})
                statuses.append(response.status_code)

    def asker(n: int) -> None:
        nonlocal checked
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.monotonic() < stop:
                try:
                    response = http.post("/v1/ask", json={"question": RACE_QUESTIONS[n % 2], "collection": "race"})
                except httpx.HTTPError as exc:
                    problems.append(f"{type(exc).__name__}: {exc}")
                    continue
                statuses.append(response.status_code)
                if response.status_code >= 500 and response.status_code != 503:
                    problems.append(f"{response.status_code}: {response.text[:200]}")
                if response.status_code != 200:
                    time.sleep(0.05)
                    continue
                with lock:
                    known = {sid: set(v) for sid, v in versions.items()}
                for c in response.json()["citations"]:
                    if not any(t[c["start"]:c["end"]] == c["quote"] for t in known.get(c["source_id"], ())):
                        problems.append(f"inexact quote {c} (versions uploaded: {sorted(known.get(c['source_id'], ()))[:4]})")
                checked += 1

    with ThreadPoolExecutor(6) as pool:
        jobs = [pool.submit(writer, False), pool.submit(writer, True), *(pool.submit(asker, n) for n in range(4))]
        for job in jobs:
            job.result()
    return statuses, problems, checked


def test_asks_racing_uploads_and_deletes_get_no_5xx_and_exact_quotes(server):
    statuses, problems, checked = race(server, seconds=8)
    assert not problems, problems[:5]
    assert set(statuses) <= {200, 201, 204, 404, 409, 503}, sorted(set(statuses))
    assert checked > 0 and statuses.count(204) > 0


@pytest.mark.slow
def test_longer_race_and_load(server):
    statuses, problems, checked = race(server, seconds=30)
    assert not problems, (problems[:5], server_log(server)[-3000:])
    assert set(statuses) <= {200, 201, 204, 404, 409, 503}, sorted(set(statuses))
    statuses, problems = _hammer(server, clients=20, seconds=30)
    assert not problems, problems[:5]
    assert set(statuses) <= {200, 503}
