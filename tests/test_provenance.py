"""Which disagreements an answer shows (rag.provenance.shown): real dataclasses, no model needed."""

from rag.provenance import shown
from rag.types import Article, Disagreement, Evidence, Finding, QuestionAnalysis, Side, Value


def _side(source_id: str, start: int, text: str, key: str) -> Side:
    e = Evidence(source_id=source_id, start=start, end=start + len(text), text=text, score=0.8, similarity=0.8)
    return Side(claim=key, evidence=(e,), values=(Value(source_id, start, start + len(text), text, key),))


def _finding(sides, kind="contradiction") -> Finding:
    return Finding(question=QuestionAnalysis(text="Is it shut only on weekends?", answer_type="yes/no"), positions=tuple(sides),
                   disagreements=(Disagreement(aspect="when it applies", kind=kind, sides=tuple(sides)),))


ARTICLES = {i: Article(id=i, text="x" * 200) for i in ("a", "b")}


def test_an_article_contradicting_itself_is_shown_when_it_is_the_only_source():
    within = [_side("a", 0, "on weekends only", "schedule:weekends"), _side("a", 90, "around the clock",
                                                                            "schedule:continuous")]
    assert len(shown(_finding(within), ARTICLES)) == 1
    # beside another source's value it would read as the sources disagreeing
    beside = _finding(within + [_side("b", 0, "around the clock", "schedule:continuous")])
    beside = Finding(question=beside.question, positions=beside.positions, disagreements=(
        Disagreement(aspect="when it applies", kind="contradiction", sides=tuple(within)),))
    assert shown(beside, ARTICLES) == ()
    # one article listing two names or reasons is a list, not a dispute
    assert shown(_finding(within, kind="differing accounts"), ARTICLES) == ()


def test_a_disagreement_between_two_files_is_shown():
    sides = [_side("a", 0, "on weekends only", "schedule:weekends"), _side("b", 0, "around the clock",
                                                                           "schedule:continuous")]
    assert len(shown(_finding(sides), ARTICLES)) == 1


def test_one_articles_two_figures_are_not_shown_as_it_contradicting_itself():
    # a town and its district, or two censuses: one article's two counts are usually of two things
    counts = [_side("a", 0, "14,719", "number:exact:14719-14719"), _side("a", 90, "7,254", "number:exact:7254-7254")]
    assert shown(_finding(counts), ARTICLES) == ()
