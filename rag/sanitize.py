"""Metadata is data: one line of plain text, never markup, prompt structure or a script url.

Every metadata field (title, outlet, published, url) passes through here at ingest, whatever it came from
(front matter, `<meta>` tags, sidecars, form fields, JSON), so nothing downstream has to distrust it again.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_FIELD_CHARS = 300  # a headline or an outlet name; anything longer is not metadata
MAX_URL_CHARS = 2000
_HIDDEN_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z!/?][^<>]*>")
_SCHEMES = ("http", "https")
_MARKER = re.compile(r"\[(\d+)\]")  # the answer's citation markers; in metadata they would point at other sources


def clean_field(value: object) -> str:
    """One line of visible text: tags and script bodies dropped, control and format characters (newlines,
    bidi overrides, zero-width) turned into spaces, runs of space collapsed. The prompt's own syntax is taken
    out of reach: a citation marker `[2]` becomes `(2)` and a straight double quote a single one, so a title
    can neither point at another source nor open a quote."""
    text = str(value or "")
    text = _HIDDEN_BLOCK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = "".join(" " if _invisible(ch) else ch for ch in text)
    text = _MARKER.sub(r"(\1)", text).replace('"', "'")
    text = " ".join(text.split())
    return text[:MAX_FIELD_CHARS].strip()


def clean_url(value: object) -> str:
    """An absolute http(s) url with a host, else empty: `javascript:`, `data:`, relative paths are dropped."""
    text = "".join(ch for ch in str(value or "") if not _invisible(ch)).strip()
    if not text or len(text) > MAX_URL_CHARS or any(ch.isspace() for ch in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        return ""
    return text


def clean_metadata(meta: dict[str, str]) -> dict[str, str]:
    """Every field cleaned; `url` kept only when it is http(s)."""
    return {key: clean_url(value) if key == "url" else clean_field(value) for key, value in meta.items()}


def single_line(text: str) -> str:
    """Free text (a question) as one line: the prompt's line structure is the system's, not the sender's."""
    return " ".join("".join(" " if _invisible(ch) else ch for ch in text).split())


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")
