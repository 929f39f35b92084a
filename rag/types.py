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
    # named entities read at index time: (spaCy label, start, end) within `text`
    entities: tuple[tuple[str, int, int], ...] = field(default=(), compare=False, repr=False)


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
    label: str = ""  # how the answer names the source: outlet, else title, else first heading or words


@dataclass(frozen=True)
class LeadValue:
    """A value the lead states: an exact slice of citation n's quote, offsets in the source's text."""

    text: str
    n: int
    start: int
    end: int


@dataclass(frozen=True)
class Lead:
    """The sentence that opens an answer: template words, labels and exact values only."""

    text: str = ""
    values: tuple[LeadValue, ...] = ()


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
class Value:
    """One stated value: an exact slice article.text[start:end] of a source, with its normalised key."""
    source_id: str
    start: int
    end: int
    text: str        # == articles[source_id].text[start:end]
    key: str         # normalised for grouping ("duration:<=90d", "money:0", "yes", ...)

AnswerType = Literal["number", "money", "duration", "date", "person", "organisation", "place",
                     "yes/no", "reason", "description"]

@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks for, read from the question alone (history is used for retrieval only)."""
    text: str
    answer_type: AnswerType
    subject: str = ""          # head phrase the question is about
    predicate: str = ""        # main verb / relation lemma
    terms: tuple[str, ...] = ()  # content lemmas of subject+predicate
    aspect: str = ""           # optional: the value kind read from the evidence ("duration", "modality", ...)
    names: tuple[str, ...] = ()  # optional: proper names the question itself uses (PERSON, ORG, ... entities)
    refers_back: bool = False  # optional: its verb's object is a pronoun ('did he sign it?'): the thing is unnamed
    events: tuple[str, ...] = ()  # optional: lemmas of its root verb, then its complements ('prompt', 'draft')
    forms: tuple[str, ...] = ()  # optional: the predicate's irregular inflections ('begin' -> 'began', 'begun')
    incidental: tuple[str, ...] = ()  # optional: words that name nothing: adverbs, prepositions, light verbs
    alternatives: tuple[str, ...] = ()  # optional: the verbs or states an either-or question offers as answers


@dataclass(frozen=True, order=True)
class Key:
    """A typed normalised value: what positions are grouped by, compared field by field, never parsed back."""

    kind: str             # the extractor: duration, money, number, date, modality, status, role, organisation, reason
    text: str = ""        # a categorical reading: "voluntary", "delayed", "former", "2026-05-21", "--05-21", ...
    low: float = 0.0      # numeric readings: the interval the words allow
    high: float = 0.0
    bound: str = ""       # exact | max | min | range | approx
    later: bool = False   # reserved: stated together with an enacted/later state of affairs

    def __str__(self) -> str:
        if self.bound:
            return f"{self.kind}:{self.bound}:{_fmt(self.low)}-{_fmt(self.high)}" + ("@later" if self.later else "")
        return f"{self.kind}:{self.text}" + ("@later" if self.later else "")


def _fmt(x: float) -> str:
    return "inf" if x == float("inf") else (str(int(x)) if float(x).is_integer() else f"{x:g}")


@dataclass(frozen=True)
class Side:
    """One position in a disagreement, with the sentences that hold it (numbered later, when quoted)."""

    claim: str
    evidence: tuple[Evidence, ...]
    values: tuple[Value, ...] = ()  # the exact slices stating this side, at least one per source holding it
    entity: str = ""                # optional: the entity this position is about, when the name is ambiguous


@dataclass(frozen=True)
class Disagreement:
    """What the conflict finder reports; the composer turns it into a numbered Conflict. In a later development
    the last side is the later state and every earlier side is its own position."""

    aspect: str
    kind: ConflictKind
    sides: tuple[Side, ...]
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """Everything the composer needs: the positions on the asked point (one when the sources agree)."""
    question: QuestionAnalysis
    positions: tuple[Side, ...]       # every group of equal values on the asked point, earliest source first
    disagreements: tuple[Disagreement, ...]   # 2+ positions, as today (kind, aspect, note)
    answerable: bool = True            # False: no evidence sentence holds a value of the expected type
    ambiguous: bool = False            # optional: positions are about different entities sharing one name


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    citations: tuple[Citation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    abstained: bool = False
    lead: Lead = Lead()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["lead"]["values"] = list(data["lead"]["values"])
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
