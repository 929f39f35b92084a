"""A collection's sentence vectors and entity spans, kept in its snapshot as one memory-mapped matrix.

Answering needs the vector and the named entities of every sentence of the passages it retrieved. Read from
Chroma (a get by id), that was a third of a warm answer at 1,000 articles, and it kept Chroma's in-memory index
of every sentence of the collection resident (49 MiB at 1,000 articles). From a memory map, a lookup is a few
row reads, and memory holds only the pages answers have read. The table is made once per collection version,
with the rest of the snapshot (`rag.collection_state`), and is never written to afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

VECTORS, ROWS = "sentences.npy", "sentences.json"
Key = tuple[str, int, int]  # (source_id, start, end)


class SentenceTable:
    def __init__(self, vectors: np.ndarray, rows: list[list]) -> None:
        """`rows[i]`: (source_id, start, end, entities as JSON) of `vectors[i]`."""
        if len(vectors) != len(rows):
            raise ValueError(f"{len(vectors)} sentence vectors for {len(rows)} sentences")
        self._vectors = vectors
        self._rows = {(r[0], r[1], r[2]): i for i, r in enumerate(rows)}
        self._entities = [r[3] for r in rows]  # parsed when a sentence is looked up: most never are

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, spans: Iterable[Key]) -> dict[Key, tuple[np.ndarray, tuple]]:
        """(vector, named entities) of each sentence the table holds; one it does not is simply absent."""
        out = {}
        for key in spans:
            i = self._rows.get(key)
            if i is not None:
                out[key] = (np.array(self._vectors[i]), tuple(tuple(e) for e in json.loads(self._entities[i])))
        return out

    @staticmethod
    def write(folder: Path, count: int, pages: Iterable[tuple[list[tuple], np.ndarray]]) -> bool:
        """Write `count` sentences, read page by page, straight into a file-backed matrix (the collection's
        vectors are never all in memory at once). False, with nothing usable left behind, when the pages do
        not hold exactly `count` sentences (a write raced the read) or there are none."""
        rows: list[list] = []
        vectors = None
        complete = False
        try:
            for page, matrix in pages:
                if vectors is None:
                    if not count:
                        break
                    vectors = np.lib.format.open_memmap(folder / VECTORS, mode="w+", dtype=np.float32,
                                                        shape=(count, matrix.shape[1]))
                if len(rows) + len(page) > count:
                    break
                vectors[len(rows):len(rows) + len(page)] = matrix
                rows.extend([list(r) for r in page])
            else:
                complete = vectors is not None and len(rows) == count
            if complete:
                vectors.flush()
        finally:
            del vectors  # the map is closed before the file is renamed or removed
            if not complete:
                (folder / VECTORS).unlink(missing_ok=True)
        if complete:
            (folder / ROWS).write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return complete

    @classmethod
    def load(cls, folder: Path) -> "SentenceTable":
        """The table write() made, memory-mapped read-only. The matrix is checked by its shape against the rows,
        not by a digest of its bytes, which would read every page of it at each start (a snapshot is published
        whole, by a rename, so a file cut short is the damage to expect, and a shape mismatch shows it)."""
        return cls(np.load(folder / VECTORS, mmap_mode="r"), json.loads((folder / ROWS).read_text(encoding="utf-8")))
