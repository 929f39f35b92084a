"""How uvicorn is run: the h11 parser (it caps a request head's size; httptools does not), bounded connections
and keep-alive, so a hostile client cannot hold the server with huge headers or idle sockets."""

from __future__ import annotations

from rag.settings import Settings

MAX_HEAD_BYTES = 16 * 1024  # request line + headers; more is refused with 400 before the app sees it
KEEP_ALIVE_SECONDS = 30     # longer than a client's usual pause between requests, so the server rarely closes first


def uvicorn_options(settings: Settings) -> dict:
    """Keyword arguments for uvicorn.run / uvicorn.Config."""
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        # the app's own InFlight limit answers 503 + Retry-After first; this is the backstop for idle sockets
        "limit_concurrency": settings.max_in_flight * 4,
        "backlog": 2048,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": 10,
    }
