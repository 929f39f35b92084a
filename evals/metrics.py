"""Pure metric functions over answer dicts (`Answer.to_dict()`), question dicts and article texts.

Nothing here loads a model or reads the store, and nothing reuses the system's own scoring: the support test
is a keyword match any reader can redo by hand. Each function scores one question as a Ratio; a suite's value
is the sum of its questions' Ratios (micro-average). Definitions, in words, are in evals/README.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import Stemmer

ON_TOPIC_SHARE = 0.5  # a quote is on topic when it has at least this share of the question's content words
DISAGREEMENT = re.compile(r"\b(?:disagree\w*|differ(?:s|ed|ing)?|conflict\w*|contradict\w*|disput\w*|"
                          r"inconsisten\w*|later development)\b", re.I)
_MARKER = re.compile(r"\[(\d+)\]")
_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                             "‑": "-", "\u00a0": " "})
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = Stemmer.Stemmer("english")
STOPWORDS = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being do
does did doing have has had having it its this that these those there here what which who whom whose when where
why how would could should will can may might must shall i you he she we they them his her their our your my me
us about into over under than then so not no yes any all some each other such only own same too very just also
said says say tell told according s t get got yet still now up out""".split())


@dataclass(frozen=True)
class Ratio:
    """hits out of total; `value` is None when nothing was measured (e.g. no disputed questions)."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __add__(self, other: "Ratio") -> "Ratio":
        return Ratio(self.hits + other.hits, self.total + other.total)

    def to_dict(self) -> dict:
        value = self.value
        return {"value": None if value is None else round(value, 4), "hits": self.hits, "total": self.total}


# the support test --------------------------------------------------------------------------------------------

def normalise(text: str) -> str:
    """NFKC, typographic quotes and dashes made plain, case folded, runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold().split())


def supports(quote: str, keywords: Iterable[str]) -> bool:
    """A quote supports a fact or position when it contains one of its keywords (after `normalise`)."""
    body = normalise(quote)
    return any(normalise(k) in body for k in keywords if k.strip())


