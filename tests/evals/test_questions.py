"""Question files: the committed sets load, and every mistake is one line naming the file, line and id."""

import json

import pytest

from evals.metrics import normalise
from evals.questions import QuestionError, check_sources, keyword_warnings, load_questions
from evals.runner import ROOT

GOOD = {"id": "q1", "question": "How long?", "kind": "disputed", "aspect": "duration",
        "positions": [{"claim": "short", "keywords": ["two days"], "sources": ["a"]},
                      {"claim": "long", "keywords": ["two weeks"], "sources": ["b"]}],
        "facts": [], "sources": ["a", "b"]}


def write(tmp_path, *rows):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name, kinds", [("harbor", {"disputed", "undisputed", "unanswerable"}),
                                          ("seed", {"disputed", "undisputed", "unanswerable"})])
def test_committed_question_sets_load(name, kinds):
    questions = load_questions(ROOT / "evals" / "questions" / f"{name}.jsonl")
    assert {q["kind"] for q in questions} == kinds


def test_blank_lines_are_skipped_and_sources_default_to_the_claims(tmp_path):
    questions = load_questions(write(tmp_path, "", GOOD | {"sources": []}, ""))
    assert [q["id"] for q in questions] == ["q1"] and questions[0]["sources"] == ["a", "b"]


@pytest.mark.parametrize("row, message", [
    ("{not json", "set.jsonl:1: not a JSON object"),
    ([1], "set.jsonl:1: not a JSON object"),
    (GOOD | {"id": ""}, "'id' must be a non-empty string"),
    (GOOD | {"kind": "maybe"}, "q1: 'kind' is 'maybe'; use one of disputed, undisputed, unanswerable"),
    (GOOD | {"positions": GOOD["positions"][:1]}, "a disputed question needs at least 2 positions, has 1"),
    (GOOD | {"positions": [GOOD["positions"][0], {"claim": "x", "keywords": [], "sources": ["a"]}]},
     "q1: positions[1]: keywords: is empty"),
    (GOOD | {"positions": [GOOD["positions"][0], {"claim": "x", "keywords": ["y"]}]},
     "q1: positions[1]: sources: must be a list of non-empty strings"),
    (GOOD | {"kind": "undisputed"}, "an undisputed question has no positions"),
    (GOOD | {"kind": "unanswerable", "positions": []}, "an unanswerable question has no positions, facts or sources"),
    (GOOD | {"sources": ["a"]}, "sources ['b'] hold a fact or position but are not in 'sources'"),
])
def test_each_mistake_is_one_line_with_file_line_and_id(tmp_path, row, message):
    with pytest.raises(QuestionError) as error:
        load_questions(write(tmp_path, row))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_duplicate_ids_and_empty_files_are_refused(tmp_path):
    with pytest.raises(QuestionError, match="set.jsonl:2: id 'q1' already used on line 1"):
        load_questions(write(tmp_path, GOOD, GOOD))
    with pytest.raises(QuestionError, match="no questions"):
        load_questions(write(tmp_path, ""))
    with pytest.raises(QuestionError, match="cannot be read"):
        load_questions(tmp_path / "missing.jsonl")


def test_sources_must_be_in_the_corpus_and_dead_keywords_are_reported():
    with pytest.raises(QuestionError, match=r"q1: sources \['b'\] are not in corpus/x; pass the matching --corpus"):
        check_sources([GOOD], {"a"}, "corpus/x")
    texts = {"a": "It took Two  Days.", "b": "Nothing about it."}
    assert keyword_warnings([GOOD], texts, normalise) == [
        "q1: positions[1] keyword 'two weeks' is in none of ['b']"]


@pytest.mark.parametrize("name", ["seed", "harbor"])
def test_paraphrase_sets_reword_every_answerable_question_twice_with_the_originals_labels(name):
    originals = {q["id"]: q for q in load_questions(ROOT / "evals" / "questions" / f"{name}.jsonl")}
    paraphrases = load_questions(ROOT / "evals" / "questions" / f"{name}-paraphrase.jsonl")
    labels = ("kind", "aspect", "positions", "facts", "sources", "conflict_kind")
    for p in paraphrases:
        original = originals[p["paraphrase_of"]]
        assert {k: p[k] for k in labels} == {k: original[k] for k in labels}, p["id"]
        assert p["question"] != original["question"]
    for qid, q in originals.items():
        count = sum(p["paraphrase_of"] == qid for p in paraphrases)
        assert count >= (2 if q["kind"] != "unanswerable" else 0), qid


def test_a_paraphrase_of_an_unknown_id_is_refused(tmp_path):
    write(tmp_path, GOOD)
    (tmp_path / "set-paraphrase.jsonl").write_text(json.dumps(dict(GOOD, id="q1-p1", paraphrase_of="q9")) + "\n")
    with pytest.raises(QuestionError, match=r"q1-p1: paraphrase_of 'q9' is not an id of"):
        load_questions(tmp_path / "set-paraphrase.jsonl")
