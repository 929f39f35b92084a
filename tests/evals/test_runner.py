"""evaluate() over a small fake pipeline: what it asks, what it records, and how a refused quote is counted.

The real pipeline is exercised by test_suite.py; this fake only answers from a fixed script, so the runner's
bookkeeping can be checked without a model.
"""

from types import SimpleNamespace

import pytest

from evals.questions import QuestionError, check_question
from evals.runner import ROOT, evaluate, shown
from rag.errors import QuoteMismatchError
from rag.types import Answer, Article, Citation

TEXT = "The ferry is free of charge. The bridge opened in 1968."
ARTICLE = Article(id="a", text=TEXT, outlet="Gazette")


def citation(n, start, end):
    return Citation(n=n, source_id="a", title="", outlet="Gazette", published="", url="", quote=TEXT[start:end],
                    start=start, end=end)


class ScriptedPipeline:
    """Answers each question with a fixed Answer (or raises), and 'retrieves' the sources it is told."""

    settings = SimpleNamespace(top_k=3, llm="extractive", max_quotes=6, min_relevance=0.35)
    embedder = SimpleNamespace(name="fake")

    def __init__(self, script):
        self.script = script
        self.asked = []

    def articles(self, collection=None):
        return {"a": ARTICLE}

    def ask(self, question, collection=None):
        self.asked.append(question)
        return Answer(question=question, answer="", abstained=True)

    def retrieve(self, question, collection=None):
        self.asked.append(question)
        chunks = [SimpleNamespace(chunk=SimpleNamespace(source_id="a"))] * 2
        return SimpleNamespace(question=question, passages=chunks, evidence=[], articles={"a": ARTICLE})

    def answer(self, found):
        outcome = self.script[found.question]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


FREE = check_question({"id": "u1", "question": "Is the ferry free?", "kind": "undisputed",
                       "facts": [{"text": "free", "keywords": ["free of charge"], "sources": ["a"]}]})
OPENED = check_question({"id": "u2", "question": "When did the bridge open?", "kind": "undisputed",
                         "facts": [{"text": "1968", "keywords": ["opened in 1965"], "sources": ["a"]}]})
DESIGNER = check_question({"id": "x1", "question": "Who designed the bridge?", "kind": "unanswerable"})


def test_evaluate_scores_each_question_and_breaks_down_by_kind():
    pipeline = ScriptedPipeline({
        FREE["question"]: Answer(question="", answer="Gazette: “...” [1]", citations=(citation(1, 0, 28),)),
        OPENED["question"]: Answer(question="", answer="Gazette: “...” [1]", citations=(citation(1, 29, 55),)),
        DESIGNER["question"]: Answer(question="", answer="The articles do not answer this question.", abstained=True),
    })
    result = evaluate(pipeline, [FREE, OPENED, DESIGNER], suite="toy", corpus="toy/")
    assert pipeline.asked[0] not in {FREE["question"], OPENED["question"], DESIGNER["question"]}  # the warm-up
    assert result["metrics"]["quote_exactness"] == {"value": 1.0, "hits": 2, "total": 2}
    assert result["metrics"]["citation_recall"] == {"value": 0.5, "hits": 1, "total": 2}  # 1965 is not in the text
    assert result["metrics"]["abstention_accuracy"]["value"] == 1.0
    assert result["metrics"]["conflict_recall"]["value"] is None  # no disputed question: nothing measured
    assert set(result["by_kind"]) == {"undisputed", "unanswerable"}
    assert result["warnings"] == ["u2: facts[0] keyword 'opened in 1965' is in none of ['a']"]
    assert [r["id"] for r in result["per_question"]] == ["u1", "u2", "x1"]
    assert result["per_question"][0]["cited"] == {"free": [1]}
    assert result["latency"]["n"] == 3 and result["latency"]["warm_up_s"] >= 0


def test_a_refused_quote_fails_quote_exactness_instead_of_stopping_the_run():
    pipeline = ScriptedPipeline({FREE["question"]: QuoteMismatchError("citation [1] is not an exact slice of a[0:5]")})
    result = evaluate(pipeline, [FREE], suite="toy")
    assert result["metrics"]["quote_exactness"] == {"value": 0.0, "hits": 0, "total": 1}
    assert result["per_question"][0]["error"].startswith("citation [1] is not an exact slice")


def test_a_question_naming_a_source_outside_the_corpus_stops_the_run():
    stray = check_question({"id": "s1", "question": "Q?", "kind": "undisputed",
                            "facts": [{"text": "t", "keywords": ["k"], "sources": ["b"]}]})
    with pytest.raises(QuestionError, match=r"s1: sources \['b'\] are not in toy/"):
        evaluate(ScriptedPipeline({}), [stray], suite="toy", corpus="toy/")


def test_paths_inside_the_repository_are_shown_relative_so_baselines_travel(tmp_path):
    assert shown(ROOT / "corpus" / "articles") == "corpus/articles"
    assert shown(tmp_path) == str(tmp_path)
