"""The HTTP contract: request and response bodies as pydantic models (they are the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

MAX_QUESTION_CHARS = 1000
COLLECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,47}$"  # names.check_collection_name also forbids '__'
SOURCE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"  # names.check_source_id also forbids '..'


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is blank; it needs at least one non-space character")
    return value


def _collection_name(value: str) -> str:
    if "__" in value:
        raise ValueError("must not contain '__'")
    return value


def _source_id(value: str) -> str:
    if ".." in value:
        raise ValueError("must not contain '..'")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]
CollectionName = Annotated[str, Field(pattern=COLLECTION_PATTERN, description="1-48 of a-z, 0-9, '-', '_'; no '__'"),
                           AfterValidator(_collection_name)]
SourceId = Annotated[str, Field(pattern=SOURCE_ID_PATTERN,
                                description="1-128 of A-Z, a-z, 0-9, '.', '-', '_'; no '..'"),
                     AfterValidator(_source_id)]


class ErrorIssue(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['body', 'question']")
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str = Field(description="What is wrong and what to do about it")
    errors: list[ErrorIssue] = Field(default_factory=list, description="One entry per invalid field (422 only)")


# asking ----------------------------------------------------------------------------------------------------------

class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=4000)


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: NonBlank = Field(min_length=1, max_length=MAX_QUESTION_CHARS, json_schema_extra={"pattern": r"\S"},
                               description="The question; must contain a non-space character")
    collection: CollectionName | None = Field(None, description="Collection to ask (default: the server's default)")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages handed to the answerer")
    history: list[Turn] = Field(default_factory=list, max_length=20,
                                description="Earlier turns of the conversation, oldest first; follow-ups use them")


def ask_model(max_question_chars: int) -> type[AskIn]:
    """AskIn with the server's question limit, so the documented maxLength is the enforced one."""
    if max_question_chars == MAX_QUESTION_CHARS:
        return AskIn
    question = (NonBlank, Field(min_length=1, max_length=max_question_chars, json_schema_extra={"pattern": r"\S"},
                                 description="The question; must contain a non-space character"))
    return create_model("AskIn", __base__=AskIn, question=question)


class CitationOut(BaseModel):
    n: int
    source_id: str
    title: str
    outlet: str
    published: str
    url: str
    quote: str = Field(description="Verbatim: the source's text[start:end]")
    start: int
    end: int
    label: str = Field(description="The name the answer gives the source: outlet, else title, else its first "
                                   "heading or first words")


class PositionOut(BaseModel):
    claim: str
    citations: list[int]


class ConflictOut(BaseModel):
    aspect: str
    kind: Literal["contradiction", "differing accounts", "later development"]
    positions: list[PositionOut]
    note: str = ""


class LeadValueOut(BaseModel):
    text: str = Field(description="A value the lead states: a slice of citation n's quote")
    n: int = Field(description="The citation it is quoted from")
    start: int = Field(description="Offsets of the value in the cited source's text")
    end: int


class LeadOut(BaseModel):
    text: str = Field(description="The lead sentence; the answer text starts with it")
    values: list[LeadValueOut] = Field(description="Its values in order; empty for an abstention")


class AnswerOut(BaseModel):
    question: str
    answer: str
    lead: LeadOut
    citations: list[CitationOut]
    conflicts: list[ConflictOut]
    abstained: bool


STREAM_EVENTS = """Server-sent events, in this order; each `data:` is one line of JSON.

- `retrieval`: `{"question", "collection", "passages": int, "sources": [source_id, ...]}`
- `lead`: `{"lead": {"text": str, "values": [{"text", "n", "start", "end"}, ...]}}`, the answer's first sentence
- `answer` (one or more): `{"text": str}`; the pieces joined are the answer text of POST /v1/ask
- `citations`: `{"citations": [Citation, ...]}`
- `conflicts`: `{"conflicts": [Conflict, ...]}`
- `done`: `{"abstained": bool}`

If answering fails after the stream has started, an `error` event `{"detail": str}` ends it instead."""


