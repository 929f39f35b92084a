"""Every metric on small hand-made answers: one that passes, one that fails, and the edge that decides."""

import pytest

from evals import metrics, sides
from evals.metrics import Ratio

TEXTS = {
    "a": "The bridge will close for up to 60 days. The mayor said nothing.",
    "b": "Officials now say at least 60 days. Rides are free of charge.",
    "c": "Council approved the contract in a 6-1 vote.",
}


def cite(n, source_id, start, end, text=None):
    quote = TEXTS[source_id][start:end] if text is None else text
    return {"n": n, "source_id": source_id, "title": "", "outlet": "", "published": "", "url": "",
            "quote": quote, "start": start, "end": end}


A1 = cite(1, "a", 0, 40)     # "The bridge will close for up to 60 days."
B1 = cite(2, "b", 0, 35)     # "Officials now say at least 60 days."
B2 = cite(3, "b", 36, 62)    # "Rides are free of charge."
A2 = cite(4, "a", 41, 65)    # "The mayor said nothing."

DISPUTED = {
    "id": "d", "question": "How long will the bridge close?", "kind": "disputed", "aspect": "duration",
    "positions": [{"claim": "up to 60", "keywords": ["up to 60 days"], "sources": ["a"]},
                  {"claim": "at least 60", "keywords": ["At least 60 days"], "sources": ["b"]}],
    "facts": [], "sources": ["a", "b"]}
UNDISPUTED = {
    "id": "u", "question": "Do ferry rides cost anything?", "kind": "undisputed", "aspect": "other",
    "positions": [], "facts": [{"text": "free", "keywords": ["free of charge"], "sources": ["b"]}], "sources": ["b"]}
UNANSWERABLE = {"id": "x", "question": "Who designed the bridge?", "kind": "unanswerable", "aspect": "other",
                "positions": [], "facts": [], "sources": []}


def answer(text="", citations=(), conflicts=(), abstained=False):
    return {"question": "q", "answer": text, "citations": list(citations), "conflicts": list(conflicts),
            "abstained": abstained}


CONFLICT = {"aspect": "the length of time", "kind": "contradiction", "note": "",
            "positions": [{"claim": "up to 60 days", "citations": [1]},
                          {"claim": "at least 60 days", "citations": [2]}]}
TWO_SIDED = answer("The sources disagree on the length of time: up to 60 days [1]; at least 60 days [2].\n\n"
                   "A: “...” [1]\nB: “...” [2]", [A1, B1], [CONFLICT])


def test_ratio_sums_and_reports_none_when_nothing_was_measured():
    assert Ratio(1, 2) + Ratio(2, 2) == Ratio(3, 4)
    assert Ratio().value is None and Ratio(3, 4).value == 0.75
    assert Ratio(2, 3).to_dict() == {"value": 0.6667, "hits": 2, "total": 3}


# the support test ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("quote, keywords, expected", [
    ("The bridge will close for UP TO  60\ndays.", ["up to 60 days"], True),   # case and whitespace
    ("the council’s vote", ["council's vote"], True),                          # typographic apostrophe
    ("a 6–1 vote", ["6-1 vote"], True),                                         # en dash
    ("at least 60 days", ["up to 60 days"], False),
    ("free of charge", ["", "  "], False),                                      # blank keywords never match
])
def test_supports_is_a_normalised_substring_test(quote, keywords, expected):
    assert metrics.supports(quote, keywords) is expected


def test_on_topic_needs_half_of_the_questions_content_words():
    question = "Why did Trump postpone the signing?"  # content words: trump, postpon, sign
    assert metrics.on_topic("Trump postponed it.", question)                    # 2 of 3
    assert not metrics.on_topic("The signing was set for noon.", question)      # 1 of 3
    assert not metrics.on_topic("anything", "What is it?")                     # no content words


def test_acknowledged_is_structural_two_positions_citing_sources_that_hold_a_side():
    assert metrics.acknowledged(TWO_SIDED, DISPUTED)
    assert not metrics.acknowledged(answer(TWO_SIDED["answer"], [A1, B1]), DISPUTED)       # no conflict reported
    unsaid = answer("A [1]\nB [2]", [A1, B1], [CONFLICT])                 # no template words: still acknowledged
    assert metrics.acknowledged(unsaid, DISPUTED)
    outsider = dict(cite(2, "c", 0, 44))                                  # "c" holds no labelled side
    words_only = answer(TWO_SIDED["answer"], [A1, outsider], [CONFLICT])  # the system's sentence, one real side
    assert not metrics.acknowledged(words_only, DISPUTED)
    assert not metrics.acknowledged(TWO_SIDED, UNDISPUTED)               # no labelled sides at all
    assert not metrics.says_disagree("Two different sources agree.")  # 'different' is not 'differ'


