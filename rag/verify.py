"""Answer -> accepted or QuoteMismatchError: the text the user reads is parsed and checked, not trusted.

The answer text is the lead, a blank line, then one line per citation: `label: “quote” [n]`. Every citation is
an exact slice of its source; every lead value is an exact slice of the quote its marker points to; every body
line is exactly its citation's line; no other word may appear. Whatever wrote the text (the extractive default
or any chat model behind RAG_LLM), this check is the same.
"""

from __future__ import annotations

from rag import lead as leads
from rag.errors import QuoteMismatchError
from rag.labels import label
from rag.types import Answer, Article, Citation


def quote_line(c: Citation) -> str:
    return f"{c.label}: “{c.quote}” [{c.n}]"


def verify(answer: Answer, articles: dict[str, Article]) -> None:
    """Refuse an answer any part of which is not what the sources say."""
    by_n = {c.n: c for c in answer.citations}
    if len(by_n) != len(answer.citations):
        raise QuoteMismatchError("two citations share a number")
    for c in answer.citations:
        article = articles.get(c.source_id)
        if article is None or not c.quote or article.text[c.start:c.end] != c.quote:
            raise QuoteMismatchError(f"citation [{c.n}] is not an exact slice of {c.source_id}[{c.start}:{c.end}]")
        if c.label != label(article):
            raise QuoteMismatchError(f"citation [{c.n}] is labelled {c.label!r}, not as its source")
    head, blank, body = answer.answer.partition("\n\n")
    if head != answer.lead.text:
        raise QuoteMismatchError("the answer does not open with its lead")
    _check_lead(answer, by_n, articles)
    shown = _check_body(body, by_n) if blank else []
    if answer.abstained and (answer.citations or blank):
        raise QuoteMismatchError("an abstention quotes nothing")
    if sorted(shown) != sorted(by_n):
        raise QuoteMismatchError(f"quoted {sorted(shown)} but cites {sorted(by_n)}")
    for conflict in answer.conflicts:
        for position in conflict.positions:
            missing = set(position.citations) - set(by_n)
            if missing:
                raise QuoteMismatchError(f"conflict {conflict.aspect!r} cites {sorted(missing)}, which are not citations")


def _check_lead(answer: Answer, by_n: dict[int, Citation], articles: dict[str, Article]) -> None:
    parsed = leads.parse(answer.lead.text, {n: c.label for n, c in by_n.items()},
                         {n: c.quote for n, c in by_n.items()})
    if parsed is None:
        raise QuoteMismatchError(f"the lead is not template text, labels and quoted values: {answer.lead.text!r}")
    if [(p.value, p.markers[0]) for p in parsed] != [(v.text, v.n) for v in answer.lead.values]:
        raise QuoteMismatchError("the lead's values are not the values it states")
    for v in answer.lead.values:
        c = by_n[v.n]
        if not (c.start <= v.start <= v.end <= c.end) or articles[c.source_id].text[v.start:v.end] != v.text:
            raise QuoteMismatchError(f"lead value {v.text!r} is not a slice of citation [{v.n}]")


def _check_body(body: str, by_n: dict[int, Citation]) -> list[int]:
    """Read the body line by line; each line must be exactly one citation's line (quotes may hold newlines)."""
    shown: list[int] = []
    at = 0
    while at < len(body):
        for n, c in by_n.items():
            line = quote_line(c)
            if n not in shown and body.startswith(line, at) and body[at + len(line):at + len(line) + 1] in ("", "\n"):
                shown.append(n)
                at += len(line) + 1
                break
        else:
            raise QuoteMismatchError(f"answer text not from a citation: {body[at:at + 80]!r}")
    return shown
