"""Probes and docs: /healthz, /readyz, /openapi.json, and /docs served without a CDN."""

from fastapi.testclient import TestClient

from rag.api import create_app
from rag.settings import Settings
from rag.store import ChunkStore


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_model_store_and_documents(client):
    assert client.get("/readyz").json() == {"status": "ready", "model": "all-MiniLM-L6-v2", "store": "local",
                                            "collection": "default", "documents": 5, "collections": 1}


def test_without_a_corpus_the_default_collection_exists_and_is_empty(make_client):
    client = make_client(corpus_dir=None)
    assert client.get("/readyz").json()["documents"] == 0
    assert client.get("/v1/sources").json() == []
    assert client.post("/v1/ask", json={"question": "Is the ferry free?"}).json()["abstained"]


def test_openapi_lists_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {(path, method) for path, ops in schema["paths"].items() for method in ops} == {
        ("/healthz", "get"), ("/readyz", "get"), ("/v1/ask", "post"), ("/v1/ask/stream", "post"),
        ("/v1/collections", "get"), ("/v1/collections", "post"), ("/v1/collections/{name}", "delete"),
        ("/v1/collections/{name}/documents", "post"), ("/v1/sources", "get"), ("/v1/sources/{source_id}", "get")}
    body = schema["paths"]["/v1/collections/{name}/documents"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    for media in body.values():
        assert media["schema"]["$ref"].split("/")[-1] in schema["components"]["schemas"]
    stream = schema["paths"]["/v1/ask/stream"]["post"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"] and list(stream["text/event-stream"]) == ["itemSchema"]
    kinds = stream["text/event-stream"]["itemSchema"]["oneOf"]
    assert [k["properties"]["event"]["const"] for k in kinds] == ["retrieval", "lead", "answer", "citations", "conflicts",
                                                                   "done", "error"]
    for kind in kinds:
        assert kind["properties"]["data"]["contentSchema"]["$ref"].split("/")[-1] in schema["components"]["schemas"]


def test_docs_work_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "/openapi.json" in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static-offline-docs/{asset}" in page.text
        assert client.get(f"/static-offline-docs/{asset}").status_code == 200
    assert client.get("/redoc").status_code == 200


def test_unknown_paths_and_methods_are_json(client):
    assert client.get("/v1/nothing").json() == {"detail": "Not Found"}
    response = client.put("/v1/ask", json={"question": "why?"})
    assert response.status_code == 405 and response.json()["detail"]


def test_models_load_in_the_lifespan_not_in_the_factory(tmp_path, harbor_corpus):
    app = create_app(Settings(store=tmp_path / "store", corpus_dir=harbor_corpus))
    assert not hasattr(app.state, "pipeline") and not (tmp_path / "store").exists()
    with TestClient(app) as client:
        pipeline = app.state.pipeline
        client.post("/v1/ask", json={"question": "Is the ferry free?"})
        client.post("/v1/ask", json={"question": "Who will inspect the bridge?"})
        assert app.state.pipeline is pipeline  # one pipeline, loaded once, for every request
    ChunkStore.open_local(tmp_path / "store").close()  # shut down: the store is free for another process
