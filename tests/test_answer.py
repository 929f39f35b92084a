from dataclasses import replace
from pathlib import Path

import pytest

from rag.answer import AnswerComposer, describe, verify
from rag.errors import QuoteMismatchError
from rag.llm import PROMPT, ExtractiveChatModel, answer_chain
from rag.types import Article, Disagreement, Evidence, Side

SNAPSHOTS = Path(__file__).parent / "snapshots"
A = Article(id="a", text="The bridge closes for up to 60 days. It opened in 1968.", outlet="Gazette")
B = Article(id="b", text="Officials said it closes for at least 60 days.", outlet="Ledger")


def _evidence(article, start, end, score):
    return Evidence(source_id=article.id, start=start, end=end, text=article.text[start:end], score=score,
                    similarity=score)


def test_prompt_snapshot():
    """The prompt any LLM backend sees; a change here should be a deliberate, reviewed change."""
    messages = PROMPT.format_messages(question="How long?", conflicts="- none", quotes='[1] Gazette: "It closes."')
    rendered = "\n---\n".join(f"{m.type}: {m.content}" for m in messages)
    assert rendered == (SNAPSHOTS / "prompt.txt").read_text(encoding="utf-8")


def test_composed_answer_states_the_conflict_first_and_quotes_each_side():
    articles = {"a": A, "b": B}
    up_to, at_least = _evidence(A, 0, 36, 0.9), _evidence(B, 0, 46, 0.8)
    conflict = Disagreement(aspect="the length of time", kind="contradiction",
                            sides=(Side("up to 60 days", (up_to,)), Side("at least 60 days", (at_least,))))
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose("How long?", [up_to, at_least], [conflict], articles)
    assert answer.answer.splitlines()[0] == "The sources disagree on the length of time: up to 60 days [1]; at least 60 days [2]."
    assert "Gazette: “The bridge closes for up to 60 days.” [1]" in answer.answer
    assert "Ledger: “Officials said it closes for at least 60 days.” [2]" in answer.answer
    assert [c.quote for c in answer.citations] == [A.text[0:36], B.text[0:46]]
    assert describe(answer.conflicts[0]).startswith("The sources disagree on")


def test_verify_refuses_a_quote_that_is_not_an_exact_slice():
    articles = {"a": A}
    evidence = _evidence(A, 0, 36, 0.9)
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose("How long?", [evidence], [], articles)
    tampered = replace(answer, citations=(replace(answer.citations[0], quote="The bridge closes for 60 days."),))
    with pytest.raises(QuoteMismatchError):
        verify(tampered, articles)
    shifted = replace(answer, citations=(replace(answer.citations[0], start=1),))
    with pytest.raises(QuoteMismatchError):
        verify(shifted, articles)
