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


@contextmanager
def langsmith_types_deferred() -> Iterator[None]:
    """For importing LangChain: its tracer schemas import langsmith, whose run trees read one enum from
    `langsmith.types`, a generated package that imports its 160 API models first (about 0.2 s of a cold
    `rag ask`; nothing here traces). Inside, `langsmith.types` is a bare package, so that one module loads
    alone; afterwards `import langsmith.types` loads the real package as usual (reusing what was loaded)."""
    if "langsmith.types" in sys.modules:
        yield
        return
    import importlib.util
    import types

    try:
        spec = importlib.util.find_spec("langsmith.types")
    except ImportError:  # no langsmith: LangChain's import reports that itself
        spec = None
    if spec is None or not spec.submodule_search_locations:
        yield
        return
    placeholder = types.ModuleType("langsmith.types")
    placeholder.__path__ = list(spec.submodule_search_locations)
    sys.modules["langsmith.types"] = placeholder
    try:
        yield
    finally:
        if sys.modules.get("langsmith.types") is placeholder:
            del sys.modules["langsmith.types"]
        langsmith = sys.modules.get("langsmith")
        if langsmith is not None and vars(langsmith).get("types") is placeholder:
            delattr(langsmith, "types")


def torch_hidden():
    """thinc, under spaCy, imports torch when it can, and the small English pipeline never uses it."""
    return absent("torch")


@contextmanager
def spacy_hidden_cli() -> Iterator[None]:
    """For importing spaCy: its package import loads its whole command line (typer, click, weasel, rich; about a
    quarter of spaCy's import) only to re-export `spacy.info`, which no pipeline uses. Inside, `spacy.cli` is a
    placeholder whose `info` imports the real one when called; afterwards `import spacy.cli` loads the real
    package as usual. torch is hidden too (thinc imports it when it can)."""
    if "spacy" in sys.modules:
        with torch_hidden():
            yield
        return
    import types

    def info(*args, **kwargs):
        from importlib import import_module

        return import_module("spacy.cli.info").info(*args, **kwargs)

    cli, cli_info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []  # a package, so `spacy.cli.info` resolves to the placeholder below
    cli_info.info = info
    cli.info = cli_info
    placeholders = {"spacy.cli": cli, "spacy.cli.info": cli_info}
    sys.modules.update(placeholders)
    try:
        with torch_hidden():
            yield
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is cli:
            del spacy.cli
