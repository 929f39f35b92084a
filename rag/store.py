"""The only module that imports chromadb: chunks with their vectors, and the articles they came from.

Each user collection `name` is three Chroma collections: `name__chunks` (chunk text, offsets, vectors),
`name__sources` (canonical article text, metadata and a fingerprint that makes re-indexing incremental) and
`name__sentences` (one vector per quotable sentence, made at index time so answering embeds only the question).
Every write bumps a version in `name__sources`' metadata, so a process (or several sharing a Chroma server)
knows when its cached articles and lexical index are stale without reading the whole collection.
Vectors are always passed in; Chroma's own embedding function (which would download a model) is never used.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from filelock import FileLock, Timeout

from rag.errors import StoreLockedError, UnknownCollectionError, UnknownSourceError
from rag.imports import absent

with absent("click"):  # chromadb imports httpx, which loads its own command line (click, rich, pygments) if it can
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import ChromaError
    from chromadb.errors import NotFoundError as ChromaNotFound
from rag.names import check_collection_name
from rag.types import Article, Chunk, Span


class CollectionChangedError(Exception):
    """A collection deleted (and perhaps made again) while a read was using it."""


# a collection deleted while a read was using it (the API answers 503, retry)
VANISHED = (ChromaNotFound, CollectionChangedError)


def _racing_deletes(read):
    """A read racing a write of the same collection can fail inside Chroma with an internal error, not NotFound:
    'Missing metadata segment' when the collection is deleted, 'Error finding id' when records are. A read is
    idempotent, so it is tried once more; a collection gone by then is reported as changed (503), never a 500."""
    @functools.wraps(read)
    def guarded(self, name: str, *args, **kwargs):
        try:
            return read(self, name, *args, **kwargs)
        except (UnknownCollectionError, UnknownSourceError, ChromaNotFound):
            raise
        except ChromaError as exc:
            if not self.has_collection(name):
                raise CollectionChangedError(f"collection {name!r} was deleted during the read: {exc}") from exc
            try:
                return read(self, name, *args, **kwargs)
            except ChromaError as again:
                raise CollectionChangedError(f"collection {name!r} changed during the read: {again}") from again
    return guarded

_CHUNKS, _SOURCES, _SENTENCES = "__chunks", "__sources", "__sentences"
LAYOUT = "4"  # part of every article fingerprint: bump when what is stored per article changes
_SPACE = {"hnsw": {"space": "cosine"}}
_WRITING = ":w"  # ends the version while a write is changing the collection


class ChunkStore:
    """A Chroma client, and the lock that makes this process the only one writing an embedded store."""

    def __init__(self, client: chromadb.ClientAPI, *, lock: FileLock | None = None, location: str = "") -> None:
        self._client = client
        self._lock = lock
        self.location = location
        self._handles: dict[tuple[str, str], object] = {}  # (collection, suffix) -> Chroma handle, for reads

    @classmethod
    def open_local(cls, path: Path) -> "ChunkStore":
        """Open (creating) an embedded store folder; a second process gets StoreLockedError, not corruption."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path / ".rag.lock"), timeout=0)
        pid_file = path / ".rag.pid"
        try:
            lock.acquire()
        except Timeout:
            owner = pid_file.read_text().strip() if pid_file.exists() else "unknown"
            raise StoreLockedError(
                f"store {path} is in use by another process (pid {owner}); stop it, or use another --store") from None
        pid_file.write_text(str(os.getpid()))
        client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        return cls(client, lock=lock, location=str(path))

    @classmethod
    def connect(cls, url: str) -> "ChunkStore":
        """A Chroma server shared by several API processes (the server serialises writes)."""
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"RAG_CHROMA_URL {url!r} is not an http(s)://host:port URL")
        client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
                                     ssl=parsed.scheme == "https", settings=_chroma_settings())
        return cls(client, location=url)

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # closing twice, or a server already gone, is not the caller's problem
            pass
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    # collections ---------------------------------------------------------------------------------------------

    def collections(self) -> list[str]:
        names = {c.name if hasattr(c, "name") else str(c) for c in self._client.list_collections()}
        return sorted(n[: -len(_SOURCES)] for n in names if n.endswith(_SOURCES))

    def has_collection(self, name: str) -> bool:
        return name in self.collections()

    def create_collection(self, name: str) -> None:
        check_collection_name(name)
        for suffix in (_CHUNKS, _SENTENCES, _SOURCES):
            self._client.get_or_create_collection(name + suffix, configuration=_SPACE, embedding_function=None)

    def delete_collection(self, name: str) -> None:
        self._require(name)
        for suffix in (_CHUNKS, _SENTENCES, _SOURCES):
            self._handles.pop((name, suffix), None)
            try:
                self._client.delete_collection(name + suffix)
            except Exception:  # already half-deleted by an earlier failure: finish the job
                pass

    def _require(self, name: str) -> None:
        if not self.has_collection(name):
            raise UnknownCollectionError(f"collection {name!r} does not exist; create it first or pick one of {self.collections()}")

    def _get(self, name: str, suffix: str):
        """One of a collection's Chroma collections, in one call: the list of all collections (as long again) is
        read only to explain a name that does not exist."""
        try:
            return self._client.get_collection(name + suffix, embedding_function=None)
        except Exception:  # chromadb raises NotFoundError (or ValueError in older clients)
            self._require(name)
            if suffix == _SENTENCES:  # a store written before sentence vectors were kept gains the collection
                return self._client.get_or_create_collection(name + suffix, configuration=_SPACE,
                                                             embedding_function=None)
            raise

    def _read(self, name: str, suffix: str, read):
        """`read` of one of a collection's Chroma collections through a handle kept from the last read, which
        saves a get_collection per answer; a handle of a collection deleted since (by any process) fails, and is
        then fetched afresh, so a kept handle never reads a collection that is gone."""
        handle = self._handles.get((name, suffix))
        if handle is not None:
            try:
                return read(handle)
            except Exception:  # noqa: BLE001  (deleted, or made again under a new id: fetched below)
                self._handles.pop((name, suffix), None)
        handle = self._get(name, suffix)
        found = read(handle)
        self._handles[(name, suffix)] = handle
        return found

    def version(self, name: str) -> str:
        """Changes with every write to the collection, by any process; one small read, not a scan."""
        try:
            col = self._client.get_collection(name + _SOURCES, embedding_function=None)
        except Exception:  # chromadb raises NotFoundError (or ValueError in older clients)
            self._require(name)
            raise
        # the collection's id is part of it: a collection deleted and made again starts from "0" once more, and a
        # reader must not take the new one's first writes for the old one's cached state
        return f'{(col.metadata or {}).get("version", "0")}@{col.id}'

    @staticmethod
    def settled(version: str) -> bool:
        """False while a write is under way (or died midway): what is read then may belong to no version."""
        return not version.split("@")[0].endswith(_WRITING)

    def _bump(self, name: str, *, writing: bool = False) -> None:
        """A new version: a counter for people reading it, and a random part so two writers never collide.
        A write bumps it with `writing` before it changes anything and without once done."""
        col = self._client.get_collection(name + _SOURCES, embedding_function=None)
        count = int(str((col.metadata or {}).get("version", "0")).split(":")[0] or 0)
        col.modify(metadata={"version": f"{count + 1}:{uuid.uuid4().hex[:12]}{_WRITING if writing else ''}"})

    def warm(self, name: str) -> None:
        """Have Chroma load a collection's chunk index, which it reads on first use (a third of a second at 1,000
        articles); read-only, and a collection that does not exist is left alone. The handle is kept for the
        first answer's reads (`_read`). The sentence index is not loaded: answers read sentence vectors from the
        collection's snapshot (`rag.sentence_table`), and the read that makes the snapshot loads it anyway."""
        try:
            handle = self._client.get_collection(name + _CHUNKS, embedding_function=None)
            handle.count()
        except Exception:  # no such collection (yet): answering reports that, not a warm-up
            return
        self._handles[(name, _CHUNKS)] = handle

    # sources -------------------------------------------------------------------------------------------------

    @_racing_deletes
    def fingerprints(self, name: str) -> dict[str, str]:
        got = self._get(name, _SOURCES).get(include=["metadatas"])
        return {i: (m or {}).get("fingerprint", "") for i, m in zip(got["ids"], got["metadatas"])}

    @_racing_deletes
    def articles(self, name: str) -> list[Article]:
        got = self._get(name, _SOURCES).get(include=["metadatas", "documents"])
        found = [_article(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(found, key=lambda a: a.id)

    @_racing_deletes
    def article(self, name: str, source_id: str) -> Article:
        got = self._get(name, _SOURCES).get(ids=[source_id], include=["metadatas", "documents"])
        if not got["ids"]:
            raise UnknownSourceError(f"source {source_id!r} is not in collection {name!r}")
        return _article(got["ids"][0], got["documents"][0], got["metadatas"][0])

    @_racing_deletes
    def count(self, name: str) -> int:
        return self._get(name, _SOURCES).count()

    def replace_source(self, name: str, article: Article, fingerprint: str, chunks: list[Chunk],
                       chunk_vectors: np.ndarray, article_vector: np.ndarray, sentences: list[Span] = (),
                       sentence_vectors: np.ndarray | None = None,
                       sentence_entities: list[tuple] | None = None) -> None:
        """Write an article's chunks, drop its stale ones, then record it; a crash midway is redone next run."""
        chunk_col, source_col = self._get(name, _CHUNKS), self._get(name, _SOURCES)
        self._bump(name, writing=True)
        self._replace_sentences(name, article.id, list(sentences), sentence_vectors, sentence_entities)
        if chunks:
            chunk_col.upsert(
                ids=[c.id for c in chunks],
                embeddings=chunk_vectors.tolist(),
                documents=[c.text for c in chunks],
                metadatas=[_chunk_metadata(c) for c in chunks],
            )
        old = set(chunk_col.get(where={"source_id": article.id}, include=[])["ids"])
        stale = sorted(old - {c.id for c in chunks})
        if stale:
            chunk_col.delete(ids=stale)
        source_col.upsert(ids=[article.id], embeddings=[article_vector.tolist()], documents=[article.text],
                          metadatas=[article.metadata() | {"fingerprint": fingerprint}])
        self._bump(name)

    def delete_source(self, name: str, source_id: str) -> None:
        self._bump(name, writing=True)
        self._get(name, _SOURCES).delete(ids=[source_id])
        self._get(name, _CHUNKS).delete(where={"source_id": source_id})
        self._get(name, _SENTENCES).delete(where={"source_id": source_id})
        self._bump(name)

    # sentence vectors ----------------------------------------------------------------------------------------

    def _replace_sentences(self, name: str, source_id: str, spans: list[Span], vectors: np.ndarray | None,
                           names: list[tuple] | None = None) -> None:
        col = self._get(name, _SENTENCES)
        ids = [_sentence_id(source_id, s.start, s.end) for s in spans]
        names = names if names is not None else [()] * len(spans)
        if ids:
            col.upsert(ids=ids, embeddings=np.asarray(vectors, dtype=np.float32),
                       metadatas=[{"source_id": source_id, "start": s.start, "end": s.end,
                                   "entities": json.dumps([list(e) for e in found])}
                                  for s, found in zip(spans, names)])
        stale = sorted(set(col.get(where={"source_id": source_id}, include=[])["ids"]) - set(ids))
        if stale:
            col.delete(ids=stale)

    def sentence_vectors(self, name: str, spans: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], np.ndarray]:
        """Stored vectors of (source_id, start, end) sentences; a sentence without one is simply absent."""
        return {key: vector for key, (vector, _) in self.stored_sentences(name, spans).items()}

    @_racing_deletes
    def stored_sentences(self, name: str, spans: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], tuple]:
        """(vector, named entities) of (source_id, start, end) sentences, as indexing stored them; one read."""
        if not spans:
            return {}
        ids = [_sentence_id(*s) for s in dict.fromkeys(spans)]
        got = self._read(name, _SENTENCES, lambda col: col.get(ids=ids, include=["embeddings", "metadatas"]))
        return {(m["source_id"], int(m["start"]), int(m["end"])):
                (np.asarray(v, dtype=np.float32), tuple(tuple(e) for e in json.loads(m.get("entities") or "[]")))
                for m, v in zip(got["metadatas"], got["embeddings"])}

    def sentence_rows(self, name: str, batch: int = 4096):
        """Every stored sentence, a page at a time: (source_id, start, end, entities as JSON) rows and their
        vectors as a float32 matrix. For a snapshot of the whole collection (`rag.sentence_table`); pages keep
        the read's memory bounded at tens of thousands of articles."""
        col = self._get(name, _SENTENCES)
        offset = 0
        while True:
            got = col.get(include=["embeddings", "metadatas"], limit=batch, offset=offset)
            if not got["ids"]:
                return
            rows = [(m["source_id"], int(m["start"]), int(m["end"]), m.get("entities") or "[]")
                    for m in got["metadatas"]]
            yield rows, np.asarray(got["embeddings"], dtype=np.float32)
            offset += len(got["ids"])

    def sentence_count(self, name: str) -> int:
        return self._get(name, _SENTENCES).count()

    # chunks --------------------------------------------------------------------------------------------------

    @_racing_deletes
    def chunks(self, name: str) -> list[Chunk]:
        got = self._get(name, _CHUNKS).get(include=["metadatas", "documents"])
        found = [_chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(found, key=lambda c: c.id)

    @_racing_deletes
    def query_many(self, name: str, vectors: Sequence[np.ndarray], n: int,
                   known: Callable[[str], Chunk | None] | None = None) -> list[list[tuple[Chunk, float]]]:
        """The nearest chunks of each vector by cosine similarity (1 - cosine distance), in one call; Chroma
        returns fewer when the collection holds fewer. `known`: the chunks the caller already holds, by id (the
        collection's lexical index has them all); Chroma then returns ids and distances alone, which takes a
        third of the time of fetching each hit's text and metadata, and only a chunk `known` lacks (one written
        since the caller read the collection) is fetched."""
        if not len(vectors):
            return []
        matrix = np.asarray(vectors, dtype=np.float32)
        include = ["distances"] if known is not None else ["metadatas", "documents", "distances"]
        got = self._read(name, _CHUNKS, lambda col: col.query(query_embeddings=matrix, n_results=n, include=include))
        if known is None:
            return [[(_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in zip(*found)
                     if m is not None and d is not None]  # a chunk deleted while the query ran comes back empty
                    for found in zip(got["ids"], got["documents"], got["metadatas"], got["distances"])]
        held = {i: known(i) for ids in got["ids"] for i in ids}
        missing = sorted(i for i, c in held.items() if c is None)
        if missing:
            fetched = self._read(name, _CHUNKS, lambda col: col.get(ids=missing, include=["metadatas", "documents"]))
            held |= {i: _chunk(i, d, m) for i, d, m in zip(fetched["ids"], fetched["documents"], fetched["metadatas"])
                     if m is not None and d is not None}
        return [[(held[i], 1.0 - float(dist)) for i, dist in zip(ids, distances) if held.get(i) is not None]
                for ids, distances in zip(got["ids"], got["distances"])]


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _sentence_id(source_id: str, start: int, end: int) -> str:
    return f"{source_id}|{start}|{end}"


def _chunk_metadata(chunk: Chunk) -> dict:
    return {"source_id": chunk.source_id, "start": chunk.start, "end": chunk.end,
            "sentences": json.dumps([[s.start, s.end] for s in chunk.sentences])}


def _chunk(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(id=chunk_id, source_id=meta["source_id"], start=int(meta["start"]), end=int(meta["end"]),
                 text=text, sentences=tuple(Span(s, e) for s, e in json.loads(meta["sentences"])))


def _article(source_id: str, text: str, meta: dict) -> Article:
    meta = meta or {}
    return Article(id=source_id, text=text or "", title=meta.get("title", ""), outlet=meta.get("outlet", ""),
                   published=meta.get("published", ""), url=meta.get("url", ""), origin=meta.get("origin", ""),
                   embedded_in=meta.get("embedded_in", ""))
