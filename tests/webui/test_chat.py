"""The ask handler on the real seed pipeline, without a browser: busy waits, empty collections, abstention."""

from __future__ import annotations

from rag.auth import BearerAuth
from rag.limits import Capacity
from rag.pipeline import Retrieved
from ui.chat import REPHRASE, Asker


def texts(outputs) -> list[str]:
    return [out[0][-1]["content"] for out in outputs if isinstance(out[0], list)]


def run(asker: Asker, question: str, collection: str = "default") -> tuple[list[str], dict | None]:
    searched = list(asker.search(question, [], [], collection))
    # like the page's State: a skipped output leaves the value the first step set (None)
    retrieved = next((out[1] for out in reversed(searched) if isinstance(out[1], Retrieved)), None)
    chat = searched[-1][0]
    answered = list(asker.answer(retrieved, chat, [])) if retrieved is not None else []
    state = answered[-1][2] if answered else None
    return texts(searched) + texts(answered), state


def test_a_full_server_makes_the_page_wait_and_say_so_then_answer(seed_pipeline):
    asks = Capacity(1, what="answering")
    held = asks.acquire()
    asker = Asker(lambda: seed_pipeline, asks, BearerAuth(None))
    steps = asker.search("Was participation voluntary or required?", [], [], "default")
    assert next(steps)[0][-1]["content"] == "Searching…"
    assert next(steps)[0][-1]["content"] == "The server is busy, retrying in 1 s…"
    held()
    rest = list(steps)
    assert rest[-1][0][-1]["content"].startswith("Searching ") and isinstance(rest[-1][1], Retrieved)


def test_empty_collection_and_abstention_say_what_to_do(seed_pipeline):
    seed_pipeline.create_collection("ui-empty")
    asker = Asker(lambda: seed_pipeline, Capacity(2, what="answering"), BearerAuth(None))
    shown, state = run(asker, "Is the ferry free?", "ui-empty")
    assert "has no documents yet" in shown[-1] and state is None
    shown, state = run(asker, "What is the recipe for sourdough bread?")
    assert state["answer"]["abstained"] and shown[-1].endswith(REPHRASE)


def test_protected_reads_need_the_token_on_the_page_too(seed_pipeline):
    asker = Asker(lambda: seed_pipeline, Capacity(2, what="answering"), BearerAuth("s3cret", protect_reads=True))
    shown, state = run(asker, "Was participation voluntary or required?")
    assert shown[-1].startswith("The answer failed: 401") and state is None
    ok = list(asker.search("Was participation voluntary or required?", [], [], "default", "s3cret"))
    assert isinstance(ok[-1][1], Retrieved)
