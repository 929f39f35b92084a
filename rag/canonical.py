"""Page markup -> canonical text: markup and page chrome removed, the article's words left exactly as written.

Every offset in the system refers to the text this module returns, so it must be deterministic. Removing a
piece of markup that stood between two words leaves a space, so that the words are not glued together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

# (pattern, replacement, is a boundary): markup that stood between words leaves a boundary behind it
_INLINE_MARKUP: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r'\([a-z][a-z0-9]*(?: [a-z][a-z-]*="[^"]*")+>'), "", True),  # a tag whose '<' was saved as '('
    (re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>"), "", True),             # a markup tag left in the text
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), "", True),                 # markdown image
    (re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*\)"), r"\1", True),  # markdown link -> its text
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>\"'$])"), r"\1", False),  # backslash escape -> the character
    (re.compile(r"\*\*|__"), "", False),                               # bold markers
)
_INLINE_HEADING = re.compile(r"(?:^|\s)#{1,6}\s+")              # '# Title' or '... ## Related' mid-line
_BLOCK_SPLIT = re.compile(r"\n\s*\n")

# Page chrome: whole lines that belong to the site, not the article.
_CHROME_LINE = re.compile(
    r"^(?:newsletters?\b.{0,120}|related(?: (?:articles|stories|posts))?|latest in .{1,60}|subscribe\b.{0,120}|"
    r"sign up\b.{0,120}|share this.{0,40}|advertisement|read more)$",
    re.IGNORECASE,
)
_REFERENCE_HEADING = re.compile(r"^(?:sources|references|further reading|bibliography)$", re.IGNORECASE)
_REFERENCE_ITEM = re.compile(r"^\d{1,3}\.\s*\[\d{1,3}\]$")  # '1. [1]': a numbered list of link references
LINK_WORDS = 5  # a line this short, every word capitalised, inside a block of prose: a link or a button
_EMBED_HEADING = re.compile(r"^(?:similar|related|recommended|more) (?:articles|stories|reading)$", re.IGNORECASE)
DATELINE = re.compile(
    r"^(?P<date>(?:\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][a-z]+\.? \d{1,2}, \d{4})(?:,? \d{1,2}:\d{2}(?::\d{2})? ?[AP]M)?)"
    r"(?: · (?P<tail>.{1,60}))?$"
)
_STAMP = re.compile(r"^[A-Z][A-Za-z ]{0,30}: (?P<date>.+)$")  # 'Updated: 5/21/26, 6:12 PM' (a label and a time)
_SENTENCE_END = re.compile(r"[.!?:;,\"”’)]$")
_WORD_EDGE = re.compile(r"(?<=\w)\x00+(?=\w)")


@dataclass(frozen=True)
class Embedded:
    """Another article's blurb found inside a page (under a heading such as 'More stories')."""

    title: str
    outlet: str
    text: str


@dataclass(frozen=True)
class Page:
    """A page reduced to its canonical text, with the chrome lines kept aside for metadata."""

    text: str
    chrome: tuple[str, ...]
    embedded: tuple[Embedded, ...]


