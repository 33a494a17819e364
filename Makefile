# Landsby — the two commands users need are `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash
APP := .venv/bin

.PHONY: help install run test test-deps lint typecheck unit integration browser train evaluate bench bench-fuzz nlu-compare bench-norsid lock clean

help:
	@echo "make run       install, load the knowledge base, train if needed, serve on :8000"
	@echo "make test      lint, type-check and run the whole test suite"
	@echo "make train     train the dialogue model if its training data changed"
	@echo "make evaluate  evaluate the current model on the held-out set (tests/nlu/)"
	@echo "make bench     load next to a bare Rasa server, faults under load, API fuzzing (~20 min)"
	@echo "make nlu-compare  train and score every candidate NLU pipeline (bench/nlu/, ~25 min)"
	@echo "make bench-fuzz  property-based fuzz run of the public API against a running Landsby (~4 min)"
	@echo "make bench-norsid the production pipeline on NorSID, external dialect data (~5 min)"
	@echo "make lock      re-resolve requirements/*.lock after changing dependencies"

install:
	@scripts/bootstrap.sh

run: install
	exec $(APP)/landsby run

lint: install
	$(APP)/ruff check bot actions bench tests

typecheck: install
	$(APP)/mypy

unit: install
	$(APP)/pytest -m "not integration and not browser"

browser: test-deps
	$(APP)/pytest -m browser

integration: install
	$(APP)/pytest -m integration

test-deps: install
	@scripts/test-deps.sh

test: install test-deps
	$(APP)/ruff check bot actions bench tests
	$(APP)/mypy
	$(APP)/pytest

train: install
	$(APP)/landsby train

evaluate: install
	$(APP)/landsby evaluate --compare

bench: install test-deps
	$(APP)/python bench/load.py
	$(APP)/python -m bench.faults
	$(APP)/python -m bench.faults --replicas 2
	$(APP)/python bench/fuzz.py

bench-fuzz: install
	$(APP)/python bench/fuzz.py

nlu-compare: install
	$(APP)/python -m bench.nlu.compare

bench-norsid: install
	$(APP)/python -m bench.norsid.run

lock:
	@scripts/bootstrap.sh
	.venv-tools/bin/uv pip compile --quiet requirements/engine.in --python "$$(.venv-engine/bin/python -c 'import sys; print(sys.executable)')" -o requirements/engine.lock
	.venv-tools/bin/uv pip compile --quiet --universal pyproject.toml --extra dev --python .venv/bin/python -o requirements/app.lock

clean:
	rm -rf .venv .venv-engine .venv-tools
