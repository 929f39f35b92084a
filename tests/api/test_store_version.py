"""The per-collection version: every write bumps it, and a process sharing a Chroma server sees another's write
through it (its cached articles and lexical index reload) without reading the whole collection."""

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
print(store.version("default"))
store.close()
"""


def test_a_write_bumps_the_version_and_another_process_sees_it(chroma, embedder, tmp_path):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipeline = Pipeline.from_settings(Settings(chroma_url=chroma.url, store=tmp_path / "unused"), embedder=embedder)
    try:
        pipeline.create_collection("default")
        empty = pipeline.store.version("default")
        pipeline.index(HARBOR)
        indexed = pipeline.store.version("default")
        assert indexed != empty
        assert pipeline.store.version("default") == indexed  # reading does not bump it
        before = pipeline.articles()
        victim = sorted(before)[0]
        assert pipeline.ask("How long will the Harbor Bridge be closed?").citations

        written = subprocess.run([sys.executable, "-c", WRITER, chroma.url, victim], cwd=ROOT, env=os.environ | {
            "ANONYMIZED_TELEMETRY": "False"}, capture_output=True, text=True, timeout=120)
        assert written.returncode == 0, written.stderr
        assert written.stdout.strip() == pipeline.store.version("default") != indexed
        assert victim not in pipeline.articles() and len(pipeline.articles()) == len(before) - 1
        lexical = pipeline._retriever.lexical_index("default")
        assert lexical.chunks and all(c.source_id != victim for c in lexical.chunks)
        assert pipeline.index(HARBOR).added == 1 and pipeline.store.version("default") != written.stdout.strip()
    finally:
        pipeline.close()


REMAKER = """
import sys
from rag.store import ChunkStore
store = ChunkStore.connect(sys.argv[1])
store.delete_collection("default")
store.create_collection("default")
store.close()
"""


def test_a_collection_another_process_deletes_and_makes_again_is_read_afresh(chroma, embedder, tmp_path):
    """Reads go through Chroma handles kept from the last answer: one of a deleted collection must not be used."""
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipeline = Pipeline.from_settings(Settings(chroma_url=chroma.url, store=tmp_path / "unused"), embedder=embedder)
    question = "How long will the Harbor Bridge be closed?"
    try:
        pipeline.create_collection("default")
        pipeline.index(HARBOR)
        assert pipeline.ask(question).citations  # the chunk and sentence handles are kept now

        remade = subprocess.run([sys.executable, "-c", REMAKER, chroma.url], cwd=ROOT, env=os.environ | {
            "ANONYMIZED_TELEMETRY": "False"}, capture_output=True, text=True, timeout=120)
        assert remade.returncode == 0, remade.stderr
        assert not pipeline.ask(question).citations  # the new, empty collection; not an error, not the old one
        pipeline.index(HARBOR)
        assert pipeline.ask(question).citations
    finally:
        pipeline.close()
