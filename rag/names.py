"""Which collection names and source ids are safe to use as store keys and URL path parts."""

from __future__ import annotations

import hashlib
import re

from rag.errors import InvalidInputError

_COLLECTION = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
_SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def check_collection_name(name: str) -> str:
    if not isinstance(name, str) or not _COLLECTION.match(name) or "__" in name:
        raise InvalidInputError(
            f"collection name {name!r} is not allowed: use 1-48 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit, without '__'")
    return name


def check_source_id(source_id: str) -> str:
    if not isinstance(source_id, str) or not _SOURCE_ID.match(source_id) or ".." in source_id:
        raise InvalidInputError(
            f"source id {source_id!r} is not allowed: use 1-128 letters, digits, '.', '-' or '_'")
    return source_id


def slug(text: str, fallback: str = "doc") -> str:
    """A source id made from a file name or title; a name with no ASCII letters or digits gets a short hash of
    itself, so that two such names do not both become the fallback."""
    value = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:100]
    if value:
        return value
    return f"{fallback}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}" if text.strip() else fallback
