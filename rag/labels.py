"""Article -> the name a reader can use for it: outlet, else title, else its first heading or first words."""

from __future__ import annotations

import re

from rag.types import Article

MAX_CHARS = 60
HEADING_WORDS = 12  # a first line this short, without sentence punctuation, is the article's heading
FIRST_WORDS = 6
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?:;,]$")


def label(article: Article) -> str:
    """Never a file id alone: an article with no outlet, title or words is 'an untitled article'."""
    for name in (article.outlet, article.title, _first_heading(article.text)):
        name = _single_line(name)
        if name:
            return _shorten(name)
    words = _single_line(article.text).split()
    if words:
        return _shorten(" ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else ""))
    return "an untitled article"


def _first_heading(text: str) -> str:
    first = text.strip().split("\n", 1)[0].strip() if text.strip() else ""
    if first and len(first.split()) <= HEADING_WORDS and not _SENTENCE_END.search(first):
        return first
    return ""


def _single_line(text: str) -> str:
    return _SPACE.sub(" ", "".join(ch if ch.isprintable() else " " for ch in text or "")).strip()


def _shorten(name: str) -> str:
    """Long titles are cut at a word boundary so that a label stays a label."""
    if len(name) <= MAX_CHARS:
        return name
    cut = name[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return (cut or name[:MAX_CHARS]) + "…"
