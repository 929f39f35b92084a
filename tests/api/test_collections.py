"""Collections: create, list, delete, and isolation (one collection's articles never answer another's questions)."""

import pytest

MOON = {"id": "moon-cheese", "title": "Moon found to be cheese", "outlet": "Lunar Ledger", "published": "2026-04-01",
        "text": "Astronomers said on Tuesday that the Moon is made of cheese. The cheese is mostly cheddar, "
                "according to a statement from the observatory."}


def test_create_list_and_delete(client):
    assert client.get("/v1/collections").json() == [{"name": "default", "documents": 5, "default": True}]
    created = client.post("/v1/collections", json={"name": "moon-news"})
    assert created.status_code == 201
    assert created.json() == {"name": "moon-news", "documents": 0, "default": False}
    assert [c["name"] for c in client.get("/v1/collections").json()] == ["default", "moon-news"]

    deleted = client.delete("/v1/collections/moon-news")
    assert deleted.status_code == 204 and deleted.content == b""
    assert [c["name"] for c in client.get("/v1/collections").json()] == ["default"]
    assert client.delete("/v1/collections/moon-news").status_code == 404


def test_collections_are_isolated(client):
    client.post("/v1/collections", json={"name": "moon"})
    added = client.post("/v1/collections/moon/documents", json={"documents": [MOON]})
    assert added.status_code == 201 and added.json()["documents"] == 1

    assert [s["source_id"] for s in client.get("/v1/sources", params={"collection": "moon"}).json()] == ["moon-cheese"]
    assert "moon-cheese" not in [s["source_id"] for s in client.get("/v1/sources").json()]
    assert client.get("/v1/sources/moon-cheese").status_code == 404
    assert client.get("/v1/sources/01_closure-announced", params={"collection": "moon"}).status_code == 404

    question = "What is the Moon made of?"
    in_moon = client.post("/v1/ask", json={"question": question, "collection": "moon"}).json()
    in_default = client.post("/v1/ask", json={"question": question}).json()
    assert {c["source_id"] for c in in_moon["citations"]} == {"moon-cheese"}
    assert all(c["source_id"] != "moon-cheese" for c in in_default["citations"])
    bridge = client.post("/v1/ask", json={"question": "How long will the bridge be closed?", "collection": "moon"})
    assert all(c["source_id"] == "moon-cheese" for c in bridge.json()["citations"])

    client.delete("/v1/collections/moon")
    assert client.post("/v1/ask", json={"question": question, "collection": "moon"}).status_code == 404
    assert client.get("/v1/sources", params={"collection": "moon"}).status_code == 404
    assert len(client.get("/v1/sources").json()) == 5


def test_same_source_id_in_two_collections_is_two_articles(client):
    for name, text in (("one", "The ferry is free, the mayor said."), ("two", "The ferry costs three dollars.")):
        client.post("/v1/collections", json={"name": name})
        client.post(f"/v1/collections/{name}/documents",
                    json={"documents": [{"id": "ferry", "title": "Ferry", "text": text}]})
    one = client.get("/v1/sources/ferry", params={"collection": "one"}).json()["text"]
    two = client.get("/v1/sources/ferry", params={"collection": "two"}).json()["text"]
    assert "free" in one and "three dollars" in two


def test_creating_twice_conflicts(client):
    assert client.post("/v1/collections", json={"name": "twice"}).status_code == 201
    response = client.post("/v1/collections", json={"name": "twice"})
    assert response.status_code == 409 and "already exists" in response.json()["detail"]
    assert client.post("/v1/collections", json={"name": "default"}).status_code == 409


def test_default_collection_cannot_be_deleted(client):
    response = client.delete("/v1/collections/default")
    assert response.status_code == 409 and "default" in response.json()["detail"]
    assert client.get("/readyz").json()["documents"] == 5


@pytest.mark.parametrize("name", ["", "Upper", "../etc", "a/b", "a__b", "-dash", "x" * 49, "spa ce", "ünï", "a.b",
                                  "__chunks"])
def test_unsafe_collection_names_are_refused(client, name):
    response = client.post("/v1/collections", json={"name": name})
    assert response.status_code == 422, response.text
    assert "name" in response.json()["detail"]


@pytest.mark.parametrize("path", ["Upper", "a__b", "-dash", "x" * 49, "spa%20ce", "%2E%2E"])
def test_unsafe_names_in_paths_and_queries_are_refused(client, path):
    assert client.delete(f"/v1/collections/{path}").status_code in (404, 422)
    assert client.post(f"/v1/collections/{path}/documents", json={"documents": [MOON]}).status_code in (404, 422)
    assert client.get(f"/v1/sources?collection={path}").status_code == 422


@pytest.mark.parametrize("body", [
    {"name": "cfg", "configuration": {"hnsw": {"space": "l2"}}},
    {"name": "cfg", "metadata": {"hnsw:space": "ip"}},
    {"name": "cfg", "embedding_function": "default"},
    {"name": 7}, ["cfg"], "cfg",
])
def test_no_chroma_configuration_passes_through(client, body):
    assert client.post("/v1/collections", json=body).status_code == 422
    assert [c["name"] for c in client.get("/v1/collections").json()] == ["default"]