# one metric at a time --------------------------------------------------------------------------------------------

def test_quote_exactness_counts_exact_slices_only():
    assert metrics.quote_exactness(TWO_SIDED, TEXTS) == Ratio(2, 2)
    off_by_one = cite(5, "a", 1, 40, text=TEXTS["a"][0:39])
    unknown = dict(A1, source_id="zzz")
    empty = cite(6, "a", 3, 3)
    bad = answer("x", [A1, off_by_one, unknown, empty])
    assert metrics.quote_exactness(bad, TEXTS) == Ratio(1, 4)
    assert metrics.quote_exactness(answer(abstained=True), TEXTS) == Ratio(0, 0)


def test_citation_precision_counts_supporting_or_on_topic_quotes_and_dangling_markers():
    body = answer("x [1] [2] [4] [9]", [A1, B1, A2])   # [4] is neither supporting nor on topic, [9] dangles
    assert metrics.citation_precision(body, DISPUTED) == Ratio(2, 4)
    assert metrics.citation_precision(body, DISPUTED, strict=True) == Ratio(2, 4)
    topical = answer("x [4]", [dict(A2, quote="The bridge will close soon.")])  # on topic, supports nothing
    assert metrics.citation_precision(topical, DISPUTED) == Ratio(1, 1)
    assert metrics.citation_precision(topical, DISPUTED, strict=True) == Ratio(0, 1)


def test_citation_precision_counts_answered_unanswerables_and_ignores_abstentions():
    assert metrics.citation_precision(answer("x [1]", [A1]), UNANSWERABLE, strict=True) == Ratio(0, 1)
    assert metrics.citation_precision(answer(abstained=True), UNANSWERABLE) == Ratio()
    assert metrics.citation_precision(answer(abstained=True), DISPUTED) == Ratio()


def test_citation_recall_needs_a_supporting_quote_from_a_source_that_holds_the_claim():
    assert metrics.citation_recall(TWO_SIDED, DISPUTED) == Ratio(2, 2)
    one_side = answer("x [1]", [A1])
    assert metrics.citation_recall(one_side, DISPUTED) == Ratio(1, 2)
    wrong_source = answer("x [1]", [dict(B2, source_id="a")])  # the right words, from a source not listed
    assert metrics.citation_recall(wrong_source, UNDISPUTED) == Ratio(0, 1)
    assert metrics.citation_recall(answer(abstained=True), UNDISPUTED) == Ratio(0, 1)
    assert metrics.citation_recall(answer(), UNANSWERABLE) == Ratio()


def test_conflict_recall_needs_every_position_as_a_cited_side_and_the_words():
    assert metrics.conflict_recall(TWO_SIDED, DISPUTED) == Ratio(1, 1)
    unsaid = answer("A [1]\nB [2]", [A1, B1], [CONFLICT])                 # structure, not words, decides
    assert metrics.conflict_recall(unsaid, DISPUTED) == Ratio(1, 1)
    assert metrics.conflict_recall(answer("The sources disagree [1][2]", [A1, B1]), DISPUTED) == Ratio(0, 1)
    one_side_cited = dict(CONFLICT, positions=[{"claim": "up to", "citations": [1]},
                                               {"claim": "other", "citations": [4]}])
    missing = answer(TWO_SIDED["answer"], [A1, B1, A2], [one_side_cited])  # [2] quoted, but not as a side
    assert metrics.conflict_recall(missing, DISPUTED) == Ratio(0, 1)
    lumped = dict(CONFLICT, positions=[{"claim": "both", "citations": [1, 2]}, {"claim": "other", "citations": [4]}])
    merged = answer(TWO_SIDED["answer"], [A1, B1, A2], [lumped])  # both positions on one side: not a disagreement
    assert metrics.conflict_recall(merged, DISPUTED) == Ratio(0, 1)
    assert metrics.conflict_recall(TWO_SIDED, UNDISPUTED) == Ratio()


def test_flattening_is_one_side_or_no_acknowledgement():
    assert metrics.flattened(TWO_SIDED, DISPUTED) == Ratio(0, 1)
    one_side = answer("The sources disagree on it: [1]\n\nA [1]", [A1], [CONFLICT])
    assert metrics.flattened(one_side, DISPUTED) == Ratio(1, 1)
    both_unacknowledged = answer("A [1]\nB [2]", [A1, B1])
    assert metrics.flattened(both_unacknowledged, DISPUTED) == Ratio(1, 1)
    assert metrics.flattened(answer(abstained=True), DISPUTED) == Ratio(1, 1)
    assert metrics.flattened(TWO_SIDED, UNDISPUTED) == Ratio()


