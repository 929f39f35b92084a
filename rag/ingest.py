"""Corpus files -> Articles: canonical text, metadata the page itself shows, and a stable id.

A field the page does not show stays empty; it is never guessed. A sidecar `NAME.meta.json` next to a file
supplies or overrides metadata (the seed corpus uses it to record what each page shows).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter

from rag.canonical import DATELINE, Page, canonical_from_html, canonical_from_text
from rag.errors import IngestError
from rag.names import check_source_id, slug
from rag.sanitize import clean_field, clean_metadata
from rag.types import Article

EXAMPLES_FILE = "examples.txt"  # a corpus's example questions for the web UI, not an article
SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_FIELDS = ("title", "outlet", "published", "url")
_ALIASES = {"site": "outlet", "source": "outlet", "publisher": "outlet", "date": "published", "link": "url"}
_OUTLET_SENTENCE = re.compile(r"^(?P<name>[A-Z][\w.&' -]{1,40}?) is an? [^.]{0,60}\b(?:site|publication|newsletter|outlet|magazine|blog)\b")
_POSTED = re.compile(r"\bPosted: (?P<when>\d{1,2}:\d{2} ?[AP]M(?: [A-Z]{2,4})? · [A-Z][a-z]+ \d{1,2}, \d{4})")
_SOURCE_URL = re.compile(r"\bSource: (?P<url>https?://\S+)")


def load_corpus(directory: Path) -> list[Article]:
    """Every article file in a folder (recursively, in name order)."""
    if not directory.is_dir():
        raise IngestError(f"{directory}: not a folder of articles")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and p.name != EXAMPLES_FILE)
    if not files:
        raise IngestError(f"{directory}: no .txt, .md or .html files found")
    articles: list[Article] = []
    for path in files:
        articles.extend(load_file(path))
    _check_unique(articles)
    return articles


def load_file(path: Path) -> list[Article]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror})") from exc
    sidecar = path.with_name(path.stem + ".meta.json")
    overrides = _read_sidecar(sidecar) if sidecar.exists() else {}
    return parse_document(path.name, raw, overrides=overrides, origin=str(path))


def parse_document(filename: str, raw: bytes | str, *, overrides: dict[str, str] | None = None,
                   origin: str = "", source_id: str | None = None) -> list[Article]:
    """One document -> its Article, plus one Article per embedded blurb of another article."""
    suffix = Path(filename).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise IngestError(f"{filename}: unsupported file type {suffix or '(none)'}; use .txt, .md or .html")
    text = _decode(filename, raw)
    if kind == "html":
        page, meta = canonical_from_html(text)
    elif kind == "markdown":
        try:
            post = frontmatter.loads(text)
        except Exception as exc:  # the YAML parser raises many types
            raise IngestError(f"{filename}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
        page = canonical_from_text(post.content)
        meta = _text_metadata(page) | _normalise(post.metadata)
    else:
        page = canonical_from_text(text)
        meta = _text_metadata(page)
    meta |= {k: v for k, v in (overrides or {}).items() if k in _FIELDS}
    meta = clean_metadata({k: meta.get(k, "") for k in _FIELDS})
    if not page.text.strip():
        raise IngestError(f"{filename}: no article text left after removing markup")
    host_id = check_source_id(source_id or slug(Path(filename).stem))
    host = Article(id=host_id, text=page.text, origin=origin or filename, **meta)
    blurbs = [  # another article's blurb stays its own source, marked as living inside its host
        Article(id=f"{host_id}-similar-{n}", text=e.text, title=clean_field(e.title), outlet=clean_field(e.outlet),
                origin=host.origin, embedded_in=host_id)
        for n, e in enumerate(page.embedded, start=1)
    ]
    return [host, *blurbs]


def _decode(filename: str, raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{filename}: not UTF-8 text (byte {exc.start})") from exc


def _read_sidecar(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IngestError(f"{path}: not a JSON object of metadata ({exc})") from exc
    if not isinstance(data, dict):
        raise IngestError(f"{path}: not a JSON object of metadata")
    return _normalise(data)


def _normalise(data: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        key = _ALIASES.get(str(key).lower(), str(key).lower())
        if key in _FIELDS and value is not None:
            out[key] = str(value).strip()
    return out


def _text_metadata(page: Page) -> dict[str, str]:
    """What a plain-text page shows about itself: headline, dateline, site line, source link."""
    meta: dict[str, str] = {}
    blocks = [b for b in page.text.split("\n\n") if b.strip()]
    if blocks and "\n" not in blocks[0] and len(blocks[0].split()) <= 25 and not blocks[0].rstrip().endswith("."):
        meta["title"] = blocks[0].strip()
    for line in page.chrome:
        match = DATELINE.match(line)
        if match and "published" not in meta:
            meta["published"] = match["date"]
            tail = (match["tail"] or "").strip()
            if tail and not re.fullmatch(r"[a-z0-9-]+", tail):  # 'defense-government' is a section, not a site
                meta["outlet"] = tail
        elif meta.get("title") and line.startswith(meta["title"]) and " · " in line:
            meta.setdefault("outlet", line.rsplit(" · ", 1)[1].strip())
    for pattern, key, group in ((_POSTED, "published", "when"), (_SOURCE_URL, "url", "url")):
        match = pattern.search(page.text)
        if match and key not in meta:
            meta[key] = match[group]
    for block in blocks[-3:]:
        match = _OUTLET_SENTENCE.match(block)
        if match and "outlet" not in meta:
            meta["outlet"] = match["name"].strip()
    return meta


def _check_unique(articles: list[Article]) -> None:
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise IngestError(f"{article.origin}: source id {article.id!r} also used by {seen[article.id]}; rename one file")
        seen[article.id] = article.origin
