#!/usr/bin/env bash
# Builds and starts the CxReports simulator, the reference backend and (for
# tests) the static servers for the host pages and the bundle, each on its
# own origin; stops them all when the calling shell exits.
#
# Sourced by test.sh, demo.sh and bench.sh (then `start_servers test|demo`).
# Run on its own, it starts them as the tests do and stays up until Ctrl-C:
#
#   scripts/servers.sh              prints the `export` lines that let a
#                                   second shell run browser tests against
#                                   them, e.g. `scripts/browser-test.sh viewer::`
#   scripts/servers.sh CMD [ARG...] runs CMD with those variables set, then
#                                   stops the servers and exits with CMD's status
# shellcheck shell=bash

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  # Logs and ready files of its own: a test.sh run in the same checkout
  # meanwhile does not mix them up.
  run_dir=${CXR_RUN_DIR:-$root/target/run/servers-sh}
else
  run_dir=${CXR_RUN_DIR:-$root/target/run}
fi
server_pids=()
declare -A server_names=()

# Each server runs in a session of its own (setsid), so stopping it stops
# whatever it started too (trunk's cargo and wasm-opt, say), and a Ctrl-C in
# the terminal reaches this script, which stops them all, in order.
# spawn NAME command... : starts a server in the background.
spawn() {
  local name=$1; shift
  setsid "$@" &
  server_pids+=($!)
  server_names[$!]=$name
}

# alive PID: the process runs (a zombie, exited but not yet reaped, does not).
alive() {
  local state
  { read -r _ _ state _ </proc/"$1"/stat; } 2>/dev/null && [ "$state" != Z ]
}

# stop_servers: SIGTERM to each server's session, a few seconds' grace (the
# servers finish open requests for up to 3 s), then SIGKILL to what is left.
stop_servers() {
  local pid deadline=$((SECONDS + 6))
  # A second Ctrl-C must not cut the clean-up short.
  trap '' INT TERM HUP
  for pid in "${server_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  server_pids=()
}
trap stop_servers EXIT
# Ctrl-C, a process manager's SIGTERM and a closed terminal's SIGHUP all end
# the script, and so, through the EXIT trap, every server it started.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# exited_server: the name and pid of a server that is no longer running, if any.
exited_server() {
  local pid
  for pid in "${server_pids[@]}"; do
    alive "$pid" || { echo "${server_names[$pid]} $pid"; return 0; }
  done
  return 1
}

# server_failed NAME PID [STATUS]: says which server stopped, how (STATUS,
# when a `wait -n` already reaped it), and the end of its log, then exits
# (the EXIT trap stops the others).
server_failed() {
  local name=$1 pid=$2 status=${3:-0} how log="$run_dir/$1.log"
  [ -n "${3:-}" ] || wait "$pid" 2>/dev/null || status=$?
  if [ "$status" -gt 128 ]; then how="killed by signal $((status - 128))"; else how="exit status $status"; fi
  echo "servers: the $name stopped unexpectedly ($how); stopping the others." >&2
  if [ -s "$log" ]; then
    echo "servers: the last lines of its log, $log:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
  fi
  exit 1
}

# watch_servers: returns only when a server has stopped, by exiting and
# saying which. A signal (Ctrl-C, SIGTERM, SIGHUP) interrupts the wait.
watch_servers() {
  local finished status
  while true; do
    status=0
    wait -n 2>/dev/null || status=$?
    if finished=$(exited_server); then server_failed $finished "$status"; fi
    sleep 0.5
  done
}

# wait_ready NAME FILE: waits for a server to write its URL into FILE.
wait_ready() {
  local name=$1 file=$2 i dead
  for i in $(seq 1 300); do
    [ -s "$file" ] && { cat "$file"; return 0; }
    if dead=$(exited_server); then
      dead=${dead% *}
      echo "servers: the $dead stopped while starting; the last lines of its log, $run_dir/$dead.log:" >&2
      tail -n 20 "$run_dir/$dead.log" 2>/dev/null | sed 's/^/    /' >&2
      return 1
    fi
    sleep 0.1
  done
  echo "servers: $name did not start within 30 s; its log: $run_dir/$name.log" >&2
  tail -n 20 "$run_dir/$name.log" >&2 || true
  return 1
}

