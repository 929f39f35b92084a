"""How much the API takes on at once: request bodies by size and time, headers by count, requests, answers
and ingests by count.

Past a limit the client hears so at once, from the event loop (408, 413, 431, 503 with Retry-After), instead of
waiting for a timeout.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

RETRY_AFTER_SECONDS = 1
MAX_HEADERS = 100  # uvicorn (h11) already caps the head at h11_max_incomplete_event_size bytes


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than the limit of {limit} bytes for this endpoint",
                         headers={"Connection": "close"})


class BodyTooSlow(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"the request body did not arrive within {seconds:g} s; send it at once",
                         headers={"Connection": "close"})


class Busy(HTTPException):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(503, f"the server is already {what} ({limit} at once); retry in {RETRY_AFTER_SECONDS} s",
                         headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class BodyLimit:
    """ASGI middleware: a body whose Content-Length is over the limit is refused before any of it is read, a
    body sent without one (chunked) is cut off as soon as it passes the limit, and a body that has not fully
    arrived `timeout` seconds after the app first asked for it is refused with 408 (a stalled client holds no
    slot for longer than that). More than MAX_HEADERS headers get 431."""

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int], timeout: float = 15.0) -> None:
        self.app = app
        self.limit_for = limit_for
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope["headers"]) > MAX_HEADERS:
            await _refuse(scope, receive, send, 431, f"the request has {len(scope['headers'])} headers; the limit "
                                                     f"is {MAX_HEADERS}")
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            error = BodyTooLarge(limit)
            await JSONResponse({"detail": error.detail}, 413, headers=error.headers)(scope, receive, send)
            return
        received = 0
        complete = False
        deadline: float | None = None

        async def limited_receive() -> Message:
            nonlocal received, complete, deadline
            if complete:  # the body is in; what follows is only the disconnect a streaming response listens for
                return await receive()
            if deadline is None:
                deadline = time.monotonic() + self.timeout
            try:
                message = await asyncio.wait_for(receive(), max(deadline - time.monotonic(), 0.001))
            except TimeoutError:
                complete = True
                raise BodyTooSlow(self.timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    complete = True
                    raise BodyTooLarge(limit)  # an HTTPException, so the app's handler answers it in JSON
            else:
                complete = True
            return message

        await self.app(scope, limited_receive, send)


class InFlight:
    """ASGI middleware: past `limit` requests in progress, one more gets 503 + Retry-After from the event loop
    at once, before any routing, body reading or thread hand-off (health probes are always let through)."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            await _refuse(scope, receive, send, 503, f"the server has {self.limit} requests in progress; retry in "
                                                     f"{RETRY_AFTER_SECONDS} s",
                          headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str, *,
                  headers: dict | None = None) -> None:
    await JSONResponse({"detail": detail}, status, headers=headers)(scope, receive, send)


class Capacity:
    """At most `limit` pieces of work at once; one more is refused at once (Busy) rather than queued."""

    def __init__(self, limit: int, *, what: str) -> None:
        if limit <= 0:
            raise ValueError(f"limit must be > 0, got {limit}")
        self.limit = limit
        self.what = what
        self._lock = threading.Lock()
        self._taken = 0

    @property
    def full(self) -> bool:
        return self._taken >= self.limit

    def acquire(self) -> Callable[[], None]:
        """Take a slot or raise Busy; returns the function that gives it back (safe to call more than once)."""
        with self._lock:
            if self._taken >= self.limit:
                raise Busy(self.what, self.limit)
            self._taken += 1
        once = threading.Lock()

        def release() -> None:
            if once.acquire(blocking=False):
                with self._lock:
                    self._taken -= 1

        return release


class RefuseWhenFull:
    """ASGI middleware: a request for a path whose Capacity is full gets 503 + Retry-After from the event loop
    before routing, body parsing, dependencies or a thread hop (the route still takes the slot itself, after
    its body is read, so a slow body holds none)."""

    def __init__(self, app: ASGIApp, *, capacity_for: Callable[[str], Capacity | None]) -> None:
        self.app = app
        self.capacity_for = capacity_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        capacity = self.capacity_for(scope["path"]) if scope["type"] == "http" else None
        if capacity is not None and capacity.full:
            error = Busy(capacity.what, capacity.limit)
            await _refuse(scope, receive, send, 503, error.detail, headers=error.headers)
            return
        await self.app(scope, receive, send)
