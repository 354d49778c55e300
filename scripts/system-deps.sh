#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond Python: LibreOffice (to render
# the shipped records as DOCX/PDF), a CJK font (so those PDFs carry a text layer) and tmux
# (the end-to-end test drives the terminal UI in it); and a C++ compiler and CMake, with
# which pip builds llama-cpp-python for the `llm_server` tier (`make llm-server`). Without
# those two the rest of the suite still runs: that tier is skipped, saying why.
set -euo pipefail
need=()
want=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk' || need+=(fonts-wqy-microhei)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v g++ >/dev/null 2>&1 || command -v c++ >/dev/null 2>&1 || want+=(g++)
command -v cmake >/dev/null 2>&1 || want+=(cmake)
[ ${#need[@]} -eq 0 ] && [ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  if [ ${#want[@]} -ne 0 ]; then
    echo "For the llm_server tests, install: ${want[*]} (Debian/Ubuntu package names)" >&2
  fi
  if [ ${#need[@]} -ne 0 ]; then
    echo "Please install: ${need[*]} (Debian/Ubuntu package names)" >&2
    exit 1
  fi
  exit 0
fi
echo "Installing ${need[*]} ${want[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${need[@]}" "${want[@]}" >/dev/null
