#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (host and wasm32), native unit
# and integration tests, the release bundle, and the browser tests in headless
# Chromium against a real simulator, reference backend and static host server,
# which this script starts on ephemeral loopback ports and stops on exit.
#
#   scripts/test.sh                every stage, in order (what CI runs)
#   scripts/test.sh STAGE...       only those stages, in the same order
#   scripts/test.sh --list         the stages, one a line, with what each does
#
# A stage that talks to the servers starts them; one that needs the release
# bundle (dist/) or the example apps builds them when they are missing (the
# `bundle` and `examples` stages always rebuild).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# name|what it runs (in the order `scripts/test.sh` runs them).
stages=(
  "fmt|cargo fmt --check"
  "clippy|clippy -D warnings, host (with and without fault injection) and wasm32"
  "native|cargo test --workspace (unit, property and integration tests on the host)"
  "bundle|the release bundle (trunk build --release -> dist/), its integrity digests and package contents"
  "examples|npm pack dist/, the React, Vue, Angular, HTML and Next.js example apps built from it, and importing it under Node"
  "checker|the reference backend held to the conformance checker (servers)"
  "browser|the browser tests (tests/browser/) in headless Chromium (servers, bundle)"
  "sweep|the secrets sweep: the demo flow, every request and response (servers, bundle)"
  "a11y|the accessibility audit: axe-core, WCAG 2.2 AA, every widget state (servers, bundle)"
  "e2e|the example host apps and element properties in headless Chromium; the Next.js app under next start, its route handlers held to the conformance checker (servers, examples)"
  "demo|scripts/demo.sh as a user runs it, on free ports, and how it stops"
  "host-backends|the Node, Python and PHP host-backend recipes held to the conformance checker (servers)"
  "fuzz|cargo-fuzz, CXR_FUZZ_SECONDS (15) per target"
)
stage_names=("${stages[@]%%|*}")

list_stages() {
  local s
  for s in "${stages[@]}"; do printf '  %-14s %s\n' "${s%%|*}" "${s#*|}"; done
}

usage() {
  echo "usage: scripts/test.sh [STAGE...]   (no stage: all of them, in order)"
  echo "stages:"
  list_stages
}

case "${1:-}" in
  --list | list | help | --help | -h)
    usage
    exit 0
    ;;
esac

# The stages asked for (all of them when none is), in the order above.
declare -A wanted=()
for arg in "$@"; do
  known=
  for name in "${stage_names[@]}"; do [ "$arg" = "$name" ] && known=1; done
  if [ -z "$known" ]; then
    echo "scripts/test.sh: no stage named \"$arg\"." >&2
    usage >&2
    exit 2
  fi
  wanted[$arg]=1
