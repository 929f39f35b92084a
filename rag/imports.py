"""Import guards: torch stays out of a process that only answers (the ONNX embedder does not need it)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def torch_hidden() -> Iterator[None]:
    """While inside, `import torch` fails as if torch were not installed (thinc, under spaCy, imports it when it
    can, and the small English pipeline never uses it); a process that already has torch keeps it."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # the import system raises ImportError for a None entry
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
