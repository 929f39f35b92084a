"""With RAG_API_TOKEN set, writes from the page need the token, typed into a password field, never in a URL."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.webui.page import field, open_manage, open_page, result

TOKEN = "ui-test-token-5b1f"


def test_writes_from_the_page_need_the_token(browser, serve):
    with serve(RAG_API_TOKEN=TOKEN) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        urls = []
        page.on("request", lambda r: urls.append(r.url))
        try:
            open_page(page, url)
            token = page.locator("#token input")
            expect(token).to_have_attribute("type", "password")
            open_manage(page)
            field(page, "new-name").fill("guarded")
            page.locator("#create").click()
            result(page, "401")
            token.fill("not-the-token")
            page.locator("#create").click()
            result(page, "401 — the bearer token is not the server's RAG_API_TOKEN")
            token.fill(TOKEN)
            page.locator("#create").click()
            result(page, "Created “guarded”")
            assert not any(TOKEN in u for u in urls) and TOKEN not in page.url
        finally:
            context.close()
