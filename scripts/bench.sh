#!/usr/bin/env bash
# The benchmark command: what the widget costs a host page, next to a
# plain-JS baseline, each figure beside its budget.
#
#   ./scripts/bench.sh [--check] [--runs N] [--latency-ms MS] [--phone-runs N] [--encoding auto|gzip] [--phone-only]
#
# Measures the bundle (raw, gzip -9, brotli), latency in headless Chromium
# (cold start and report switch, widget with nonce prefetch on and off, and
# the baseline), the picker at 5,000 reports (search and clear, beside a
# plain-JS list), memory over 1,000 mount/destroy cycles, and the reference
# backend's nonce endpoint against CxReports' own at 2,000 req/s, and the
# phone rows: the element (with and without the preload lines) and the
# dashboard beside plain JS, on Lighthouse's mobile profile (150 ms round
# trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower), the bundle served
# compressed by bench/js/cdn-server.mjs (brotli when the browser accepts it;
# --encoding gzip: gzip only), --phone-runs runs each (5). --phone-only
# builds the bundle and measures the phone rows alone. Prints one
# table and writes target/bench/report.json (and report.md, the table), with
# the wasm's size by crate and widget module after it (sizes.json, sizes.md).
# --check: exit 1 when any budget is over. Not a test: scripts/test.sh never
# runs it, and nothing here asserts a time.
#
# Everything runs on loopback: the servers on ephemeral ports, stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage="usage: scripts/bench.sh [--check] [--runs N] [--latency-ms MS] [--phone-runs N] [--encoding auto|gzip] [--phone-only]"
check=false runs=10 latency_ms=100 phone_runs=5 encoding=auto phone_only=false
cycles=${BENCH_CYCLES:-1000} rate=${BENCH_RATE:-2000} load_seconds=${BENCH_LOAD_SECONDS:-4}
while [ $# -gt 0 ]; do
  case $1 in
    --check) check=true; shift ;;
    --runs) runs=${2:?$usage}; shift 2 ;;
    --latency-ms) latency_ms=${2:?$usage}; shift 2 ;;
    --phone-runs) phone_runs=${2:?$usage}; shift 2 ;;
    --encoding) encoding=${2:?$usage}; shift 2 ;;
    --phone-only) phone_only=true; shift ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
case $encoding in auto|gzip) ;; *) echo "bench: --encoding is auto (brotli when accepted, else gzip) or gzip, not $encoding" >&2; exit 2 ;; esac
for n in "$runs" "$latency_ms" "$phone_runs" "$cycles" "$rate" "$load_seconds"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "bench: $n is not a whole number" >&2; echo "$usage" >&2; exit 2; }
done
[ "$runs" -ge 1 ] || { echo "bench: --runs must be at least 1" >&2; exit 2; }
[ "$phone_runs" -ge 1 ] || { echo "bench: --phone-runs must be at least 1" >&2; exit 2; }

. scripts/bootstrap.sh
. scripts/servers.sh
# The driver runs under Node (18 or newer: fetch, zlib's brotli); bootstrap
# brings it for wasm-opt, this makes sure.
command -v node >/dev/null || as_root apt-get install -y -qq nodejs

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
out=$root/target/bench
mkdir -p "$out"
rm -rf "$out"/{bundle,browser,backend,picker,phone}.json "$out/dist" "$out/site"

section "release bundle (trunk build --release, into target/bench/dist)"
# The same build as dist/, in a folder of its own: nothing else rewrites it
# while it is measured.
bundle=$out/dist
CXR_PACKAGE_DIR=$bundle trunk_release build --quiet --dist "$out/site"
if ! $phone_only; then
  # Cargo's artifact of that build, for the size breakdown below, copied now
  # (before any other build in target/ can replace it).
  named=$out/named
  rm -rf "$named" "$out"/sizes.{json,md}
  mkdir -p "$named"
  cp "${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/release/cxreports_widget.wasm" "$named/"

  section "release servers and load generator"
  # The load measures the backend as deployed: a release build, without the
  # test-only fault injection, calling a release simulator.
  cargo build --release --quiet -p cxreports-simulator -p cxreports-backend -p cxreports-bench
fi

section "servers"
# The backend as deployed: its default page size, not the tests' small pages.
CXREPORTS_PAGE_SIZE=${CXREPORTS_PAGE_SIZE:-200} start_servers test
# The pages and the bundle as a production host serves them, for the phone
# rows: compressed once, now, with a CDN's headers, the backend under the
# same origin.
start_one cdn-bench node "$root/bench/js/cdn-server.mjs" --bundle "$bundle" --pages "$root/www/bench" \
  --backend "$CXR_BACKEND_URL" --encoding "$encoding"
