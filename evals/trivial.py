"""The trivial baseline a floor must beat: the single best-matching sentence, quoted exactly, no conflicts."""

from __future__ import annotations


def trivial_answer(retrieved) -> dict:
    """An answer dict (`Answer.to_dict()` shape) quoting `retrieved.evidence[0]`; it abstains only when
    retrieval found no sentence at all."""
    if not retrieved.evidence:
        return {"question": retrieved.question, "answer": "", "citations": [], "conflicts": [], "abstained": True}
    best = retrieved.evidence[0]
    article = retrieved.articles.get(best.source_id)
    label = (article and (article.outlet or article.title)) or best.source_id
    citation = {"n": 1, "source_id": best.source_id, "title": getattr(article, "title", ""),
                "outlet": getattr(article, "outlet", ""), "published": getattr(article, "published", ""),
                "url": getattr(article, "url", ""), "quote": best.text, "start": best.start, "end": best.end}
    return {"question": retrieved.question, "answer": f"{label}: “{best.text}” [1]", "citations": [citation],
            "conflicts": [], "abstained": False}
