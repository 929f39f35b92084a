"""What answering reads of a whole collection (its articles, the BM25 index of its chunks, the vocabulary of the
abstention test, how many articles use each term), built once per store version and kept on disk, so a fresh `rag ask` does not rebuild it.

A snapshot is named by the collection's store version, which holds the collection's id and changes with every
write by any process, so a snapshot of another version is never read. One is written only when the version was
the same before and after the read and marked no write under way; it is published by renaming a finished folder
(never half-written), and carries a digest of every file, so a damaged one is rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from rag import evidence, relevance, retrieval, sentence_table, store, types
from rag.evidence import content_words
from rag.relevance import CorpusTerms
from rag.retrieval import LexicalIndex
from rag.sentence_table import SentenceTable
from rag.store import ChunkStore
from rag.types import Article, Chunk, Span

FORMAT = "2"  # part of every snapshot's name, with a digest of the code that makes a state (see _code)
_STATE, _LEXICAL = "state.json", "bm25"
_ABANDONED_S = 3600  # a partial folder this old was left by a process that died while writing it


@dataclass(frozen=True)
class CollectionState:
    version: str
    articles: dict[str, Article]
    lexical: LexicalIndex
    vocabulary: frozenset[str]
    terms: CorpusTerms
    sentences: SentenceTable | None = None  # None: no snapshot of this version (the store is read instead)


class CollectionStates:
    """Per collection: the state of its current version, from memory, else from a snapshot, else built."""

    def __init__(self, store: ChunkStore, folder: Path | None = None) -> None:
        self._store = store
        self._folder = Path(folder) if folder is not None else None  # None: nothing kept on disk
        self._states: dict[str, CollectionState] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> CollectionState:
        version = self._store.version(name)
        with self._lock:
            state = self._states.get(name)
            if state is None or state.version != version:
                state = self._load(name, version) or self._build(name, version)
                self._states[name] = state
            return state

    def forget(self, name: str) -> None:
        with self._lock:
            self._states.pop(name, None)

    def _build(self, name: str, version: str) -> CollectionState:
        articles = {a.id: a for a in self._store.articles(name)}
        chunks = self._store.chunks(name)
        vocabulary = frozenset().union(*(content_words(a.text) for a in articles.values()))
        state = CollectionState(version, articles, LexicalIndex(chunks), vocabulary,
                                CorpusTerms.of(articles.values()))
        if self._folder is not None and self._store.settled(version):
            state = self._save(name, state)  # kept only if every read saw this one version, no write under way
        return state

    # snapshots -----------------------------------------------------------------------------------------------

    def _place(self, name: str, version: str) -> Path:
        key = hashlib.sha256(f"{FORMAT}|{_code()}|{name}|{version}".encode()).hexdigest()[:24]
        return self._folder / name / key

    def _load(self, name: str, version: str) -> CollectionState | None:
        """The snapshot of exactly this version, or None when there is none or it cannot be trusted."""
        if self._folder is None:
            return None
        place = self._place(name, version)
        try:
            state = json.loads((place / _STATE).read_text(encoding="utf-8"))
            if (state["format"], state["collection"], state["version"]) != (FORMAT, name, version):
                return None
            for file, digest in state["files"].items():
                if _digest(place / file) != digest:
                    raise ValueError(f"{place / file} is damaged")
            articles = {a["id"]: Article(**a) for a in _read(place / "articles.json")}
            chunks = _StoredChunks(_read(place / "chunks.json"))
            lexical = LexicalIndex.load(place / _LEXICAL if state["lexical"] else None, chunks)
            terms = _read(place / "terms.json")
            return CollectionState(version, articles, lexical, frozenset(_read(place / "vocabulary.json")),
                                   CorpusTerms(terms["articles"], terms["stems"], terms["names"]),
                                   SentenceTable.load(place) if state["sentences"] else None)
        except FileNotFoundError:
            return None
        except Exception:  # damaged, cut short or of another layout: rebuilt from the store
            shutil.rmtree(place, ignore_errors=True)
            return None

    def _save(self, name: str, state: CollectionState) -> CollectionState:
        """Write the snapshot into a private folder, then rename it into place; older versions' are removed.
        The sentence table is read from the store here, after the rest, and the version checked once more
        after it: the state returned reads its sentences from the published table, or from the store when
        none could be kept."""
        place = self._place(name, state.version)
        partial = place.parent / f".partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            partial.mkdir(parents=True)
            _write(partial / "articles.json", [asdict(a) for a in state.articles.values()])
            _write(partial / "chunks.json", [[c.id, c.source_id, c.start, c.end, c.text,
                                              [[s.start, s.end] for s in c.sentences]] for c in state.lexical.chunks])
            _write(partial / "vocabulary.json", sorted(state.vocabulary))
            _write(partial / "terms.json", {"articles": state.terms.articles, "stems": state.terms.stems,
                                            "names": state.terms.names})
            indexed = state.lexical.save(partial / _LEXICAL)
            tabled = SentenceTable.write(partial, self._store.sentence_count(name), self._store.sentence_rows(name))
            if self._store.version(name) != state.version:
                raise ValueError("the collection changed while its snapshot was read")
            files = {p.relative_to(partial).as_posix(): _digest(p) for p in sorted(partial.rglob("*"))
                     if p.is_file() and p.name != sentence_table.VECTORS}  # checked by shape (SentenceTable.load)
            _write(partial / _STATE, {"format": FORMAT, "collection": name, "version": state.version,
                                      "lexical": indexed, "sentences": tabled, "files": files})
            os.replace(partial, place)  # fails if another process published this version first: theirs is kept
        except Exception:  # a read-only or full disk costs the next process a rebuild, never this answer
            shutil.rmtree(partial, ignore_errors=True)
            return state
        for other in place.parent.iterdir():
            if other != place and (not other.name.startswith(".partial-") or _age(other) > _ABANDONED_S):
                shutil.rmtree(other, ignore_errors=True)
        try:
            return replace(state, sentences=SentenceTable.load(place)) if tabled else state
        except (OSError, ValueError):  # removed meanwhile by a process publishing a newer version
            return state


class _StoredChunks(Sequence[Chunk]):
    """A snapshot's chunks, each made into a Chunk when first used: a search reads a few dozen of thousands."""

    def __init__(self, rows: list[list]) -> None:
        self._rows = rows
        self.ids = [r[0] for r in rows]  # what LexicalIndex.chunk() looks ids up in, without making every Chunk
        self._made: dict[int, Chunk] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        chunk = self._made.get(i)
        if chunk is None:
            c = self._rows[i]
            chunk = self._made[i] = Chunk(c[0], c[1], c[2], c[3], c[4], tuple(Span(s, e) for s, e in c[5]))
        return chunk


def snapshot_folder(settings) -> Path:
    """Beside an embedded store, inside its folder; for a Chroma server, under the model cache, one folder per
    server (the collection's id in its version tells two collections of one name apart)."""
    if not settings.chroma_url:
        return Path(settings.store) / "rag-snapshots"
    from rag.embeddings import default_model_cache

    server = hashlib.sha256(settings.chroma_url.encode()).hexdigest()[:16]
    return Path(settings.model_cache or default_model_cache()) / "snapshots" / server


@cache
def _code() -> str:
    """A digest of the modules that decide what a state holds (reading, the nouns, BM25 tokens, content words),
    so a snapshot made by other code is never read as this code's."""
    digest = hashlib.sha256(retrieval.bm25s.__version__.encode())
    for module in (store, types, retrieval, evidence, relevance, sentence_table):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _write(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
