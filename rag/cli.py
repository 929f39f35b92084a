"""The `rag` command: index a folder, ask a question, serve the API. Errors print one line and exit non-zero."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                      "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false",
                      "ORT_DISABLE_TELEMETRY": "1"}.items():
    os.environ.setdefault(_name, _value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Cited, conflict-aware answers about a folder of news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="index a folder of .txt/.md/.html articles (incremental)")
    index.add_argument("directory", nargs="?", default="corpus/articles", type=Path)
    _store_options(index)

    ask = sub.add_parser("ask", help="ask a question; prints the answer with its citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the same JSON as POST /v1/ask")
    ask.add_argument("--top-k", type=int, default=None)
    _store_options(ask)

    serve = sub.add_parser("serve", help="serve the REST API (and web UI) over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--corpus", type=Path, default=None, help="folder to index into the default collection at start-up")
    _store_options(serve)

    ev = sub.add_parser("eval", help="run an eval suite: quotes, citations, conflicts, abstention")
    ev.add_argument("--corpus", type=Path, default=None, help="folder of articles (default: the seed corpus)")
    ev.add_argument("--questions", type=Path, default=None, help="JSONL question set (default: the seed set)")
    ev.add_argument("--json", action="store_true", help="print the result JSON instead of a table")
    ev.add_argument("--out", type=Path, default=Path("evals/out"), help="folder for result.json and report.md")
    ev.add_argument("--check", action="store_true", help="exit 1 when a metric is below evals/thresholds.json")
    ev.add_argument("--ramdocs", type=Path, default=None, help="run RAMDocs rows (JSONL) instead of a question set")
    ev.add_argument("--rows", type=int, default=None, help="with --ramdocs: only the first N rows")
    ev.add_argument("--subset", choices=["ci"], default=None, help="with --ramdocs: the committed 40-row CI subset")
    _store_options(ev)
    return parser


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: RAG_STORE or .rag-store)")
    parser.add_argument("--collection", default=None, help="collection (default: RAG_COLLECTION or 'default')")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from rag.errors import RagError

    try:
        return _run(args)
    except RagError as exc:
        print(f"rag: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`rag ask ... | head -3`): stop quietly, as `cat` would
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush cannot fail
        return 141  # 128 + SIGPIPE, what a shell reports for a command whose output pipe closed


def _settings(args: argparse.Namespace, **extra):
    from pydantic import ValidationError

    from rag.errors import InvalidInputError
    from rag.settings import Settings

    overrides = {k: v for k, v in {"store": getattr(args, "store", None),
                                   "collection": getattr(args, "collection", None)}.items() if v is not None}
    try:
        return Settings(**overrides, **extra)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInputError(f"setting {'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def _run(args: argparse.Namespace) -> int:
    if args.command == "eval":
        from evals.runner import run_cli

        return run_cli(args)
    if args.command == "serve":
        return _serve(args)

    from rag.pipeline import Pipeline

    pipeline = Pipeline.from_settings(_settings(args))
    try:
        if args.command == "index":
            report = pipeline.index(args.directory, args.collection, progress=True)
            print(f"indexed {args.directory}: {report.added} added, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {report.removed} removed ({report.chunks} chunks written)")
            return 0
        answer = pipeline.ask(args.question, collection=args.collection, top_k=args.top_k)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(render_text(answer))
        return 0
    finally:
        pipeline.close()


def _serve(args: argparse.Namespace) -> int:
    """Every start-up mistake (bad setting, blank token, locked store, unreadable corpus) is one line and exit 2,
    because it happens here, before uvicorn owns the process."""
    import uvicorn

    from rag.api import create_app
    from rag.auth import BearerAuth
    from rag.pipeline import Pipeline
    from rag.serving import uvicorn_options

    settings = _settings(args, **({"corpus_dir": args.corpus} if args.corpus else {}))
    BearerAuth(settings.api_token, protect_reads=settings.protect_reads)  # checked before the model loads
    pipeline = Pipeline.from_settings(settings)
    try:
        if settings.corpus_dir is not None:
            pipeline.index(settings.corpus_dir)
        app = create_app(settings.model_copy(update={"corpus_dir": None}), pipeline=pipeline)
        app.state.corpus_dir = settings.corpus_dir  # indexed above; the web UI reads its examples.txt
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", **uvicorn_options(settings))
    finally:
        pipeline.close()
    return 0


def render_text(answer) -> str:
    lines = [answer.answer, ""]
    for c in answer.citations:
        who = " · ".join(dict.fromkeys(x for x in (c.label, c.title, c.published) if x)) or c.source_id
        lines.append(f"[{c.n}] {who} — {c.source_id} [{c.start}:{c.end}]")
    return "\n".join(lines).rstrip()


if __name__ == "__main__":
    sys.exit(main())
