"""Everything the UI shows from documents, metadata, questions and answers passes through here as inert text."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from rag.claims import parse_published

_HASHLIKE = re.compile(r"^[0-9a-f_\-]{8,}$|^\d+_[0-9a-f]{8,}", re.I)
_FIRST_WORDS = 8


def esc(text: object) -> str:
    """HTML-escaped text: markup in a document or answer shows as characters, never as elements."""
    return html.escape(str(text or ""), quote=True)


def safe_url(url: str) -> str | None:
    """The url if it is an http(s) address a link may point to, else None (javascript:, data:, relative...)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in url for c in "\"'<> ") \
        else None


def link(url: str, text: str | None = None) -> str:
    """A link for http(s) urls; anything else is shown as plain text."""
    target = safe_url(url)
    if target is None:
        return esc(text if text is not None else url)
    return f'<a href="{esc(target)}" target="_blank" rel="noopener noreferrer nofollow">{esc(text or target)}</a>'


def first_words(text: str) -> str:
    """The opening words of an article (its first line), for sources with neither outlet nor title."""
    line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
    words = line.split()
    return " ".join(words[:_FIRST_WORDS]) + ("…" if len(words) > _FIRST_WORDS else "")


def label(citation: dict, text: str = "") -> str:
    """A name a reader can use: the engine's label, else outlet, else title, else first words; never a bare file id."""
    for name in (citation.get("label"), citation.get("outlet"), citation.get("title")):
        if name and name.strip() and not _HASHLIKE.match(name.strip()):
            return name.strip()
    return first_words(text) or "untitled article"


def dated(published: str) -> datetime | None:
    return parse_published(published or "")


def when(published: str) -> str:
    """The date as printed, or 'undated'."""
    return (published or "").strip() or "undated"


def explain(exc: BaseException) -> str:
    """A readable message for what went wrong, with the HTTP status the API would have answered and what to fix."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from rag.api import _STATUS  # the status the API answers for each error, so the page says the same
    from rag.errors import RagError

    if isinstance(exc, RequestValidationError):
        issues = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[2:]) or 'document'}: {e.get('msg', '')}"
                           for e in exc.errors())
        return f"422 — fix these fields: {issues}"
    if isinstance(exc, HTTPException):
        return f"{exc.status_code} — {exc.detail}"
    if isinstance(exc, RagError) and _STATUS.get(type(exc), 400) < 500:
        return f"{_STATUS.get(type(exc), 400)} — {exc}"
    return f"500 — internal error ({exc.__class__.__name__})"


def retry_after(exc: BaseException) -> int | None:
    """Seconds to wait when the server is at capacity (a 503 with Retry-After), else None."""
    from starlette.exceptions import HTTPException

    if isinstance(exc, HTTPException) and exc.status_code == 503:
        return int((exc.headers or {}).get("Retry-After", "1"))
    return None
