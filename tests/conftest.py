"""Shared fixtures: the real packaged embedding model, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                      "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false",
                      "ORT_DISABLE_TELEMETRY": "1"}.items():
    os.environ.setdefault(_name, _value)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "articles"
HARBOR = ROOT / "tests" / "corpora" / "harbor"


@pytest.fixture(scope="session")
def embedder():
    from rag.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def seed_pipeline(tmp_path_factory, embedder):
    """The seed corpus indexed into a real Chroma store in a temp folder."""
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipeline = Pipeline.from_settings(Settings(store=tmp_path_factory.mktemp("seed-store")), embedder=embedder)
    pipeline.index(SEED)
    yield pipeline
    pipeline.close()


@pytest.fixture(scope="session")
def harbor_pipeline(tmp_path_factory, embedder):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipeline = Pipeline.from_settings(Settings(store=tmp_path_factory.mktemp("harbor-store")), embedder=embedder)
    pipeline.index(HARBOR)
    yield pipeline
    pipeline.close()
