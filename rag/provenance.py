"""Which sources are independent witnesses. A blurb embedded in a page (Article.embedded_in) and its host come
from one file: they never count as agreeing with each other, nor as two sides of a disagreement by themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from rag.types import Article, Disagreement


def independent_sources(source_ids: Iterable[str], articles: dict[str, Article]) -> set[str]:
    """The distinct files behind some sources (a source's own id, or its host's when it is embedded)."""
    return {articles[s].provenance if s in articles else s for s in source_ids}


def between_files(disagreement: Disagreement, articles: dict[str, Article]) -> bool:
    """Does a disagreement have sides from at least two files? One upload cannot disagree with itself."""
    return len(independent_sources((e.source_id for side in disagreement.sides for e in side.evidence),
                                   articles)) >= 2
