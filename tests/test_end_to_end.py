"""From article files to cited answers, on the real seed corpus, the real model and a real Chroma store."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SEED

QUESTIONS = [
    "How many days before release would companies have shared their models?",
    "Was participation in the review voluntary?",
    "Who called Trump on the morning of the planned ceremony?",
    "What did Trump say about China?",
    "Why did Trump postpone the executive order?",
    "Was the executive order eventually signed?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_quotes_are_exact_slices_of_the_cited_source(seed_pipeline, question):
    answer = seed_pipeline.ask(question)
    assert not answer.abstained and answer.citations
    articles = seed_pipeline.articles()
    for c in answer.citations:
        article = articles[c.source_id]
        assert article.text[c.start:c.end] == c.quote  # the cited article says exactly what is quoted
        assert (c.title, c.outlet, c.published, c.url) == (article.title, article.outlet, article.published, article.url)
        assert f"[{c.n}]" in answer.answer


def test_sources_that_disagree_are_all_retrieved(seed_pipeline):
    answer = seed_pipeline.ask(QUESTIONS[0])
    quoted = " ".join(c.quote for c in answer.citations)
    assert "at least 90 days" in quoted and "between 14 and 90 days" in quoted


@pytest.mark.parametrize("question", [
    "What is the capital of France?",
    "Who won the 2026 World Cup final?",
    "How do I bake sourdough bread?",
])
def test_unanswerable_questions_abstain(seed_pipeline, question):
    answer = seed_pipeline.ask(question)
    assert answer.abstained and answer.citations == () and answer.conflicts == ()


def test_cli_ask_json_matches_the_api_shape(tmp_path):
    store = tmp_path / "store"
    env_run = dict(capture_output=True, text=True, cwd=ROOT, timeout=300)
    indexed = subprocess.run([sys.executable, "-m", "rag.cli", "index", str(SEED), "--store", str(store)], **env_run)
    assert indexed.returncode == 0, indexed.stderr
    assert "6 added" in indexed.stdout
    asked = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "--json", "--store", str(store),
                            "Who called Trump on the morning of the planned ceremony?"], **env_run)
    assert asked.returncode == 0, asked.stderr
    body = json.loads(asked.stdout)
    assert set(body) == {"question", "answer", "lead", "citations", "conflicts", "abstained"}
    assert set(body["citations"][0]) == {"n", "source_id", "title", "outlet", "published", "url", "quote", "start", "end", "label"}
    empty = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "--store", str(store), "   "], **env_run)
    assert empty.returncode == 2 and empty.stderr.strip() == "rag: error: question is empty; ask something about the articles"
    # a reader that stops early (`rag ask ... | head -3`) closes the pipe: a quiet exit, not a traceback
    piped = subprocess.Popen([sys.executable, "-m", "rag.cli", "ask", "--store", str(store), "Who called Trump?"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    piped.stdout.close()
    stderr = piped.stderr.read()
    assert piped.wait(timeout=300) == 141 and stderr == "", stderr
