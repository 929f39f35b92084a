"""Asking from the page: progress after retrieval, then the answer, its citations and its disagreements."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import gradio as gr
from fastapi.security import HTTPAuthorizationCredentials

from rag.auth import BearerAuth
from rag.limits import Capacity
from rag.pipeline import Pipeline
from ui.disagreements import disagreements_html
from ui.render import esc, explain, label, retry_after, when
from ui.sources import EMPTY

MAX_TURNS = 20  # the API's history limit
MAX_TURN_CHARS = 4000
MAX_WAIT_SECONDS = 60
REPHRASE = ("The articles in this collection do not answer this question. Try rephrasing it with words the "
            "articles use, or ask about something they report.")


def credentials(token: str | None) -> HTTPAuthorizationCredentials | None:
    """What a bearer header would carry: the same object rag.auth checks for the API."""
    return HTTPAuthorizationCredentials(scheme="Bearer", credentials=token.strip()) if token and token.strip() else None


def bubble(role: str, text: str) -> dict:
    """A chat message whose text stays text (the Chatbot renders neither markdown nor HTML from it)."""
    return {"role": role, "content": esc(text)}


def citation_choices(answer: dict, texts: dict[str, str]) -> list[tuple[str, int]]:
    """'[n] label · date — “quote”' for every citation, valued by n (a Radio: mouse and keyboard both choose)."""
    return [(f"[{c['n']}] {label(c, texts.get(c['source_id'], ''))} · {when(c.get('published', ''))} — “{c['quote']}”",
             c["n"]) for c in answer.get("citations", [])]


def try_acquire(capacity: Capacity, deadline: float) -> Callable[[], None] | int:
    """A capacity slot's release function, or the seconds to wait (Retry-After) when it is full; raises once
    waiting would pass the deadline."""
    try:
        return capacity.acquire()
    except Exception as exc:
        seconds = retry_after(exc)
        if seconds is None or time.monotonic() + seconds > deadline:
            raise
        return seconds


class Asker:
    """The ask handler: shares the API's answer capacity, so the page and /v1/ask are limited together."""

    def __init__(self, pipeline: Callable[[], Pipeline], asks: Capacity, auth: BearerAuth) -> None:
        self._pipeline = pipeline
        self._asks = asks
        self._auth = auth

    def search(self, question: str, chat: list, turns: list, collection: str, token: str = "") -> Iterator[tuple]:
        """First event of a question: retrieval, then its progress shown (a separate event, so it is always drawn
        before the answer). Yields (chat, pending retrieval, citations, disagreements, source, question box)."""
        question = (question or "").strip()
        if not question:
            yield (gr.skip(), None, *(gr.skip(),) * 4)
            return
        chat = [*chat, bubble("user", question), bubble("assistant", "Searching…")]
        yield (chat, None, gr.Radio(choices=[], value=None, visible=False), "", EMPTY, "")
        pipeline = self._pipeline()
        try:
            if self._auth.protects_reads:
                self._auth.check(credentials(token))
            release = yield from self._slot(chat, 6)
            try:
                if not pipeline.articles(collection):
                    chat[-1] = bubble("assistant", f"The collection “{collection}” has no documents yet. Add "
                                                   "documents under “Collections and documents”, then ask again.")
                    yield (chat, *(gr.skip(),) * 5)
                    return
                history = [{"role": t["role"], "content": t["content"][:MAX_TURN_CHARS]} for t in turns[-MAX_TURNS:]]
                retrieved = pipeline.retrieve(question, collection=collection, history=history)
            finally:
                release()
        except Exception as exc:  # every failure is a failed answer the reader can act on, never a traceback
            chat[-1] = bubble("assistant", f"The answer failed: {explain(exc)}")
            yield (chat, *(gr.skip(),) * 5)
            return
        sources = len(dict.fromkeys(p.chunk.source_id for p in retrieved.passages))
        chat[-1] = bubble("assistant", f"Searching {sources} article{'s' * (sources != 1)}…")
        yield (chat, retrieved, *(gr.skip(),) * 4)

    def answer(self, retrieved, chat: list, turns: list) -> Iterator[tuple]:
        """Second event: the answer for what search() retrieved. Yields (chat, turns, answer state, citations,
        disagreements)."""
        if retrieved is None:
            yield (gr.skip(),) * 5
            return
        try:
            release = yield from self._slot(chat, 5)
            try:
                answer = self._pipeline().answer(retrieved).to_dict()
            finally:
                release()
        except Exception as exc:
            chat[-1] = bubble("assistant", f"The answer failed: {explain(exc)}")
            yield (chat, *(gr.skip(),) * 4)
            return
        text = answer["answer"] + (f"\n\n{REPHRASE}" if answer.get("abstained") else "")
        chat[-1] = bubble("assistant", text)
        turns = [*turns, {"role": "user", "content": retrieved.question},
                 {"role": "assistant", "content": answer["answer"]}]
        texts = {sid: a.text for sid, a in retrieved.articles.items()}
        state = {"collection": retrieved.collection, "answer": answer}
        choices = citation_choices(answer, texts)
        yield (chat, turns[-MAX_TURNS:], state,
               gr.Radio(choices=choices, value=None, visible=bool(choices), label=f"Citations ({len(choices)})"),
               disagreements_html(answer.get("conflicts", []), answer.get("citations", []), texts))

    def _slot(self, chat: list, width: int):
        """A capacity slot (returns its release function); while the server is busy, yields the chat saying so."""
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while isinstance(release := try_acquire(self._asks, deadline), int):
            chat[-1] = bubble("assistant", f"The server is busy, retrying in {release} s…")
            yield (list(chat), *(gr.skip(),) * (width - 1))
            time.sleep(release)
        return release
