"""create_app(): the FastAPI factory. The lifespan loads the pipeline once into app.state; routes are thin."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from rag.errors import InvalidInputError, RagError, StoreLockedError, UnknownCollectionError, UnknownSourceError
from rag.pipeline import Pipeline
from rag.schemas import AnswerOut, AskIn, SourceDetail, SourceOut
from rag.settings import Settings


def create_app(settings: Settings | None = None, *, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = pipeline is None
        app.state.pipeline = pipeline or Pipeline.from_settings(settings)
        try:
            if settings.corpus_dir is not None:
                app.state.pipeline.index(settings.corpus_dir)
            yield
        finally:
            if owned:
                app.state.pipeline.close()

    app = FastAPI(title="Conflict-aware news Q&A", version="1.0.0", lifespan=lifespan,
                  description="Answers questions about a set of news articles with verbatim, cited quotes, "
                              "and shows where the sources disagree.")

    @app.exception_handler(RagError)
    async def rag_error(request: Request, exc: RagError) -> JSONResponse:
        status = {UnknownCollectionError: 404, UnknownSourceError: 404, StoreLockedError: 409,
                  InvalidInputError: 422}.get(type(exc), 400)
        return JSONResponse(status_code=status, content={"detail": str(exc)})

    def get_pipeline(request: Request) -> Pipeline:
        return request.app.state.pipeline

    PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.post("/v1/ask", response_model=AnswerOut, tags=["ask"])
    def ask(body: AskIn, pipeline: PipelineDep) -> dict:
        answer = pipeline.ask(body.question, collection=body.collection, top_k=body.top_k,
                              history=[h.model_dump() for h in body.history])
        return answer.to_dict()

    @app.get("/v1/sources", response_model=list[SourceOut], tags=["sources"])
    def sources(pipeline: PipelineDep, collection: str | None = None) -> list[dict]:
        return [_source(a) for a in pipeline.articles(collection).values()]

    @app.get("/v1/sources/{source_id}", response_model=SourceDetail, tags=["sources"])
    def source(source_id: str, pipeline: PipelineDep, collection: str | None = None) -> dict:
        article = pipeline.source(source_id, collection)
        return _source(article) | {"text": article.text}

    return app


def _source(article) -> dict:
    return {"source_id": article.id, "title": article.title, "outlet": article.outlet,
            "published": article.published, "url": article.url, "chars": len(article.text)}
