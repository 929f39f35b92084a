"""One settings object (env prefix RAG_), built once and passed down; never a global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    store: Path = Field(Path(".rag-store"), description="Folder of the embedded Chroma store (one process at a time)")
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; replaces `store`")
    collection: str = Field("default", description="Collection used when a request names none")
    corpus_dir: Path | None = Field(None, description="Folder indexed into the default collection at start-up")
    embedding_model: str | None = Field(None, description="Path of a sentence-transformers model; default: the packaged all-MiniLM-L6-v2")
    embedding_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto", description="'auto': onnxruntime (exported once from the model), sentence-transformers if that "
                            "fails; 'onnx' or 'torch' to force one")
    model_cache: Path | None = Field(None, description="Folder for the ONNX export (and, with a Chroma server, the collections' "
                                                        "snapshots); default: `$XDG_CACHE_HOME/conflict-rag`, else "
                                                        "`~/.cache/conflict-rag`")
    pooled_sentence_vectors: bool = Field(False, description="One pass over the chunks, sentence vectors pooled "
                                          "from it (onnx backend): now slower than the default, which reads each "
                                          "sentence once (benchmarks/passes.py, 100 articles: 13.1 s against 11.5 s), and "
                                          "worse quotes "
                                          "(harbor citation recall 90.9% -> 81.8%); changing it re-indexes")
    max_chunk_tokens: int = Field(200, ge=32, le=256, description="Word pieces per chunk (the model truncates at 256)")
    top_k: int = Field(10, ge=1, le=50, description="Passages handed to the answerer")
    candidates: int = Field(30, ge=1, le=200, description="Candidates each retriever (dense, BM25) contributes before fusion")
    min_relevance: float = Field(0.35, ge=0.0, le=1.0, description="Below this best-sentence cosine similarity the answer abstains")
    max_quotes: int = Field(6, ge=1, le=20, description="Most sentences quoted in one answer")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted")
    llm: str = Field("extractive", description="Generator backend: 'extractive' (default, offline) or 'provider:model' for init_chat_model")
    api_token: str | None = Field(None, description="Bearer token required for writes when set")
    protect_reads: bool = Field(False, description="With api_token set, require it for reads too")
    max_upload_bytes: int = Field(2_000_000, ge=1, description="Largest document upload accepted")
    max_concurrent_asks: int = Field(4, ge=1, description="Answers computed at once; more get 503 at once")
    max_concurrent_ingests: int = Field(2, ge=1, description="Document uploads indexed at once; more get 503")
    max_in_flight: int = Field(64, ge=1, description="Requests in progress at once (any endpoint but the health probes); more get 503")
    body_timeout: float = Field(15.0, gt=0, le=600, description="Seconds a client has to send a whole request body; then 408")
    ui: bool = Field(True, description="Serve the web UI at / (false: the API alone)")

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        from rag.names import check_collection_name

        return check_collection_name(value)


def markdown_table() -> str:
    """The README's settings table, made from the fields above so the two cannot drift apart."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "unset" if default is None else str(default).lower() if isinstance(default, bool) else str(default)
        rows.append(f"| `RAG_{name.upper()}` | `{shown}` | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m rag.settings: print the table to paste into the README
    print(markdown_table())
