# Two commands take a fresh clone to a running assistant: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export COMMITTEE_ASSISTANT_HOME ?= $(CURDIR)/var
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test check lint eval train bench bench-start clean system-deps

# The project's bytecode, written once: where PYTHONDONTWRITEBYTECODE is set (as on this
# project's machines) Python would otherwise compile every module at every start (about
# 0.3 s of a one-shot `ask`). Cheap when nothing changed.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q assistant index evals > /dev/null

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# LibreOffice renders the shipped records to PDF/DOCX for the format tests.
system-deps:
	@bash scripts/system-deps.sh

# Opens the terminal UI; it builds the index on the shipped records first if it is missing
# or stale (unchanged files cost nothing). `committee-assistant chat` is the plain REPL.
run: setup
	$(BIN)/committee-assistant

test: setup system-deps
	$(BIN)/python -m pytest -q

# The fast tier (well under two minutes on 2 cores): everything that neither builds the full
# index nor drives the TUI or separate processes. `make test` runs everything.
check: setup
	$(BIN)/python -m pytest -q -m "not slow"

# Answer accuracy, citations, refusals and retrieval of the test set, the rewordings, the
# added documents and the training set, every configuration side by side; reports and
# charts in evals/reports/.
eval: setup
	$(BIN)/committee-assistant eval

# Learn the evidence ranker from the training set (evals/gold) with cross-validation grouped
# by question; writes assistant/ranker.json with the figures it measured.
train: setup
	$(BIN)/python -m evals train

# Build and search timings, memory and index size; report in evals/reports/.
bench: setup
	$(BIN)/python -m evals bench

# Time from a fresh process to the first answer (`ask`, `chat`, the UI), median of 5, and
# what each part of a one-shot `ask` costs; printed, never a test.
bench-start: setup
	$(BIN)/python -m evals.bench_start

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy assistant index

clean:
	rm -rf $(VENV) var .pytest_cache
