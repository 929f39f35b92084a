"""Snapshots with a shared Chroma server: kept under the model cache, and a write by another process retires
them for every reader (a process opened after the write never reads the older snapshot)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import HARBOR, ROOT

WRITER = """
import sys
from rag.store import ChunkStore
store = ChunkStore.connect(sys.argv[1])
store.delete_source("default", sys.argv[2])
store.close()
"""


def _open(chroma, tmp_path, embedder):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    settings = Settings(chroma_url=chroma.url, store=tmp_path / "unused", model_cache=tmp_path / "cache")
    return Pipeline.from_settings(settings, embedder=embedder)


def _place(pipeline):
    return pipeline._states._place("default", pipeline.store.version("default"))


def test_another_process_write_retires_the_snapshot(chroma, embedder, tmp_path):
    first = _open(chroma, tmp_path, embedder)
    try:
        first.create_collection("default")
        first.index(HARBOR)
        assert first.ask("How long will the Harbor Bridge be closed?").citations
        kept = _place(first)
        assert kept.is_dir() and (tmp_path / "cache" / "snapshots") in kept.parents
        assert not (tmp_path / "unused").exists()
        victim = sorted(first.articles())[0]
    finally:
        first.close()

    written = subprocess.run([sys.executable, "-c", WRITER, chroma.url, victim], cwd=ROOT, env=os.environ | {
        "ANONYMIZED_TELEMETRY": "False"}, capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr

    second = _open(chroma, tmp_path, embedder)
    try:
        assert second._states._load("default", second.store.version("default")) is None
        assert victim not in second.articles()
        lexical = second._retriever.lexical_index("default")
        assert lexical.chunks and all(c.source_id != victim for c in lexical.chunks)
        assert _place(second).is_dir() and not kept.exists()
    finally:
        second.delete_collection("default")
        second.close()
