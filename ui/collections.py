"""Collections from the page: list, create, add documents, through the API's own checks, parsers and limits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import gradio as gr
from starlette.exceptions import HTTPException

from rag.auth import BearerAuth
from rag.errors import UnknownCollectionError
from rag.limits import Capacity
from rag.names import check_collection_name
from rag.pipeline import Pipeline
from rag.types import IndexReport
from rag.uploads import FileUpload, Parsed, check_file_name, parse_documents
from ui.chat import MAX_WAIT_SECONDS, credentials, try_acquire
from ui.render import explain

_METADATA = ("title", "outlet", "published", "url")


class Librarian:
    """Create collections and add documents; each write checks the token the way rag.auth does for the API."""

    def __init__(self, pipeline: Callable[[], Pipeline], ingests: Capacity, auth: BearerAuth,
                 add: Callable[[Pipeline, Parsed, str], IndexReport], *, max_upload_bytes: int, default: str) -> None:
        self._pipeline = pipeline
        self._add = add
        self._ingests = ingests
        self._auth = auth
        self._limit = max_upload_bytes
        self.default = default

    def choices(self) -> list[tuple[str, str]]:
        pipeline = self._pipeline()
        found = []
        for name in pipeline.collections():
            try:
                count = pipeline.store.count(name)
            except UnknownCollectionError:
                continue
            found.append((f"{name} ({count} document{'s' * (count != 1)})", name))
        return found

    def selector(self, value: str | None = None) -> gr.Dropdown:
        choices = self.choices()
        names = [n for _, n in choices]
        return gr.Dropdown(choices=choices, value=value if value in names else self.default)

    def create(self, name: str, token: str) -> tuple[str, gr.Dropdown]:
        """(message, selector showing the new collection)."""
        try:
            self._auth.check(credentials(token))
            name = check_collection_name((name or "").strip())
            pipeline = self._pipeline()
            if name in pipeline.collections():
                raise HTTPException(409, f"collection {name!r} already exists; pick it in the selector")
            pipeline.create_collection(name)
        except Exception as exc:
            return f"Could not create the collection: {explain(exc)}", gr.skip()
        return f"Created “{name}”. It is empty: add documents to it below.", self.selector(name)

    def add(self, collection: str, file: str | None, text: str, title: str, outlet: str, published: str, url: str,
            token: str) -> tuple[str, gr.Dropdown]:
        """Index one uploaded file, or one pasted text with its metadata; (message, refreshed selector)."""
        try:
            self._auth.check(credentials(token))
            received = self._received(file, text, {"title": title, "outlet": outlet, "published": published,
                                                    "url": url})
            pipeline = self._pipeline()
            if collection not in pipeline.collections():
                raise UnknownCollectionError(f"collection {collection!r} does not exist; create it first")
            release = self._wait_for_slot()
            try:
                report = self._add(pipeline, parse_documents(received), collection)
            finally:
                release()
        except Exception as exc:
            return f"Could not add the document: {explain(exc)}", gr.skip()
        what = ", ".join(f"{n} {k}" for k, n in (("added", report.added), ("updated", report.updated),
                                                  ("unchanged", report.unchanged)) if n)
        return f"Indexed into “{collection}”: {what}.", self.selector(collection)

    def _received(self, file: str | None, text: str, fields: dict[str, str]) -> bytes | FileUpload:
        """What the API's documents route would have read: a FileUpload, or a JSON body of one document."""
        fields = {k: v.strip() for k, v in fields.items() if v and v.strip()}
        if file:
            path = Path(file)
            raw = path.read_bytes()
            self._check_size(len(raw), "the file")
            return FileUpload(filename=check_file_name(path.name), raw=raw, fields=fields)
        if not (text or "").strip():
            raise HTTPException(422, "choose a file, or paste the article's text (with at least a title)")
        body = json.dumps({"documents": [{"text": text, **fields}]}, ensure_ascii=False).encode()
        self._check_size(len(body), "the pasted text")
        return body

    def _check_size(self, size: int, what: str) -> None:
        if size > self._limit:
            raise HTTPException(413, f"{what} is {size} bytes; the limit is {self._limit} bytes "
                                     "(RAG_MAX_UPLOAD_BYTES): split it into smaller documents")

    def _wait_for_slot(self) -> Callable[[], None]:
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while isinstance(release := try_acquire(self._ingests, deadline), int):
            time.sleep(release)
        return release
