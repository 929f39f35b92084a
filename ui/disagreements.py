"""'Where the sources disagree': each position side by side with its sources, dates and exact quotes."""

from __future__ import annotations

from datetime import datetime

from ui.render import dated, esc, label, when

_KIND_NOTE = {
    "contradiction": "The sources state different things.",
    "differing accounts": "The sources give different accounts.",
    "later development": "Later reports describe a change; earlier ones are not wrong for their date.",
}


def disagreements_html(conflicts: list[dict], citations: list[dict], texts: dict[str, str]) -> str:
    """The whole view, or '' when the answer has no conflicts. `texts` maps source ids to text (for labels)."""
    if not conflicts:
        return ""
    by_n = {c["n"]: c for c in citations}
    parts = ['<section class="dis" aria-label="Where the sources disagree"><h3 class="dis-title">'
             'Where the sources disagree</h3>']
    for conflict in conflicts:
        kind = conflict.get("kind", "")
        positions = list(conflict.get("positions", []))
        if kind == "later development":
            positions.sort(key=lambda p: _order(p, by_n))
        parts.append(f'<div class="dis-conflict" data-kind="{esc(kind)}"><div class="dis-aspect">'
                     f'<span class="dis-kind">{esc(kind)}</span> {esc(conflict.get("aspect", ""))}</div>'
                     f'<div class="dis-kindnote">{esc(_KIND_NOTE.get(kind, ""))}</div><div class="dis-sides">')
        for i, position in enumerate(positions, start=1):
            step = f'<span class="dis-step">{i}.</span> ' if kind == "later development" else ""
            parts.append(f'<div class="dis-side"><div class="dis-claim">{step}{esc(position.get("claim", ""))}</div>'
                         '<ul class="dis-sources">')
            for n in position.get("citations", []):
                c = by_n.get(n)
                if c is None:
                    continue
                undated = "" if (c.get("published") or "").strip() else ' data-undated="1"'
                parts.append(f'<li class="dis-source" data-n="{int(n)}"><span class="dis-who">[{int(n)}] '
                             f'{esc(label(c, texts.get(c["source_id"], "")))}</span> <span class="dis-date"{undated}>'
                             f'{esc(when(c.get("published", "")))}</span><blockquote class="dis-quote">'
                             f'{esc(c.get("quote", ""))}</blockquote></li>')
            parts.append("</ul></div>")
        parts.append("</div>")
        if conflict.get("note"):
            parts.append(f'<div class="dis-note">{esc(conflict["note"])}</div>')
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _order(position: dict, by_n: dict[int, dict]) -> tuple[int, datetime]:
    """Dated positions by their earliest source's date, undated ones after them."""
    dates = [d for n in position.get("citations", []) if n in by_n and (d := dated(by_n[n].get("published", "")))]
    return (0, min(dates)) if dates else (1, datetime.max)