done
if [ $# -eq 0 ]; then
  for name in "${stage_names[@]}"; do wanted[$name]=1; done
fi

. scripts/bootstrap.sh
. scripts/servers.sh

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
wasm=(--target wasm32-unknown-unknown)

# Prerequisites a stage builds or starts only when it needs them.
servers_started=
need_servers() {
  [ -n "$servers_started" ] && return 0
  section "servers"
  start_servers test
  # The end-to-end scripts read the addresses from the environment (e2e/env.mjs).
  export CXR_SIM_URL CXR_BACKEND_URL CXR_WRONG_PAT_BACKEND_URL CXR_STATIC_URL CXR_CDN_URL CXR_HOST_URL CXR_TEST_PAT
  servers_started=1
}
need_bundle() {
  [ -f dist/cxreports-widget.js ] && [ -d dist/pkg ] && return 0
  echo "test.sh: dist/ has no release bundle yet: building it first."
  stage_bundle
}
need_examples() {
  [ -f examples/react/dist/index.html ] && [ -f examples/vue/dist/index.html ] && [ -f examples/angular/dist/index.html ] \
    && [ -f examples/nextjs/.next/BUILD_ID ] && return 0
  echo "test.sh: the example apps are not built yet: building them first."
  need_bundle
  . scripts/examples.sh
  build_examples
}

stage_fmt() {
  section "format"
  cargo fmt --all --check
}

stage_clippy() {
  section "clippy (host)"
  cargo clippy --workspace --all-targets --quiet -- -D warnings
  cargo clippy -p cxreports-backend --features fault-injection --all-targets --quiet -- -D warnings

  section "clippy (wasm32)"
  cargo clippy -p cxreports-widget -p cxreports-contract "${wasm[@]}" --all-targets --quiet -- -D warnings
}

stage_native() {
  section "native tests"
  cargo test --workspace --quiet
}

stage_bundle() {
  section "release bundle (trunk build --release -> the site in target/site/, the package in dist/)"
  trunk_release build --quiet
  ls -l dist/cxreports-widget.js dist/pkg/
  # The post-build step minifies after trunk wrote its integrity digests: each
  # must still be the digest of the bytes shipped, or browsers block the widget.
  node e2e/integrity.mjs target/site
  # dist/ is what integrators serve and publish: the package's files, nothing else.
  node e2e/package-contents.mjs dist
}

stage_examples() {
  need_bundle
  section "npm package (npm pack dist/) and the example apps built from it"
  . scripts/examples.sh
  build_examples
  node e2e/ssr.mjs
}

stage_checker() {
  need_servers
  section "the reference backend held to the conformance checker (cxreports-backend-check)"
  printf '%s' "$CXR_TEST_PAT" >"$run_dir/pat.txt"
  # The demo sign-in (on against the simulator), as two users: the second for
  # tempdata.owner. The rate probe outlasts the test mode's 1000 nonces per user
  # a minute (servers.sh), and the slow-client bound its 5 s header timeout.
  demo_session() {
    curl -fsS -o /dev/null -D - -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: test.sh' \
      -d "{\"user\":\"$1\"}" "$CXR_BACKEND_URL/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
  }
  local session session_b
  session=$(demo_session checker)
  session_b=$(demo_session checker-b)
  cargo run --quiet -p cxreports-backend-check -- --base "$CXR_BACKEND_URL/api/cxreports" --cookie "$session" \
    --cookie-b "$session_b" --pat-file "$run_dir/pat.txt" --rate-probe 1100 --slow-client-secs 8
}

stage_browser() {
  need_bundle
  need_servers
  section "browser tests (headless Chromium)"
  # The addresses reach the tests at run time (the CXR_* variables, through
  # the wasm32 runner scripts/browser-test-runner.py), so a run against
  # other ports rebuilds nothing. The time zone is the browser tests' only.
  (eval "$(browser_test_env)" && scripts/browser-test.sh)
}

stage_sweep() {
  need_bundle
  need_servers
  section "secrets sweep (the whole demo flow in headless Chromium, every request and response)"
  node e2e/secrets-sweep.mjs
}

stage_a11y() {
  need_bundle
  need_servers
  section "accessibility audit (axe-core, WCAG 2.2 AA, every widget state, shadow DOM included)"
  node e2e/a11y-audit.mjs
}

stage_e2e() {
  need_examples
  need_servers
  section "example host apps (React, Vue, Angular, plain HTML) and element properties in headless Chromium"
  node e2e/examples.mjs
  section "CxReports on another site, third-party cookies blocked: the warning, what the reader sees, the preconnect measured"
  node e2e/cross-site.mjs
  section "the first report's frame opened by the loader while the WebAssembly is held back, then adopted by the widget without loading again"
  node e2e/early-frame.mjs
  section "the Next.js example under next start: its route handlers held to the conformance checker, the app in headless Chromium"
  . scripts/nextjs.sh
  check_next_example
}

stage_demo() {
  section "the demo as a user runs it (scripts/demo.sh on free ports, its pages in headless Chromium, stopped by SIGTERM, Ctrl-C, SIGHUP and a failing server)"
  node e2e/demo.mjs
}

stage_host-backends() {
  need_servers
  section "host-backend recipes (Node, Python, PHP) against the simulator, held to the conformance checker"
  check_host_backends
}

stage_fuzz() {
  section "fuzzing (cargo-fuzz, ${CXR_FUZZ_SECONDS:-15} s per target)"
  ./scripts/fuzz.sh "${CXR_FUZZ_SECONDS:-15}"
}

for name in "${stage_names[@]}"; do
  if [ -n "${wanted[$name]:-}" ]; then "stage_$name"; fi
done

if [ $# -eq 0 ]; then
  section "all checks passed"
else
  section "passed: $*"
fi
