"""Article -> sentences and chunks, each with its [start, end) offsets in the article's canonical text.

Sentences come from pysbd (rule-based, handles "U.S." and "5 p.m."), one line at a time so that headings
never fuse with the paragraph after them. Chunks are runs of whole sentences sized in the embedding model's
own word pieces, so no chunk is silently truncated by the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from functools import cached_property

from rag.types import Article, Chunk, Span

TokenCounter = Callable[[str], int]


class SentenceSplitter:
    """Text -> sentence spans; pysbd is told nothing about offsets, they are found in the text itself."""

    def __init__(self, language: str = "en") -> None:
        self._language = language

    @cached_property
    def _segmenter(self):
        import pysbd  # on first use: answering a question never splits an article

        return pysbd.Segmenter(language=self._language, clean=False)

    def split(self, text: str) -> list[Span]:
        spans: list[Span] = []
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                spans.extend(self._split_line(line, offset, text))
            offset += len(line) + 1
        return spans

    def _split_line(self, line: str, offset: int, text: str) -> Iterator[Span]:
        cursor = 0
        for piece in self._segmenter.segment(line):
            piece = piece.strip()
            if not piece:
                continue
            local = line.find(piece, cursor)
            if local < 0:  # pysbd changed the text; fall back to the rest of the line as one sentence
                rest = line[cursor:].strip()
                if rest:
                    start = line.index(rest, cursor)
                    yield Span(offset + start, offset + start + len(rest))
                return
            start, end = offset + local, offset + local + len(piece)
            assert text[start:end] == piece
            yield Span(start, end)
            cursor = local + len(piece)


class Chunker:
    """Pack consecutive sentences into chunks of at most `max_tokens` word pieces, overlapping by one sentence."""

    VERSION = "1"  # part of every article fingerprint: bump when chunking changes, so re-indexing redoes it

    def __init__(self, count_tokens: TokenCounter, *, max_tokens: int = 200,
                 splitter: SentenceSplitter | None = None) -> None:
        if max_tokens < 16:
            raise ValueError(f"max_tokens must be >= 16, got {max_tokens}")
        self._count = count_tokens
        self._max = max_tokens
        self._sentences = splitter or SentenceSplitter()

    @cached_property
    def _long(self):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        return RecursiveCharacterTextSplitter(
            chunk_size=self._max, chunk_overlap=0, length_function=self._count,
            separators=["; ", ", ", " — ", " ", ""], keep_separator="end", add_start_index=True)

    def sentences(self, article: Article) -> list[Span]:
        return self._sentences.split(article.text)

    def chunk(self, article: Article) -> list[Chunk]:
        text = article.text
        pieces = self._fit(text, self.sentences(article))
        chunks: list[Chunk] = []
        i = 0
        while i < len(pieces):
            group = [pieces[i]]
            j = i + 1
            while j < len(pieces) and self._count(text[group[0].start:pieces[j].end]) <= self._max:
                group.append(pieces[j])
                j += 1
            chunks.append(self._make(article, len(chunks), group))
            if j >= len(pieces):
                break
            i = j - 1 if j - 1 > i else j  # the last sentence opens the next chunk too
        return chunks

    def _fit(self, text: str, spans: list[Span]) -> list[Span]:
        """Split any sentence longer than the window at clause or word boundaries."""
        out: list[Span] = []
        for span in spans:
            sentence = text[span.start:span.end]
            if self._count(sentence) <= self._max:
                out.append(span)
                continue
            for doc in self._long.create_documents([sentence]):
                start = span.start + doc.metadata["start_index"]
                piece = doc.page_content
                out.append(Span(start, start + len(piece)))
                assert text[start:start + len(piece)] == piece
        return out

    @staticmethod
    def _make(article: Article, index: int, group: list[Span]) -> Chunk:
        start, end = group[0].start, group[-1].end
        body = article.text[start:end]
        digest = hashlib.sha1(body.encode()).hexdigest()[:8]
        return Chunk(id=f"{article.id}:{index:04d}:{digest}", source_id=article.id, start=start, end=end,
                     text=body, sentences=tuple(group))
