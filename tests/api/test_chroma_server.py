"""Scale-out: with RAG_CHROMA_URL, two API processes share one real `chroma run` on 127.0.0.1. What one writes
the other reads at once, neither touches a local store folder, and no client can configure Chroma."""

import chromadb
import httpx
import pytest
from chromadb.config import Settings as ChromaSettings

FERRY = {"id": "ferry-fare", "title": "Ferry fare rises to $4", "outlet": "Harbor Notes",
         "text": "The temporary ferry will cost $4 each way from Monday, the transit division said."}


@pytest.fixture(scope="module")
def servers(serve, chroma, harbor_corpus, tmp_path_factory):
    """Two API processes on one Chroma server: the first indexes the harbor corpus at start-up."""
    stores = tmp_path_factory.mktemp("unused")
    env = {"RAG_CHROMA_URL": chroma.url}
    with serve(corpus=harbor_corpus, RAG_STORE=str(stores / "a"), **env) as a, \
            serve(RAG_STORE=str(stores / "b"), **env) as b:
        with httpx.Client(base_url=a, timeout=60) as first, httpx.Client(base_url=b, timeout=60) as second:
            yield first, second
    assert not (stores / "a").exists() and not (stores / "b").exists()


def test_both_processes_serve_the_same_corpus(servers):
    first, second = servers
    for http in servers:
        ready = http.get("/readyz").json()
        assert (ready["store"], ready["documents"]) == ("server", 5)
    question = {"question": "How long will the Harbor Bridge be closed?"}
    answer = first.post("/v1/ask", json=question).json()
    assert answer["citations"] and second.post("/v1/ask", json=question).json() == answer
    assert first.get("/v1/sources").json() == second.get("/v1/sources").json()


def test_what_one_process_writes_the_other_reads(servers):
    first, second = servers
    assert second.post("/v1/collections", json={"name": "shared"}).status_code == 201
    assert first.post("/v1/collections", json={"name": "shared"}).status_code == 409
    added = first.post("/v1/collections/shared/documents", json={"documents": [FERRY]})
    assert added.status_code == 201 and added.json()["documents"] == 1

    assert [s["source_id"] for s in second.get("/v1/sources", params={"collection": "shared"}).json()] == ["ferry-fare"]
    answer = second.post("/v1/ask", json={"question": "How much will the ferry cost?", "collection": "shared"}).json()
    assert [c["source_id"] for c in answer["citations"]] == ["ferry-fare"]

    changed = second.post("/v1/collections/shared/documents",
                          json={"documents": [FERRY | {"text": "The ferry is free."}]})
    assert changed.json()["updated"] == 1
    assert first.get("/v1/sources/ferry-fare", params={"collection": "shared"}).json()["text"] == "The ferry is free."

    assert first.delete("/v1/collections/shared").status_code == 204
    assert second.get("/v1/sources", params={"collection": "shared"}).status_code == 404
    assert second.post("/v1/ask", json={"question": "Is the ferry free?", "collection": "shared"}).status_code == 404


def test_uploads_and_streams_work_in_server_mode(servers, sse):
    first, second = servers
    first.post("/v1/collections", json={"name": "files"})
    upload = second.post("/v1/collections/files/documents",
                         files={"file": ("fares.md", b"---\ntitle: Fares\n---\nThe ferry will cost $4 each way.")})
    assert upload.status_code == 201
    with first.stream("POST", "/v1/ask/stream", json={"question": "What will the ferry cost?",
                                                      "collection": "files"}) as response:
        got = sse(response.read().decode())
    assert [n for n, _ in got][0] == "retrieval" and got[-1][0] == "done"
    assert dict(got)["citations"]["citations"][0]["source_id"] == "fares"
    first.delete("/v1/collections/files")


@pytest.mark.filterwarnings("ignore:legacy embedding function config:DeprecationWarning")  # chromadb's own
def test_clients_cannot_configure_chroma_collections(servers, chroma):
    first, _ = servers
    for body in ({"name": "cfg", "configuration": {"hnsw": {"space": "l2"}}},
                 {"name": "cfg", "metadata": {"hnsw:space": "ip"}}):
        assert first.post("/v1/collections", json=body).status_code == 422
    assert first.post("/v1/collections", json={"name": "cfg"}).status_code == 201
    chroma = chromadb.HttpClient(host="127.0.0.1", port=int(chroma.url.rsplit(":", 1)[1]),
                                 settings=ChromaSettings(anonymized_telemetry=False))
    for suffix in ("__chunks", "__sources"):
        assert chroma.get_collection("cfg" + suffix).configuration["hnsw"]["space"] == "cosine"
    first.delete("/v1/collections/cfg")


def test_when_chroma_is_gone_the_api_says_503_not_500(servers, chroma):
    """Last in this module: it stops the Chroma server."""
    chroma.stop()
    for http in servers:
        ready = http.get("/readyz")
        assert ready.status_code == 503 and "not answering" in ready.json()["detail"]
        for response in (http.post("/v1/ask", json={"question": "Is the ferry free?"}), http.get("/v1/sources")):
            assert response.status_code == 503 and "Chroma" in response.json()["detail"]
            assert response.headers["retry-after"]
        assert http.get("/healthz").status_code == 200
