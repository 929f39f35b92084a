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
    from rag.embeddings import load_embedder

    return load_embedder()  # what Pipeline.from_settings picks: onnxruntime, exported once into the user cache


def _indexed(tmp_path_factory, embedder, corpus):
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipeline = Pipeline.from_settings(Settings(store=tmp_path_factory.mktemp(f"{corpus.name}-store")), embedder=embedder)
    pipeline.index(corpus)
    return pipeline


@pytest.fixture(scope="session")
def seed_pipeline(tmp_path_factory, embedder):
    """The seed corpus indexed into a real Chroma store in a temp folder."""
    pipeline = _indexed(tmp_path_factory, embedder, SEED)
    yield pipeline
    pipeline.close()


@pytest.fixture(scope="session")
def harbor_pipeline(tmp_path_factory, embedder):
    """The second corpus (a different topic, with planted disagreements)."""
    pipeline = _indexed(tmp_path_factory, embedder, HARBOR)
    yield pipeline
    pipeline.close()
