# impact: set-up, demo, tests and benchmarks.
# Every target installs what it needs, once (idempotent); sudo only when not root.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's system libraries and fonts, plus the PDF tools the tests use; chromium and its driver
# for the web page's browser test (tests/test_web_browser.py).
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils qpdf \
  chromium chromium-driver

.PHONY: setup system-deps demo serve test lint fuzz bench clean

setup: system-deps $(VENV)/.installed

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "impact needs Python >= 3.11, found " + sys.version.split()[0])'
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV) || { \
	  echo "python venv is missing: installing python3-venv"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/impact estimate data/projects/mrs5.yaml
	@mkdir -p out
	$(BIN)/impact dossier data/projects/mrs5.yaml -o out/mrs5-dossier.pdf --force
	@echo "The MRS5 dossier: out/mrs5-dossier.pdf (and the draft contribution out/mrs5-dossier.md)"

# The web page for residents on http://127.0.0.1:8000/ (HOST=0.0.0.0 makes it reachable from the network).
HOST ?= 127.0.0.1
PORT ?= 8000
serve: setup
	$(BIN)/impact serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest

# ruff (lint and format) over the tree, mypy over impact/ (configuration in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The long fuzz run of issue 11 (10,000 mutated projects; prints its figures, fails on any crash).
fuzz: setup
	$(BIN)/python scripts/fuzz_projects.py --count 10000

bench: setup
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
