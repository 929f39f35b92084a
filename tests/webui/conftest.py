"""A real browser (Debian's chromium, driven by Playwright) against a real `rag serve` on 127.0.0.1.

Chromium is installed with apt when missing (CI runs as root on a fresh machine); nothing downloads a browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import SEED, serve  # noqa: F401  (the `serve` fixture: rag serve on a free port)

CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium() -> Path:
    """Debian's chromium package, installed with apt-get when it is not there yet."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.fail(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium` (needs root)")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(serve) -> Iterator[str]:  # noqa: F811
    """One server for the module: the seed corpus in the default collection, the UI at /."""
    with serve(corpus=SEED) as url:
        yield url


@pytest.fixture
def api(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=60) as client:
        yield client
