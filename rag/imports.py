"""Import guards: torch stays out of a process that only answers (the ONNX embedder does not need it), and
optional accelerators a library would import but never use here stay out of the cold start."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def absent(*names: str) -> Iterator[None]:
    """While inside, `import <name>` fails as if the package were not installed; a package the process already
    has stays available."""
    hidden = [n for n in names if n not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # the import system raises ImportError for a None entry
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def torch_hidden():
    """thinc, under spaCy, imports torch when it can, and the small English pipeline never uses it."""
    return absent("torch")
