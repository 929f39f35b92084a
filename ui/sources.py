"""The source panel: one article's canonical text with exactly the cited span highlighted."""

from __future__ import annotations

from rag.types import Article
from ui.render import esc, link, when

EMPTY = ('<div class="src-head"><div class="src-label">Source</div></div>'
         '<div class="src-empty">Choose a citation to read the quote inside its article.</div>')


def source_html(article: Article, start: int, end: int, n: int | None = None) -> str:
    """Header (title, outlet, published, url) above the escaped text, with a <mark> on text[start:end]."""
    text = article.text
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    title = article.title or "(untitled)"
    meta = " · ".join(esc(x) for x in (article.outlet, when(article.published)) if x)
    url = f'<div class="src-url">{link(article.url)}</div>' if article.url else ""
    tag = f' data-citation="{int(n)}"' if n is not None else ""
    body = (f"{esc(text[:start])}<mark class=\"src-quote\"{tag}>{esc(text[start:end])}</mark>{esc(text[end:])}")
    which = f"Source [{int(n)}]" if n is not None else "Source"
    return (f'<div class="src-head"><div class="src-label">{which}</div><div class="src-title">{esc(title)}</div><div class="src-meta">{meta}</div>{url}'
            f'</div><div class="src-text" tabindex="0">{body}</div>')
