# gongbao — the two set-up commands are `make demo` and `make test`; both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

SHELL  := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# this machine's pip configuration names extra indexes that may not exist; their warnings are noise
QUIET_PIP := grep -v "is ignored: it is neither a file nor a directory" || true
# the browser tests drive Debian's chromium (playwright's own browser download is blocked here)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8000

.PHONY: demo test bench bench-pg lint clean-venv browser postgres robustness

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,ocr]' 2>&1 | { $(QUIET_PIP); }
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gongbao ingest
	$(BIN)/gongbao show 山西省民营经济发展促进条例
	@echo
	@echo "web UI and HTTP API: open http://127.0.0.1:$(PORT)/  (API docs: /docs; Ctrl-C stops the server)"
	$(BIN)/gongbao serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP) browser postgres
	$(BIN)/ruff check src tests scripts
	$(BIN)/python -m pytest -rs
	$(BIN)/python -m pytest -rs -m soak

browser:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; } \
		|| echo "warning: chromium could not be installed; the browser tests will be skipped"

# the tests start a throw-away PostgreSQL cluster from the system server binaries (initdb, pg_ctl)
postgres:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "installing Debian's postgresql for the tests of the PostgreSQL backend"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; } \
		|| echo "warning: postgresql could not be installed; the PostgreSQL half of the tests will be skipped"

# ingest against the floor (1 and 2 jobs) and search latency; BASE=REV measures REV too, side by side.
# Other measurements add their own line below.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(if $(BASE),--base $(BASE))
	$(BIN)/python scripts/bench_api.py
	$(BIN)/python scripts/bench_pdf.py
	$(BIN)/python scripts/bench_memory.py

# the whole parse over every file of ../shared (dev, wide, issues, samples) and its degraded variants (~5 min)
robustness: $(STAMP)
	nice $(BIN)/python scripts/robustness.py --jobs 2

# both backends at scale: a >= 1 GB corpus generated from ../shared/corpus (MB=… for another size)
bench-pg: $(STAMP) postgres
	$(BIN)/python scripts/bench_pg.py --mb $(or $(MB),1024)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

clean-venv:
	rm -rf $(VENV)
