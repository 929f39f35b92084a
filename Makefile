# Two entry points for users: `make run` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false
export ORT_DISABLE_TELEMETRY := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

HOST ?= 127.0.0.1
PORT ?= 8000
STORE ?= .rag-store
CORPUS ?= corpus/articles

.PHONY: setup run index test evals bench bench-10k bench-ui screenshots readme-examples clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	# torch first, pinned to the local CPU wheel, so nothing below pulls a CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

run: setup
	@echo "Open http://$(HOST):$(PORT)/ in a browser (the API is under /v1, its docs at /docs)"
	$(VENV)/bin/rag serve --host $(HOST) --port $(PORT) --store $(STORE) --corpus $(CORPUS)

test: setup
	$(PY) -m pytest -q

RAMDOCS ?= ../shared/ramdocs/dev.jsonl

evals: setup
	$(VENV)/bin/rag eval --out evals/out/seed
	$(VENV)/bin/rag eval --corpus tests/corpora/harbor --questions evals/questions/harbor.jsonl --out evals/out/harbor
	$(VENV)/bin/rag eval --ramdocs $(RAMDOCS) --out evals/out/ramdocs

bench: setup
	$(PY) benchmarks/run.py --articles 1000

# opt-in: builds the 10,000-article corpus and both stores once (hours on 2 cores), then reuses them
bench-10k: setup
	$(PY) benchmarks/run.py --articles 10000 --cache benchmarks/cache

bench-ui: setup
	$(PY) benchmarks/ui.py

screenshots: setup
	$(PY) docs/screenshots.py

# rewrites the answers README.md shows (tests/test_readme_examples.py checks them)
readme-examples: setup
	$(PY) docs/readme_examples.py

clean:
	rm -rf $(VENV) $(STORE)
