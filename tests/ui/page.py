"""What a test does on the page, in the words of a reader: ask, read the answer, open citations, manage collections."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

TIMEOUT = 30_000
# Every text the chat shows, in order (recorded by the page itself, so no intermediate state is missed).
RECORD_CHAT = """
window.__chatTexts = [];
new MutationObserver(() => {
  const chat = document.querySelector('#chat');
  if (!chat) return;
  const last = chat.querySelectorAll('[data-testid="bot"]');
  const text = last.length ? last[last.length - 1].innerText : '';
  const seen = window.__chatTexts;
  if (text && seen[seen.length - 1] !== text) seen.push(text);
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
        page.get_by_text("Collections and documents").click()
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
