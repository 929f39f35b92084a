import shutil
import subprocess
import sys

import pytest

from rag.errors import StoreLockedError
from rag.pipeline import Pipeline
from rag.settings import Settings
from rag.store import ChunkStore

from conftest import ROOT, SEED


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEED, folder)
    return folder


@pytest.fixture
def pipeline(tmp_path, embedder):
    p = Pipeline.from_settings(Settings(store=tmp_path / "store"), embedder=embedder)
    yield p
    p.close()


def _chunk_ids(pipeline):
    return sorted(c.id for c in pipeline.store.chunks("default"))


def test_reindexing_is_idempotent(pipeline, corpus):
    first = pipeline.index(corpus)
    ids = _chunk_ids(pipeline)
    second = pipeline.index(corpus)
    assert (first.added, first.unchanged) == (6, 0)
    assert (second.added, second.updated, second.unchanged, second.removed, second.chunks) == (0, 0, 6, 0, 0)
    assert _chunk_ids(pipeline) == ids


def test_changed_article_is_replaced_without_orphans_and_removed_one_deleted(pipeline, corpus):
    pipeline.index(corpus)
    target = corpus / "001_c068f9ac6d9436cc.txt"
    target.write_text("Postponement\nThe order was delayed again on Friday. Nobody explained why.\n", encoding="utf-8")
    (corpus / "002_46cfc4121749d090.txt").unlink()
    report = pipeline.index(corpus)
    assert (report.updated, report.removed, report.unchanged) == (1, 1, 4)  # 000, 003, 004 and its blurb
    chunks = pipeline.store.chunks("default")
    assert {c.source_id for c in chunks} == {a.id for a in pipeline.articles().values()}
    assert "002_46cfc4121749d090" not in pipeline.articles()
    mine = [c for c in chunks if c.source_id == "001_c068f9ac6d9436cc"]
    assert len(mine) == 1 and "delayed again" in mine[0].text  # the old chunks are gone


def test_a_failed_index_leaves_the_store_as_it_was(pipeline, corpus):
    pipeline.index(corpus)
    before = _chunk_ids(pipeline)
    (corpus / "zzz_bad.txt").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(Exception, match="not UTF-8"):
        pipeline.index(corpus)
    assert _chunk_ids(pipeline) == before


def test_store_lock_refuses_a_second_process(tmp_path):
    store = ChunkStore.open_local(tmp_path / "locked")
    try:
        code = ("from pathlib import Path; from rag.store import ChunkStore\n"
                f"ChunkStore.open_local(Path({str(tmp_path / 'locked')!r}))")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert result.returncode != 0 and "StoreLockedError" in result.stderr and "in use by another process" in result.stderr
        cli = subprocess.run([sys.executable, "-m", "rag.cli", "index", str(SEED), "--store", str(tmp_path / "locked")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert cli.returncode == 2
        assert cli.stderr.strip().startswith("rag: error: store") and "Traceback" not in cli.stderr
    finally:
        store.close()
    ChunkStore.open_local(tmp_path / "locked").close()  # released on close


def test_collections_are_isolated(pipeline, corpus, tmp_path):
    pipeline.index(corpus)
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("The harbor bridge closes for sixty days of repairs.", encoding="utf-8")
    pipeline.index(other, "harbor")
    assert set(pipeline.articles("harbor")) == {"note"}
    assert "note" not in pipeline.articles("default")
    assert pipeline.collections() == ["default", "harbor"]
