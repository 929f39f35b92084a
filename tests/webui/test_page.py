"""The page against a real server and a real browser: ask, progress, citations in their articles, disagreements,
abstention, payloads that stay text, collections, and a phone-width viewport."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rag.claims import parse_published
from tests.webui.conftest import SEED
from ui.examples import read_examples
from tests.webui.page import (TIMEOUT, ask, choose_collection, citation_labels, field, last_answer, open_manage,
                           open_page, result)

DISPUTED = "How many days before release would companies have shared their models?"
UNANSWERABLE = "What is the recipe for sourdough bread?"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_disputed_question_shows_progress_sides_and_every_quote_in_its_article(page, site, api):
    expected = api.post("/v1/ask", json={"question": DISPUTED}).json()
    assert expected["conflicts"], "the disputed question must produce conflicts for this test to mean anything"
    open_page(page, site)
    expect(page.locator("#examples")).to_contain_text(read_examples(SEED)[0][:30])  # the corpus's examples.txt
    ask(page, DISPUTED)

    seen = page.evaluate("window.__chatLog.map(e => e.text)")
    progress = next(i for i, t in enumerate(seen) if re.match(r"Searching \d+ articles?…", t))
    final = next(i for i, t in enumerate(seen) if t.startswith(expected["answer"].split("\n")[0]))
    assert progress < final, seen

    view = page.locator("#disagreements")
    expect(view).to_contain_text("Where the sources disagree")
    by_n = {c["n"]: c for c in expected["citations"]}
    blocks = view.locator(".dis-conflict")
    assert blocks.count() == len(expected["conflicts"])
    for i, conflict in enumerate(expected["conflicts"]):
        block = blocks.nth(i)
        expect(block.locator(".dis-aspect")).to_contain_text(conflict["aspect"])
        sides = block.locator(".dis-side")
        shown = {}
        for j in range(sides.count()):
            claim = re.sub(r"^\d+\.\s*", "", sides.nth(j).locator(".dis-claim").inner_text()).strip()
            items = sides.nth(j).locator(".dis-source")
            shown[claim] = [(int(items.nth(k).get_attribute("data-n")), items.nth(k).locator(".dis-date").inner_text(),
                             items.nth(k).locator(".dis-quote").inner_text()) for k in range(items.count())]
        assert set(shown) == {p["claim"] for p in conflict["positions"]}
        for position in conflict["positions"]:
            listed = shown[position["claim"]]
            assert [n for n, _, _ in listed] == position["citations"]
            for n, date, quote in listed:
                assert date == (by_n[n]["published"] or "undated")
                assert quote == by_n[n]["quote"]
        if conflict["kind"] == "later development":
            order = [min((d for n, _, _ in shown[c] if (d := parse_published(by_n[n]["published"]))), default=None)
                     for c in [re.sub(r"^\d+\.\s*", "", sides.nth(j).locator(".dis-claim").inner_text()).strip()
                               for j in range(sides.count())]]
            dated = [d for d in order if d is not None]
            assert dated == sorted(dated) and order == dated + [None] * (len(order) - len(dated))

    labels = citation_labels(page)
    assert labels.count() == len(expected["citations"])
    for i, citation in enumerate(expected["citations"]):
        if i == 0:
            labels.nth(0).click()
        else:  # the keyboard chooses too: Tab to the next citation, Space to open it
            page.locator("#citations input:checked").focus()
            page.keyboard.press("Tab")
            page.keyboard.press("Space")
        mark = page.locator(f'#source mark[data-citation="{citation["n"]}"]')
        expect(mark).to_have_count(1, timeout=TIMEOUT)
        assert mark.inner_text() == citation["quote"]
        source = api.get(f"/v1/sources/{citation['source_id']}").json()
        assert source["text"][citation["start"]:citation["end"]] == citation["quote"]
        expect(page.locator("#source .src-title")).to_have_text(source["title"] or "(untitled)")
        if source["published"]:
            expect(page.locator("#source .src-meta")).to_contain_text(source["published"])
        expect(mark).to_be_in_viewport(timeout=TIMEOUT)


def test_unanswerable_question_says_the_articles_do_not_answer(page, site, api):
    assert api.post("/v1/ask", json={"question": UNANSWERABLE}).json()["abstained"]
    open_page(page, site)
    ask(page, UNANSWERABLE)
    assert "do not answer" in last_answer(page)
    assert "rephras" in last_answer(page)
    expect(page.locator("#citations")).to_be_hidden()
    expect(page.locator("#disagreements .dis")).to_have_count(0)


PAYLOAD_HOST = "payload.invalid"
TEXT = (f'The harbour ferry zqxv <script>window.pwnScript=1;alert(1)</script> runs every 20 minutes. '
        f'<img src="http://{PAYLOAD_HOST}/onerror.png" onerror="window.pwnImg=1;alert(2)"> '
        f'[click me](javascript:window.pwnLink=1) ![tracker](http://{PAYLOAD_HOST}/md.png) '
        f'The zqxv ferry is free of charge on weekends.')
TITLE = f'Ferry zqxv <script>window.pwnTitle=1</script> ![t](http://{PAYLOAD_HOST}/title.png)'
QUESTION_PAYLOAD = (f'Is it free? <script>window.pwnQuestion=1</script> <img src="http://{PAYLOAD_HOST}/q.png" '
                    f'onerror="window.pwnQuestion=1"> [x](javascript:window.pwnQuestion=1) '
                    f'![q](http://{PAYLOAD_HOST}/q2.png)')
OUTLET = f'<img src=x onerror="window.pwnOutlet=1"> [o](javascript:window.pwnOutlet=1)'


def test_payloads_stay_text_and_collections_keep_their_answers_apart(page, site, api):
    requests, dialogs = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("**/*", lambda route: (requests.append(route.request.url), route.abort())
               if PAYLOAD_HOST in route.request.url or not route.request.url.startswith(site)
               else route.continue_())
    open_page(page, site)
    open_manage(page)
    field(page, "new-name").fill("payloads")
    page.locator("#create").click()
    result(page, "Created “payloads”")
    expect(page.locator("#notice")).to_contain_text("no documents yet")
    ask(page, "Is the ferry free?")
    assert "no documents yet" in last_answer(page)

    field(page, "paste-text").fill(TEXT)
    field(page, "paste-title").fill(TITLE)
    field(page, "paste-outlet").fill(OUTLET)
    field(page, "paste-url").fill("javascript:window.pwnUrl=1")
    page.locator("#add").click()
    result(page, "Indexed into “payloads”: 1 added")
    expect(page.locator("#notice")).to_contain_text("1 article")

    ask(page, "Is the zqxv ferry free of charge?")
    expected = api.post("/v1/ask", json={"question": "Is the zqxv ferry free of charge?",
                                         "collection": "payloads"}).json()
    assert expected["citations"], expected
    citation_labels(page).first.click()
    expect(page.locator("#source mark")).to_have_count(1, timeout=TIMEOUT)
    source = api.get(f"/v1/sources/{expected['citations'][0]['source_id']}", params={"collection": "payloads"}).json()
    assert page.locator("#source .src-text").inner_text() == source["text"]
    assert page.locator("#source .src-title").inner_text() == source["title"]  # as stored (ingest cleans fields)
    assert f"](http://{PAYLOAD_HOST}/" in source["title"]
    if source["outlet"]:
        expect(page.locator("#source .src-meta")).to_contain_text(source["outlet"])
        expect(citation_labels(page).first).to_contain_text(source["outlet"])
    expect(page.locator("#examples")).to_contain_text(f"“{source['title'][:20]}")  # shown shortened
    assert page.locator("#source a, #citations a, #chat a, #disagreements a").count() == 0
    ask(page, QUESTION_PAYLOAD)  # the question itself is shown back, as text
    expect(page.locator('#chat [data-testid="user"]').last).to_have_text(QUESTION_PAYLOAD)
    assert page.locator("#chat img, #chat script, #source img, #citations img, #disagreements img").count() == 0
    for global_name in ("pwnQuestion", "pwnScript", "pwnImg", "pwnLink", "pwnTitle", "pwnOutlet", "pwnUrl"):
        assert page.evaluate(f"window.{global_name}") is None, global_name
    assert dialogs == [] and requests == []

    payload_texts = {s["source_id"]: api.get(f"/v1/sources/{s['source_id']}", params={"collection": "payloads"})
                     .json()["text"] for s in api.get("/v1/sources", params={"collection": "payloads"}).json()}
    seed_texts = [api.get(f"/v1/sources/{s['source_id']}").json()["text"] for s in api.get("/v1/sources").json()]
    for quote in quotes_shown(page):
        assert any(quote in t for t in payload_texts.values()) and not any(quote in t for t in seed_texts)

    choose_collection(page, "default")
    ask(page, DISPUTED)
    shown = quotes_shown(page)
    assert shown
    for quote in shown:
        assert any(quote in t for t in seed_texts) and not any(quote in t for t in payload_texts.values())


def quotes_shown(page) -> list[str]:
    labels = citation_labels(page)
    return [re.search(r"— “(.*)”$", labels.nth(i).inner_text(), re.S).group(1) for i in range(labels.count())]


def test_phone_width_stacks_every_part_under_the_chat(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_page(page, site)
        ask(page, DISPUTED)
        citation_labels(page).first.click()
        expect(page.locator("#source mark")).to_have_count(1, timeout=TIMEOUT)
        boxes = {name: page.locator(sel).bounding_box() for name, sel in
                 (("chat", "#chat"), ("citations", "#citations"), ("disagreements", "#disagreements .dis"),
                  ("source", "#source .src-text"), ("question", "#question"))}
        for name, box in boxes.items():
            assert box and box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, (name, box)
        assert boxes["disagreements"]["y"] >= boxes["chat"]["y"] + boxes["chat"]["height"]
        assert boxes["source"]["y"] >= boxes["disagreements"]["y"] + boxes["disagreements"]["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
