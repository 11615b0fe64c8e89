#!/usr/bin/env bash
# Runs the browser tests in headless Chromium against servers that are
# already up: those of scripts/servers.sh, whose `export` lines this shell
# has (or that runs this script itself). A filter picks tests by name: a
# module of tests/browser/ (`viewer::` for tests/browser/viewer.rs) or one
# test. Nothing is rebuilt when only the servers' ports changed.
#
#   scripts/browser-test.sh                 every wasm test, as `scripts/test.sh browser`
#   scripts/browser-test.sh viewer::        one module
#   scripts/servers.sh scripts/browser-test.sh viewer::   the same, in one shell
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ -z "${CXR_BACKEND_URL:-}" ]; then
  echo "browser-test.sh: no servers in this shell's environment. Start scripts/servers.sh in another" >&2
  echo "shell and paste the export lines it prints, or run: scripts/servers.sh scripts/browser-test.sh $*" >&2
  exit 2
fi
wasm=(-p cxreports-widget --target wasm32-unknown-unknown)
if [ $# -eq 0 ]; then
  exec cargo test "${wasm[@]}"
fi
exec cargo test "${wasm[@]}" --test browser -- "$@"
