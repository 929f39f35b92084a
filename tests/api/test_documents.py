"""POST /v1/collections/{name}/documents: JSON documents or one uploaded file, indexed before the 201; bad
uploads are refused with a 4xx (oversized ones before the body is read) and leave the store as it was."""

import pytest

FERRY_DOC = {"id": "ferry-fare", "title": "Ferry fare rises to $4", "outlet": "Harbor Notes", "published": "2026-03-07",
             "url": "https://example.org/ferry",
             "text": "The temporary ferry will cost $4 each way from Monday, the transit division said. "
                     "Monthly passes will stay at $60."}
ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Ferry fare rises to $4 | Harbor Notes</title>
<meta property="og:title" content="Ferry fare rises to $4"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Ferry fare rises to $4</h1><p>The temporary ferry will cost $4 each way from Monday.</p>
<p>Monthly passes will stay at $60, the transit division said.</p></article></body></html>"""
HARBOR_IDS = ["01_closure-announced", "02_council-delays-vote", "03_why-now", "04_ferry-fares", "05_council-approves"]


@pytest.fixture
def news(client):
    assert client.post("/v1/collections", json={"name": "news"}).status_code == 201
    return client


def source_ids(client, collection="news"):
    return [s["source_id"] for s in client.get("/v1/sources", params={"collection": collection}).json()]


def test_json_documents_are_indexed_and_answerable(news):
    tugboats = {"title": "Second story: tugboats", "text": "Tugboats will wait while cranes lift steel over the water."}
    response = news.post("/v1/collections/news/documents", json={"documents": [FERRY_DOC, tugboats]})
    assert response.status_code == 201
    report = response.json()
    assert report == {"collection": "news", "added": 2, "updated": 0, "unchanged": 0, "removed": 0,
                      "chunks": report["chunks"], "source_ids": ["ferry-fare", "Second-story-tugboats"], "documents": 2}
    assert report["chunks"] >= 2
    source = news.get("/v1/sources/ferry-fare", params={"collection": "news"}).json()
    assert source == {"source_id": "ferry-fare", "title": FERRY_DOC["title"], "outlet": "Harbor Notes",
                      "published": "2026-03-07", "url": "https://example.org/ferry", "chars": len(source["text"]), "embedded_in": "",
                      "text": source["text"]}
    assert source["text"].startswith("The temporary ferry will cost $4")
    answer = news.post("/v1/ask", json={"question": "How much does the ferry cost?", "collection": "news"}).json()
    assert any(c["source_id"] == "ferry-fare" and "$4" in c["quote"] for c in answer["citations"])


def test_reposting_is_idempotent_and_changes_are_updates(news):
    first = news.post("/v1/collections/news/documents", json={"documents": [FERRY_DOC]}).json()
    again = news.post("/v1/collections/news/documents", json={"documents": [FERRY_DOC]}).json()
    changed = news.post("/v1/collections/news/documents",
                        json={"documents": [FERRY_DOC | {"outlet": "Tide Times"}]}).json()
    assert (first["added"], again["unchanged"], changed["updated"]) == (1, 1, 1)
    assert changed["documents"] == 1


@pytest.mark.parametrize("filename, content, fields, title", [
    ("fares.txt", "Ferry fare rises to $4\n\nThe temporary ferry will cost $4 each way from Monday, the city said.", {},
     "Ferry fare rises to $4"),
    ("fares.md", "---\ntitle: Ferry fare rises\noutlet: Harbor Notes\n---\nThe temporary ferry will cost $4 each way.",
     {}, "Ferry fare rises"),
    ("fares.html", ARTICLE_HTML, {}, "Ferry fare rises to $4"),
    ("fares.txt", "The temporary ferry will cost $4 each way from Monday.", {"id": "my-id", "title": "Given title"},
     "Given title"),
])
def test_uploaded_files_are_indexed(news, filename, content, fields, title):
    response = news.post("/v1/collections/news/documents", files={"file": (filename, content.encode())}, data=fields)
    assert response.status_code == 201, response.text
    source_id = fields.get("id", "fares")
    assert response.json()["source_ids"] == [source_id]
    source = news.get(f"/v1/sources/{source_id}", params={"collection": "news"}).json()
    assert source["title"] == title
    assert "<" not in source["text"] and "$4 each way" in source["text"]


def raw_upload(filename: bytes, content: bytes = b"Some article text.") -> dict:
    """A multipart body written by hand, so the server sees the file name exactly as given (clients escape it)."""
    body = (b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="' + filename +
            b'"\r\nContent-Type: text/plain\r\n\r\n' + content + b"\r\n--BOUNDARY--\r\n")
    return {"content": body, "headers": {"content-type": "multipart/form-data; boundary=BOUNDARY"}}


@pytest.mark.parametrize("filename, status, words", [
    (b"../../etc/passwd.txt", 422, "file name"),
    (b"dir/file.txt", 422, "file name"),
    (b"..\\..\\windows\\file.txt", 422, "file name"),
    (b".hidden.txt", 422, "file name"),
    (b"bad\x01name.txt", 422, "file name"),
    (b"bad\x7fname.txt", 422, "file name"),
    (b"", 422, "file"),
    (b"   ", 422, "file name"),
    (b"x" * 300 + b".txt", 422, "file name"),
    (b"report.pdf", 415, ".pdf"),
    (b"noext", 415, "(none)"),
    (b"archive.txt.exe", 415, ".exe"),
])
def test_unsafe_or_unsupported_file_names_are_refused(news, filename, status, words):
    response = news.post("/v1/collections/news/documents", **raw_upload(filename))
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert source_ids(news) == []


def test_non_ascii_file_names_are_fine(news):
    response = news.post("/v1/collections/news/documents", **raw_upload("Fähre über.txt".encode()))
    assert response.status_code == 201, response.text
    assert response.json()["source_ids"] == ["F-hre-ber"]


@pytest.mark.parametrize("upload, status, words", [
    ({"files": {"file": ("latin.txt", "caf\xe9 au lait".encode("latin-1"))}}, 422, "not UTF-8"),
    ({"files": {"file": ("empty.html", b"<html><body><nav>Home</nav></body></html>")}}, 422, "no article text"),
    ({"files": {"file": ("bad.md", b"---\ntitle: [unclosed\n---\ntext")}}, 422, "YAML"),
    ({"files": {"file": ("a.txt", b"text")}, "data": {"colour": "red"}}, 422, "colour"),
    ({"files": {"file": ("a.txt", b"text")}, "data": {"id": "../up"}}, 422, "source id"),
    ({"files": {"title": (None, "no file")}}, 422, "'file' part"),
    ({"files": {"file": (None, "text, not a file")}}, 422, "'file' part"),
    ({"data": {"title": "no file"}}, 415, "x-www-form-urlencoded"),
    ({"files": {"file": ("a.txt", b"one"), "other": ("b.txt", b"two")}}, 400, "files"),
    ({"content": b"--xyz\r\nnot really multipart", "headers": {"content-type": "multipart/form-data; boundary=xyz"}},
     400, ""),
    ({"content": b"whatever", "headers": {"content-type": "multipart/form-data"}}, 400, "boundary"),
    ({"content": b"Plain text article.", "headers": {"content-type": "text/plain"}}, 415, "text/plain"),
    ({"content": b"Plain text article."}, 415, "content type"),
])
def test_bad_uploads_are_refused(news, upload, status, words):
    response = news.post("/v1/collections/news/documents", **upload)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert source_ids(news) == []


@pytest.mark.parametrize("body, status, words", [
    (b'{"documents": [', 400, "not valid JSON"),
    (b'{"documents": [{"title": "caf\xe9", "text": "x"}]}', 400, "not UTF-8"),
    (b'{"documents": []}', 422, "documents"),
    (b'{"documents": [{"title": "No text"}]}', 422, "text"),
    (b'{"documents": [{"title": "Blank", "text": "  \\n "}]}', 422, "text"),
    (b'{"documents": [{"title": "T", "text": "x", "id": "../../x"}]}', 422, "id"),
    (b'{"documents": [{"title": "T", "text": "x", "id": "a..b"}]}', 422, ".."),
    (b'{"documents": [{"title": "T", "text": "x", "source": "evil"}]}', 422, "source"),
    (b'{"documents": [{"title": 5, "text": "x"}]}', 422, "title"),
    (b'{"docs": []}', 422, "documents"),
    (b'[]', 422, "body"),
])
def test_bad_json_documents_are_refused(news, body, status, words):
    response = news.post("/v1/collections/news/documents", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert source_ids(news) == []


def test_a_failed_batch_stores_nothing(news):
    news.post("/v1/collections/news/documents", json={"documents": [FERRY_DOC]})
    before = news.get("/v1/sources", params={"collection": "news"}).json()
    advert = {"title": "Ad", "text": "Advertisement"}  # no article text left once page furniture is removed
    for batch in ([{"title": "Good new story", "text": "Cranes arrive on Monday."}, advert],
                  [{"title": "Same", "text": "One."}, {"title": "Same", "text": "Two."}],
                  [FERRY_DOC | {"text": "The fare was cut to $1."}, {"title": "Ad", "text": "Share this article"}]):
        response = news.post("/v1/collections/news/documents", json={"documents": batch})
        assert response.status_code == 422, response.text
    assert news.get("/v1/sources", params={"collection": "news"}).json() == before
    assert "$4" in news.get("/v1/sources/ferry-fare", params={"collection": "news"}).json()["text"]


def test_unknown_collection_is_404_and_not_created(client):
    response = client.post("/v1/collections/nowhere/documents", json={"documents": [FERRY_DOC]})
    assert response.status_code == 404 and "POST /v1/collections" in response.json()["detail"]
    assert [c["name"] for c in client.get("/v1/collections").json()] == ["default"]


def test_documents_can_go_into_the_default_collection(client):
    response = client.post("/v1/collections/default/documents", json={"documents": [FERRY_DOC]})
    assert response.status_code == 201 and response.json()["documents"] == 6
    assert source_ids(client, "default") == sorted(HARBOR_IDS + ["ferry-fare"])


def test_oversized_uploads_are_refused(make_client):
    client = make_client(max_upload_bytes=1000)
    client.post("/v1/collections", json={"name": "news"})
    big = b"The ferry will cost four dollars. " * 100
    declared = client.post("/v1/collections/news/documents", files={"file": ("big.txt", big)})
    assert declared.status_code == 413 and "1000 bytes" in declared.json()["detail"]

    def chunked():  # no Content-Length: the limit is enforced while reading
        for _ in range(100):
            yield b'{"documents": [' + b" " * 100

    streamed = client.post("/v1/collections/news/documents", content=chunked(),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and "1000 bytes" in streamed.json()["detail"]
    small = client.post("/v1/collections/news/documents", files={"file": ("small.txt", b"The ferry costs $4.")})
    assert small.status_code == 201
    assert source_ids(client) == ["small"]


def test_a_collection_of_stopwords_answers_without_error(news):
    """Found by fuzzing: a collection whose text is only stopwords once crashed the BM25 index (a 500)."""
    added = news.post("/v1/collections/news/documents", json={"documents": [{"title": "a", "text": "a"}]})
    assert added.status_code == 201
    response = news.post("/v1/ask", json={"question": "What happened?", "collection": "news"})
    assert response.status_code == 200 and response.json()["abstained"]
