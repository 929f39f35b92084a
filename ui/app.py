"""The page, built from the pipeline's plain calls and mounted at / on the API's FastAPI app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import gradio as gr
from fastapi import FastAPI

from rag.auth import BearerAuth
from rag.ingest import SUFFIXES
from rag.limits import Capacity
from rag.pipeline import Pipeline
from rag.settings import Settings
from ui.chat import Asker
from ui.collections import Librarian
from ui.examples import from_titles, read_examples
from ui.render import esc
from ui.sources import EMPTY, source_html

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
SCROLL_TO_QUOTE = """() => { requestAnimationFrame(() => {
  const m = document.querySelector('#source mark');
  if (m) { m.scrollIntoView({block: 'center', behavior: 'instant'}); }
}); }"""
INTRO = ("Ask about the articles. Every answer is made of verbatim quotes with numbered citations; "
         "when the sources disagree, the answer says so and shows every side.")


def build(pipeline: Callable[[], Pipeline], settings: Settings, auth: BearerAuth, *, asks: Capacity,
          ingests: Capacity, add: Callable, corpus_dir: Callable[[], Path | None]) -> gr.Blocks:
    asker = Asker(pipeline, asks, auth)
    librarian = Librarian(pipeline, ingests, auth, add, max_upload_bytes=settings.max_upload_bytes,
                          default=settings.collection)

    def examples(collection: str) -> list[list[str]]:
        questions = read_examples(corpus_dir()) if collection == settings.collection else []
        if not questions and not auth.protects_reads:  # titles are reads: not shown before the token is checked
            questions = from_titles(pipeline().articles(collection))
        return [[q] for q in questions]

    def notice(collection: str) -> str:
        count = len(pipeline().articles(collection))
        if count:
            return f'<div class="notice">Asking “{esc(collection)}”: {count} article{"s" * (count != 1)}.</div>'
        return (f'<div class="notice">The collection “{esc(collection)}” has no documents yet. Open '
                '“Collections and documents” below to add some.</div>')

    def refresh(collection: str):
        return gr.Dataset(samples=examples(collection)), notice(collection)

    def on_load():
        return librarian.selector(), gr.Dataset(samples=examples(settings.collection)), notice(settings.collection)

    def switch(collection: str):
        collection = collection or settings.collection
        return ([], [], None, gr.Radio(choices=[], value=None, visible=False), "", EMPTY,
                gr.Dataset(samples=examples(collection)), notice(collection))

    def choose(n: int | None, state: dict | None) -> str:
        if n is None or not state:
            return EMPTY
        citation = next((c for c in state["answer"]["citations"] if c["n"] == n), None)
        if citation is None:
            return EMPTY
        article = pipeline().source(citation["source_id"], state["collection"])
        return source_html(article, citation["start"], citation["end"], n)

    with gr.Blocks(title="Conflict-aware news Q&A", analytics_enabled=False) as blocks:
        turns = gr.State([])
        answer = gr.State(None)
        gr.HTML(f'<h2 style="margin:0">Conflict-aware news Q&amp;A</h2><div class="intro">{esc(INTRO)}</div>')
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                with gr.Row():
                    collection = gr.Dropdown(label="Collection", choices=[], value=None, allow_custom_value=False,
                                             elem_id="collection", scale=3)
                    token = gr.Textbox(label="API token", type="password", visible=auth.protects_writes,
                                       elem_id="token", scale=2)
                status = gr.HTML(elem_id="notice")
                chat = gr.Chatbot(elem_id="chat", label="Answers", show_label=False, render_markdown=False, sanitize_html=True,
                                  allow_tags=False, feedback_options=None, height=520, autoscroll=True,
                                  allow_file_downloads=False, buttons=["copy"])
                question = gr.Textbox(elem_id="question", show_label=False, lines=1, max_lines=6,
                                      placeholder="Ask about the articles (Enter sends, Shift+Enter adds a line)",
                                      max_length=settings.max_question_chars, submit_btn="Ask", autofocus=True)
                hidden = gr.Textbox(visible=False)
                starters = gr.Dataset(components=[hidden], samples=[], label="Try asking", elem_id="examples",
                                      samples_per_page=6)
                citations = gr.Radio(choices=[], label="Citations", visible=False, elem_id="citations")
            with gr.Column(scale=2, min_width=340):
                disagreements = gr.HTML(elem_id="disagreements")
                source = gr.HTML(EMPTY, elem_id="source", label="Source")
        with gr.Accordion("Collections and documents", open=False, elem_id="manage"):
            with gr.Row():
                new_name = gr.Textbox(label="New collection name", elem_id="new-name",
                                      placeholder="lowercase letters, digits, - and _", scale=3)
                create = gr.Button("Create collection", elem_id="create", scale=1)
            upload = gr.File(label="Upload an article (.txt, .md, .html)", file_types=sorted(SUFFIXES),
                             type="filepath", elem_id="upload")
            pasted = gr.Textbox(label="…or paste its text", lines=5, elem_id="paste-text")
            with gr.Row():
                title = gr.Textbox(label="Title", elem_id="paste-title")
                outlet = gr.Textbox(label="Outlet", elem_id="paste-outlet")
                published = gr.Textbox(label="Published (as printed)", elem_id="paste-published")
                url = gr.Textbox(label="URL", elem_id="paste-url")
            add = gr.Button("Add to the selected collection", variant="primary", elem_id="add")
            result = gr.Textbox(label="Result", interactive=False, elem_id="manage-result")

        pending = gr.State(None)
        searching = ([question, chat, turns, collection, token], [chat, pending, citations, disagreements, source,
                                                                   question])
        answering = ([pending, chat, turns], [chat, turns, answer, citations, disagreements])
        question.submit(asker.search, *searching, show_progress="hidden").then(
            asker.answer, *answering, show_progress="hidden")
        starters.click(lambda sample: sample[0], starters, question).then(
            asker.search, *searching, show_progress="hidden").then(asker.answer, *answering, show_progress="hidden")
        citations.change(choose, [citations, answer], source).then(None, js=SCROLL_TO_QUOTE)
        collection.change(switch, collection, [chat, turns, answer, citations, disagreements, source, starters, status])
        create.click(librarian.create, [new_name, token], [result, collection])
        add.click(librarian.add, [collection, upload, pasted, title, outlet, published, url, token],
                  [result, collection]).then(refresh, collection, [starters, status])
        blocks.load(on_load, None, [collection, starters, status])
    blocks.queue(default_concurrency_limit=settings.max_concurrent_asks)
    return blocks


def mount(app: FastAPI, settings: Settings, auth: BearerAuth) -> FastAPI:
    """Serve the page at / after the API's routes, so /v1, /docs and /healthz keep answering."""
    blocks = build(lambda: app.state.pipeline, settings, auth, asks=app.state.asks, ingests=app.state.ingests,
                   add=app.state.add_checked,
                   corpus_dir=lambda: getattr(app.state, "corpus_dir", None) or settings.corpus_dir)
    return gr.mount_gradio_app(app, blocks, path="/", max_file_size=settings.max_upload_bytes, ssr_mode=False,
                               footer_links=[], allowed_paths=None, show_error=True, css=CSS)