# start NAME LOGFILE-STEM command... : starts a server that takes --ready-file.
start_one() {
  local name=$1; shift
  rm -f "$run_dir/$name.url"
  spawn "$name" "$@" --ready-file "$run_dir/$name.url" >"$run_dir/$name.log" 2>&1
}

# start_servers MODE: MODE is "test" (ephemeral ports, fault injection on,
# a distinctive PAT for the leak sweeps) or "demo" (fixed ports).
start_servers() {
  local mode=$1 features=() sim_addr backend_addr
  mkdir -p "$run_dir"
  if [ "$mode" = test ]; then
    features=(--features fault-injection)
    sim_addr=127.0.0.1:0 backend_addr=127.0.0.1:0
    export BACKEND_ALLOWED_ORIGINS=${BACKEND_ALLOWED_ORIGINS:-http://127.0.0.1:*}
  else
    sim_addr=127.0.0.1:${SIM_PORT:-8081} backend_addr=127.0.0.1:${BACKEND_PORT:-8082}
  fi
  cargo build --quiet -p cxreports-simulator -p cxreports-backend "${features[@]}"
  local bin="$root/target/debug"

  if [ -z "${CXREPORTS_URL:-}" ] || [ "$mode" = test ]; then
    # A fresh PAT each run, shared by the simulator and the backend only: the
    # browser side never sees it (the tests check that it appears nowhere).
    CXR_TEST_PAT=${CXR_TEST_PAT:-cxr_pat_run_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
    export SIM_PATS=$CXR_TEST_PAT CXREPORTS_PAT=$CXR_TEST_PAT
    unset CXREPORTS_PAT_FILE
    # As an ASP.NET CxReports may behave: empty fields as explicit nulls, a
    # default page size for a list asked without `limit`, and a 302 to an
    # HTML sign-in page for a wrong PAT (see simulator/README.md).
    SIM_EXPLICIT_NULLS=${SIM_EXPLICIT_NULLS:-true} SIM_DEFAULT_PAGE_SIZE=${SIM_DEFAULT_PAGE_SIZE:-5} \
      SIM_AUTH_REDIRECT=${SIM_AUTH_REDIRECT:-true} \
      start_one simulator "$bin/cxreports-simulator" --addr "$sim_addr"
    CXR_SIM_URL=$(wait_ready simulator "$run_dir/simulator.url")
    export CXREPORTS_URL_FOR_BACKEND=$CXR_SIM_URL
  else
    CXR_SIM_URL=""
    export CXREPORTS_URL_FOR_BACKEND=$CXREPORTS_URL
  fi
  # For tests, small pages: the backend walks several even over the small
  # seeded catalogue.
  local page_size=${CXREPORTS_PAGE_SIZE:-}
  [ "$mode" = test ] && page_size=${CXREPORTS_PAGE_SIZE:-4}
  # The backend listens on loopback here: it answers loopback names (what
  # trunk serve and the proxying static server send), no other.
  export BACKEND_ALLOWED_HOSTS=${BACKEND_ALLOWED_HOSTS:-127.0.0.1:*,localhost:*,[::1]:*}
  # Against the simulator: its demo sign-in (anyone). Against a real
  # CxReports, configure a sign-in (see backend/README.md).
  [ -n "$CXR_SIM_URL" ] && export BACKEND_DEMO_SIGN_IN=${BACKEND_DEMO_SIGN_IN:-1}
  if [ "$mode" = test ]; then
    # The browser tests mint many nonces as one user from 127.0.0.1; the
    # checker's own user still meets the per-user limit (--rate-probe in
    # test.sh). Slow clients are cut after 5 s (above Node fetch's 4 s
    # keep-alive, so the e2e scripts never reuse a closing connection).
    export BACKEND_NONCES_PER_MINUTE_PER_USER=${BACKEND_NONCES_PER_MINUTE_PER_USER:-1000}
    export BACKEND_NONCES_PER_MINUTE_PER_CLIENT=${BACKEND_NONCES_PER_MINUTE_PER_CLIENT:-100000}
    export BACKEND_HEADER_TIMEOUT_MS=${BACKEND_HEADER_TIMEOUT_MS:-5000}
  fi
  CXREPORTS_URL=$CXREPORTS_URL_FOR_BACKEND CXREPORTS_PAGE_SIZE=$page_size \
    start_one backend "$bin/cxreports-backend" --addr "$backend_addr"
  CXR_BACKEND_URL=$(wait_ready backend "$run_dir/backend.url")

  if [ "$mode" = test ]; then
    # A backend whose PAT CxReports refuses (the simulator answers it with a
    # 302 to its sign-in page): what a user sees when the PAT is wrong.
    CXREPORTS_URL=$CXREPORTS_URL_FOR_BACKEND CXREPORTS_PAT=cxr_pat_refused_by_the_simulator \
      start_one backend-wrong-pat "$bin/cxreports-backend" --addr 127.0.0.1:0
    CXR_WRONG_PAT_BACKEND_URL=$(wait_ready backend-wrong-pat "$run_dir/backend-wrong-pat.url")
    # Host pages and the widget bundle, each from its own origin (page and CDN).
    start_one static python3 "$root/scripts/static_server.py" --root "$root" --addr 127.0.0.1:0
    start_one cdn python3 "$root/scripts/static_server.py" --root "$root" --addr 127.0.0.1:0
    # And host pages on the backend's own origin, as a host app serves them:
    # its server passes /api/cxreports/ and /auth/ on to the backend.
    start_one host python3 "$root/scripts/static_server.py" --root "$root" --addr 127.0.0.1:0 --proxy "$CXR_BACKEND_URL"
    CXR_STATIC_URL=$(wait_ready static "$run_dir/static.url")
    CXR_CDN_URL=$(wait_ready cdn "$run_dir/cdn.url")
    CXR_HOST_URL=$(wait_ready host "$run_dir/host.url")
  fi
  echo "servers: simulator ${CXR_SIM_URL:-(real CxReports: $CXREPORTS_URL_FOR_BACKEND)}, backend $CXR_BACKEND_URL${CXR_STATIC_URL:+, host pages $CXR_STATIC_URL (and with the backend under their origin $CXR_HOST_URL), bundle $CXR_CDN_URL}"
}

# browser_test_env: the environment the browser tests run in, as `export`
# lines (a shell can eval them or a person paste them): the servers'
# addresses and the run's PAT, which the wasm32 runner hands to the tests
# (scripts/browser-test-runner.py); wasm-bindgen-test-runner's settings; and a
# reader's time zone other than the machine's, so a test of "the reader's
# time zone by default" cannot pass on a coincidence.
browser_test_env() {
  local name
  printf 'export'
  for name in CXR_SIM_URL CXR_BACKEND_URL CXR_WRONG_PAT_BACKEND_URL CXR_STATIC_URL CXR_CDN_URL CXR_HOST_URL CXR_TEST_PAT; do
    printf ' %s=%q' "$name" "${!name}"
  done
  printf '\n'
  # The tests embed cross-origin iframes, which cross-origin isolation forbids.
  printf 'export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=%q\n' "${WASM_BINDGEN_TEST_TIMEOUT:-600}"
  printf 'export TZ=Europe/Belgrade CXR_EXPECT_TZ=Europe/Belgrade\n'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$root"
  . scripts/bootstrap.sh
  start_servers test
  if [ $# -gt 0 ]; then
    eval "$(browser_test_env)"
    status=0
    "$@" || status=$?
    exit "$status"
  fi
  browser_test_env >"$run_dir/env.sh"
  printf '\nservers: up until Ctrl-C. In another shell, from %s:\n\n' "$root"
  browser_test_env | sed 's/^/  /'
  printf '\n  (or: . %s)\n' "$run_dir/env.sh"
  printf '\nthen, for one module of tests/browser/ (here tests/browser/viewer.rs):\n\n'
  printf '  scripts/browser-test.sh viewer::\n\n'
  watch_servers
fi
