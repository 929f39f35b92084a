"""Which labelled side each quote states, and what the answer's own words say: the side-level metrics.

A quote *states* a labelled side (a position of the question) when it contains one of that position's keywords
(the support test of `evals.metrics`). The answer's *own words* are its text with every quoted span removed:
a span opened by “ and closed by ”, or opened and closed by a straight ", on one line; a quote left open runs
to the end of its line. Nothing here reads the system's sentence templates.
"""

from __future__ import annotations

import re

from evals.metrics import Ratio, normalise, supports

_QUOTED = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.M)
_MARKER = re.compile(r"\[(\d+)\]")
_MARKER_RUN = re.compile(r"(?:\[\d+\]\s*)+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")


def own_words(answer_text: str) -> str:
    """The answer text with every quoted span (curly or straight double quotes) removed."""
    return _QUOTED.sub(" ", answer_text or "")


def own_sentences(answer_text: str) -> list[tuple[str, set[int]]]:
    """Each line's sentences in the answer's own words, with the [n] markers each one carries.

    A marker run that follows a removed quote belongs to the sentence the quote was in, so a line
    `Gazette: “The bridge opened in 1968.” [1]` is one sentence `Gazette:   [1]`.
    """
    out = []
    for line in own_words(answer_text).splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            if sentence.strip():
                out.append((sentence, {int(n) for n in _MARKER.findall(sentence)}))
    # a marker run alone after a sentence end ("... 1968. [1]") belongs to the sentence before it
    merged: list[tuple[str, set[int]]] = []
    for sentence, markers in out:
        if merged and not _MARKER.sub("", sentence).strip():
            merged[-1] = (merged[-1][0] + " " + sentence, merged[-1][1] | markers)
        else:
            merged.append((sentence, markers))
    return merged


def sides_stated(quote: str, question: dict) -> set[int]:
    """Indexes of the question's positions whose keywords the quote contains."""
    return {i for i, p in enumerate(question.get("positions", [])) if supports(quote, p["keywords"])}


def _citations(answer: dict) -> dict[int, dict]:
    return {c["n"]: c for c in answer.get("citations", [])}


def _disjoint_sides(numbers, cited: dict[int, dict], question: dict) -> bool:
    """Two of these citations state labelled sides and share none: they hold different sides."""
    stated = [sides_stated(cited[n]["quote"], question) for n in numbers if n in cited]
    stated = [s for s in stated if s]
    return any(not (a & b) for i, a in enumerate(stated) for b in stated[i + 1:])


def side_precision(answer: dict, question: dict) -> Ratio:
    """Reported conflict positions whose cited quotes state exactly one labelled side of the question.

    A position on a question with no labelled sides (undisputed, unanswerable) is bogus, and so is one whose
    quotes state no labelled side or several."""
    cited = _citations(answer)
    reported = [p for c in answer.get("conflicts", []) for p in c.get("positions", [])]
    good = 0
    for position in reported:
        stated = set().union(*(sides_stated(cited[n]["quote"], question)
                               for n in position.get("citations", []) if n in cited))
        good += len(stated) == 1
    return Ratio(good, len(reported))


def kind_accuracy(answer: dict, question: dict) -> Ratio:
    """A disputed question whose answer reports conflicts: right when a conflict stating a labelled side has
    the labelled kind (contradiction, differing accounts, later development)."""
    label = question.get("conflict_kind")
    conflicts = answer.get("conflicts", [])
    if question["kind"] != "disputed" or not label or not conflicts:
        return Ratio()
    cited = _citations(answer)
    on_point = [c for c in conflicts
                if any(sides_stated(cited[n]["quote"], question)
                       for p in c.get("positions", []) for n in p.get("citations", []) if n in cited)]
    return Ratio(int(any(c.get("kind") == label for c in on_point)), 1)


def false_agreement(answer: dict, question: dict) -> Ratio:
    """A disputed question whose answer groups, as one value, sources whose quotes state different labelled
    sides: in one conflicts[] position, or in one run of adjacent markers ([1][2]) in the answer text."""
    if question["kind"] != "disputed":
        return Ratio()
    cited = _citations(answer)
    groups = [p.get("citations", []) for c in answer.get("conflicts", []) for p in c.get("positions", [])]
    groups += [[int(n) for n in _MARKER.findall(run.group())] for run in _MARKER_RUN.finditer(answer.get("answer", ""))]
    return Ratio(int(any(_disjoint_sides(g, cited, question) for g in groups if len(g) > 1)), 1)


def states_fact(answer: dict, question: dict) -> Ratio:
    """An undisputed question whose answer's own words contain a fact keyword in a sentence that carries a
    marker [n] pointing at a citation from a source holding that fact."""
    if question["kind"] != "undisputed":
        return Ratio()
    if answer.get("abstained"):
        return Ratio(0, 1)
    cited = _citations(answer)
    for sentence, markers in own_sentences(answer.get("answer", "")):
        for fact in question.get("facts", []):
            if supports(sentence, fact["keywords"]) and any(
                    n in cited and cited[n]["source_id"] in fact["sources"] for n in markers):
                return Ratio(1, 1)
    return Ratio(0, 1)


def word_in(needle: str, haystack: str) -> bool:
    """`needle` occurs in `haystack` as whole words, both lower-cased with punctuation removed."""
    needle, haystack = plain(needle), plain(haystack)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def plain(text: str) -> str:
    """Lower-cased, punctuation removed, whitespace made single spaces (the RAMDocs answer normalisation)."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())
