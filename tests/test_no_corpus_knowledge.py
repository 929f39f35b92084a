"""No corpus knowledge in rag/: the names and distinctive phrases of every corpus in the repository are derived
here, automatically, and none of them may appear in rag/'s identifiers, strings or comments.

Derived, not listed: a proper noun is a capitalised word in running text (not the first word of a sentence or a
line) whose lower-case form never occurs in any corpus and that is not an English stop word; rag/ may not write
it capitalised (lower-case 'port' is an English word even where a corpus has a town called Port Something). A
distinctive phrase is a run of two or more capitalised words in a corpus file as stored (a name, a heading, a
link on the page: "Original Article"), or a question file's multi-word keyword; rag/ may not contain it in any
case. English word lists (spaCy's stop words, the calendar, common
abbreviations) are allowed in rag/; nothing a corpus alone says is.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from spacy.lang.en.stop_words import STOP_WORDS

from rag.ingest import load_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "corpus" / "articles", *sorted(p for p in (ROOT / "tests" / "corpora").iterdir() if p.is_dir())]
QUESTIONS = sorted((ROOT / "evals" / "questions").glob("*.jsonl"))
SOURCES = sorted((ROOT / "rag").rglob("*.py"))
# English, not any corpus: calendar names and abbreviations every English reader knows
ENGLISH = set("january february march april may june july august september october november december monday "
              "tuesday wednesday thursday friday saturday sunday ceo cfo cto us uk eu un ai tv pm am pdt est gmt "
              "utc".split())
# English head words of organisation names ("... Institute", "... Center"): the seed uses them only inside names,
# so the derivation sees them as names, but they are ordinary English nouns any organisation may carry.
EXPECTED: dict[str, set[str]] = {
    "rag/values/organisations.py": {"association", "center", "institute", "service"},
}

RUNNING_WORDS = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z’'-]*[A-Za-z]")
_RUN = re.compile(r"(?:[A-Z][\w’'&.-]*[A-Za-z0-9]|[A-Z])(?:[ \t]+(?:[A-Z][\w’'&.-]*[A-Za-z0-9]|[A-Z]))+")
_SENTENCE_GAP = re.compile(r"(?:^|[.!?:;\"“”‘(\[|#*>-]|\n)\s*$")


def _texts() -> list[str]:
    """Every corpus as ingested and as stored (page chrome is dropped at ingest, so read the files too)."""
    texts = []
    for corpus in CORPORA:
        for article in load_corpus(corpus):
            texts += [article.text, article.title, article.outlet]
        for path in sorted(corpus.iterdir()):
            raw = path.read_text(encoding="utf-8")
            texts.append(BeautifulSoup(raw, "html.parser").get_text("\n") if path.suffix in (".html", ".htm") else raw)
    for path in QUESTIONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row["question"])
    return [t for t in texts if t]


def _keywords() -> set[str]:
    found = set()
    for path in QUESTIONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for claim in [*row.get("positions", []), *row.get("facts", [])]:
                found.update(k for k in claim["keywords"] if len(_WORD.findall(k)) >= 2 and _distinctive(k))
    return {_normal(k) for k in found}


def _distinctive(keyword: str) -> bool:
    """A keyword with a figure or a capitalised word is the corpus's own ('up to 90 days', 'Port Alder'); one
    in plain lower-case English ('free of charge', 'pushed back') is English, which rag/ may know."""
    return any(ch.isdigit() for ch in keyword) or any(w[:1].isupper() for w in keyword.split())


def _normal(text: str) -> str:
    """Lower-case words joined by single spaces; identifiers split at underscores and capitals; 'U.S.' -> 'us'."""
    text = re.sub(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b)", "", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", "")))


@lru_cache(maxsize=1)
def corpus_knowledge() -> tuple[frozenset[str], frozenset[str]]:
    """(proper nouns, phrases), lower-cased."""
    texts = _texts()
    lower = {w for t in texts for w in _WORD.findall(t) if w.islower()}
    nouns: set[str] = set()
    phrases: set[str] = set()
    for text in texts:
        for m in _CAPITALISED.finditer(_running(text)):
            word = m.group(0).rstrip("’'s").rstrip("’'") or m.group(0)
            low = word.lower()
            if _SENTENCE_GAP.search(m.string[max(0, m.start() - 3):m.start()]) or m.start() == 0:
                continue  # the first word of a sentence or line is capitalised anyway
            if low in lower or low in STOP_WORDS or low in ENGLISH or len(low) < 3:
                continue
            nouns.add(word)
        for m in _RUN.finditer(text):
            words = [w for w in _normal(m.group(0)).split() if w]
            while words and (words[0] in STOP_WORDS or words[0] in ENGLISH):
                words.pop(0)
            while words and (words[-1] in STOP_WORDS or words[-1] in ENGLISH):
                words.pop()
            if len(words) >= 2:
                phrases.add(" ".join(words))
    return frozenset(nouns), frozenset(phrases | _keywords())


def _running(text: str) -> str:
    """Only the lines of running prose (a heading or a link list capitalises ordinary words)."""
    lines = []
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) >= RUNNING_WORDS and sum(w[0].isupper() for w in words) < len(words) / 2:
            lines.append(line)
    return "\n".join(lines)


def _offences(path: Path) -> set[str]:
    nouns, phrases = corpus_knowledge()
    raw = path.read_text(encoding="utf-8")
    written = set(re.findall(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]", raw))
    source = f" {_normal(raw)} "
    return {n.lower() for n in nouns if n in written} | {p for p in phrases if f" {p} " in source}


def test_the_derived_knowledge_is_not_empty_and_holds_what_it_should():
    """The derivation itself: it finds each corpus's names and page chrome, and leaves English alone."""
    nouns, phrases = corpus_knowledge()
    assert {"Treasury", "Brennan"} <= nouns
    assert {"original article", "view cached full text", "harbor bridge"} <= phrases
    assert not {"Department", "Bridge", "Council", "Monday", "The", "CEO"} & nouns


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rag_source_names_nothing_a_corpus_alone_knows(path):
    name = str(path.relative_to(ROOT))
    found = _offences(path)
    expected = EXPECTED.get(name, set())
    assert found <= expected, f"{name} names corpus knowledge: {sorted(found - expected)}"
