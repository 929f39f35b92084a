"""An answer as server-sent events: retrieval, lead, answer (in pieces), citations, conflicts, done.

Retrieval runs before the response starts, so its errors (unknown collection, bad question) are plain 4xx JSON;
the answer is composed and verified in full before its text is sent, so every streamed quote is already checked.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator

from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from rag.errors import RagError
from rag.pipeline import Retrieved
from rag.types import Answer

log = logging.getLogger(__name__)
_PIECE = re.compile(r"[^\n]*\n|[^\n]+")


class EventStream(StreamingResponse):
    """text/event-stream that gives back its capacity slot however it ends: done, failed or disconnected."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[bytes], status_code: int = 200, *,
                 release: Callable[[], None] = lambda: None) -> None:
        super().__init__(content, status_code, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._release = release

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def event(name: str, data: dict) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def retrieval_event(retrieved: Retrieved) -> bytes:
    sources = list(dict.fromkeys(p.chunk.source_id for p in retrieved.passages))
    return event("retrieval", {"question": retrieved.question, "collection": retrieved.collection,
                               "passages": len(retrieved.passages), "sources": sources})


def answer_events(answer: Answer) -> Iterator[bytes]:
    body = answer.to_dict()
    yield event("lead", {"lead": body["lead"]})
    for piece in _PIECE.findall(answer.answer) or [""]:
        yield event("answer", {"text": piece})
    yield event("citations", {"citations": body["citations"]})
    yield event("conflicts", {"conflicts": body["conflicts"]})
    yield event("done", {"abstained": answer.abstained})


async def stream_answer(retrieved: Retrieved, compose: Callable[[Retrieved], Answer]) -> AsyncIterator[bytes]:
    yield retrieval_event(retrieved)
    try:
        answer = await run_in_threadpool(compose, retrieved)
    except RagError as exc:
        yield event("error", {"detail": str(exc)})
        return
    except Exception:
        log.exception("answering %r failed after the stream started", retrieved.question)
        yield event("error", {"detail": "internal error while composing the answer"})
        return
    for chunk in answer_events(answer):
        yield chunk
