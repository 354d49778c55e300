# Two commands take a fresh clone to a running assistant: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export COMMITTEE_ASSISTANT_HOME ?= $(CURDIR)/var
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test lint eval bench clean system-deps

setup: $(STAMP)

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

# Answer accuracy, citations, refusals and retrieval of every configuration side by side;
# reports and charts in evals/reports/.
eval: setup
	$(BIN)/committee-assistant eval

# Build and search timings, memory and index size; report in evals/reports/.
bench: setup
	$(BIN)/python -m evals bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy assistant index

clean:
	rm -rf $(VENV) var .pytest_cache
