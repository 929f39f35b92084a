"""Past a limit the client hears so at once: 413 before an oversized body is read, 503 + Retry-After when full.

The socket-level tests talk to a real `rag serve` process, since only a real server shows whether it waits for a
body it was told not to expect."""

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest

UPLOAD_LIMIT = 10_000
QUESTIONS = ["How long will the Harbor Bridge be closed?", "Will the temporary ferry be free?",
             "Who will inspect the bridge?", "Why is the bridge closing now?"]


@pytest.fixture(scope="module")
def server(serve, harbor_corpus):
    with serve(corpus=harbor_corpus, RAG_MAX_UPLOAD_BYTES=str(UPLOAD_LIMIT), RAG_MAX_CONCURRENT_ASKS="2") as url:
        httpx.post(f"{url}/v1/collections", json={"name": "news"}).raise_for_status()
        yield url


def raw_exchange(url: str, head: bytes, chunks: list[bytes] = ()) -> tuple[int, dict, float]:
    """Send a request by hand (head, then body chunks, never a final chunk); return status, JSON body, seconds."""
    parsed = urlparse(url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(head)
        for chunk in chunks:
            sock.sendall(chunk)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read()), time.monotonic() - started


def test_declared_oversized_body_is_refused_without_reading_it(server):
    head = (b"POST /v1/collections/news/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n")
    status, body, seconds = raw_exchange(server, head)  # not one byte of the 50 MB is sent
    assert status == 413 and f"{UPLOAD_LIMIT} bytes" in body["detail"]
    assert seconds < 5


def test_chunked_body_is_cut_off_at_the_limit(server):
    head = (b"POST /v1/collections/news/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    piece = b" " * 4000
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * 3  # 12 kB, and the body never ends
    status, body, seconds = raw_exchange(server, head, chunks)
    assert status == 413 and f"{UPLOAD_LIMIT} bytes" in body["detail"]
    assert seconds < 5


def test_json_endpoints_have_their_own_limit(server):
    head = (b"POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")
    status, body, _ = raw_exchange(server, head)
    assert status == 413 and "limit" in body["detail"]


def test_a_body_under_the_limit_is_fine(server):
    response = httpx.post(f"{server}/v1/collections/news/documents",
                          json={"documents": [{"title": "Short", "text": "The ferry costs $4."}]})
    assert response.status_code == 201


def test_past_capacity_clients_get_503_at_once_and_answers_stay_correct(server):
    """12 clients at once against 2 answer slots: each either gets its answer or a quick 503, retries, and in
    the end every client holds the same answer it would get alone."""
    with httpx.Client(base_url=server, timeout=60) as alone:
        reference = {q: alone.post("/v1/ask", json={"question": q}).json() for q in QUESTIONS}
    start = threading.Barrier(12)
    refused: list[float] = []

    def client(n: int) -> dict:
        question = QUESTIONS[n % len(QUESTIONS)]
        with httpx.Client(base_url=server, timeout=60) as http:
            start.wait()
            while True:
                sent = time.monotonic()
                response = http.post("/v1/ask", json={"question": question})
                if response.status_code != 503:
                    assert response.status_code == 200, response.text
                    return response.json()
                refused.append(time.monotonic() - sent)
                assert response.headers["retry-after"] == "1" and "retry" in response.json()["detail"]
                time.sleep(0.05 * (1 + n % 4))

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(client, range(12)))
    for n, answer in enumerate(answers):
        assert answer == reference[QUESTIONS[n % len(QUESTIONS)]]
    assert refused, "12 simultaneous clients never exceeded 2 slots"
    assert max(refused) < 2


def test_full_answer_slots_refuse_at_once_and_free_again(make_client):
    client = make_client(max_concurrent_asks=1)
    release = client.app.state.asks.acquire()
    started = time.monotonic()
    for path in ("/v1/ask", "/v1/ask/stream"):
        response = client.post(path, json={"question": "Is the ferry free?"})
        assert response.status_code == 503 and response.headers["retry-after"] == "1"
        assert "answering" in response.json()["detail"]
    assert time.monotonic() - started < 2
    # refused before its body is parsed: a body that would get 422 gets the 503 (no parsing, no thread hop)
    response = client.post("/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 503 and "answering" in response.json()["detail"]
    release()
    assert client.post("/v1/ask", json={"question": "Is the ferry free?"}).status_code == 200


def test_full_ingest_slots_refuse_uploads(make_client):
    client = make_client(max_concurrent_ingests=1)
    release = client.app.state.ingests.acquire()
    doc = {"documents": [{"title": "T", "text": "The ferry is free."}]}
    response = client.post("/v1/collections/default/documents", json=doc)
    assert response.status_code == 503 and "indexing" in response.json()["detail"]
    assert client.post("/v1/ask", json={"question": "Is the ferry free?"}).status_code == 200  # asks unaffected
    release()
    assert client.post("/v1/collections/default/documents", json=doc).status_code == 201


def test_asks_during_an_upload_stay_correct(make_client):
    """Indexing (which counts tokens) and answering (which embeds) share one tokenizer; neither may break the other."""
    client = make_client()
    reference = client.post("/v1/ask", json={"question": QUESTIONS[0]}).json()
    text = " ".join(f"Sentence number {n} says the council met on day {n}." for n in range(400))

    def upload() -> int:
        return client.post("/v1/collections", json={"name": "bulk"}).status_code and client.post(
            "/v1/collections/bulk/documents", json={"documents": [{"title": "Minutes", "text": text}]}).status_code

    with ThreadPoolExecutor(4) as pool:
        uploading = pool.submit(upload)
        answers = list(pool.map(lambda _: client.post("/v1/ask", json={"question": QUESTIONS[0]}), range(6)))
    assert uploading.result() == 201
    assert all(a.status_code in (200, 503) for a in answers)
    assert all(a.json() == reference for a in answers if a.status_code == 200)
