import pytest

from rag.errors import IngestError
from rag.ingest import load_corpus, parse_document

from conftest import HARBOR, SEED


def test_seed_metadata_is_what_each_page_shows():
    articles = {a.id: a for a in load_corpus(SEED)}
    assert len(articles) == 6
    assert articles["003_0ea248b1e0ae86b7"].published == "5/16/2026, 1:00:00 PM"
    assert articles["003_0ea248b1e0ae86b7"].outlet == "AIDB"
    assert articles["004_23f6249daf0a2d12"].url.startswith("https://techcrunch.com/2026/05/21/")
    assert articles["001_c068f9ac6d9436cc"].title == ""  # the page shows no headline


def test_plain_text_heuristics_without_sidecar():
    raw = "A headline for the story\n\nMarch 4, 2026, 6:40 PM · Coastal Ledger\n\nFirst sentence here. Second one."
    [article] = parse_document("x.txt", raw)
    assert (article.title, article.published, article.outlet) == ("A headline for the story", "March 4, 2026, 6:40 PM",
                                                                  "Coastal Ledger")
    assert "6:40 PM" not in article.text  # the dateline is page chrome, kept as metadata


def test_markdown_front_matter():
    raw = "---\ntitle: Bridge\noutlet: Gazette\npublished: '2026-03-02'\nurl: https://g.org/b\n---\nBody text here."
    [article] = parse_document("b.md", raw)
    assert (article.title, article.outlet, article.published, article.url, article.text) == (
        "Bridge", "Gazette", "2026-03-02", "https://g.org/b", "Body text here.")


def test_all_three_formats_load_from_a_folder():
    articles = load_corpus(HARBOR)
    assert {a.origin.rsplit(".", 1)[1] for a in articles} == {"md", "txt", "html"}
    assert all(a.text.strip() for a in articles)


@pytest.mark.parametrize("name,raw,message", [
    ("x.pdf", b"%PDF", "unsupported file type .pdf"),
    ("x.txt", b"\xff\xfe\x00bad", "not UTF-8"),
    ("x.txt", b"  \n\n ", "no article text"),
    ("x.md", b"---\ntitle: [unclosed\n---\nbody", "front matter is not valid YAML"),
])
def test_bad_documents_get_a_clear_error(name, raw, message):
    with pytest.raises(IngestError, match=message):
        parse_document(name, raw)


def test_missing_folder(tmp_path):
    with pytest.raises(IngestError, match="not a folder"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(IngestError, match="no .txt, .md or .html"):
        load_corpus(tmp_path)
