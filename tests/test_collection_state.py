"""Snapshots of a collection's read state: one read back answers exactly as the store does, a write to the
collection makes the old one unused, a damaged one is rebuilt, and a read during a write is never kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("damage", ["chunks.json", "articles.json", "terms.json", "state.json", "bm25/data.csc.index.npy",
                                    "bm25/vocab.index.json"])
def test_a_damaged_snapshot_is_rebuilt_from_the_store(indexed, embedder, damage):
    pipeline = _open(indexed, embedder)
    try:
        place = _snapshot(pipeline)
        file = place / damage
        data = file.read_bytes()
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
