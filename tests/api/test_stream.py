"""POST /v1/ask/stream: the /v1/ask answer as server-sent events, in order; errors before the stream are JSON."""

import pytest

ORDER = ["retrieval", "lead", "answer", "citations", "conflicts", "done"]


def stream(client, body):
    with client.stream("POST", "/v1/ask/stream", json=body) as response:
        return response, response.read().decode()


def test_events_arrive_in_order_and_add_up_to_the_plain_answer(client, sse):
    question = {"question": "Will the temporary ferry be free?"}
    response, text = stream(client, question)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    got = sse(text)
    names = [name for name, _ in got]
    assert names[:2] == ["retrieval", "lead"] and names[-3:] == ["citations", "conflicts", "done"]
    assert set(names[2:-3]) == {"answer"} and len(names) >= 6
    assert [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]] == ORDER

    plain = client.post("/v1/ask", json=question).json()
    data = dict(got)
    assert data["retrieval"]["question"] == plain["question"] and data["retrieval"]["collection"] == "default"
    assert data["retrieval"]["passages"] >= len(data["retrieval"]["sources"]) > 0
    assert "".join(d["text"] for n, d in got if n == "answer") == plain["answer"]
    assert data["lead"]["lead"] == plain["lead"] and plain["answer"].startswith(plain["lead"]["text"])
    assert data["citations"]["citations"] == plain["citations"]
    assert data["conflicts"]["conflicts"] == plain["conflicts"]
    assert data["done"] == {"abstained": False}


def test_abstention_streams_too(client, sse):
    _, text = stream(client, {"question": "What is the capital of Mongolia?"})
    got = sse(text)
    assert [n for n, _ in got] == ORDER
    assert got[-1][1] == {"abstained": True} and got[3][1] == {"citations": []}
    assert got[1][1]["lead"] == {"text": got[2][1]["text"], "values": []}


@pytest.mark.parametrize("body, status", [
    ({"question": " "}, 422),
    ({"question": "why?", "collection": "nowhere"}, 404),
    ({"question": "why?", "collection": "No/Way"}, 422),
    ({"question": "why?", "top_k": -1}, 422),
])
def test_errors_before_streaming_are_plain_json(client, body, status):
    response = client.post("/v1/ask/stream", json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_a_stream_gives_its_capacity_slot_back(make_client, sse):
    client = make_client(max_concurrent_asks=1)
    for _ in range(3):  # a leaked slot would turn the second stream into a 503
        response, text = stream(client, {"question": "Who will inspect the bridge?"})
        assert response.status_code == 200 and sse(text)[-1][0] == "done"
    assert client.post("/v1/ask", json={"question": "Who will inspect the bridge?"}).status_code == 200
