"""Which thing each source means by the name a question uses: 'Lazy Afternoon (Barbra Streisand album)' and
'A Lazy Afternoon (Harold Land album)' are two albums. Read from the shape every reference work uses, a name
followed by a parenthetical qualifier; two sources qualifying the asked name differently make it ambiguous,
unless the two print nearly the same text: then one page was copied with its subject swapped, and the two
disagree about one thing instead of being about two.
"""

from __future__ import annotations

import re

from rag.types import Article, Evidence, QuestionAnalysis

# word 4-grams shared by two texts (Jaccard, the qualifiers' own words left out). RAMDocs dev, pairs of documents
# qualifying the asked name differently: 12 at >= 0.5, each a page printed twice with the name swapped (9 labelled
# misinformation, 2 labelled correct whose swapped name is a listed wrong answer, 1 noise); 6 more at 0.2-0.5
COPY_SHARE = 0.5
_SHINGLE = 4
_WORDS = re.compile(r"\w+")
_QUOTED = re.compile(r"[\"“]([^\"”]{2,80})[\"”]")
# a qualifier, not a date span '(3 July 1750 – 1825)', a birth '(born 1983)' or an acronym expansion '(NSA)'
_NOT_QUALIFIER = re.compile(r"^\s*(?:born|b\.|died|d\.|c\.|\d{1,2} \w+ \d{4}|\d{4}\s*[–-])|[–]|^[A-Z]{2,6}$|^[,;]")


def names(question: QuestionAnalysis) -> list[str]:
    """The names a question asks about: its entities and anything it puts in quotation marks."""
    return list(dict.fromkeys([*(m.group(1).strip() for m in _QUOTED.finditer(question.text)), *question.names]))


def qualifier(name: str, text: str) -> tuple[str, int, int] | None:
    """The first '(qualifier)' that follows the name (within a few words) in a text: (qualifier, start, end)."""
    pattern = re.compile(rf"{re.escape(name)}(?:[ \w.'’-]{{0,25}}?)\s*\((?P<q>[^()]{{2,50}})\)", re.I)
    for m in pattern.finditer(text):
        if not _NOT_QUALIFIER.search(m.group("q")):
            return m.group("q"), m.start("q"), m.end("q")
    return None


def meanings(question: QuestionAnalysis, evidence: list[Evidence],
             articles: dict[str, Article]) -> dict[str, tuple[str, int, int]]:
    """For each source among the evidence, the qualified name it uses for the asked name, if it uses one."""
    asked = names(question)
    out: dict[str, tuple[str, int, int]] = {}
    for source_id in dict.fromkeys(e.source_id for e in evidence):
        text = articles[source_id].text
        for name in asked:
            found = qualifier(name, text)
            if found:
                out[source_id] = found
                break
    return out


def reference_style(question: QuestionAnalysis, evidence: list[Evidence], articles: dict[str, Article]) -> bool:
    """Some source prints the asked name followed by a parenthesis, '(died 1668)', '(footballer, born 1975)',
    '(courtier)': the way reference works tell apart things that share a name, so each source may be about a
    different one."""
    asked = names(question)
    return any(re.search(rf"{re.escape(name)}(?:[ \w.'’-]{{0,25}}?)\s*\(", articles[source_id].text, re.I)
               for source_id in dict.fromkeys(e.source_id for e in evidence) for name in asked)


def people(asked: QuestionAnalysis) -> tuple[str, ...]:
    """The people whose titles are asked about: the names in the question's subject ('What role does Ann Vale
    play for John Reed?' asks about Vale), or the subject itself when it is a capitalised name the recogniser
    missed ('Is Vale still ...'); else every capitalised name of the question."""
    names = tuple(n for n in asked.names if any(w[:1].isupper() and not w.isupper() for w in n.split()))
    subject = asked.subject
    inside = tuple(n for n in names if n in subject)
    if inside:
        return inside
    words = subject.split()
    if words and all(w[:1].isupper() and not w.isupper() for w in words) and len(words) <= 3:
        return (subject,)
    return names


def meaning(qualified: str) -> str:
    """A qualifier as compared: its words, lower-cased ('footballer , born 1892' is 'footballer, born 1892')."""
    return " ".join(_WORDS.findall(qualified.lower()))


def copies(found: dict[str, tuple[str, int, int]], articles: dict[str, Article]) -> list[tuple[str, str]]:
    """Pairs of sources that qualify the asked name differently yet print nearly the same text."""
    words = {s: [w.lower() for w in _WORDS.findall(articles[s].text)] for s in found}
    ids = list(found)
    out = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if meaning(found[a][0]) == meaning(found[b][0]):
                continue
            own = set(meaning(found[a][0]).split()) | set(meaning(found[b][0]).split())
            x, y = _shingles(words[a], own), _shingles(words[b], own)
            if x and y and len(x & y) / len(x | y) >= COPY_SHARE:
                out.append((a, b))
    return out


def _shingles(words: list[str], leave_out: set[str]) -> set[tuple[str, ...]]:
    kept = [w for w in words if w not in leave_out]
    return {tuple(kept[i:i + _SHINGLE]) for i in range(len(kept) - _SHINGLE + 1)}


def ambiguous(found: dict[str, tuple[str, int, int]], copied: list[tuple[str, str]] = ()) -> bool:
    """Two or more meanings, the two of a copied pair counted as one."""
    parent = {meaning(q): meaning(q) for q, _, _ in found.values()}

    def root(m: str) -> str:
        while parent[m] != m:
            m = parent[m]
        return m

    for a, b in copied:
        parent[root(meaning(found[a][0]))] = root(meaning(found[b][0]))
    return len({root(m) for m in parent}) >= 2
