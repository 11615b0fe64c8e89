#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a bounded time each, on the
# pinned nightly (scripts/nightly.txt), and prints how many inputs each one tried.
#
#   ./scripts/fuzz.sh              # 15 s per target (what test.sh runs)
#   ./scripts/fuzz.sh 600          # 10 min per target
#   ./scripts/fuzz.sh 3600 config  # one target for an hour
#
# New inputs that reach new code stay in fuzz/corpus/<target>/ (ignored by
# git) and seed the next run; fuzz/seeds/<target>/ holds the committed seeds.
# A crash stops the run, leaves the input in fuzz/artifacts/<target>/ and
# prints the command that replays it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-15}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_params preview_url model_json contract_json config)
case $seconds in ''|*[!0-9]*) echo "fuzz: seconds per target must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

toolchain=${CXR_FUZZ_TOOLCHAIN:-$(cat "$root/scripts/nightly.txt")}
if ! out=$(cargo "+$toolchain" fuzz build --fuzz-dir fuzz 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi

total=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  dict=()
  case $target in
    config) dict=(-dict=fuzz/dicts/config.dict) ;;
    model_json|contract_json|decode_params) dict=(-dict=fuzz/dicts/json.dict) ;;
  esac
  log=$(mktemp)
  started=$SECONDS
  if ! cargo "+$toolchain" fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${dict[@]}" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    rm -f "$log"
    echo "fuzz: $target FAILED (the input is in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  rm -f "$log"
  total=$((total + ${runs:-0}))
  printf 'fuzz: %-14s %9s execs in %3d s, coverage %s, corpus %s\n' "$target" "${runs:-?}" "$((SECONDS - started))" "${cov:-?}" "$corpus"
done
echo "fuzz: ${#targets[@]} targets, $total execs, no crash"
