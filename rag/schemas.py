"""The HTTP contract: request and response bodies as pydantic models (they are the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUESTION_CHARS = 1000


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=4000)


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=r"\S",
                          description="The question; must contain a non-space character")
    collection: str | None = Field(None, description="Collection to ask (default: the server's default)")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages handed to the answerer")
    history: list[Turn] = Field(default_factory=list, max_length=20, description="Earlier turns, oldest first")


class CitationOut(BaseModel):
    n: int
    source_id: str
    title: str
    outlet: str
    published: str
    url: str
    quote: str
    start: int
    end: int


class PositionOut(BaseModel):
    claim: str
    citations: list[int]


class ConflictOut(BaseModel):
    aspect: str
    kind: Literal["contradiction", "differing accounts", "later development"]
    positions: list[PositionOut]
    note: str = ""


class AnswerOut(BaseModel):
    question: str
    answer: str
    citations: list[CitationOut]
    conflicts: list[ConflictOut]
    abstained: bool


class SourceOut(BaseModel):
    source_id: str
    title: str
    outlet: str
    published: str
    url: str
    chars: int


class SourceDetail(SourceOut):
    text: str
