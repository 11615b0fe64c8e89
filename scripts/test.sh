#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (host and wasm32), native unit
# and integration tests, the release bundle, and the browser tests in headless
# Chromium against a real simulator, reference backend and static host server,
# which this script starts on ephemeral loopback ports and stops on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/bootstrap.sh
. scripts/servers.sh

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
wasm=(--target wasm32-unknown-unknown)

section "format"
cargo fmt --all --check

section "clippy (host)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p cxreports-backend --features fault-injection --all-targets --quiet -- -D warnings

section "clippy (wasm32)"
cargo clippy -p cxreports-widget -p cxreports-contract "${wasm[@]}" --all-targets --quiet -- -D warnings

section "native tests"
cargo test --workspace --quiet

section "release bundle (trunk build --release -> the site in target/site/, the package in dist/)"
trunk_release build --quiet
ls -l dist/cxreports-widget.js dist/pkg/
# The post-build step minifies after trunk wrote its integrity digests: each
# must still be the digest of the bytes shipped, or browsers block the widget.
node e2e/integrity.mjs target/site
# dist/ is what integrators serve and publish: the package's files, nothing else.
node e2e/package-contents.mjs dist

section "npm package (npm pack dist/) and the example apps built from it"
. scripts/examples.sh
build_examples
node e2e/ssr.mjs

section "servers"
start_servers test

section "the reference backend held to the conformance checker (cxreports-backend-check)"
printf '%s' "$CXR_TEST_PAT" >"$run_dir/pat.txt"
# The demo sign-in (on against the simulator), as two users: the second for
# tempdata.owner. The rate probe outlasts the test mode's 1000 nonces per user
# a minute (servers.sh), and the slow-client bound its 5 s header timeout.
demo_session() {
  curl -fsS -o /dev/null -D - -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: test.sh' \
    -d "{\"user\":\"$1\"}" "$CXR_BACKEND_URL/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
}
session=$(demo_session checker)
session_b=$(demo_session checker-b)
cargo run --quiet -p cxreports-backend-check -- --base "$CXR_BACKEND_URL/api/cxreports" --cookie "$session" \
  --cookie-b "$session_b" --pat-file "$run_dir/pat.txt" --rate-probe 1100 --slow-client-secs 8

section "browser tests (headless Chromium)"
# Addresses reach the tests at compile time (option_env!), so a run against
# other ports rebuilds only the test crates.
export CXR_SIM_URL CXR_BACKEND_URL CXR_WRONG_PAT_BACKEND_URL CXR_STATIC_URL CXR_CDN_URL CXR_HOST_URL CXR_TEST_PAT
# The tests embed cross-origin iframes, which cross-origin isolation forbids.
export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-600}
# A reader's zone other than the machine's, so a test of "the reader's time
# zone by default" cannot pass on a coincidence.
TZ=Europe/Belgrade CXR_EXPECT_TZ=Europe/Belgrade cargo test -p cxreports-widget "${wasm[@]}"

section "secrets sweep (the whole demo flow in headless Chromium, every request and response)"
node e2e/secrets-sweep.mjs

section "accessibility audit (axe-core, WCAG 2.2 AA, every widget state, shadow DOM included)"
node e2e/a11y-audit.mjs

section "example host apps (React, Vue, plain HTML) and element properties in headless Chromium"
node e2e/examples.mjs

section "the demo as a user runs it (scripts/demo.sh on free ports, its pages in headless Chromium, stopped by SIGTERM, Ctrl-C, SIGHUP and a failing server)"
node e2e/demo.mjs

section "host-backend recipes (Node, Python, PHP) against the simulator, held to the conformance checker"
check_host_backends

section "fuzzing (cargo-fuzz, ${CXR_FUZZ_SECONDS:-15} s per target)"
./scripts/fuzz.sh "${CXR_FUZZ_SECONDS:-15}"

section "all checks passed"
