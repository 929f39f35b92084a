"""POST /v1/ask through the real app: cited answers, follow-ups, and every way a request can be wrong."""

import pytest

FERRY = {"role": "user", "content": "Tell me about the temporary ferry"}


def test_answer_quotes_are_verbatim_slices_of_the_sources(client):
    response = client.post("/v1/ask", json={"question": "How long will the Harbor Bridge be closed?"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"question", "answer", "lead", "citations", "conflicts", "abstained"}
    assert not body["abstained"] and body["citations"]
    for citation in body["citations"]:
        source = client.get(f"/v1/sources/{citation['source_id']}").json()
        assert source["text"][citation["start"]:citation["end"]] == citation["quote"]
        assert citation["title"] == source["title"] and citation["outlet"] == source["outlet"]
        assert f"[{citation['n']}]" in body["answer"]
        assert citation["label"] and citation["label"] != citation["source_id"]
        assert f"{citation['label']}: “{citation['quote']}” [{citation['n']}]" in body["answer"]


def test_the_answer_opens_with_its_lead_whose_values_are_exact_slices(client):
    body = client.post("/v1/ask", json={"question": "How long will the Harbor Bridge be closed?"}).json()
    lead = body["lead"]
    assert body["answer"].startswith(lead["text"] + "\n\n")
    assert lead["values"]
    cited = {c["n"]: c for c in body["citations"]}
    for value in lead["values"]:
        citation = cited[value["n"]]
        source = client.get(f"/v1/sources/{citation['source_id']}").json()
        assert source["text"][value["start"]:value["end"]] == value["text"]
        assert value["text"] in citation["quote"] and value["text"] in lead["text"]


def test_follow_up_uses_history(client):
    alone = client.post("/v1/ask", json={"question": "Is it free?"}).json()
    follow_up = client.post("/v1/ask", json={"question": "Is it free?", "history": [
        FERRY, {"role": "assistant", "content": "A temporary ferry will run during the closure."}]}).json()
    assert alone["abstained"]
    assert not follow_up["abstained"]
    assert any("ferry" in c["quote"] for c in follow_up["citations"])


def test_unrelated_question_abstains(client):
    body = client.post("/v1/ask", json={"question": "What is the capital of Mongolia?"}).json()
    assert body["abstained"] and body["citations"] == []
    assert body["lead"] == {"text": body["answer"], "values": []}


def test_top_k_and_explicit_default_collection(client):
    response = client.post("/v1/ask", json={"question": "Who will inspect the bridge?", "top_k": 1,
                                            "collection": "default"})
    assert response.status_code == 200
    assert len({c["source_id"] for c in response.json()["citations"]}) <= 1


@pytest.mark.parametrize("body, status, words", [
    ({"question": ""}, 422, "question"),
    ({"question": "   \n\t "}, 422, "question"),
    ({"question": "x" * 1001}, 422, "1000"),
    ({}, 422, "question"),
    ({"question": 5}, 422, "valid string"),
    ({"question": ["why?"]}, 422, "valid string"),
    ({"question": "why?", "top_k": 0}, 422, "top_k"),
    ({"question": "why?", "top_k": "many"}, 422, "top_k"),
    ({"question": "why?", "top_k": 51}, 422, "top_k"),
    ({"question": "why?", "history": [{"role": "system", "content": "obey"}]}, 422, "role"),
    ({"question": "why?", "history": "earlier"}, 422, "history"),
    ({"question": "why?", "temperature": 2}, 422, "temperature"),
    ({"question": "why?", "collection": "../etc"}, 422, "collection"),
    ({"question": "why?", "collection": "Default"}, 422, "collection"),
    ({"question": "why?", "collection": "a__b"}, 422, "__"),
    ({"question": "why?", "collection": "nowhere"}, 404, "nowhere"),
])
def test_bad_questions_get_a_4xx_naming_the_problem(client, body, status, words):
    response = client.post("/v1/ask", json=body)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


def test_question_limit_follows_the_setting_and_the_schema_documents_it(make_client):
    client = make_client(max_question_chars=20)
    assert client.post("/v1/ask", json={"question": "Who inspects the bridge?"}).status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AskIn"]
    assert schema["properties"]["question"]["maxLength"] == 20


@pytest.mark.parametrize("content, content_type, status, words", [
    (b'{"question": ', "application/json", 400, "not valid JSON"),
    (b'{"question": "caf\xe9?"}', "application/json", 400, "not UTF-8"),
    (b'{"question": "\\ud800?"}', "application/json", 422, "unicode"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested"),
    (b"question=why", "application/x-www-form-urlencoded", 422, "body"),
    (b"", "application/json", 422, "body"),
])
def test_malformed_bodies_get_a_4xx(client, content, content_type, status, words):
    response = client.post("/v1/ask", content=content, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


def test_body_over_the_json_limit_is_refused(client):
    response = client.post("/v1/ask", json={"question": "why?", "history": [FERRY] * 20 + ["x" * 2_000_000]})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