def test_false_conflict_is_any_conflict_or_disagreement_words_on_an_undisputed_question():
    plain = answer("Rides are free [3]", [B2])
    assert metrics.false_conflict(plain, UNDISPUTED) == Ratio(0, 1)
    assert metrics.false_conflict(answer("x", [B2], [CONFLICT]), UNDISPUTED) == Ratio(1, 1)
    assert metrics.false_conflict(answer("Sources conflict on the fare [3]", [B2]), UNDISPUTED) == Ratio(1, 1)
    assert metrics.false_conflict(TWO_SIDED, DISPUTED) == Ratio()
    assert metrics.false_conflict(answer("x [1]", [A1], [CONFLICT]), UNANSWERABLE) == Ratio(1, 1)  # answered
    assert metrics.false_conflict(answer(abstained=True), UNANSWERABLE) == Ratio()


def test_retrieval_recall_at_a_smaller_k_counts_only_the_first_sources():
    assert metrics.retrieval_recall(["c", "a", "b"], DISPUTED, 2) == Ratio(1, 2)
    assert metrics.retrieval_recall(["c", "a", "b"], DISPUTED) == Ratio(2, 2)


@pytest.mark.parametrize("question, abstained, expected", [
    (UNANSWERABLE, True, Ratio(1, 1)), (UNANSWERABLE, False, Ratio(0, 1)),
    (UNDISPUTED, False, Ratio(1, 1)), (DISPUTED, True, Ratio(0, 1)),
])
def test_abstention_is_right_when_it_matches_the_kind(question, abstained, expected):
    assert metrics.abstention(answer(abstained=abstained), question) == expected


def test_retrieval_recall_counts_distinct_sources_found():
    assert metrics.retrieval_recall(["a", "a", "c"], DISPUTED) == Ratio(1, 2)
    assert metrics.retrieval_recall(["b", "a"], DISPUTED) == Ratio(2, 2)
    assert metrics.retrieval_recall(["a"], UNANSWERABLE) == Ratio()
    no_list = dict(UNDISPUTED, sources=[])  # falls back to the facts' sources
    assert metrics.retrieval_recall(["b"], no_list) == Ratio(1, 1)


def test_latency_summary_uses_nearest_rank_percentiles():
    summary = metrics.latency([0.4, 0.1, 0.2, 0.3] + [1.0] * 16)
    assert summary == {"n": 20, "mean_s": 0.85, "p50_s": 1.0, "p95_s": 1.0, "max_s": 1.0}
    assert metrics.latency([0.3, 0.1, 0.2])["p50_s"] == 0.2
    assert metrics.latency([])["p95_s"] is None


def test_a_suite_is_the_sum_of_its_questions():
    rows = [metrics.score(TWO_SIDED, DISPUTED, TEXTS, ["a", "b"]),
            metrics.score(answer("x [1]", [A1]), DISPUTED, TEXTS, ["a"]),
            metrics.score(answer(abstained=True), UNANSWERABLE, TEXTS, [])]
    summed = metrics.total(rows)
    assert set(summed) == set(metrics.METRICS)
    assert summed["quote_exactness"] == Ratio(3, 3)
    assert summed["conflict_recall"] == Ratio(1, 2)
    assert summed["flattening_rate"] == Ratio(1, 2)
    assert summed["abstention_accuracy"] == Ratio(3, 3)
    assert summed["retrieval_recall_at_k"] == Ratio(3, 4)
    assert summed["false_conflict_rate"] == Ratio()


# side-level metrics and planted failures ---------------------------------------------------------------------

C1 = cite(5, "c", 0, 44)       # "Council approved the contract in a 6-1 vote."
BOTH = dict(cite(6, "b", 0, 35), quote="Up to 60 days, officials say; others say at least 60 days.")  # two sides


def test_side_precision_counts_positions_that_state_exactly_one_labelled_side():
    assert sides.side_precision(TWO_SIDED, DISPUTED) == Ratio(2, 2)
    bogus = dict(CONFLICT, positions=[*CONFLICT["positions"], {"claim": "6-1", "citations": [5]}])
    planted = answer(TWO_SIDED["answer"], [A1, B1, C1], [bogus])          # a planted bogus side: no labelled side
    assert sides.side_precision(planted, DISPUTED) == Ratio(2, 3)
    several = dict(CONFLICT, positions=[{"claim": "both", "citations": [6]}, {"claim": "up to", "citations": [1]}])
    assert sides.side_precision(answer("x", [A1, BOTH], [several]), DISPUTED) == Ratio(1, 2)
    assert sides.side_precision(answer("x", [A1, B1], [CONFLICT]), UNDISPUTED) == Ratio(0, 2)  # no sides to state
    assert sides.side_precision(answer("x [1]", [A1]), DISPUTED) == Ratio()


