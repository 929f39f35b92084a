"""What the page shows from untrusted values, checked without a browser: links, labels, the order of later
developments, and the highlighted span."""

from __future__ import annotations

import re

from rag.types import Article
from ui.disagreements import disagreements_html
from ui.render import label, link, safe_url
from ui.sources import source_html


def test_only_http_and_https_urls_become_links():
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "//evil.example/x",
                "vbscript:x", "https://ok.example/\"><script>", "ftp://files.example/x", ""):
        assert safe_url(bad) is None, bad
        assert "<a " not in link(bad)
    assert safe_url("https://news.example/a?b=1") == "https://news.example/a?b=1"
    assert link("http://news.example/a").startswith('<a href="http://news.example/a"')


def test_labels_are_names_a_reader_can_use_never_a_bare_file_id():
    assert label({"label": "", "outlet": "Coastal Ledger", "title": "T"}) == "Coastal Ledger"
    assert label({"outlet": "", "title": "Ferry hours"}) == "Ferry hours"
    assert label({"outlet": "", "title": "", "source_id": "001_c068f9ac6d9436cc"},
                 "Postponement and stated rationale\nU.S. President") == "Postponement and stated rationale"
    assert label({"outlet": "001_c068f9ac6d9436cc", "title": ""}, "Harbor news today") == "Harbor news today"


def test_later_developments_are_in_date_order_with_undated_ones_last_and_marked():
    citations = [{"n": 1, "source_id": "a", "published": "", "quote": "q1", "outlet": "Undated Weekly"},
                 {"n": 2, "source_id": "b", "published": "May 21, 2026", "quote": "q2", "outlet": "Later Daily"},
                 {"n": 3, "source_id": "c", "published": "5/16/2026, 1:00:00 PM", "quote": "q3", "outlet": "Early"}]
    conflict = {"aspect": "the length of time", "kind": "later development", "note": "",
                "positions": [{"claim": "undated claim", "citations": [1]}, {"claim": "later claim", "citations": [2]},
                              {"claim": "early claim", "citations": [3]}]}
    html = disagreements_html([conflict], citations, {})
    claims = re.findall(r'class="dis-claim">(?:<span class="dis-step">\d+\.</span> )?([^<]+)<', html)
    assert claims == ["early claim", "later claim", "undated claim"]
    assert '<span class="dis-date" data-undated="1">undated</span>' in html


def test_the_highlight_is_exactly_the_cited_span_and_the_text_stays_text():
    text = 'Intro <b>bold</b>. The ferry is free. <script>x()</script>'
    start = text.index("The ferry")
    end = start + len("The ferry is free.")
    html = source_html(Article(id="a", text=text, title="<img src=x onerror=y()>", url="javascript:z()"), start, end, 2)
    assert '<mark class="src-quote" data-citation="2">The ferry is free.</mark>' in html
    assert "<script>" not in html and "<b>" not in html and "<img" not in html and "<a " not in html
