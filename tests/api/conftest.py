"""The real app over HTTP: in-process (TestClient over the real pipeline) for the many error paths, and real
`rag serve` / `chroma run` processes on 127.0.0.1 for end-to-end, limits, fuzzing and the Chroma-server mode.

In-process apps share the session's one embedding model (the `embedder` fixture of tests/conftest.py); each
server process loads its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1"}
for _name, _value in OFFLINE.items():
    os.environ.setdefault(_name, _value)

import httpx  # noqa: E402
import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from rag.api import create_app  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HARBOR = ROOT / "tests" / "corpora" / "harbor"
SEED = ROOT / "corpus" / "articles"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def harbor_corpus() -> Path:
    """Five short articles about one bridge closure that disagree on dates, length, fares and inspectors."""
    return HARBOR


@pytest.fixture(scope="session")
def seed_corpus() -> Path:
    return SEED


@pytest.fixture
def make_client(tmp_path: Path, embedder) -> Iterator[Callable[..., TestClient]]:
    """make_client(**settings) -> a TestClient running the real app over a fresh store holding the harbor corpus."""
    with contextlib.ExitStack() as stack:
        count = 0

        def make(**overrides) -> TestClient:
            nonlocal count
            count += 1
            # the web UI is tested in tests/webui; mounting it costs ~2 s per in-process app
            values = {"store": tmp_path / f"store{count}", "corpus_dir": HARBOR, "ui": False} | overrides
            settings = Settings(**values)
            pipeline = Pipeline.from_settings(settings, embedder=embedder)
            stack.callback(pipeline.close)
            return stack.enter_context(TestClient(create_app(settings, pipeline=pipeline)))

        yield make


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


# real processes ------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server we started: its PID, its log, and a way to stop exactly it."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.url = ""
        self.log = log
        self._log_file = log.open("wb")
        self.proc = subprocess.Popen(args, env=os.environ | OFFLINE | env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid

    def wait_until(self, ready: Callable[[], bool], *, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pid {self.pid} exited with {self.proc.returncode}:\n{self.output()}")
            with contextlib.suppress(httpx.HTTPError):
                if ready():
                    return
            time.sleep(0.2)
        raise TimeoutError(f"pid {self.pid} not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        """Terminate this process (by its PID, via its Popen handle) and wait for it; kill it if it lingers."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if not self._log_file.closed:
            self._log_file.close()


@pytest.fixture(scope="session")
def serve(tmp_path_factory) -> Callable[..., contextlib.AbstractContextManager[str]]:
    """serve(corpus=None, **RAG_env) -> context manager: `rag serve` on 127.0.0.1:<free port>, yielding its base
    URL once /readyz answers 200, stopped by PID on exit."""

    @contextlib.contextmanager
    def start(*, corpus: Path | None = None, **env: str) -> Iterator[str]:
        tmp = tmp_path_factory.mktemp("api")
        port = free_port()
        args = [sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        if corpus is not None:
            args += ["--corpus", str(corpus)]
        server = Process(args, env={"RAG_STORE": str(tmp / "store")} | env, log=tmp / "server.log")
        url = f"http://127.0.0.1:{port}"
        try:
            server.wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200)
            yield url
        finally:
            server.stop()

    return start


@pytest.fixture(scope="module")
def chroma(tmp_path_factory) -> Iterator[Process]:
    """A real `chroma run` on 127.0.0.1:<free port> (its URL in `.url`), stopped by PID after the module."""
    command = BIN / "chroma"
    if not command.exists():
        pytest.fail(f"{command} not found: chromadb's `chroma` command is needed for the Chroma-server tests")
    tmp = tmp_path_factory.mktemp("chroma")
    port = free_port()
    server = Process([str(command), "run", "--path", str(tmp / "data"), "--host", "127.0.0.1", "--port", str(port)],
                     env={}, log=tmp / "chroma.log")
    server.url = f"http://127.0.0.1:{port}"
    try:
        server.wait_until(lambda: httpx.get(f"{server.url}/api/v2/heartbeat", timeout=5).status_code == 200, timeout=60)
        yield server
    finally:
        server.stop()


def parse_events(body: str) -> list[tuple[str, dict]]:
    """A text/event-stream body as (event, data) pairs."""
    found = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if lines:
            name = next((line[6:].strip() for line in lines if line.startswith("event:")), "message")
            found.append((name, json.loads("\n".join(line[5:].lstrip() for line in lines if line.startswith("data:")))))
    return found


@pytest.fixture(scope="session")
def sse() -> Callable[[str], list[tuple[str, dict]]]:
    return parse_events
