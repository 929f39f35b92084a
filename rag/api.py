"""create_app(): the FastAPI factory. The lifespan loads the pipeline once into app.state; routes are thin.

Blocking work (embedding, Chroma) runs in the thread pool; the capacity checks run before it, on the event
loop, so a full server answers 503 at once instead of queueing requests behind busy threads.
"""

import logging
import re
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from rag.auth import BearerAuth
from rag.errors import (IngestError, InvalidInputError, QuoteMismatchError, RagError, SourceIdTakenError,
                        StoreLockedError, UnknownCollectionError, UnknownSourceError)
from rag.limits import BodyLimit, Capacity, InFlight, RefuseWhenFull
from rag.names import check_collection_name
from rag.pipeline import Pipeline
from rag.schemas import (COLLECTION_PATTERN, DOCUMENTS_REQUEST_BODY, STREAM_EVENTS, AnswerOut, CollectionIn,
                         CollectionOut, ErrorOut, HealthOut, IngestOut, ReadyOut, SourceDetail, SourceOut,
                         ask_model, hand_made_components, stream_response)
from rag.settings import Settings
from rag.store import VANISHED
from rag.streaming import EventStream, stream_answer
from rag.uploads import check_identity, parse_documents, receive_documents

log = logging.getLogger(__name__)

MAX_JSON_BYTES = 1_000_000  # every body but a document upload (those get RAG_MAX_UPLOAD_BYTES)
UI_ENVELOPE_BYTES = 64 * 1024  # the web UI's uploads and pasted documents carry a form or JSON envelope
_DOCUMENTS_PATH = re.compile(r"^/v1/collections/[^/]+/documents/?$")
_ASK_PATH = re.compile(r"^/v1/ask(/stream)?/?$")
_STATUS = {UnknownCollectionError: 404, UnknownSourceError: 404, StoreLockedError: 409, InvalidInputError: 422,
           IngestError: 422, QuoteMismatchError: 500, SourceIdTakenError: 409}
_MEANING = {400: "Malformed body: not JSON, not UTF-8, or broken multipart", 401: "Missing or wrong bearer token",
            404: "Unknown collection or source", 409: "Conflicts with what exists", 413: "Body over the size limit",
            415: "Unsupported content type or file type", 422: "A field is invalid (see `errors`)",
            408: "The body did not arrive within RAG_BODY_TIMEOUT seconds", 431: "Too many request headers",
            503: "At capacity or store unreachable; retry after the Retry-After seconds"}


async def get_pipeline(request: Request) -> Pipeline:  # async: no thread hop before a route runs
    return request.app.state.pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
CollectionParam = Annotated[str, PathParam(pattern=COLLECTION_PATTERN, description="Collection name")]
CollectionQuery = Annotated[str | None, Query(pattern=COLLECTION_PATTERN,
                                              description="Collection (default: the server's default)")]


