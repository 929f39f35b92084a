"""People and places as answers: entities read once at index time, stored beside each sentence, and the name
nearest the asked word taken as the answer (never a name the question itself holds, never a whole cast)."""

from __future__ import annotations

import pytest

from rag.annotate import entities
from rag.pipeline import Pipeline
from rag.settings import Settings
from rag.types import Article
from rag.values import Context
from rag.values.people import people, places

FILMS = [
    Article(id="a", outlet="Quay Review", published="2024-02-01", title="A harbour drama",
            text="The film Blue Lantern was directed by Maria Lopez and stars Tomas Reyes and Ana Ruiz. "
                 "It was shot over six weeks in Valparaiso during the winter."),
    Article(id="b", outlet="Night Desk", published="2024-02-03", title="Festival notes",
            text="Critics praised Blue Lantern, the drama directed by Maria Lopez, at the festival. "
                 "Its score was written by Peter Holm for a small string ensemble. "
                 "Blue Lantern was filmed in Valparaiso during a cold winter."),
]


def test_entity_offsets_slice_the_sentence_exactly():
    sentence = "The film Blue Lantern was directed by Maria Lopez in Valparaiso."
    (found,) = entities([sentence])
    assert ("PERSON", sentence.index("Maria"), sentence.index(" in ")) in found
    assert all(sentence[s:e].strip() == sentence[s:e] and e > s for _, s, e in found)


def test_a_name_the_question_holds_is_not_an_answer():
    sentence = "Maria Lopez directed Tomas Reyes in the film."
    found = entities([sentence])[0]
    names = [r for r in people(sentence, Context(entities=found, question="Who directed Tomas Reyes?"))]
    assert [sentence[r.start:r.end] for r in names] == ["Maria Lopez"]
    assert places(sentence, Context(entities=found)) == []


@pytest.fixture(scope="module")
def films(tmp_path_factory, embedder):
    pipeline = Pipeline.from_settings(Settings(store=tmp_path_factory.mktemp("films")), embedder=embedder)
    pipeline.add_articles(FILMS)
    yield pipeline
    pipeline.close()


def test_entities_are_stored_with_the_sentences(films):
    spans = [("a", 0, FILMS[0].text.index(" It was") + 1)]
    ((vector, found),) = films.store.stored_sentences("default", [(s, b, e - 1) for s, b, e in spans]).values()
    text = FILMS[0].text[:FILMS[0].text.index(" It was")]
    assert vector.shape[0] > 0 and any(label == "PERSON" and text[s:e] == "Maria Lopez" for label, s, e in found)


def test_who_directed_is_answered_with_the_director_only(films):
    answer = films.ask("Who directed Blue Lantern?")
    assert not answer.abstained
    assert answer.lead.text.startswith("Maria Lopez") or "Maria Lopez" in answer.lead.text
    assert "Tomas Reyes" not in answer.lead.text and "Ana Ruiz" not in answer.lead.text
    assert not answer.conflicts  # two sources naming the same director agree
    texts = {a.id: a.text for a in FILMS}
    for value in answer.lead.values:
        cited = next(c for c in answer.citations if c.n == value.n)
        assert texts[cited.source_id][value.start:value.end] == value.text == "Maria Lopez"


def test_where_is_answered_with_the_place(films):
    answer = films.ask("Where was Blue Lantern filmed?")
    assert [v.text for v in answer.lead.values] == ["Valparaiso"]
