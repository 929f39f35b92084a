"""Conflict-aware answers end to end: real corpora, real model, real store. The harbor corpus (a different
topic, written for these tests) shows that nothing in the detector is specific to the seed articles."""

import pytest

from rag.answer import verify


def _quotes_by_position(answer, conflict):
    by_n = {c.n: c for c in answer.citations}
    return [[by_n[n] for n in p.citations] for p in conflict.positions]


def _holds(citations, phrase, source_prefix):
    return any(phrase.lower() in c.quote.lower() and c.source_id.startswith(source_prefix) for c in citations)


def test_seed_days_ahead_of_release_every_side_quoted_and_the_later_signing_marked(seed_pipeline):
    answer = seed_pipeline.ask("How many days before release would companies have shared their models?")
    verify(answer, seed_pipeline.articles())
    assert answer.answer.startswith("The reports disagree: ")
    contradiction = next(c for c in answer.conflicts if c.kind == "contradiction")
    sides = _quotes_by_position(answer, contradiction)
    for phrase, source in [("up to 90 days", "000_"), ("at least 90 days", "001_"), ("between 14 and 90 days", "004_")]:
        assert any(_holds(side, phrase, source) for side in sides), phrase
    later = next(c for c in answer.conflicts if c.kind == "later development")
    last = _quotes_by_position(answer, later)[-1]
    assert _holds(last, "30-day", "004_23f6249daf0a2d12-similar-1")
    assert "later" in later.note


def test_seed_voluntary_or_required(seed_pipeline):
    answer = seed_pipeline.ask("Was participation voluntary or required?")
    conflict = next(c for c in answer.conflicts if c.kind == "contradiction")
    claims = [p.claim for p in conflict.positions]
    assert claims[:2] == ["voluntary", "required"]
    voluntary, required = _quotes_by_position(answer, conflict)[:2]
    assert {c.source_id[:3] for c in voluntary} >= {"000", "003"}
    assert all(c.source_id.startswith("004_") for c in required)
    assert answer.lead.text.startswith("The reports disagree: ") and "voluntary" in answer.lead.text


def test_seed_role_former_or_current(seed_pipeline):
    answer = seed_pipeline.ask("Who is David Sacks?")
    [conflict] = answer.conflicts
    assert any("former" in p.claim for p in conflict.positions)
    assert any("former" not in p.claim for p in conflict.positions)


@pytest.mark.parametrize("question", [
    "What did Trump say about China when he postponed the order?",
    "Where is the Center for AI Standards and Innovation housed?",
    "What role would the Treasury Department have played under the order?",
])
def test_seed_undisputed_points_report_no_conflict(seed_pipeline, question):
    answer = seed_pipeline.ask(question)
    assert not answer.abstained and answer.conflicts == ()
    assert not answer.answer.startswith(("The reports disagree", "The reports give differing"))


@pytest.mark.parametrize("question,kind,phrases", [
    ("How long will the Harbor Bridge be closed?", "contradiction",
     ["up to 60 days", "at least 60 days", "between 30 and 45 days"]),
    ("When does the Harbor Bridge closure start?", "contradiction", ["March 9", "March 16"]),
    ("Do I have to pay to ride the temporary ferry during the closure?", "contradiction",
     ["free of charge", "mandatory fare"]),
    ("Has the city council approved the bridge repair contract yet?", "later development", ["postponed", "approv"]),
    ("Why is Port Alder closing the Harbor Bridge?", "differing accounts", ["corrosion", "budget pressure"]),
    # 'former' appears only in the later-dated report, so this reads as a change over time, not an error
    ("What is Tomas Brennan's job?", "later development", ["the harbor master", "former harbor master"]),
    ("Which agency is in charge of inspecting the bridge during the repairs?", "differing accounts",
     ["City Engineering Office", "State Transport Department"]),
])
def test_harbor_planted_disagreements_are_found(harbor_pipeline, question, kind, phrases):
    answer = harbor_pipeline.ask(question)
    verify(answer, harbor_pipeline.articles())
    conflict = next((c for c in answer.conflicts if c.kind == kind), None)
    assert conflict is not None, [(c.kind, c.aspect) for c in answer.conflicts]
    sides = _quotes_by_position(answer, conflict)
    for phrase in phrases:  # every side is quoted, each in a different position
        assert sum(any(phrase.lower() in c.quote.lower() for c in side) for side in sides) >= 1, phrase
    assert answer.answer.startswith(("The reports disagree: ", "The reports give differing accounts: "))


def test_harbor_later_development_names_the_dates(harbor_pipeline):
    answer = harbor_pipeline.ask("Has the city council approved the bridge repair contract yet?")
    later = next(c for c in answer.conflicts if c.kind == "later development")
    assert "2026" in later.note and "later" in later.note


@pytest.mark.parametrize("question", [
    "How much traffic does the Harbor Bridge normally carry?",
    "What year did the Harbor Bridge open?",
    "What detour should drivers use while the bridge is closed?",
    "How much does the bridge repair contract cost?",
])
def test_harbor_agreement_in_different_words_is_not_a_conflict(harbor_pipeline, question):
    answer = harbor_pipeline.ask(question)
    assert not answer.abstained and answer.conflicts == ()
