"""RAMDocs scoring on hand-made rows and answers: own words, word-bounded gold answers, flags."""

import json

import pytest

from evals import ramdocs
from evals.metrics import Ratio

ROW = {"question": "What is the population of Broken Bow?",
       "documents": [{"text": "As of 2010, there were 3,559 people in the city.", "type": "correct"},
                     {"text": "The town had 10,000 people.", "type": "misinfo"}],
       "gold_answers": ["3,559 people"], "wrong_answers": ["10,000 people"]}
TEXTS = {"doc-1": ROW["documents"][0]["text"], "doc-2": ROW["documents"][1]["text"]}


def cite(n, source_id):
    text = TEXTS[source_id]
    return {"n": n, "source_id": source_id, "quote": text, "start": 0, "end": len(text)}


def answer(text, citations=(), conflicts=(), abstained=False):
    return {"answer": text, "citations": list(citations), "conflicts": list(conflicts), "abstained": abstained}


def test_gold_stated_in_own_words_and_cited_to_a_holder_is_a_strict_match():
    scored = ramdocs.score_row(answer("3,559 People [1].\n\ndoc-1: “As of 2010, ...” [1]", [cite(1, "doc-1")]),
                               ROW, TEXTS)
    assert scored["gold_recall"] == Ratio(1, 1) and scored["strict_match"] == Ratio(1, 1)
    assert scored["misinformation_unflagged"] == Ratio(0, 1) and scored["ambiguity_acknowledged"] == Ratio()


def test_gold_only_inside_a_quote_or_cited_to_a_document_without_it_is_not_stated():
    quoted = answer("doc-1: “there were 3,559 people” [1]", [cite(1, "doc-1")])
    assert ramdocs.score_row(quoted, ROW, TEXTS)["gold_recall"] == Ratio(0, 1)
    assert ramdocs.score_row(quoted, ROW, TEXTS)["gold_in_quotes"] == Ratio(1, 1)
    wrong_doc = answer("3,559 people [2].", [cite(2, "doc-2")])
    assert ramdocs.score_row(wrong_doc, ROW, TEXTS)["gold_recall"] == Ratio(0, 1)
    glued = answer("13,559 people [1].", [cite(1, "doc-1")])             # word-bounded: 13,559 is not 3,559
    assert ramdocs.score_row(glued, ROW, TEXTS)["gold_recall"] == Ratio(0, 1)


def test_a_wrong_answer_in_own_words_is_unflagged_misinformation_unless_a_conflict_is_reported():
    both = "3,559 people [1]; 10,000 people [2]."
    plain = ramdocs.score_row(answer(both, [cite(1, "doc-1"), cite(2, "doc-2")]), ROW, TEXTS)
    assert plain["misinformation_unflagged"] == Ratio(1, 1) and plain["strict_match"] == Ratio(0, 1)
    conflict = {"aspect": "the number", "kind": "contradiction", "positions": []}
    flagged = ramdocs.score_row(answer(both, [cite(1, "doc-1"), cite(2, "doc-2")], [conflict]), ROW, TEXTS)
    assert flagged["misinformation_unflagged"] == Ratio(0, 1)


def test_ambiguity_is_acknowledged_by_a_conflict_or_by_saying_so():
    ambiguous = dict(ROW, gold_answers=["3,559 people", "10,000 people"], wrong_answers=[])
    silent = ramdocs.score_row(answer("3,559 people [1]."), ambiguous, TEXTS)
    assert silent["ambiguity_acknowledged"] == Ratio(0, 1)
    said = ramdocs.score_row(answer("The name is ambiguous: 3,559 people [1]."), ambiguous, TEXTS)
    assert said["ambiguity_acknowledged"] == Ratio(1, 1)
    quoted = ramdocs.score_row(answer("doc-1: “an ambiguous count” [1]"), ambiguous, TEXTS)
    assert quoted["ambiguity_acknowledged"] == Ratio(0, 1)               # the document's words, not the answer's


def test_rows_no_exact_slice_can_answer_are_marked():
    assert ramdocs.exact_sliceable(ROW)
    assert not ramdocs.exact_sliceable(dict(ROW, gold_answers=["3559 residents"]))


def test_the_ci_subset_is_written_down_and_missing_files_fail_in_one_line(tmp_path):
    subset = json.loads(ramdocs.CI_SUBSET.read_text())
    assert subset["lines"] == list(range(1, 361, 9)) and len(subset["lines"]) == 40
    with pytest.raises(ramdocs.RamdocsError, match="RAMDocs file not found"):
        ramdocs.load_rows(tmp_path / "none.jsonl")
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(ROW | {"row": i}) for i in range(12)) + "\n")
    assert [n for n, _ in ramdocs.load_rows(path, subset="ci")] == [1, 10]
    assert [n for n, _ in ramdocs.load_rows(path, rows=3)] == [1, 2, 3]
    with pytest.raises(ramdocs.RamdocsError, match="--rows must be at least 1"):
        ramdocs.load_rows(path, rows=0)


def test_the_committed_split_has_44_rows_no_exact_slice_can_answer():
    rows = ramdocs.load_rows(ramdocs.DEFAULT_FILE)
    assert len(rows) == 369
    assert sum(not ramdocs.exact_sliceable(r) for _, r in rows) == 44
