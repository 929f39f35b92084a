"""The answers the README shows are what the system answers today, character for character."""

import re

import pytest

from rag.cli import render_text

from conftest import ROOT

EXAMPLE = re.compile(r'```text\n\$ rag ask (?P<options>(?:--collection harbor )?)"(?P<question>[^"\n]+)"\n'
                     r"(?P<output>.*?)\n```", re.S)
EXAMPLES = [(m["options"].strip(), m["question"], m["output"])
            for m in EXAMPLE.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]


def test_the_readme_shows_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("options, question, output", EXAMPLES, ids=[q for _, q, _ in EXAMPLES])
def test_readme_example_matches_the_answer(request, options, question, output):
    pipeline = request.getfixturevalue("harbor_pipeline" if "harbor" in options else "seed_pipeline")
    assert render_text(pipeline.ask(question)) == output


def test_the_readme_settings_table_is_the_one_the_code_prints():
    from rag.settings import markdown_table

    assert markdown_table() in (ROOT / "README.md").read_text()
