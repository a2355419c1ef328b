# Developer and user commands. `make run` and `make test` set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEB_RUN := espeak-ng espeak-ng-data libportaudio2
DEB_TEST := $(DEB_RUN) sox pulseaudio pulseaudio-utils chromium tesseract-ocr fonts-dejavu-core tzdata hunspell hunspell-nl

.PHONY: run test lint bench test-audio system-deps system-deps-test clean

run: system-deps $(VENV)/.installed-run
	$(BIN)/adempauze run

test: system-deps-test $(VENV)/.installed-test lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# ruff and strict mypy (configured in pyproject.toml); part of make test.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check assistant tests benchmarks audio
	$(BIN)/mypy

# Korean speech fixtures of the recognizer and voice-loop tests (espeak-ng + sox; only
# missing files are written, --force rewrites them all).
test-audio: system-deps-test $(VENV)/.installed-test
	$(BIN)/python tests/audio/generate.py

bench: $(VENV)/.installed-test
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Adempauze needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Debian packages: installed when we are root with apt, otherwise the exact command is printed.
system-deps:
	@DEB="$(DEB_RUN)" sh ./.ci/system-deps.sh

system-deps-test:
	@DEB="$(DEB_TEST)" sh ./.ci/system-deps.sh

clean:
	rm -rf $(VENV) dist build .pytest_cache
