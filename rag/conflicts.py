"""Evidence -> Disagreements: which sources say what, on which point. (Filled in by the conflict issue.)"""

from __future__ import annotations

from rag.types import Article, Disagreement, Evidence


class ConflictFinder:
    def find(self, question: str, evidence: list[Evidence], articles: dict[str, Article]) -> list[Disagreement]:
        return []
