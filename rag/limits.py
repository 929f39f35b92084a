"""How much the API takes on at once: request bodies by size, answers and ingests by count.

Past a limit the client hears so at once (413, 503 with Retry-After) instead of waiting for a timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

RETRY_AFTER_SECONDS = 1


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than the limit of {limit} bytes for this endpoint",
                         headers={"Connection": "close"})


class Busy(HTTPException):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(503, f"the server is already {what} ({limit} at once); retry in {RETRY_AFTER_SECONDS} s",
                         headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class BodyLimit:
    """ASGI middleware: a body whose Content-Length is over the limit is refused before any of it is read, and a
    body sent without one (chunked) is cut off as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            error = BodyTooLarge(limit)
            await JSONResponse({"detail": error.detail}, 413, headers=error.headers)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)  # an HTTPException, so the app's handler answers it in JSON
            return message

        await self.app(scope, limited_receive, send)


class Capacity:
    """At most `limit` pieces of work at once; one more is refused at once (Busy) rather than queued."""

    def __init__(self, limit: int, *, what: str) -> None:
        if limit <= 0:
            raise ValueError(f"limit must be > 0, got {limit}")
        self.limit = limit
        self.what = what
        self._slots = threading.BoundedSemaphore(limit)

    def acquire(self) -> Callable[[], None]:
        """Take a slot or raise Busy; returns the function that gives it back (safe to call more than once)."""
        if not self._slots.acquire(blocking=False):
            raise Busy(self.what, self.limit)
        once = threading.Lock()

        def release() -> None:
            if once.acquire(blocking=False):
                self._slots.release()

        return release
