"""Cold start: loads a first answer needs that do not depend on each other run side by side.

Chroma reads a collection's indexes on the collection's first use, in native code that lets go of Python's
lock, so that read proceeds while the rest of the pipeline (spaCy's model, the ONNX session) loads in Python.
Nothing here changes an answer: a background step only does early, and read-only, what answering does anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Background:
    """Steps started now and joined before what they use is closed. A step that fails is ignored: answering
    does the same step itself and reports what goes wrong there."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def start(self, step: Callable[..., object], *args: object) -> None:
        def run() -> None:
            try:
                step(*args)
            except Exception:  # noqa: BLE001  (see the class docstring)
                pass

        thread = threading.Thread(target=run, name=f"warm-up {getattr(step, '__name__', 'step')}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self) -> None:
        for thread in self._threads:
            thread.join()
        self._threads.clear()
