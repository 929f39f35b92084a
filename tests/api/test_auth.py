"""RAG_API_TOKEN: off by default; when set, writes need the bearer token, and reads too with RAG_PROTECT_READS."""

import pytest

from rag.api import create_app
from rag.errors import InvalidInputError
from rag.settings import Settings

TOKEN = "s3cret-token"
GOOD = {"Authorization": f"Bearer {TOKEN}"}
DOCUMENT = {"title": "T", "text": "The ferry is free."}
WRITES = [("post", "/v1/collections/c1/documents", {"json": {"documents": [DOCUMENT]}}),
          ("post", "/v1/collections", {"json": {"name": "c2"}}),
          ("delete", "/v1/collections/c1", {})]
READS = [("post", "/v1/ask", {"json": {"question": "Is the ferry free?"}}),
         ("post", "/v1/ask/stream", {"json": {"question": "Is the ferry free?"}}),
         ("get", "/v1/collections", {}),
         ("get", "/v1/sources", {}),
         ("get", "/v1/sources/04_ferry-fares", {})]
OPEN = ["/healthz", "/readyz", "/openapi.json", "/docs"]


def call(client, method, path, kwargs, headers=None):
    return getattr(client, method)(path, headers=headers or {}, **kwargs)


def test_without_a_token_everything_is_open(client):
    assert client.post("/v1/collections", json={"name": "c1"}).status_code == 201
    for method, path, kwargs in WRITES + READS:
        assert call(client, method, path, kwargs).status_code < 400, path
    assert "securitySchemes" not in client.get("/openapi.json").json().get("components", {})


@pytest.mark.parametrize("method, path, kwargs", WRITES)
def test_writes_need_the_token(make_client, method, path, kwargs):
    client = make_client(api_token=TOKEN)
    assert client.post("/v1/collections", json={"name": "c1"}, headers=GOOD).status_code == 201
    for headers, reason in (({}, "needs"), ({"Authorization": "Bearer wrong"}, "not the server's"),
                            ({"Authorization": f"Basic {TOKEN}"}, "needs"), ({"Authorization": TOKEN}, "needs")):
        response = call(client, method, path, kwargs, headers)
        assert response.status_code == 401, (path, headers)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert reason in response.json()["detail"]
    assert [c["name"] for c in client.get("/v1/collections").json()] == ["c1", "default"]  # nothing changed
    assert call(client, method, path, kwargs, GOOD).status_code in (201, 204)


def test_reads_stay_open_unless_protected(make_client):
    client = make_client(api_token=TOKEN)
    for method, path, kwargs in READS:
        assert call(client, method, path, kwargs).status_code == 200, path


def test_protected_reads_need_the_token_but_probes_and_docs_do_not(make_client):
    client = make_client(api_token=TOKEN, protect_reads=True)
    for method, path, kwargs in READS:
        assert call(client, method, path, kwargs).status_code == 401, path
        assert call(client, method, path, kwargs, GOOD).status_code == 200, path
    for path in OPEN:
        assert client.get(path).status_code == 200, path


def test_the_schema_documents_which_endpoints_need_the_token(make_client):
    schema = make_client(api_token=TOKEN).get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert schema["paths"]["/v1/collections"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "401" in schema["paths"]["/v1/collections"]["post"]["responses"]
    assert "security" not in schema["paths"]["/v1/ask"]["post"]


def test_an_empty_token_is_a_configuration_error():
    with pytest.raises(InvalidInputError, match="RAG_API_TOKEN"):
        create_app(Settings(api_token="  "))