cdn_bench=$(wait_ready cdn-bench "$run_dir/cdn-bench.url")
if ! $phone_only; then
  # A second simulator + backend pair for the load. Nonces live 2 s there: the
  # simulator keeps every unspent nonce, and thousands a second would pile up.
  SIM_NONCE_TTL_SECS=2 start_one bench-simulator "$root/target/release/cxreports-simulator" --addr 127.0.0.1:0
  bench_sim=$(wait_ready bench-simulator "$run_dir/bench-simulator.url")
  # Its nonce rate limits out of the way: the load is one user from one address,
  # thousands of nonces a second, and measures the backend's own cost.
  CXREPORTS_URL=$bench_sim BACKEND_NONCES_PER_MINUTE_PER_USER=1000000000 BACKEND_NONCES_PER_MINUTE_PER_CLIENT=1000000000 \
    start_one bench-backend "$root/target/release/cxreports-backend" --addr 127.0.0.1:0
  bench_backend=$(wait_ready bench-backend "$run_dir/bench-backend.url")
fi

phone() {
  section "phone: Lighthouse's mobile profile, the bundle compressed ($phone_runs runs, $latency_ms ms backend latency)"
  node bench/js/phone.mjs --host "$cdn_bench" --backend "$CXR_BACKEND_URL" --cxreports "$CXR_SIM_URL" \
    --runs "$phone_runs" --latency-ms "$latency_ms" --out "$out/phone.json"
}
if $phone_only; then
  phone
  section "report (phone rows)"
  status=0
  node bench/js/phone-table.mjs --phone "$out/phone.json" --check "$check" || status=$?
  exit "$status"
fi

section "bundle size"
node bench/js/bundle.mjs --dist "$bundle" --out "$out/bundle.json"

section "bundle size by crate and module (the same wasm, names kept: target/bench/sizes.md)"
# trunk's wasm-opt drops the function names. Cargo's artifact of the build
# above goes again through trunk's two steps, with trunk's arguments (and the
# package step's short import names), and
# wasm-opt -g keeps the names: sizes.mjs checks that the result, less its
# name section, is the bundle's wasm byte for byte. (About 7 s.)
wasm-bindgen --target=web --out-dir="$named" --out-name=cxreports-widget "$named/cxreports_widget.wasm"
# trunk's wasm-opt arguments are index.html's data-wasm-opt-params.
read -r -a opt_params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
wasm-opt --output="$named/cxreports-widget_bg.named.wasm" -Oz "${opt_params[@]}" -g "$named/cxreports-widget_bg.wasm"
# And the imports' and exports' short names, as scripts/package.mjs gives the shipped wasm.
node scripts/short-imports.mjs --wasm "$named/cxreports-widget_bg.named.wasm" --glue "$named/cxreports-widget.js" >/dev/null
node bench/js/sizes.mjs --wasm "$named/cxreports-widget_bg.named.wasm" --dist-wasm "$bundle/pkg/cxreports-widget_bg.wasm" \
  --out "$out/sizes.json" --md "$out/sizes.md"

section "latency and memory in headless Chromium ($runs runs, $latency_ms ms backend latency, $cycles cycles)"
# The pages as a host app serves them: its own backend under its own origin.
node bench/js/browser.mjs --pages "$CXR_HOST_URL/www/bench" --widget "$CXR_HOST_URL/target/bench/dist" \
  --backend "$CXR_BACKEND_URL" --page-backend same-origin --cxreports "$CXR_SIM_URL" \
  --runs "$runs" --latency-ms "$latency_ms" --cycles "$cycles" --out "$out/browser.json"

section "picker at 5,000 reports: search and clear ($runs runs)"
node bench/js/picker.mjs --pages "$CXR_HOST_URL/www/bench" --widget "$CXR_HOST_URL/target/bench/dist" \
  --runs "$runs" --out "$out/picker.json"

phone

section "reference backend: nonce endpoint at $rate req/s"
"$root/target/release/cxreports-bench" --backend "$bench_backend" --cxreports "$bench_sim" \
  --rate "$rate" --seconds "$load_seconds" --out "$out/backend.json"

section "report"
status=0
node bench/js/report.mjs --bundle "$out/bundle.json" --browser "$out/browser.json" --backend "$out/backend.json" \
  --picker "$out/picker.json" --sizes "$out/sizes.json" --phone "$out/phone.json" --out "$out/report.json" --md "$out/report.md" --check "$check" || status=$?
exit "$status"
