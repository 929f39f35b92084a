"""Example questions: an optional examples.txt beside a corpus, else questions made from article titles."""

from __future__ import annotations

from pathlib import Path

from rag.types import Article

from rag.ingest import EXAMPLES_FILE
MAX_EXAMPLES = 6


def read_examples(corpus_dir: Path | None) -> list[str]:
    """One question a line; blank lines and lines starting with '#' are skipped."""
    if corpus_dir is None or not (Path(corpus_dir) / EXAMPLES_FILE).is_file():
        return []
    lines = (Path(corpus_dir) / EXAMPLES_FILE).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][:MAX_EXAMPLES]


def from_titles(articles: dict[str, Article]) -> list[str]:
    titles = list(dict.fromkeys(a.title.strip() for a in articles.values() if a.title.strip()))
    return [f"What do the articles say about “{t}”?" for t in titles[:MAX_EXAMPLES]]
