"""Documents sent to POST /v1/collections/{name}/documents -> Articles, all checked before anything is stored.

Two forms: JSON `{"documents": [...]}` (text canonicalised like a .txt file) or a multipart upload of one .txt,
.md or .html file. The request body is size-limited by limits.BodyLimit while it is read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from rag.errors import IngestError, InvalidInputError, SourceIdTakenError
from rag.ingest import SUFFIXES, parse_document
from rag.names import check_source_id, slug
from rag.sanitize import clean_field
from rag.schemas import UPLOAD_FIELDS, DocumentsIn
from rag.types import Article

_PLAIN_NAME = re.compile(r"^[^/\\\x00-\x1f\x7f]{1,255}$")
_METADATA = ("title", "outlet", "published", "url")


@dataclass(frozen=True)
class FileUpload:
    filename: str
    raw: bytes
    fields: dict[str, str]


async def receive_documents(request: Request) -> bytes | FileUpload:
    """Read the body (BodyLimit stops it at the size limit): JSON bytes, or the one uploaded file and its fields."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        return await request.body()
    if media == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=len(UPLOAD_FIELDS), max_part_size=64 * 1024)
        try:
            return await _file_upload(form)
        finally:
            await form.close()
    raise HTTPException(415, f"content type {media or '(none)'!r} is not accepted; send application/json "
                             "{\"documents\": [...]} or multipart/form-data with a 'file' part")


@dataclass(frozen=True)
class Parsed:
    """The articles of one request, and which of their ids were made from a name rather than sent."""

    articles: list[Article]
    derived: frozenset[str]


def parse_documents(received: bytes | FileUpload) -> Parsed:
    """Turn what receive_documents read into Articles (CPU work: run it off the event loop)."""
    if isinstance(received, FileUpload):
        fields = received.fields
        source_id = check_source_id(fields["id"]) if "id" in fields else None
        overrides = {k: v for k, v in fields.items() if k in _METADATA}
        articles = _unique(parse_document(received.filename, received.raw, overrides=overrides,
                                          origin=clean_field(f"upload:{received.filename}"), source_id=source_id))
        return Parsed(articles, frozenset(a.id for a in articles if source_id is None or a.embedded_in))
    return articles_from_json(received)


def check_identity(parsed: Parsed, existing: dict[str, Article]) -> None:
    """A made-up id already held by a document from another name is refused (409), never silently replaced;
    an id the client sent is an update by definition."""
    for article in parsed.articles:
        held = existing.get(article.id)
        if held is not None and article.id in parsed.derived and held.origin != article.origin:
            where = held.origin.removeprefix("upload:") or "another document"
            raise SourceIdTakenError(
                f"source id {article.id!r} (made from the name of {article.origin.removeprefix('upload:')!r}) "
                f"is already used by {where!r}; send an explicit 'id' to replace that source, or a new one to "
                "add this document beside it")


def articles_from_json(body: bytes) -> Parsed:
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"request body is not UTF-8 JSON (byte {exc.start})") from None
    except ValueError as exc:
        raise HTTPException(400, f"request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise HTTPException(400, "request body is JSON nested too deeply") from None
    try:
        documents = DocumentsIn.model_validate(data).documents
    except ValidationError as exc:
        raise RequestValidationError([e | {"loc": ("body", *e["loc"])}
                                      for e in exc.errors(include_url=False, include_input=False)]) from None
    articles: list[Article] = []
    derived: set[str] = set()
    for doc in documents:
        source_id = check_source_id(doc.id or slug(doc.title))
        overrides = {k: v for k in _METADATA if (v := getattr(doc, k)) is not None}
        origin = clean_field(f"upload:{doc.id or doc.title}")
        found = parse_document(f"{source_id}.txt", doc.text, overrides=overrides, origin=origin, source_id=source_id)
        derived |= {a.id for a in found if doc.id is None or a.embedded_in}
        articles.extend(found)
    return Parsed(_unique(articles), frozenset(derived))


async def _file_upload(form: FormData) -> FileUpload:
    unknown = sorted(set(form.keys()) - {"file", *UPLOAD_FIELDS})
    if unknown:
        raise InvalidInputError(f"unknown form field {unknown[0]!r}; send 'file' and optionally "
                                f"{', '.join(UPLOAD_FIELDS)}")
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInputError("the upload needs a 'file' part carrying a file (with a file name)")
    filename = check_file_name(upload.filename or "")
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise HTTPException(415, f"{filename}: unsupported file type {suffix or '(none)'}; "
                                 f"upload {', '.join(sorted(SUFFIXES))}")
    fields: dict[str, str] = {}
    for name in UPLOAD_FIELDS:
        value = form.get(name)
        if isinstance(value, UploadFile):
            raise InvalidInputError(f"form field {name!r} must be text, not a file")
        if value is not None:
            fields[name] = value
    return FileUpload(filename=filename, raw=await upload.read(), fields=fields)


def check_file_name(name: str) -> str:
    """A plain file name: no folders, no leading dot, no control characters (it names the source, never a path)."""
    if not _PLAIN_NAME.match(name) or name.startswith(".") or ".." in name or not name.strip():
        raise InvalidInputError(f"file name {name!r} is not allowed; send a plain name like 'article.txt' "
                                "(no folders, no leading dot, no '..', no control characters)")
    return name


def _unique(articles: list[Article]) -> list[Article]:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise IngestError(f"source id {article.id!r} is used by two documents in this request; give each an 'id'")
        seen.add(article.id)
    return articles
