"""Screenshots of the page answering a disputed question (disagreements and a highlighted source), desktop and phone.

    make screenshots      # or: .venv/bin/python docs/screenshots.py
Starts its own `rag serve` on the seed corpus (127.0.0.1, a free port, a temporary store), stopped by PID.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webui.conftest import ensure_chromium  # noqa: E402
from tests.webui.page import ask, citation_labels, open_page, started_server  # noqa: E402

QUESTION = "How many days before release would companies have shared their models?"
SHOTS = {"ui-desktop.png": {"width": 1280, "height": 1000}, "ui-phone.png": {"width": 390, "height": 844}}


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, started_server(Path(tmp)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=["--no-sandbox"])
        for name, viewport in SHOTS.items():
            phone = viewport["width"] < 600
            context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone)
            page = context.new_page()
            open_page(page, server.url)
            ask(page, QUESTION)
            citation_labels(page).nth(0).click()
            page.locator("#source mark").wait_for()
            page.evaluate("document.querySelector('#source mark').scrollIntoView({block: 'center'})")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ROOT / "docs" / name), full_page=True)
            print(f"wrote docs/{name}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
