"""Question files -> validated question dicts; every mistake is reported in one line with file, line and id.

A question set is JSONL, one question per line (the format is described in evals/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.errors import RagError

KINDS = ("disputed", "undisputed", "unanswerable")
CONFLICT_KINDS = ("contradiction", "differing accounts", "later development")
PARAPHRASE = "-paraphrase"  # seed-paraphrase.jsonl paraphrases seed.jsonl


class QuestionError(RagError):
    """A question file that cannot be evaluated as written."""


def load_questions(path: Path) -> list[dict]:
    """Every question of a JSONL file, checked and with optional fields filled in."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionError(f"{path}: cannot be read ({exc.strerror}); pass --questions FILE.jsonl") from exc
    except UnicodeDecodeError as exc:
        raise QuestionError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    questions: list[dict] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionError(f"{where}: not a JSON object ({exc.msg} at column {exc.colno})") from None
        question = check_question(raw, where)
        if question["id"] in seen:
            raise QuestionError(f"{where}: id {question['id']!r} already used on line {seen[question['id']]}")
        seen[question["id"]] = number
        questions.append(question)
    if not questions:
        raise QuestionError(f"{path}: no questions; write one JSON object per line")
    if any(q["paraphrase_of"] for q in questions):
        _inherit_from_originals(questions, path)
    return questions


def originals_path(path: Path) -> Path:
    """The question file a paraphrase set rewords: evals/questions/seed-paraphrase.jsonl -> seed.jsonl."""
    return path.with_name(path.stem.removesuffix(PARAPHRASE) + path.suffix)


def _inherit_from_originals(questions: list[dict], path: Path) -> None:
    """A paraphrase takes labels added to its original after the paraphrase file was frozen (conflict_kind)."""
    source = originals_path(path)
    if source == path or not source.exists():
        raise QuestionError(f"{path}: questions name 'paraphrase_of' but {source} is missing")
    originals = {q["id"]: q for q in load_questions(source)}
    for question in questions:
        original = originals.get(question["paraphrase_of"])
        if question["paraphrase_of"] and original is None:
            raise QuestionError(f"{path}: {question['id']}: paraphrase_of {question['paraphrase_of']!r} is not "
                                f"an id of {source}")
        if original and original["kind"] != question["kind"]:
            raise QuestionError(f"{path}: {question['id']}: kind {question['kind']!r} differs from its original's")
        if original and not question["conflict_kind"]:
            question["conflict_kind"] = original["conflict_kind"]


def check_question(raw: object, where: str = "question") -> dict:
    """One question dict, validated; `sources` defaults to every source named by a fact or position."""
    if not isinstance(raw, dict):
        raise QuestionError(f"{where}: not a JSON object")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.strip():
        raise QuestionError(f"{where}: 'id' must be a non-empty string")
    where = f"{where}: {qid}"
    text = raw.get("question")
    if not isinstance(text, str) or not text.strip():
        raise QuestionError(f"{where}: 'question' must be a non-empty string")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise QuestionError(f"{where}: 'kind' is {kind!r}; use one of {', '.join(KINDS)}")
    aspect = raw.get("aspect", "")
    if not isinstance(aspect, str):
        raise QuestionError(f"{where}: 'aspect' must be a string")
    positions = [_claim(p, f"{where}: positions[{i}]", "claim") for i, p in enumerate(_list(raw, "positions", where))]
    facts = [_claim(f, f"{where}: facts[{i}]", "text") for i, f in enumerate(_list(raw, "facts", where))]
    sources = _strings(raw.get("sources", []), f"{where}: sources", allow_empty=True)
    named = [s for c in positions + facts for s in c["sources"]]
    if kind == "disputed" and len(positions) < 2:
        raise QuestionError(f"{where}: a disputed question needs at least 2 positions, has {len(positions)}")
    if kind == "undisputed" and positions:
        raise QuestionError(f"{where}: an undisputed question has no positions; list what it says under 'facts'")
    if kind == "undisputed" and not facts:
        raise QuestionError(f"{where}: an undisputed question needs at least 1 fact")
    if kind == "unanswerable" and (positions or facts or sources):
        raise QuestionError(f"{where}: an unanswerable question has no positions, facts or sources")
    conflict_kind = raw.get("conflict_kind", "")
    if conflict_kind and (kind != "disputed" or conflict_kind not in CONFLICT_KINDS):
        raise QuestionError(f"{where}: 'conflict_kind' is {conflict_kind!r}; a disputed question takes one of "
                            f"{', '.join(CONFLICT_KINDS)}")
    paraphrase_of = raw.get("paraphrase_of", "")
    if not isinstance(paraphrase_of, str):
        raise QuestionError(f"{where}: 'paraphrase_of' must be the id of the original question")
    missing = sorted(set(named) - set(sources)) if sources else []
    if missing:
        raise QuestionError(f"{where}: sources {missing} hold a fact or position but are not in 'sources'")
    return {"id": qid, "question": text.strip(), "kind": kind, "aspect": aspect, "positions": positions,
            "facts": facts, "sources": sources or list(dict.fromkeys(named)), "conflict_kind": conflict_kind,
            "paraphrase_of": paraphrase_of}


def check_sources(questions: list[dict], source_ids: set[str], corpus: object = "the corpus") -> None:
    """Every source a question names must be in the corpus it is run against."""
    for question in questions:
        unknown = sorted(set(question["sources"]) - source_ids)
        if unknown:
            raise QuestionError(f"{question['id']}: sources {unknown} are not in {corpus}; "
                                "pass the matching --corpus or fix the question")


def keyword_warnings(questions: list[dict], texts: dict[str, str], normalise) -> list[str]:
    """Keywords that none of their claim's sources contain: such a fact or position can never be cited."""
    warnings = []
    for question in questions:
        for field in ("positions", "facts"):
            for i, claim in enumerate(question[field]):
                bodies = [normalise(texts.get(s, "")) for s in claim["sources"]]
                for keyword in claim["keywords"]:
                    if not any(normalise(keyword) in body for body in bodies):
                        warnings.append(f"{question['id']}: {field}[{i}] keyword {keyword!r} is in none of "
                                        f"{claim['sources']}")
    return warnings


def _list(raw: dict, key: str, where: str) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise QuestionError(f"{where}: '{key}' must be a list")
    return value


def _claim(raw: object, where: str, text_key: str) -> dict:
    if not isinstance(raw, dict):
        raise QuestionError(f"{where}: must be an object with '{text_key}', 'keywords' and 'sources'")
    text = raw.get(text_key)
    if not isinstance(text, str) or not text.strip():
        raise QuestionError(f"{where}: '{text_key}' must be a non-empty string")
    keywords = _strings(raw.get("keywords"), f"{where}: keywords")
    sources = _strings(raw.get("sources"), f"{where}: sources")
    return {text_key: text, "keywords": keywords, "sources": sources}


def _strings(value: object, where: str, *, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise QuestionError(f"{where}: must be a list of non-empty strings")
    if not value and not allow_empty:
        raise QuestionError(f"{where}: is empty; list at least one")
    return list(value)