class RetrievalEvent(BaseModel):
    question: str
    collection: str
    passages: int = Field(description="Passages retrieved")
    sources: list[str] = Field(description="Their source ids, best first")


class LeadEvent(BaseModel):
    lead: LeadOut


class AnswerPiece(BaseModel):
    text: str


class CitationsEvent(BaseModel):
    citations: list[CitationOut]


class ConflictsEvent(BaseModel):
    conflicts: list[ConflictOut]


class DoneEvent(BaseModel):
    abstained: bool


STREAM_EVENT_MODELS = {"retrieval": RetrievalEvent, "lead": LeadEvent, "answer": AnswerPiece, "citations": CitationsEvent,
                       "conflicts": ConflictsEvent, "done": DoneEvent, "error": ErrorOut}


def stream_response() -> dict:
    """The 200 of /v1/ask/stream: one itemSchema per event kind (OpenAPI 3.2 style, as FastAPI's own SSE)."""
    kinds = [{"type": "object", "required": ["event", "data"], "properties": {
        "event": {"const": name},
        "data": {"type": "string", "contentMediaType": "application/json",
                 "contentSchema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}
        for name, model in STREAM_EVENT_MODELS.items()]
    return {"description": STREAM_EVENTS, "content": {"text/event-stream": {"itemSchema": {"oneOf": kinds}}}}


# collections and documents ---------------------------------------------------------------------------------------

class CollectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # no user-supplied Chroma configuration, ever
    name: CollectionName


class CollectionOut(BaseModel):
    name: str
    documents: int = Field(description="Articles stored in the collection")
    default: bool = Field(description="Whether requests that name no collection use this one")


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: SourceId | None = Field(None, description="Source id; default: made from the title")
    title: str = Field(min_length=1, max_length=500)
    text: NonBlank = Field(min_length=1, json_schema_extra={"pattern": r"\S"},
                           description="Article text, plain; canonicalised like a .txt file")
    published: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=200)


class DocumentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[DocumentIn] = Field(min_length=1, max_length=1000)


UPLOAD_FIELDS = ("id", "title", "outlet", "published", "url")

DOCUMENT_UPLOAD_SCHEMA = {
    "title": "DocumentUpload",
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "A .txt, .md or .html article (UTF-8); its name must be a plain file name"},
        "id": {"type": "string", "pattern": SOURCE_ID_PATTERN, "description": "Source id; default: from the file name"},
        **{name: {"type": "string", "description": f"Overrides the {name} the page shows"}
           for name in UPLOAD_FIELDS[1:]},
    },
    "additionalProperties": False,
}


class IngestOut(BaseModel):
    collection: str
    added: int
    updated: int
    unchanged: int
    removed: int
    chunks: int = Field(description="Chunks written")
    source_ids: list[str] = Field(description="Ids of the articles sent, embedded blurbs included")
    documents: int = Field(description="Articles in the collection afterwards")


# sources and health ----------------------------------------------------------------------------------------------

class SourceOut(BaseModel):
    source_id: str
    title: str
    outlet: str
    published: str
    url: str
    chars: int
    embedded_in: str = Field("", description="Host source id when this is a blurb embedded in another file")


class SourceDetail(SourceOut):
    text: str = Field(description="Canonical text; citation offsets index into it")


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ready"]
    model: str = Field(description="Embedding model")
    store: Literal["local", "server"]
    collection: str = Field(description="The default collection")
    documents: int = Field(description="Articles in the default collection")
    collections: int


def component_schemas(*models: type[BaseModel]) -> dict[str, dict]:
    """OpenAPI components for models a route reads by hand (so FastAPI does not register them itself)."""
    found: dict[str, dict] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return found


DOCUMENTS_REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/DocumentsIn"}},
    "multipart/form-data": {"schema": {"$ref": "#/components/schemas/DocumentUpload"}},
}}}


def hand_made_components() -> dict[str, dict]:
    """Schemas that DOCUMENTS_REQUEST_BODY and stream_response() refer to, for the OpenAPI components section."""
    return component_schemas(DocumentsIn, *STREAM_EVENT_MODELS.values()) | {"DocumentUpload": DOCUMENT_UPLOAD_SCHEMA}