def create_app(settings: Settings | None = None, *, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or Settings()
    auth = BearerAuth(settings.api_token, protect_reads=settings.protect_reads)
    reads, writes = auth.dependencies(write=False), auth.dependencies(write=True)
    asks = Capacity(settings.max_concurrent_asks, what="answering")
    ingests = Capacity(settings.max_concurrent_ingests, what="indexing")
    AskBody = ask_model(settings.max_question_chars)

    def errors(*codes: int, protected: list | None = None) -> dict:
        codes = (*codes, 401) if protected else codes
        return {code: {"model": ErrorOut, "description": _MEANING[code]} for code in sorted(codes)}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = pipeline is None
        app.state.pipeline = pipeline or Pipeline.from_settings(settings)
        try:
            if settings.corpus_dir is not None:
                app.state.pipeline.index(settings.corpus_dir)
            if settings.collection not in app.state.pipeline.collections():
                app.state.pipeline.create_collection(settings.collection)
            yield
        finally:
            if owned:
                app.state.pipeline.close()

    app = FastAPIOffline(
        title="Conflict-aware news Q&A", version="1.0.0", lifespan=lifespan,
        description="Answers questions about a set of news articles with verbatim, cited quotes, and shows where "
                    "the sources disagree. Every error is JSON: `{\"detail\": \"what is wrong\"}`.")
    app.state.asks, app.state.ingests = asks, ingests
    ui_limit = max(MAX_JSON_BYTES, settings.max_upload_bytes + UI_ENVELOPE_BYTES)
    app.add_middleware(BodyLimit, limit_for=lambda path: settings.max_upload_bytes if _DOCUMENTS_PATH.match(path)
                       else ui_limit if settings.ui and path.startswith("/gradio_api/") else MAX_JSON_BYTES,
                       timeout=settings.body_timeout)
    app.add_middleware(RefuseWhenFull, capacity_for=lambda path: asks if _ASK_PATH.match(path) else None)
    app.add_middleware(InFlight, limit=settings.max_in_flight)  # outermost: refuses before anything else runs
    _add_error_handlers(app)

    @app.get("/healthz", response_model=HealthOut, tags=["health"], summary="The process is up")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", response_model=ReadyOut, tags=["health"], responses=errors(503),
             summary="Models loaded and the store answering")
    def readyz(pipeline: PipelineDep):
        try:
            names = pipeline.collections()
            documents = pipeline.store.count(settings.collection) if settings.collection in names else 0
        except Exception as exc:  # whatever the store raises, the answer is "not ready"
            return JSONResponse({"detail": f"the store is not answering ({exc.__class__.__name__})"}, 503)
        return {"status": "ready", "model": pipeline.embedder.name,
                "store": "server" if settings.chroma_url else "local",
                "collection": settings.collection, "documents": documents, "collections": len(names)}

    # asking --------------------------------------------------------------------------------------------------

    @app.post("/v1/ask", response_model=AnswerOut, tags=["ask"], dependencies=reads,
              responses=errors(400, 404, 413, 422, 503, protected=reads), summary="Answer a question with citations")
    async def ask(body: AskBody, pipeline: PipelineDep) -> dict:
        release = asks.acquire()
        try:
            answer = await run_in_threadpool(pipeline.ask, body.question, collection=body.collection,
                                             top_k=body.top_k, history=[t.model_dump() for t in body.history])
        finally:
            release()
        return answer.to_dict()

    @app.post("/v1/ask/stream", response_class=EventStream, tags=["ask"], dependencies=reads,
              responses={200: stream_response()} | errors(400, 404, 413, 422, 503, protected=reads),
              summary="The same answer as server-sent events", description=STREAM_EVENTS)
    async def ask_stream(body: AskBody, pipeline: PipelineDep) -> EventStream:
        release = asks.acquire()
        try:
            retrieved = await run_in_threadpool(pipeline.retrieve, body.question, collection=body.collection,
                                                top_k=body.top_k, history=[t.model_dump() for t in body.history])
        except BaseException:
            release()
            raise
        return EventStream(stream_answer(retrieved, pipeline.answer), release=release)

    # collections and documents -------------------------------------------------------------------------------

    @app.get("/v1/collections", response_model=list[CollectionOut], tags=["collections"], dependencies=reads,
             responses=errors(protected=reads), summary="List collections")
    def list_collections(pipeline: PipelineDep) -> list[dict]:
        found = []
        for name in pipeline.collections():
            try:
                found.append(_collection(pipeline, name, settings))
            except UnknownCollectionError:  # deleted by another API process meanwhile
                continue
        return found

    @app.post("/v1/collections", status_code=201, response_model=CollectionOut, tags=["collections"],
              dependencies=writes, responses=errors(400, 409, 413, 422, protected=writes),
              summary="Create an empty collection")
    def create_collection(body: CollectionIn, pipeline: PipelineDep) -> dict:
        name = check_collection_name(body.name)
        if name in pipeline.collections():
            raise HTTPException(409, f"collection {name!r} already exists")
        pipeline.create_collection(name)
        return _collection(pipeline, name, settings)

    @app.delete("/v1/collections/{name}", status_code=204, response_class=Response, tags=["collections"],
                dependencies=writes, responses=errors(404, 409, 422, protected=writes),
                summary="Delete a collection and everything in it")
    def delete_collection(name: CollectionParam, pipeline: PipelineDep) -> Response:
        if check_collection_name(name) == settings.collection:
            raise HTTPException(409, f"{name!r} is the default collection and cannot be deleted; "
                                     "its contents follow RAG_CORPUS_DIR")
        pipeline.delete_collection(name)
        return Response(status_code=204)

    @app.post("/v1/collections/{name}/documents", status_code=201, response_model=IngestOut, tags=["collections"],
              dependencies=writes, responses=errors(400, 404, 413, 415, 422, 503, protected=writes),
              openapi_extra=DOCUMENTS_REQUEST_BODY, summary="Index documents (JSON) or one uploaded file")
    async def add_documents(name: CollectionParam, request: Request, pipeline: PipelineDep) -> dict:
        name = check_collection_name(name)
        if name not in await run_in_threadpool(pipeline.collections):
            raise UnknownCollectionError(f"collection {name!r} does not exist; create it with POST /v1/collections")
        received = await receive_documents(request)  # read first: a slow client holds no ingest slot
        release = ingests.acquire()
        try:
            parsed = await run_in_threadpool(parse_documents, received)
            report = await run_in_threadpool(add_checked, pipeline, parsed, name)
            documents = await run_in_threadpool(pipeline.store.count, name)
        finally:
            release()
        return {"collection": name, **report.to_dict(), "documents": documents}

    identity = threading.Lock()  # the id check and the write it allows happen together

    def add_checked(pipeline: Pipeline, parsed, name: str):
        with identity:
            check_identity(parsed, pipeline.articles(name))
            return pipeline.add_articles(parsed.articles, name)

    app.state.add_checked = add_checked  # the web UI adds documents through this same check and lock

    # sources -------------------------------------------------------------------------------------------------

    @app.get("/v1/sources", response_model=list[SourceOut], tags=["sources"], dependencies=reads,
             responses=errors(404, 422, protected=reads), summary="Articles of a collection")
    def sources(pipeline: PipelineDep, collection: CollectionQuery = None) -> list[dict]:
        return [_source(a) for a in pipeline.articles(collection).values()]

    @app.get("/v1/sources/{source_id}", response_model=SourceDetail, tags=["sources"], dependencies=reads,
             responses=errors(404, 422, protected=reads), summary="One article with its canonical text")
    def source(source_id: str, pipeline: PipelineDep, collection: CollectionQuery = None) -> dict:
        article = pipeline.source(source_id, collection)
        return _source(article) | {"text": article.text}

    app.openapi = _openapi_with(app, hand_made_components)
    if settings.ui:  # mounted last, at /, so every route above keeps answering
        from ui.app import mount

        mount(app, settings, auth)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error is `{"detail": str}` (plus `errors` for invalid fields), so clients parse one shape."""

    @app.exception_handler(RagError)
    async def rag_error(request: Request, exc: RagError) -> JSONResponse:
        status = _STATUS.get(type(exc), 400)
        if status >= 500:
            log.error("internal error on %s: %s", request.url.path, exc)
            return _error(500, "internal error")
        return _error(status, str(exc))

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, exc: ClientDisconnect) -> Response:
        log.info("client disconnected before sending the whole body of %s", request.url.path)
        return Response(status_code=400)  # nobody is listening; this only ends the request quietly

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if isinstance(exc.__cause__, HTTPException):  # a limit hit while FastAPI read a JSON body
            exc = exc.__cause__
            detail = str(exc.detail)
        elif isinstance(exc.__cause__, ClientDisconnect):
            return await client_gone(request, exc.__cause__)
        elif isinstance(exc.__cause__, UnicodeDecodeError):  # FastAPI's "error parsing the body" for a JSON route
            detail = f"request body is not UTF-8 JSON (byte {exc.__cause__.start})"
        elif isinstance(exc.__cause__, RecursionError):
            detail = "request body is JSON nested too deeply"
        return _error(exc.status_code, detail, headers=exc.headers)

    async def store_changed(request: Request, exc: Exception) -> JSONResponse:
        log.warning("collection changed under a read on %s: %s", request.url.path, exc)
        return _error(503, "the collection was changed or deleted while this request read it; retry",
                      headers={"Retry-After": "1"})

    for vanished in VANISHED:
        app.add_exception_handler(vanished, store_changed)

    @app.exception_handler(httpx.TransportError)
    async def store_unreachable(request: Request, exc: httpx.TransportError) -> JSONResponse:
        log.warning("Chroma server not answering on %s: %r", request.url.path, exc)
        return _error(503, "the Chroma server (RAG_CHROMA_URL) is not answering; retry shortly",
                      headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [{"loc": [_safe(str(p)) if isinstance(p, str) else p for p in e.get("loc", ())],
                   "msg": _safe(str(e.get("msg", ""))), "type": str(e.get("type", ""))} for e in exc.errors()]
        broken = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
        if broken is not None:
            reason = (broken.get("ctx") or {}).get("error", "syntax error")
            return _error(400, f"request body is not valid JSON: {reason} (at character {broken['loc'][-1]})")
        where = "; ".join(f"{'.'.join(map(str, i['loc']))}: {i['msg']}" for i in issues)
        return JSONResponse({"detail": _safe(f"invalid request: {where}"), "errors": issues}, 422)


def _error(status: int, detail: str, *, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": _safe(detail)}, status, headers=headers)


def _safe(text: str) -> str:
    """User input echoed in a message may hold lone surrogates, which cannot be encoded as UTF-8 JSON."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _openapi_with(app: FastAPI, components: Callable[[], dict]) -> Callable[[], dict]:
    """app.openapi, plus the schemas of bodies that routes read or write by hand. An event stream documented by
    itemSchema loses the `schema: string` FastAPI puts beside it, which would claim to describe the whole stream."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(components())
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                for response in operation.get("responses", {}).values():
                    stream = response.get("content", {}).get("text/event-stream", {})
                    if "itemSchema" in stream:
                        stream.pop("schema", None)
        return app.openapi_schema

    return openapi


def _collection(pipeline: Pipeline, name: str, settings: Settings) -> dict:
    return {"name": name, "documents": pipeline.store.count(name), "default": name == settings.collection}


def _source(article) -> dict:
    return {"source_id": article.id, "title": article.title, "outlet": article.outlet,
            "published": article.published, "url": article.url, "chars": len(article.text),
            "embedded_in": article.embedded_in}
