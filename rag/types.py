"""The nouns of the system. Frozen so a value seen in one hop cannot change under the next."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Article:
    """One source: canonical text (markup removed, words untouched) plus what the page itself shows."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    origin: str = ""  # file (or upload) the text came from; an embedded blurb names its host page
    embedded_in: str = ""  # id of the host source when this is a blurb embedded in another file

    def metadata(self) -> dict[str, str]:
        return {"source_id": self.id, "title": self.title, "outlet": self.outlet,
                "published": self.published, "url": self.url, "origin": self.origin,
                "embedded_in": self.embedded_in}

    @property
    def provenance(self) -> str:
        """The file this source came from: sources sharing it are one witness, never independent ones."""
        return self.embedded_in or self.id


@dataclass(frozen=True)
class Span:
    """A [start, end) slice of an article's canonical text."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences sized to fit the embedding model's window."""

    id: str
    source_id: str
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused relevance score."""

    chunk: Chunk
    score: float
    dense: float = 0.0  # cosine similarity to the question, 0 when only BM25 found it
    lexical: bool = False  # BM25 found it too


@dataclass(frozen=True)
class Evidence:
    """One sentence that may be quoted: where it is and how well it answers the question."""

    source_id: str
    start: int
    end: int
    text: str
    score: float
    similarity: float = 0.0  # cosine similarity to the question alone
    vector: Any = field(default=None, compare=False, repr=False)  # unit embedding, for grouping near-duplicates


@dataclass(frozen=True)
class Citation:
    n: int
    source_id: str
    title: str
    outlet: str
    published: str
    url: str
    quote: str
    start: int
    end: int


ConflictKind = Literal["contradiction", "differing accounts", "later development"]


@dataclass(frozen=True)
class Position:
    claim: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Conflict:
    aspect: str
    kind: ConflictKind
    positions: tuple[Position, ...]
    note: str = ""  # e.g. the dates that make one account later than another


@dataclass(frozen=True)
class Side:
    """One position in a disagreement, with the sentences that hold it (numbered later, when quoted)."""

    claim: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Disagreement:
    """What the conflict finder reports; the composer turns it into a numbered Conflict."""

    aspect: str
    kind: ConflictKind
    sides: tuple[Side, ...]
    note: str = ""


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    citations: tuple[Citation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    abstained: bool = False

    def to_dict(self) -> dict:
        data = asdict(self)
        for conflict in data["conflicts"]:
            for position in conflict["positions"]:
                position["citations"] = list(position["citations"])
        data["citations"] = list(data["citations"])
        data["conflicts"] = list(data["conflicts"])
        return data


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run changed, so repeated runs can be seen to be idempotent."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    source_ids: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return asdict(self) | {"source_ids": list(self.source_ids)}
