"""A deterministic generated corpus: articles whose sentences are recombined from the seed articles.

Same seed and size, same files, byte for byte; each article mostly follows one seed article's topic (so
questions about the seed topics find many near-duplicate, partly disagreeing reports, as in a real feed).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SOURCES = [ROOT / "corpus" / "articles", ROOT / "tests" / "corpora" / "harbor"]
OUTLETS = ["Harbor Notes", "Port Alder Gazette", "The Daily Ledger", "Metro Wire", "Coastal Post", "Tech Brief"]


def seed_sentences() -> list[list[str]]:
    """The seed articles' sentences, one list per article (canonical text, split the way indexing splits it)."""
    from rag.chunking import SentenceSplitter
    from rag.ingest import load_corpus

    splitter = SentenceSplitter()
    found = []
    for folder in SOURCES:
        for article in load_corpus(folder):
            sentences = [article.text[s.start:s.end] for s in splitter.split(article.text)]
            sentences = [s for s in sentences if len(re.findall(r"\w+", s)) >= 4]
            if sentences:
                found.append(sentences)
    return found


def generate(folder: Path, n: int, *, seed: int = 11) -> Path:
    """Write n articles (.txt + .meta.json) into folder, once; a finished folder is reused."""
    done = folder / ".complete"
    if done.exists() and done.read_text() == f"{n}:{seed}":
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    topics = seed_sentences()
    pool = [s for topic in topics for s in topic]
    for i in range(n):
        topic = topics[rng.randrange(len(topics))]
        count = rng.randint(12, 36)
        picked = [rng.choice(topic) if rng.random() < 0.75 else rng.choice(pool) for _ in range(count)]
        paragraphs, at = [], 0
        while at < len(picked):
            size = rng.randint(2, 5)
            paragraphs.append(" ".join(picked[at:at + size]))
            at += size
        title = " ".join(picked[0].split()[:10]).rstrip(".,;:")
        stem = f"gen_{i:05d}"
        (folder / f"{stem}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        day = 1 + rng.randrange(28)
        meta = {"title": title, "outlet": rng.choice(OUTLETS), "published": f"2026-05-{day:02d}", "url": ""}
        (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    done.write_text(f"{n}:{seed}")
    return folder


def texts(folder: Path) -> list[tuple[str, str]]:
    """(file name, text) of a generated corpus, in order: what the baseline loads."""
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
