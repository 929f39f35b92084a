import re

from rag.canonical import canonical_from_html, canonical_from_text, strip_inline_markup
from rag.ingest import load_corpus

from conftest import SEED

WORD = re.compile(r"[A-Za-z0-9]+")


def test_cite_tags_escapes_links_and_images_are_removed_words_kept():
    raw = ('(cite index="3-10,3-11">Trump said it was "delayed."</cite> per[CNN](https://cnn.com/x) and '
           'GPT\\-5\\.5 in D\\.C\\. ![Photo](https://img/x.jpg)**Image Credits:**Getty')
    assert strip_inline_markup(raw) == 'Trump said it was "delayed." per CNN and GPT-5.5 in D.C. Image Credits:Getty'


def test_links_glued_to_words_are_separated_not_merged():
    assert strip_inline_markup("according to[several](https://a)[reports](https://b).") == "according to several reports."


def test_escaped_underscore_is_not_split():
    assert strip_inline_markup(r"snake\_case") == "snake_case"


def test_newsletter_related_and_reference_lists_are_dropped():
    page = canonical_from_text("Body sentence one.\n\n### Newsletters Subscribe for news ## Related ## Latest in Policy\n\n"
                               "Cross-references\n\nSources\n\n  1. [1]\n    Some other headline")
    assert page.text == "Body sentence one."


def test_embedded_blurb_becomes_its_own_article():
    articles = {a.id: a for a in load_corpus(SEED)}
    host, blurb = articles["004_23f6249daf0a2d12"], articles["004_23f6249daf0a2d12-similar-1"]
    assert "Finally Signed" not in host.text and "30-day early access" not in host.text
    assert blurb.title == "This Is How Trump Finally Signed the AI Executive Order"
    assert blurb.outlet == "Wired" and "30-day early access" in blurb.text
    assert blurb.published == "" and blurb.url == ""  # the blurb shows neither; nothing is guessed


def test_seed_canonical_words_are_the_files_words_in_order():
    """Canonicalisation only removes: every canonical word appears in the raw file, in the same order."""
    for article in load_corpus(SEED):
        raw = open(article.origin, encoding="utf-8").read().replace("\\", "")
        raw_words = WORD.findall(raw)
        position = 0
        for word in WORD.findall(article.text):
            while position < len(raw_words) and raw_words[position] != word:
                position += 1
            assert position < len(raw_words), f"{article.id}: {word!r} is not in the file (in order)"
            position += 1


def test_seed_has_no_markup_left():
    for article in load_corpus(SEED):
        for leftover in ("(cite index", "</cite>", "\\", "](http", "**", "### "):
            assert leftover not in article.text, (article.id, leftover)


def test_html_keeps_article_text_and_drops_chrome():
    html = """<html><head><title>T | Site</title><meta property="og:site_name" content="Harbor Times">
    <meta property="article:published_time" content="2026-03-10T08:00:00Z"><link rel="canonical" href="https://x.org/a">
    </head><body><nav>Home News</nav><article><h1>Bridge closes</h1><p>The bridge <b>closes</b> Monday.</p>
    <aside class="related">Other story</aside></article><footer>Subscribe now</footer></body></html>"""
    page, meta = canonical_from_html(html)
    assert page.text == "Bridge closes\n\nThe bridge closes Monday."
    assert meta == {"title": "Bridge closes", "outlet": "Harbor Times", "published": "2026-03-10T08:00:00Z",
                    "url": "https://x.org/a"}


def test_page_chrome_is_recognised_by_its_shape_not_by_one_site_s_words():
    """Link and button text after prose, a label with a time stamp, a numbered list of link references."""
    page = canonical_from_text("Harbor news\n\nThe ferry runs every hour during the closure, the city said.\n"
                               "Print Page\nEmail This Story\n\nLast updated: 3/9/26, 7:45 AM\n\nWhat comes next\n\n"
                               "Crews start work on Monday.\n\nSee also\n\nFurther links\n\n1. [1]\n  Another headline")
    assert page.text == ("Harbor news\n\nThe ferry runs every hour during the closure, the city said.\n\n"
                         "What comes next\n\nCrews start work on Monday.")
    assert {"Print Page", "Email This Story", "Last updated: 3/9/26, 7:45 AM", "See also", "Another headline"} <= set(
        page.chrome)


def test_any_tag_left_in_plain_text_is_removed_words_kept():
    assert strip_inline_markup('(span class="x">The bridge</span> closes <em>Monday</em>.') == "The bridge closes Monday."
