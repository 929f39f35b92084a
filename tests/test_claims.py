"""Typed values read from single sentences: the vocabulary the conflict finder compares."""

from datetime import datetime

import pytest

from rag import claims
from rag.conflicts import focus


@pytest.mark.parametrize("sentence,key", [
    ("giving the government up to 90 days of early access", "max:0-90"),
    ("for review at least 90 days before their release", "min:90-inf"),
    ("between 14 and 90 days ahead of launch", "range:14-90"),
    ("a 30-day window", "exact:30-30"),
    ("closed for sixty days", "exact:60-60"),
    ("for two weeks", "exact:14-14"),
    ("30 to 45 days", "range:30-45"),
])
def test_durations_normalise_bounds(sentence, key):
    assert [v.key for v in claims.durations(sentence)] == [key]


def test_up_to_differs_from_at_least_and_equal_things_compare_equal():
    assert claims.durations("up to 90 days")[0].key != claims.durations("at least 90 days")[0].key
    assert claims.durations("a 60-day closure")[0].key == claims.durations("for 60 days")[0].key


def test_quantities_skip_years_dates_times_and_scores():
    found = claims.quantities("About 40,000 vehicles a day since 1968; a $21 million deal on March 9 at 10:30 by a 6-1 vote")
    assert [v.key for v in found] == ["40000", "$21000000"]


def test_weekdays_resolve_against_the_articles_own_date():
    [value] = claims.dates("The event, set for Thursday afternoon, was delayed", datetime(2026, 5, 26))
    assert value.key == "2026-05-21"
    [value] = claims.dates("The event, set for Thursday afternoon, was delayed", datetime(2026, 5, 16))
    assert value.key == "2026-05-14"  # a dateline before the event it reports shows up as a different date
    assert claims.dates("on May 21, 2026, hours before", None)[0].key == "2026-05-21"


@pytest.mark.parametrize("sentence,expected", [
    ("Participation would have been voluntary.", ("voluntary", None)),
    ("Companies were not required to participate.", ("voluntary", None)),
    ("No mandatory hold periods.", ("voluntary", None)),
    ("The order would require government evaluation of models.", ("required", None)),
    ("Riders must pay a mandatory fare.", ("required", None)),
    ("Rides will be free of charge.", ("voluntary", None)),
    ("Originally it would have compelled firms to share, but it was later watered down to make it voluntary.",
     ("voluntary", "required")),
    ("It was neither voluntary nor required in any sense anyone could agree on, critics said.", (None, None)),
])
def test_modality_with_negation_and_change(sentence, expected):
    assert claims.modality(sentence) == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Trump postponed signing the order.", {"delayed"}),
    ("The order's status is postponed, not withdrawn.", {"delayed"}),
    ("President Trump signed a scaled-back order.", {"done"}),
    ("It is not clear whether the order will be signed.", set()),
    ("The council approved the contract on Thursday.", {"done"}),
    ("It was killed after a phone call.", {"cancelled"}),
])
def test_statuses_ignore_what_has_not_happened(sentence, expected):
    assert claims.statuses(sentence) == expected


def test_roles_current_and_former():
    assert [(v.key, v.label) for v in claims.roles("Tomas Brennan, the harbor master, said", "Brennan")] == [
        ("current", "harbor master")]
    assert [v.key for v in claims.roles("led by former Trump AI czar David Sacks, who", "Sacks")] == ["former"]
    assert [v.key for v in claims.roles("Trump, AI adviser David Sacks and others", "Sacks")] == ["current"]


def test_organisations_expand_acronyms():
    text = "The National Security Agency (NSA) and the State Transport Department will decide."
    known = claims.acronyms(text)
    assert claims.organisations("with the NSA setting which systems counted", known) == {"NSA"}
    assert claims.organisations(text, known) == {"NSA", "State Transport Department"}


def test_reasons():
    assert claims.reason("The closure is because of corrosion found in the cables.") == "corrosion found in the cables"
    assert claims.reason("The unofficial reason: Not enough CEOs could make it.") == "Not enough CEOs could make it"
    assert claims.reason("The bridge opened in 1968.") is None


@pytest.mark.parametrize("question,aspects", [
    ("How many days before release would companies share their models?", ["duration"]),
    ("Was participation voluntary?", ["modality"]),
    ("Did Trump end up signing the order?", ["status"]),
    ("When did the closure start?", ["date"]),
    ("Why is the city closing the bridge?", ["reason"]),
    ("Who is Tomas Brennan?", ["role"]),
    ("Which agency will run the inspections?", ["organisation"]),
    ("What did Trump say about China when he postponed the order?", []),
    ("What was the objection to the voluntary review framework?", []),
])
def test_focus_reads_what_the_question_asks(question, aspects):
    assert focus(question) == aspects
