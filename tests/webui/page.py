"""What a test does on the page, in the words of a reader: ask, read the answer, open citations, manage collections."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.api.conftest import SEED, Process, free_port

TIMEOUT = 30_000
# Every text the newest answer bubble shows, in order and timed (recorded by the page itself, so no intermediate
# state is missed), and when Enter was last pressed in the question box.
RECORD_CHAT = """
window.__chatLog = [];
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && e.target.closest('#question')) window.__enterAt = performance.now();
}, true);
new MutationObserver(() => {
  const bots = document.querySelectorAll('#chat [data-testid="bot"]');
  const text = bots.length ? bots[bots.length - 1].innerText : '';
  const log = window.__chatLog, last = log[log.length - 1];
  if (text && (!last || last.text !== text || last.n !== bots.length)) {
    log.push({t: performance.now(), n: bots.length, text});
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def open_page(page: Page, url: str) -> None:
    page.add_init_script(RECORD_CHAT)
    page.goto(url)
    expect(page.locator("#collection input")).not_to_have_value("", timeout=TIMEOUT)


def ask(page: Page, question: str) -> None:
    """Type the question and press Enter; returns once the answer (not the progress) is on the page."""
    before = page.locator('#chat [data-testid="bot"]').count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator('#chat [data-testid="bot"]')).to_have_count(before + 1, timeout=TIMEOUT)
    expect(page.locator('#chat [data-testid="bot"]').last).not_to_have_text(
        re.compile(r"^(Searching|The server is busy)"), timeout=TIMEOUT)


def last_answer(page: Page) -> str:
    return page.locator('#chat [data-testid="bot"]').last.inner_text()


def citation_labels(page: Page):
    return page.locator("#citations label")


def open_manage(page: Page) -> None:
    if not page.locator("#add").is_visible():
        page.get_by_role("button", name="Collections and documents").click()
    expect(page.locator("#add")).to_be_visible()


def field(page: Page, elem_id: str):
    return page.locator(f"#{elem_id}").locator("textarea, input").first


def result(page: Page, pattern: str) -> str:
    box = field(page, "manage-result")
    expect(box).to_have_value(re.compile(pattern), timeout=TIMEOUT)
    return box.input_value()


def choose_collection(page: Page, name: str) -> None:
    box = page.locator("#collection input")
    box.click()
    page.get_by_role("option", name=re.compile(rf"^{re.escape(name)} \(")).click()
    expect(page.locator("#notice")).to_contain_text(f"“{name}”", timeout=TIMEOUT)


@contextlib.contextmanager
def started_server(tmp: Path, *, corpus: Path = SEED, **env: str) -> Iterator[Process]:
    """`rag serve` on 127.0.0.1:<free port> over a store in tmp (its base URL in `.url`) once ready; stopped by PID."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--corpus",
            str(corpus)]
    server = Process(args, env={"RAG_STORE": str(tmp / "store")} | env, log=tmp / "server.log")
    server.url = url = f"http://127.0.0.1:{port}"
    try:
        server.wait_until(lambda: httpx.get(f"{url}/readyz", timeout=5).status_code == 200)
        yield server
    finally:
        server.stop()
