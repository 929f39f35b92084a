"""The lead sentence: the answer in plain words, built from a small fixed set of templates so code can parse it.

A lead is an opener, then one clause per position, joined by "; " and ended by ".". Every word is template
text, a source's label, or a value that is an exact slice of a cited quote; `parse` reads a lead back into its
values and markers, and `rag.verify` refuses an answer whose lead does not parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.types import Lead, LeadValue

ABSTAIN = "The articles do not answer this question."
OPENERS = {
    "disagree": "The reports disagree: ",
    "itself": "The report contradicts itself: ",
    "accounts": "The reports give differing accounts: ",
    "ambiguous": "The name is ambiguous; the reports are about different things: ",
    "yes": "The reports say yes: ",
    "no": "The reports say no: ",
    "sole": "",
}
NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()
_CLAUSE = re.compile(r"(?:^|; )(?P<body>.+?) (?P<markers>(?:\[\d+\])+)(?=; |$)", re.S)
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Clause:
    """One position as the lead states it: its value (in the earliest source's words) and every source's marker."""

    value: LeadValue
    markers: tuple[int, ...]
    label: str = ""     # the source's label, used when one source holds the position
    later: bool = False  # a later development (a later state of what is asked)
    undated: bool = False
    answer: str = ""    # "yes" or "no" when the position answers a yes/no question
    quoted: bool = False  # a whole sentence or phrase standing in for a value: shown in quotation marks
    reading: str = ""     # the value as read, when the lead shows a wider phrase around it ('require')


def render(mode: str, clauses: list[Clause]) -> Lead:
    """Opener + clauses; `mode` is a key of OPENERS."""
    sole = mode in ("sole", "yes", "no") and len(clauses) == 1
    parts = [_clause(c, sole=sole, after_colon=bool(OPENERS[mode])) + " " + "".join(f"[{n}]" for n in c.markers) for c in clauses]
    text = OPENERS[mode] + "; ".join(parts) + "."
    if not OPENERS[mode] and not _starts_with_value(clauses[0], parts[0]):
        text = text[0].upper() + text[1:]  # the first word is template text, not a value or a label
    return Lead(text=text, values=tuple(c.value for c in clauses))


def abstention() -> Lead:
    return Lead(text=ABSTAIN)


def count(n: int) -> str:
    return NUMBERS[n] if n < len(NUMBERS) else str(n)


def shown(c: Clause) -> str:
    """A value as the lead writes it: a typed value bare ('between 2 and 6 weeks'), a whole sentence quoted."""
    return f"“{c.value.text}”" if c.quoted else c.value.text


def _clause(c: Clause, *, sole: bool, after_colon: bool) -> str:
    v = shown(c)
    answer = f"{c.answer}, " if c.answer and not sole else ""
    later = "later, " if c.later else ""
    if len(c.markers) >= 2:
        return f"{answer}{later}{count(len(c.markers))} reports say {v}"
    if c.later and c.undated:
        return f"{answer}an undated {c.label} report says {v}"
    if sole and not c.later and v[:1] and (after_colon or not v[:1].islower()):
        return v
    return f"{answer}{later}{c.label} reports {v}"


def _starts_with_value(c: Clause, part: str) -> bool:
    return part.startswith(shown(c)) or (bool(c.label) and part.startswith(c.label))


# reading a lead back ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Parsed:
    value: str
    markers: tuple[int, ...]


def parse(text: str, labels: dict[int, str], quotes: dict[int, str]) -> list[Parsed] | None:
    """The values and markers of a lead, or None when any word of it is not template text, a label of the
    clause's source, or an exact slice of that source's quote. `labels`/`quotes` are the citations by number."""
    if text == ABSTAIN:
        return []
    if not text.endswith("."):
        return None
    for mode, opener in sorted(OPENERS.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(opener) or (not opener and text):
            rest = text[len(opener):-1]
            found = _clauses(rest, labels, quotes, sole=mode in ("sole", "yes", "no"), initial=not opener)
            if found is not None:
                return found
    return None


def _clauses(rest: str, labels: dict[int, str], quotes: dict[int, str], *, sole: bool,
             initial: bool) -> list[Parsed] | None:
    matches = list(_CLAUSE.finditer(rest))
    if not matches or "".join(m.group(0) for m in matches) != rest:
        return None
    out: list[Parsed] = []
    for i, m in enumerate(matches):
        markers = tuple(int(n) for n in _MARKER.findall(m["markers"]))
        if any(n not in quotes for n in markers) or len(set(markers)) != len(markers):
            return None
        body = m["body"]
        value = _value(body, markers, labels[markers[0]], quotes[markers[0]],
                       sole=sole and len(matches) == 1, initial=initial and i == 0)
        if value is None:
            return None
        out.append(Parsed(value, markers))
    return out


def _value(body: str, markers: tuple[int, ...], label: str, quote: str, *, sole: bool, initial: bool) -> str | None:
    """The value of one clause, trying each template; None when no template reads it as an exact slice."""
    answer = "" if sole else r"(?:(?:yes|no), )?"
    many = re.escape(count(len(markers)))
    name = re.escape(label)
    templates = [rf"{answer}(?:later, )?{many} reports say (?P<v>.+)"] if len(markers) >= 2 else [
        rf"{answer}an undated {name} report says (?P<v>.+)",
        rf"{answer}(?:later, )?{name} reports (?P<v>.+)",
        *([r"(?P<v>.+)"] if sole else []),
    ]
    for template in templates:
        # a sentence-initial template word is capitalised; a value never is (it is shown as written)
        lowered = body[:1].lower() + body[1:]
        for candidate in dict.fromkeys([body, lowered] if initial and template != r"(?P<v>.+)" else [body]):
            m = re.fullmatch(template, candidate, re.S)
            value = _unquoted(m["v"]) if m else None
            if value and value in quote:
                return value
    return None


def _unquoted(written: str) -> str:
    """The value inside its quotation marks, if it has them."""
    return written[1:-1] if written.startswith("“") and written.endswith("”") and len(written) > 2 else written
