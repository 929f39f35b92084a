"""Rewrites the answers shown in README.md with what the system answers today.

tests/test_readme_examples.py fails when a shown answer drifts from the real one; after a change that
alters answers on purpose, run `make readme-examples` and review the README diff like any other change.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _name, _value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                      "TOKENIZERS_PARALLELISM": "false", "ORT_DISABLE_TELEMETRY": "1"}.items():
    os.environ.setdefault(_name, _value)

EXAMPLE = re.compile(r'(?P<head>```text\n\$ rag ask (?P<options>(?:--collection harbor )?)"(?P<question>[^"\n]+)"\n)'
                     r"(?P<output>.*?)(?P<tail>\n```)", re.S)
CORPORA = {"": ROOT / "corpus" / "articles", "--collection harbor": ROOT / "tests" / "corpora" / "harbor"}


def main() -> None:
    from rag.cli import render_text
    from rag.embeddings import load_embedder
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    embedder = load_embedder()
    with tempfile.TemporaryDirectory() as folder:
        pipelines = {}
        for options, corpus in CORPORA.items():
            pipelines[options] = Pipeline.from_settings(Settings(store=Path(folder) / corpus.name), embedder=embedder)
            pipelines[options].index(corpus)

        def answered(match: re.Match) -> str:
            output = render_text(pipelines[match["options"].strip()].ask(match["question"]))
            return match["head"] + output + match["tail"]

        new = EXAMPLE.sub(answered, text)
        for pipeline in pipelines.values():
            pipeline.close()
    readme.write_text(new, encoding="utf-8")
    print("README.md examples", "unchanged" if new == text else "rewritten")


if __name__ == "__main__":
    main()