def strip_inline_markup(line: str) -> str:
    """Remove citation tags, escapes, links and images from one line; never drop or alter a word."""
    for pattern, replacement, boundary in _INLINE_MARKUP:
        # a NUL marks where markup stood; it becomes a space only between two word characters
        edge = "\x00" if boundary else ""
        line = pattern.sub(lambda m, r=replacement, e=edge: f"{e}{m.expand(r)}{e}", line)
    line = _WORD_EDGE.sub(" ", line).replace("\x00", "")
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def canonical_from_text(raw: str) -> Page:
    """Plain text or markdown body -> Page."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for raw_line in raw.split("\n"):
        for part in _INLINE_HEADING.split(raw_line):
            lines.extend([part, ""] if part != raw_line else [part])  # a heading starts and ends a block
    return _assemble([strip_inline_markup(line) for line in lines])


def canonical_from_html(raw: str) -> tuple[Page, dict[str, str]]:
    """HTML page -> Page plus the metadata its head declares."""
    soup = BeautifulSoup(raw, "html.parser")
    meta = _html_metadata(soup)
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "button"]):
        tag.decompose()
    for tag in soup.find_all(attrs={"class": _BOILERPLATE_CLASS}):
        tag.decompose()
    for tag in soup.find_all(attrs={"id": _BOILERPLATE_CLASS}):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[str] = []
    for block in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption"]):
        if block.find_parent(["p", "li", "blockquote"]):
            continue  # its text is part of the enclosing block
        lines.extend([strip_inline_markup(block.get_text(" ", strip=True)), ""])
    return _assemble(lines), meta


_BOILERPLATE_CLASS = re.compile(r"newsletter|related|subscribe|share|promo|advert|cookie|comments?\b", re.I)


def _html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    def meta(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content", "").strip():
                return tag["content"].strip()
        return ""

    h1 = soup.find("h1")
    title = meta("og:title") or (h1.get_text(" ", strip=True) if h1 else "") or (
        soup.title.get_text(" ", strip=True) if soup.title else "")
    canonical = soup.find("link", attrs={"rel": "canonical"})
    time_tag = soup.find("time")
    return {
        "title": title,
        "outlet": meta("og:site_name", "application-name", "publisher"),
        "published": meta("article:published_time", "date", "pubdate")
        or (time_tag.get("datetime", "") or time_tag.get_text(strip=True) if time_tag else ""),
        "url": (canonical.get("href", "") if canonical else "") or meta("og:url"),
    }


def _assemble(lines: list[str]) -> Page:
    """Lines -> blocks; drop chrome and reference lists, split off embedded blurbs, join what remains."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    kept: list[str] = []
    chrome: list[str] = []
    embedded: list[Embedded] = []
    flat = [line for block in blocks for line in (block + [""])]
    i = 0
    link = False  # the line before was link text
    while i < len(flat):
        line = flat[i]
        after_link, link = link, False
        if _EMBED_HEADING.match(line):
            found, i = _read_embedded(flat, i + 1)
            if found:
                embedded.extend(found)
                continue
            chrome.append(line)
        elif _REFERENCE_HEADING.match(line) or _REFERENCE_ITEM.match(line):
            headings: list[str] = []
            while kept and (not kept[-1] or _heading_like(kept[-1])):  # its headings belong to it
                headings.insert(0, kept.pop())
            chrome.extend(h for h in headings if h)
            chrome.extend(_rest(flat, i))  # a reference list runs to the end of the page
            break
        elif _CHROME_LINE.match(line) or DATELINE.match(line) or _is_stamp(line):
            chrome.append(line)
        elif _is_link(line) and i > 0 and flat[i - 1] and (after_link or not _heading_like(flat[i - 1])):
            chrome.append(line)
            link = True
        else:
            kept.append(line)
        i += 1
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return Page(text=text, chrome=tuple(chrome), embedded=tuple(embedded))


def _heading_like(line: str) -> bool:
    """Short and without sentence punctuation: a heading, not prose."""
    return len(line.split()) <= 12 and not _SENTENCE_END.search(line)


def _is_link(line: str) -> bool:
    """Every word capitalised, a few words, no punctuation: link or button text (a heading starts a block; this
    line follows prose or another link in the same block)."""
    words = line.split()
    return 0 < len(words) <= LINK_WORDS and all(w[:1].isupper() for w in words) and _heading_like(line)


def _is_stamp(line: str) -> bool:
    m = _STAMP.match(line)
    return bool(m and DATELINE.match(m["date"]))


def _rest(flat: list[str], i: int) -> list[str]:
    return [line for line in flat[i:] if line]


def _read_embedded(flat: list[str], i: int) -> tuple[list[Embedded], int]:
    """Read [title, outlet?, summary] groups after a heading of recommended articles."""
    paragraphs = [line for line in flat[i:] if line]
    found: list[Embedded] = []
    while len(paragraphs) >= 2:
        title, rest = paragraphs[0], paragraphs[1:]
        outlet = ""
        if len(rest) >= 2 and len(rest[0].split()) <= 5 and not rest[0].endswith("."):
            outlet, rest = rest[0], rest[1:]
        summary = rest[0]
        if len(summary.split()) < 8:
            break
        found.append(Embedded(title=title, outlet=outlet, text=f"{title}\n\n{summary}"))
        paragraphs = rest[1:]
    return found, len(flat) if found else i


def split_blocks(text: str) -> list[str]:
    return [b for b in _BLOCK_SPLIT.split(text) if b.strip()]