def test_false_agreement_sees_different_sides_grouped_as_one():
    assert sides.false_agreement(TWO_SIDED, DISPUTED) == Ratio(0, 1)
    flattened = "Tidewater and Gazette agree: “The bridge will close for up to 60 days.” [1][2]"
    planted = answer(flattened, [A1, B1])                                  # [2] says at least 60 days
    assert sides.false_agreement(planted, DISPUTED) == Ratio(1, 1)
    lumped = dict(CONFLICT, positions=[{"claim": "60 days", "citations": [1, 2]}])
    assert sides.false_agreement(answer("x", [A1, B1], [lumped]), DISPUTED) == Ratio(1, 1)
    same_side = answer("Two agree [1][4]", [A1, dict(A1, n=4)])            # one side twice is agreement
    assert sides.false_agreement(same_side, DISPUTED) == Ratio(0, 1)
    one_holds_both = answer("x [1][6]", [A1, BOTH])                        # shares a side: not disjoint
    assert sides.false_agreement(one_holds_both, DISPUTED) == Ratio(0, 1)
    assert sides.false_agreement(planted, UNDISPUTED) == Ratio()


def test_kind_accuracy_scores_the_labelled_kind_of_a_conflict_on_the_point():
    labelled = dict(DISPUTED, conflict_kind="contradiction")
    assert sides.kind_accuracy(TWO_SIDED, labelled) == Ratio(1, 1)
    later = dict(CONFLICT, kind="later development")
    assert sides.kind_accuracy(answer("x", [A1, B1], [later]), labelled) == Ratio(0, 1)
    off_point = dict(CONFLICT, positions=[{"claim": "6-1", "citations": [5]}, {"claim": "x", "citations": [5]}])
    assert sides.kind_accuracy(answer("x", [C1], [off_point]), labelled) == Ratio(0, 1)
    assert sides.kind_accuracy(answer("x [1]", [A1]), labelled) == Ratio()  # no conflict reported: not scored


def test_own_words_drop_curly_and_straight_quoted_spans():
    text = 'Gazette: “up to 60 days” [1]\nRadio said "at least 60 days" [2]; “left open [3]\n1968 [4].'
    words = sides.own_words(text)
    assert "60 days" not in words and "left open" not in words and "1968 [4]." in words
    assert "[1]" in words and "[2]" in words
    assert sides.own_sentences("1968 [1]. The Gazette: “It opened in 1968.” [2]") == [
        ("1968 [1].", {1}), ("The Gazette:   [2]", {2})]


def test_states_fact_needs_the_fact_in_own_words_with_a_marker_to_a_holder():
    quoted_only = answer("Courier: “Rides are free of charge.” [3]", [B2])
    assert sides.states_fact(quoted_only, UNDISPUTED) == Ratio(0, 1)      # only inside the quote
    stated = answer("Free of charge [3].\n\nCourier: “Rides are free of charge.” [3]", [B2])
    assert sides.states_fact(stated, UNDISPUTED) == Ratio(1, 1)
    uncited = answer("Free of charge.\n\nCourier: “Rides are free of charge.” [3]", [B2])
    assert sides.states_fact(uncited, UNDISPUTED) == Ratio(0, 1)
    wrong_holder = answer("Free of charge [1].", [A1])                      # "a" does not hold the fact
    assert sides.states_fact(wrong_holder, UNDISPUTED) == Ratio(0, 1)
    assert sides.states_fact(answer(abstained=True), UNDISPUTED) == Ratio(0, 1)
    assert sides.states_fact(stated, DISPUTED) == Ratio()


def test_a_planted_misquote_moves_quote_exactness():
    misquote = dict(A1, quote="The bridge will close for up to 90 days.")  # same offsets, words changed
    assert metrics.quote_exactness(answer("x [1] [2]", [misquote, B1]), TEXTS) == Ratio(1, 2)


def test_a_paraphrase_the_detector_misses_moves_the_gap():
    detected = metrics.total([metrics.score(TWO_SIDED, DISPUTED, TEXTS, ["a", "b"])])
    missed = metrics.total([metrics.score(answer("x [1] [2]", [A1, B1]), DISPUTED, TEXTS, ["a", "b"])])
    as_dicts = [{k: r.to_dict() for k, r in d.items()} for d in (detected, missed)]
    gap = metrics.gap(*as_dicts)
    assert gap["conflict_recall"] == 1.0 and gap["flattening_rate"] == -1.0
    assert gap["quote_exactness"] == 0.0 and gap["kind_accuracy"] is None  # the missed answer has no conflict
    assert metrics.gap(as_dicts[0], as_dicts[0])["conflict_recall"] == 0.0
