"""Which sources are independent witnesses. A blurb embedded in a page (Article.embedded_in) and its host come
from one file: they never count as agreeing with each other, nor as two sides of a disagreement by themselves.
One article that states two values of one thing contradicts itself: that is shown when the article is the
only source of what is asked, not beside other sources' values, where it would read as the sources disagreeing.
"""

from __future__ import annotations

from collections.abc import Iterable

from rag.types import Article, Disagreement, Finding


def independent_sources(source_ids: Iterable[str], articles: dict[str, Article]) -> set[str]:
    """The distinct files behind some sources (a source's own id, or its host's when it is embedded)."""
    return {articles[s].provenance if s in articles else s for s in source_ids}


EXCLUSIVE = {"schedule", "modality"}  # kinds whose values one thing cannot have at once


def between_files(disagreement: Disagreement, articles: dict[str, Article]) -> bool:
    """Does a disagreement have sides from at least two files? Blurbs of one upload never disagree by themselves."""
    return len(independent_sources((e.source_id for side in disagreement.sides for e in side.evidence),
                                   articles)) >= 2


def shown(finding: Finding, articles: dict[str, Article]) -> tuple[Disagreement, ...]:
    """The disagreements an answer shows: those between files, or one article's with itself when every position
    is that article's and its values exclude each other (weekends only or around the clock, voluntary or
    required). One article's several figures or dates are usually of several things or years (a town and its
    district, two censuses), and its several names or reasons a list: not a dispute. A sentence that states a
    change itself ('originally compelled, later voluntary') is always shown: it is the source's own account."""
    between = tuple(d for d in finding.disagreements if between_files(d, articles) or stated_change(d))
    positions = {v.source_id for side in finding.positions for v in side.values}
    if between or len(positions) != 1:
        return between
    return tuple(d for d in finding.disagreements if d.kind != "differing accounts"
                 and {v.key.split(":")[0] for s in d.sides for v in s.values} <= EXCLUSIVE
                 and {e.source_id for s in d.sides for e in s.evidence} == positions)


def stated_change(d: Disagreement) -> bool:
    """A later development every side of which is one sentence: the source states the change itself."""
    held = {e for side in d.sides for e in side.evidence}
    return d.kind == "later development" and len(held) == 1 and len(d.sides) > 1
