"""Snapshots of a collection's read state: one read back answers exactly as the store does, a write to the
collection makes the old one unused, a damaged one is rebuilt, and a read during a write is never kept."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.sentence_table import SentenceTable

from tests.conftest import HARBOR, ROOT

QUESTIONS = [json.loads(line)["question"] for line in
             (ROOT / "evals" / "questions" / "harbor.jsonl").read_text().splitlines() if line.strip()]


def _open(store, embedder):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    return Pipeline.from_settings(Settings(store=store), embedder=embedder)


@pytest.fixture(scope="module")
def harbor_store(tmp_path_factory, embedder):
    """A harbor store whose snapshot the first answer wrote, closed (indexed once for the module)."""
    store = tmp_path_factory.mktemp("snapshots") / "store"
    pipeline = _open(store, embedder)
    try:
        pipeline.index(HARBOR)
        pipeline.ask(QUESTIONS[0])
    finally:
        pipeline.close()
    return store


@pytest.fixture
def indexed(harbor_store, tmp_path):
    """A copy of that store for one test to change."""
    return Path(shutil.copytree(harbor_store, tmp_path / "store"))


def _fresh(pipeline):
    """The state read from the store alone, nothing on disk."""
    from rag.collection_state import CollectionStates

    return CollectionStates(pipeline.store).get(pipeline.settings.collection)


def _snapshot(pipeline):
    name = pipeline.settings.collection
    return pipeline._states._place(name, pipeline.store.version(name))


def test_a_snapshot_retrieves_and_answers_as_the_store_does(indexed, embedder):
    pipeline = _open(indexed, embedder)
    try:
        name = pipeline.settings.collection
        loaded = pipeline._states._load(name, pipeline.store.version(name))
        assert loaded is not None
        fresh = _fresh(pipeline)
        assert list(loaded.articles.items()) == list(fresh.articles.items())
        assert list(loaded.lexical.chunks) == fresh.lexical.chunks and loaded.vocabulary == fresh.vocabulary
        assert loaded.terms == fresh.terms and loaded.terms.articles == len(fresh.articles)
        for question in QUESTIONS:
            assert loaded.lexical.search(question, 30) == fresh.lexical.search(question, 30)
        from_snapshot = [pipeline.ask(q).to_dict() for q in QUESTIONS]
    finally:
        pipeline.close()
    shutil.rmtree(indexed / "rag-snapshots")
    rebuilt = _open(indexed, embedder)  # reads its state from the store, as before snapshots existed
    try:
        assert [rebuilt.ask(q).to_dict() for q in QUESTIONS] == from_snapshot
    finally:
        rebuilt.close()


def test_a_write_to_the_collection_retires_the_snapshot(indexed, embedder):
    from rag.types import Article

    pipeline = _open(indexed, embedder)
    try:
        before = _snapshot(pipeline)
        assert before.is_dir()
        late = Article(id="late-notice", title="Late notice",
                       text="Quarrymen from Velloria will resurface the northern ramp of the bridge overnight.")
        pipeline.add_articles([late])
        assert not _snapshot(pipeline).exists()  # a new version: nothing on disk holds it yet
        assert "late-notice" in pipeline.articles()
        hits = pipeline._retriever.lexical_index(pipeline.settings.collection).search("Quarrymen Velloria", 5)
        assert hits and hits[0][0].source_id == "late-notice"
        assert _snapshot(pipeline).is_dir() and not before.exists()
    finally:
        pipeline.close()
    again = _open(indexed, embedder)
    try:
        assert "late-notice" in again.articles() and "quarry" in again._vocabulary(again.settings.collection)
    finally:
        again.close()


def test_answers_read_sentence_vectors_from_the_snapshot_and_the_store_only_for_what_it_lacks(indexed, embedder,
                                                                                            monkeypatch):
    """The snapshot's table holds every stored sentence with the very vector and entities Chroma holds; with
    it, answering reads no sentence from the store, and answers as it does with the store alone."""
    pipeline = _open(indexed, embedder)
    try:
        name = pipeline.settings.collection
        state = pipeline._states.get(name)
        rows = [r for page, _ in pipeline.store.sentence_rows(name) for r in page]
        assert state.sentences is not None and len(state.sentences) == len(rows) > 50  # harbor: 89
        spans = [r[:3] for r in rows]
        table, stored = state.sentences.lookup(spans), pipeline.store.stored_sentences(name, spans)
        assert table.keys() == stored.keys()
        assert all((table[k][0] == stored[k][0]).all() and table[k][1] == stored[k][1] for k in spans)
        from_store = []
        with monkeypatch.context() as m:  # no table: every sentence from the store, as before snapshots held one
            m.setitem(pipeline._states._states, name, dataclasses.replace(state, sentences=None))
            from_store = [pipeline.ask(q).to_dict() for q in QUESTIONS]

        def unread(*args):
            raise AssertionError("a sentence was read from the store although the snapshot's table holds it")

        monkeypatch.setattr(pipeline.store, "stored_sentences", unread)
        assert [pipeline.ask(q).to_dict() for q in QUESTIONS] == from_store
        lacking = SentenceTable(np.zeros((0, 384), dtype=np.float32), [])  # a table without a sentence asked for
        monkeypatch.undo()
        monkeypatch.setitem(pipeline._states._states, name, dataclasses.replace(state, sentences=lacking))
        assert [pipeline.ask(q).to_dict() for q in QUESTIONS] == from_store
    finally:
        pipeline.close()


def test_a_sentence_table_is_kept_only_when_the_read_holds_every_sentence(tmp_path):
    pages = [([("a", 0, 5, "[]"), ("a", 6, 9, '[["PERSON", 6, 9]]')], np.ones((2, 4), dtype=np.float32)),
             ([("b", 0, 3, "[]")], np.full((1, 4), 2.0, dtype=np.float32))]
    assert not SentenceTable.write(tmp_path, 4, iter(pages))  # a sentence written while the pages were read
    assert not SentenceTable.write(tmp_path, 2, iter(pages))
    assert not list(tmp_path.iterdir())  # nothing half-written left behind
    assert SentenceTable.write(tmp_path, 3, iter(pages))
    table = SentenceTable.load(tmp_path)
    found = table.lookup([("a", 6, 9), ("b", 0, 3), ("c", 0, 1)])
    assert set(found) == {("a", 6, 9), ("b", 0, 3)} and found[("a", 6, 9)][1] == (("PERSON", 6, 9),)
    assert (found[("b", 0, 3)][0] == 2.0).all()


@pytest.mark.parametrize("damage", ["chunks.json", "articles.json", "terms.json", "state.json", "bm25/data.csc.index.npy",
                                    "bm25/vocab.index.json", "sentences.json", "sentences.npy"])
def test_a_damaged_snapshot_is_rebuilt_from_the_store(indexed, embedder, damage):
    pipeline = _open(indexed, embedder)
    try:
        place = _snapshot(pipeline)
        file = place / damage
        data = file.read_bytes()
        if damage == "sentences.npy":  # checked by its shape, not a digest: what a crash leaves is a short file
            file.write_bytes(data[: len(data) // 2])
        else:
            file.write_bytes(data[: len(data) // 2] + b"\x00garbage" + data[len(data) // 2 + 8:])
        name = pipeline.settings.collection
        assert pipeline._states._load(name, pipeline.store.version(name)) is None
        state = pipeline._states.get(name)
        fresh = _fresh(pipeline)
        assert state.articles == fresh.articles and list(state.lexical.chunks) == fresh.lexical.chunks
        assert state.lexical.search(QUESTIONS[0], 30) == fresh.lexical.search(QUESTIONS[0], 30)
        assert pipeline._states._load(name, pipeline.store.version(name)) is not None  # written afresh
    finally:
        pipeline.close()


def test_nothing_is_kept_while_a_write_is_under_way(indexed, embedder):
    """A write marks the version before it changes anything; a writer that died midway leaves the mark."""
    pipeline = _open(indexed, embedder)
    try:
        name = pipeline.settings.collection
        pipeline.store._bump(name, writing=True)
        assert not pipeline.store.settled(pipeline.store.version(name))
        assert pipeline.articles() and not _snapshot(pipeline).exists()
    finally:
        pipeline.close()