def content_words(text: str) -> set[str]:
    """Snowball stems of the words that carry meaning: stopwords and one-letter words dropped, numbers kept."""
    words = [w for w in _WORD.findall(normalise(text)) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return set(_STEMMER.stemWords(words))


def on_topic(quote: str, question: str) -> bool:
    """The lexical relevance test: the quote has at least half of the question's content words."""
    asked = content_words(question)
    if not asked:
        return False
    return len(asked & content_words(quote)) >= max(1, math.ceil(ON_TOPIC_SHARE * len(asked)))


def opening(answer_text: str) -> str:
    """The answer's first lines: everything before its first blank line."""
    return answer_text.strip().split("\n\n", 1)[0]


def says_disagree(answer_text: str) -> bool:
    return bool(DISAGREEMENT.search(opening(answer_text)))


def acknowledged(answer: dict, question: dict) -> bool:
    """Structural, never a match on the system's own sentences: some conflict has at least two positions,
    each citing a source that holds a labelled side (a position) of the question."""
    holders = {s for p in question.get("positions", []) for s in p["sources"]}
    cited = {c["n"]: c["source_id"] for c in answer.get("citations", [])}
    return any(sum(1 for p in conflict.get("positions", [])
                   if any(cited.get(n) in holders for n in p.get("citations", []))) >= 2
               for conflict in answer.get("conflicts", []))


def claims(question: dict) -> list[dict]:
    """What a good answer to the question cites: its positions and its facts."""
    return [*question.get("positions", []), *question.get("facts", [])]


def answerable(question: dict) -> bool:
    return question["kind"] != "unanswerable"


def supporting(answer: dict, claim: dict) -> list[int]:
    """Numbers of the citations that support a claim and come from a source that holds it."""
    return [c["n"] for c in answer.get("citations", [])
            if c["source_id"] in claim["sources"] and supports(c["quote"], claim["keywords"])]


def dangling_markers(answer: dict) -> set[int]:
    """[n] markers in the answer text that no citation carries."""
    numbers = {c["n"] for c in answer.get("citations", [])}
    return {int(n) for n in _MARKER.findall(answer.get("answer", ""))} - numbers


# one question -> Ratios --------------------------------------------------------------------------------------

def quote_exactness(answer: dict, texts: dict[str, str]) -> Ratio:
    """Citations whose quote is exactly text[start:end] of the source it names."""
    cited = answer.get("citations", [])
    exact = sum(1 for c in cited if c["quote"] and c["source_id"] in texts
                and 0 <= c["start"] <= c["end"] and texts[c["source_id"]][c["start"]:c["end"]] == c["quote"])
    return Ratio(exact, len(cited))


def citation_precision(answer: dict, question: dict, *, strict: bool = False) -> Ratio:
    """Citations of an answer that did not abstain that support one of the question's facts or positions, or,
    unless strict, that are on topic; a [n] marker with no citation behind it counts as an unsupported one.
    An unanswerable question that was answered counts too: none of its citations supports anything."""
    if answer.get("abstained"):
        return Ratio()
    keywords = [k for c in claims(question) for k in c["keywords"]]
    cited = answer.get("citations", [])
    good = sum(1 for c in cited if supports(c["quote"], keywords)
               or (not strict and on_topic(c["quote"], question["question"])))
    return Ratio(good, len(cited) + len(dangling_markers(answer)))


def citation_recall(answer: dict, question: dict) -> Ratio:
    """Facts and positions with at least one supporting citation from a source that holds them."""
    if not answerable(question):
        return Ratio()
    wanted = claims(question)
    if answer.get("abstained"):
        return Ratio(0, len(wanted))
    return Ratio(sum(1 for c in wanted if supporting(answer, c)), len(wanted))


def conflict_recall(answer: dict, question: dict) -> Ratio:
    """A disputed question counts when the disagreement is acknowledged and every position is a side of a
    reported conflict (a side citing a supporting quote from a source that holds it), the positions being
    spread over at least two sides."""
    if question["kind"] != "disputed":
        return Ratio()
    if not acknowledged(answer, question):
        return Ratio(0, 1)
    sides_of: list[set[tuple[int, int]]] = []
    for position in question["positions"]:
        numbers = set(supporting(answer, position))
        sides_of.append({(i, j) for i, conflict in enumerate(answer["conflicts"])
                         for j, side in enumerate(conflict["positions"]) if numbers & set(side["citations"])})
    surfaced = all(sides_of) and len(set().union(*sides_of)) >= 2
    return Ratio(int(surfaced), 1)


def flattened(answer: dict, question: dict) -> Ratio:
    """A disputed question is flattened when its answer does not acknowledge the disagreement or quotes (from a
    source that holds it) fewer than two of its positions; an abstention is flattened too."""
    if question["kind"] != "disputed":
        return Ratio()
    shown = sum(1 for p in question["positions"] if supporting(answer, p))
    return Ratio(int(not acknowledged(answer, question) or shown < 2), 1)


def false_conflict(answer: dict, question: dict) -> Ratio:
    """An undisputed question, or an unanswerable one that was answered, is reported as disputed when the answer
    has a conflict or its first lines say the sources disagree."""
    if question["kind"] == "disputed" or (question["kind"] == "unanswerable" and answer.get("abstained")):
        return Ratio()
    return Ratio(int(bool(answer.get("conflicts")) or says_disagree(answer.get("answer", ""))), 1)


def abstention(answer: dict, question: dict) -> Ratio:
    """Correct when the answer abstains exactly when the question is unanswerable."""
    return Ratio(int(bool(answer.get("abstained")) == (question["kind"] == "unanswerable")), 1)


def retrieval_recall(retrieved_sources: Sequence[str], question: dict, k: int | None = None) -> Ratio:
    """The question's sources among the first `k` distinct retrieved sources (all of them when k is None)."""
    wanted = set(question.get("sources") or [s for c in claims(question) for s in c["sources"]])
    if not answerable(question):
        return Ratio()
    found = list(dict.fromkeys(retrieved_sources))
    return Ratio(len(wanted & set(found if k is None else found[:k])), len(wanted))


METRICS = {  # name -> (what it measures, higher is better); strict precision leads, the lenient one is last
    "quote_exactness": ("quotes equal to text[start:end]", True),
    "citation_precision_strict": ("citations that support a fact/position", True),
    "citation_recall": ("facts/positions cited from a source holding them", True),
    "conflict_recall": ("disputed questions with every position a cited side, acknowledged", True),
    "side_precision": ("reported conflict positions stating exactly one labelled side", True),
    "false_agreement_rate": ("disputed questions whose answer groups different sides as one", False),
    "kind_accuracy": ("disputed questions with a conflict of the labelled kind (of those with a conflict)", True),
    "states_fact": ("undisputed questions whose own words state a labelled fact, cited", True),
    "flattening_rate": ("disputed questions answered one-sided or unacknowledged", False),
    "false_conflict_rate": ("undisputed (or answered unanswerable) questions reported as disputed", False),
    "abstention_accuracy": ("questions where abstained == unanswerable", True),
    "citation_precision_on_topic": ("citations that support a fact/position or are on topic (lenient)", True),
    "retrieval_recall_at_k": ("sources holding the answer among the retrieved passages (k passages)", True),
    "retrieval_recall_at_n_minus_1": ("the same among the first min(k, N-1) distinct sources, N in the corpus", True),
}


def score(answer: dict, question: dict, texts: dict[str, str], retrieved_sources: Sequence[str]) -> dict[str, Ratio]:
    """Every ratio metric for one question."""
    from evals import sides

    return {
        "quote_exactness": quote_exactness(answer, texts),
        "citation_precision_strict": citation_precision(answer, question, strict=True),
        "citation_recall": citation_recall(answer, question),
        "conflict_recall": conflict_recall(answer, question),
        "side_precision": sides.side_precision(answer, question),
        "false_agreement_rate": sides.false_agreement(answer, question),
        "kind_accuracy": sides.kind_accuracy(answer, question),
        "states_fact": sides.states_fact(answer, question),
        "flattening_rate": flattened(answer, question),
        "false_conflict_rate": false_conflict(answer, question),
        "abstention_accuracy": abstention(answer, question),
        "citation_precision_on_topic": citation_precision(answer, question),
        "retrieval_recall_at_k": retrieval_recall(retrieved_sources, question),
        "retrieval_recall_at_n_minus_1": retrieval_recall(retrieved_sources, question, max(1, len(texts) - 1)),
    }


# a suite -----------------------------------------------------------------------------------------------------

def total(scores: Iterable[dict[str, Ratio]], names: Iterable[str] = METRICS) -> dict[str, Ratio]:
    """Sum each metric's Ratios over questions (micro-average)."""
    summed = {name: Ratio() for name in names}
    for row in scores:
        for name, ratio in row.items():
            summed[name] = summed[name] + ratio
    return summed


def gap(original: dict[str, dict], paraphrase: dict[str, dict]) -> dict[str, float | None]:
    """Original wording minus paraphrase, per metric (from `Ratio.to_dict()`s); None when either is unmeasured.
    Positive on a higher-is-better metric (negative on a rate) means the paraphrases fare worse."""
    out = {}
    for name in original:
        a, b = original[name]["value"], paraphrase.get(name, {}).get("value")
        out[name] = None if a is None or b is None else round(a - b, 4)
    return out


def latency(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """Mean, median, 95th percentile (nearest rank) and max of per-question wall-clock seconds."""
    if not seconds:
        return {"n": 0, "mean_s": None, "p50_s": None, "p95_s": None, "max_s": None}
    ordered = sorted(seconds)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    return {"n": len(ordered), "mean_s": round(sum(ordered) / len(ordered), 4), "p50_s": round(rank(0.5), 4),
            "p95_s": round(rank(0.95), 4), "max_s": round(ordered[-1], 4)}
