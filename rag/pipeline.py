"""The composition root: builds every part from Settings, then index() and ask() tell the whole story."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from collections.abc import Sequence
from pathlib import Path

from rag.answer import AnswerComposer, abstain
from rag.chunking import Chunker
from rag.collection_state import CollectionState, CollectionStates, snapshot_folder
from rag.conflicts import ConflictFinder, expansions
from rag.question import analyse_question
from rag.embeddings import Embedder, load_embedder
from rag.errors import InvalidInputError
from rag.evidence import StoredSentences, content_words, covered, rank_evidence
from rag.indexing import prepare
from rag.lead import ABSTAIN  # noqa: F401  (re-exported: callers read pipeline.ABSTAIN)
from rag.llm import answer_chain, build_chat_model
from rag.names import check_collection_name
from rag.provenance import shown
from rag.relevance import CorpusTerms
from rag.retrieval import Retriever
from rag.sanitize import single_line
from rag.settings import Settings
from rag.store import LAYOUT, ChunkStore
from rag.types import Answer, Article, Evidence, IndexReport, Passage
from rag.warmup import Background


@dataclass(frozen=True)
class Retrieved:
    question: str
    query: str  # the question with the previous user turn, when there is history
    collection: str
    articles: dict[str, Article]
    passages: list[Passage]
    evidence: list[Evidence]
    terms: CorpusTerms | None = None  # of the same version as `articles`
    vocabulary: frozenset[str] | None = None  # likewise; None: read from the collection's current state


class Pipeline:
    def __init__(self, settings: Settings, *, store: ChunkStore, embedder: Embedder, chunker: Chunker,
                 retriever: Retriever, finder: ConflictFinder, composer: AnswerComposer,
                 states: CollectionStates | None = None, warming: Background | None = None) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self._chunker = chunker
        self._retriever = retriever
        self._finder = finder
        self._composer = composer
        self._states = states or CollectionStates(store)
        self._write_lock = threading.Lock()
        self._warming = warming or Background()

    @classmethod
    def from_settings(cls, settings: Settings, *, embedder: Embedder | None = None) -> "Pipeline":
        store = ChunkStore.connect(settings.chroma_url) if settings.chroma_url else ChunkStore.open_local(settings.store)
        warming = Background()
        try:
            warming.start(store.warm, settings.collection)  # Chroma's first read of it, beside the loads below
            embedder = embedder or load_embedder(settings.embedding_model, backend=settings.embedding_backend,
                                                 cache_dir=settings.model_cache)
            states = CollectionStates(store, snapshot_folder(settings))
            return cls(
                settings, store=store, embedder=embedder, states=states, warming=warming,
                chunker=Chunker(embedder.count_tokens, max_tokens=settings.max_chunk_tokens),
                retriever=Retriever(store, embedder, candidates=settings.candidates,
                                    lexical=lambda name: states.get(name).lexical),
                finder=ConflictFinder(embed=embedder.embed),
                composer=AnswerComposer(answer_chain(build_chat_model(settings.llm)), max_quotes=settings.max_quotes),
            )
        except BaseException:
            warming.join()
            store.close()
            raise

    def close(self) -> None:
        self._warming.join()
        self.store.close()

    # indexing ------------------------------------------------------------------------------------------------

    def index(self, directory: Path, collection: str | None = None, *, progress: bool = False) -> IndexReport:
        """Make a collection mirror a folder: new and changed articles (re)indexed, removed ones deleted."""
        from rag.ingest import load_corpus  # HTML parsing is for indexing: `rag ask` does not pay for its import

        return self.add_articles(load_corpus(Path(directory)), collection, prune=True, progress=progress)

    def add_articles(self, articles: Sequence[Article], collection: str | None = None, *,
                     prune: bool = False, progress: bool = False) -> IndexReport:
        """Index articles; unchanged ones are skipped. Everything is chunked and embedded before the store is
        touched, so a bad document fails the call without changing what is stored."""
        name = self._collection(collection)
        with self._write_lock:
            if not self.store.has_collection(name):
                self.store.create_collection(name)
            stored = self.store.fingerprints(name)
            todo = [(a, f) for a, f in ((a, self._fingerprint(a)) for a in articles) if stored.get(a.id) != f]
            unchanged = len(articles) - len(todo)
            work = [(p.article, p.fingerprint, p.chunks, p) for p in
                    prepare(todo, self._chunker, self.embedder, progress=progress,
                            pooled=self._pooled())]
            for article, fingerprint, chunks, p in work:
                self.store.replace_source(name, article, fingerprint, chunks, p.chunk_vectors, p.summary,
                                          p.sentences, p.sentence_vectors, p.sentence_entities)
            keep = {a.id for a in articles}
            removed = sorted(set(stored) - keep) if prune else []
            for source_id in removed:
                self.store.delete_source(name, source_id)
            self._retriever.forget(name)
            self._states.forget(name)
            return IndexReport(
                added=sum(1 for w in work if w[0].id not in stored),
                updated=sum(1 for w in work if w[0].id in stored),
                unchanged=unchanged, removed=len(removed), chunks=sum(len(w[2]) for w in work),
                source_ids=tuple(a.id for a in articles))

    def _fingerprint(self, article: Article) -> str:
        """Changes whenever the article, its metadata, the chunking, the embedding model or the pooling change."""
        pooled = ["pooled"] if self._pooled() else []  # unpooled stores keep the fingerprints they had
        payload = json.dumps([article.metadata(), article.text, Chunker.VERSION, LAYOUT,
                              self.settings.max_chunk_tokens, self.embedder.name, *pooled], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _pooled(self) -> bool:
        """Whether this index pools sentence vectors from the chunk pass (the setting, and an embedder that can)."""
        return self.settings.pooled_sentence_vectors and getattr(self.embedder, "token_states", False)

    # asking --------------------------------------------------------------------------------------------------

    def ask(self, question: str, *, collection: str | None = None, top_k: int | None = None,
            history: Sequence[dict] | None = None) -> Answer:
        """Retrieve, abstain if nothing fits, find conflicts, compose, verify."""
        return self.answer(self.retrieve(question, collection=collection, top_k=top_k, history=history))

    def retrieve(self, question: str, *, collection: str | None = None, top_k: int | None = None,
                 history: Sequence[dict] | None = None) -> Retrieved:
        """The first half of ask(): passages and scored sentences (streaming reports it before answering)."""
        question = single_line(self._check_question(question))
        name = self._collection(collection)
        state = self._states.get(name)
        articles = state.articles
        query = _with_history(question, history)
        passages = self._retriever.retrieve(query, name, top_k=top_k or self.settings.top_k,
                                            also=expansions(question), lexical=state.lexical)
        evidence = rank_evidence(query, passages, articles, self.embedder, stored=self._stored(name, state))
        return Retrieved(question=question, query=query, collection=name, articles=articles,
                         passages=passages, evidence=evidence, terms=state.terms, vocabulary=state.vocabulary)

    def _stored(self, name: str, state: CollectionState) -> StoredSentences:
        """Sentences' index-time vectors and entities: from the snapshot's table, and from the store for any
        sentence it lacks (no snapshot of this version could be kept)."""
        def stored(spans: list[tuple[str, int, int]]) -> dict:
            found = state.sentences.lookup(spans) if state.sentences is not None else {}
            rest = [s for s in spans if s not in found]
            return (found | self.store.stored_sentences(name, rest)) if rest else found
        return stored

    def answer(self, retrieved: Retrieved) -> Answer:
        """The second half of ask(): abstain, or find conflicts and compose a verified answer."""
        evidence = retrieved.evidence
        vocabulary = (retrieved.vocabulary if retrieved.vocabulary is not None
                      else self._vocabulary(retrieved.collection))
        if (not evidence or max(e.similarity for e in evidence) < self.settings.min_relevance
                or not _covered(retrieved, vocabulary)):
            return abstain(retrieved.question)
        finding = self._finder.analyse(retrieved.question, retrieved.query, evidence, retrieved.articles,
                                       retrieved.terms)
        if not finding.answerable:  # no sentence holds a value of the asked type about the asked point
            return abstain(retrieved.question)
        finding = replace(finding, disagreements=shown(finding, retrieved.articles))
        return self._composer.compose(retrieved.question, evidence, finding, retrieved.articles)

    def _check_question(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise InvalidInputError("question is empty; ask something about the articles")
        if len(question) > self.settings.max_question_chars:
            raise InvalidInputError(f"question is {len(question)} characters long; the limit is "
                                    f"{self.settings.max_question_chars}")
        return question.strip()

    # sources and collections ---------------------------------------------------------------------------------

    def articles(self, collection: str | None = None) -> dict[str, Article]:
        """All articles of a collection, cached until its version changes (a write by any process)."""
        return self._states.get(self._collection(collection)).articles

    def _vocabulary(self, collection: str) -> frozenset[str]:
        """Content words of every article in a collection (for the abstention test), cached with the articles."""
        return self._states.get(collection).vocabulary

    def source(self, source_id: str, collection: str | None = None) -> Article:
        return self.store.article(self._collection(collection), source_id)

    def collections(self) -> list[str]:
        return self.store.collections()

    def create_collection(self, name: str) -> None:
        with self._write_lock:
            self.store.create_collection(check_collection_name(name))

    def delete_collection(self, name: str) -> None:
        with self._write_lock:
            self.store.delete_collection(check_collection_name(name))
            self._states.forget(name)
            self._retriever.forget(name)

    def _collection(self, name: str | None) -> str:
        return check_collection_name(name or self.settings.collection)


def _covered(retrieved: Retrieved, vocabulary: frozenset[str]) -> bool:
    """Does the collection speak of what is asked? A question with no words of its own beyond its verb ("Is it
    free?") names its subject in the conversation, so the history query is tested; any other question is
    tested on its own words, so earlier turns cannot make an unrelated question look answerable."""
    analysis = analyse_question(retrieved.question)
    verb = analysis.predicate
    own = {w for w in content_words(retrieved.question) if not (verb and w[:4] == verb.lower()[:4])}
    return covered(retrieved.question if own or retrieved.query == retrieved.question else retrieved.query,
                   vocabulary, verb=verb, incidental=analysis.incidental + analysis.alternatives)


def _with_history(question: str, history: Sequence[dict] | None) -> str:
    """A follow-up ('and who opposed it?') is retrieved together with the user's previous question."""
    previous = [h.get("content", "") for h in (history or []) if h.get("role") == "user" and h.get("content")]
    return f"{previous[-1]} {question}" if previous else question
