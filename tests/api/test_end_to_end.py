"""From a fresh store to cited answers over real HTTP: `rag serve --corpus corpus/articles` on 127.0.0.1."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from rag.ingest import load_corpus

QUESTIONS = ["Why did Trump postpone the AI executive order?",
             "How many days before release would AI companies have shared their models with the government?",
             "Who lobbied against the executive order?",
             "What would the order have done for federal cybersecurity?"]


@pytest.fixture(scope="module")
def seed_server(serve, seed_corpus):
    with serve(corpus=seed_corpus, RAG_MAX_CONCURRENT_ASKS="8") as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            yield http


def test_the_seed_corpus_is_indexed_at_start_up(seed_server, seed_corpus):
    expected = sorted(a.id for a in load_corpus(seed_corpus))  # five pages and the blurb one of them embeds
    assert seed_server.get("/readyz").json()["documents"] == len(expected) == 6
    assert [s["source_id"] for s in seed_server.get("/v1/sources").json()] == expected
    blurb = seed_server.get("/v1/sources/004_23f6249daf0a2d12-similar-1").json()
    assert blurb["text"] and blurb["chars"] == len(blurb["text"])


def test_answers_quote_the_seed_articles_verbatim(seed_server):
    answer = seed_server.post("/v1/ask", json={"question": QUESTIONS[1]}).json()
    assert not answer["abstained"] and len({c["source_id"] for c in answer["citations"]}) >= 2
    for citation in answer["citations"]:
        source = seed_server.get(f"/v1/sources/{citation['source_id']}").json()
        assert source["text"][citation["start"]:citation["end"]] == citation["quote"]
        assert (citation["outlet"], citation["title"]) == (source["outlet"], source["title"])
    assert "90" in " ".join(c["quote"] for c in answer["citations"])


def test_stream_and_plain_answer_agree(seed_server, sse):
    plain = seed_server.post("/v1/ask", json={"question": QUESTIONS[0]}).json()
    with seed_server.stream("POST", "/v1/ask/stream", json={"question": QUESTIONS[0]}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        got = sse(response.read().decode())
    assert got[0][0] == "retrieval" and got[-1] == ("done", {"abstained": plain["abstained"]})
    assert "".join(d["text"] for name, d in got if name == "answer") == plain["answer"]
    assert dict(got)["citations"]["citations"] == plain["citations"]


def test_many_clients_at_once_get_the_answers_they_would_get_alone(seed_server):
    alone = {q: seed_server.post("/v1/ask", json={"question": q}).json() for q in QUESTIONS}

    def ask(n: int) -> tuple[str, httpx.Response]:
        question = QUESTIONS[n % len(QUESTIONS)]
        with httpx.Client(base_url=str(seed_server.base_url), timeout=120) as http:
            return question, http.post("/v1/ask", json={"question": question})

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(ask, range(8)))
    for question, response in results:
        assert response.status_code == 200, response.text
        assert response.json() == alone[question]


def test_an_uploaded_article_becomes_answerable_in_its_own_collection(seed_server):
    assert seed_server.post("/v1/collections", json={"name": "uploads"}).status_code == 201
    page = ("<html><head><title>Senate panel schedules AI hearing</title></head><body><article>"
            "<h1>Senate panel schedules AI hearing</h1><p>The Senate Commerce Committee will hold a hearing on "
            "frontier AI model testing on June 4, its chair said on Monday.</p></article></body></html>")
    response = seed_server.post("/v1/collections/uploads/documents", files={"file": ("hearing.html", page.encode())},
                                data={"outlet": "Capitol Wire", "published": "2026-05-28"})
    assert response.status_code == 201 and response.json()["documents"] == 1
    answer = seed_server.post("/v1/ask", json={"question": "When is the Senate hearing on AI model testing?",
                                               "collection": "uploads"}).json()
    assert [c["source_id"] for c in answer["citations"]] == ["hearing"]
    assert answer["citations"][0]["outlet"] == "Capitol Wire" and "June 4" in answer["citations"][0]["quote"]
    default = seed_server.post("/v1/ask", json={"question": "When is the Senate hearing on AI model testing?"}).json()
    assert all(c["source_id"] != "hearing" for c in default["citations"])
    assert seed_server.delete("/v1/collections/uploads").status_code == 204
