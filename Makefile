# gongbao — the two set-up commands are `make demo` and `make test`; both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

SHELL  := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# this machine's pip configuration names extra indexes that may not exist; their warnings are noise
QUIET_PIP := grep -v "is ignored: it is neither a file nor a directory" || true

.PHONY: demo test bench lint clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | { $(QUIET_PIP); }
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gongbao ingest
	$(BIN)/gongbao show 山西省民营经济发展促进条例

test: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

clean-venv:
	rm -rf $(VENV)
