# Sourced by scripts/test.sh (the e2e stage): the Next.js example
# (examples/nextjs, built by scripts/examples.sh) started with `next start`
# against the CxReports simulator, its route handlers held to the
# conformance checker (checker/, cxreports-backend-check) and to a few checks
# of its own, then driven in headless Chromium (e2e/nextjs.mjs). Everything
# listens on 127.0.0.1, every wait is bounded, and the server is stopped
# however the run ends.
#
#   . scripts/nextjs.sh
#   check_next_example      # needs CXR_SIM_URL and CXR_TEST_PAT (scripts/servers.sh), and
#                           # hb_fake_pdfs (scripts/host-backends.sh, which bootstrap.sh sources)
# shellcheck shell=bash

nx_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nx_dir="$nx_root/examples/nextjs"
nx_run="$nx_root/target/run/nextjs"

nx_say() { printf 'nextjs: %s\n' "$*"; }

# nx_start LOG [VAR=value...]: `next start` on a free loopback port with the
# example's settings (and the given ones); sets nx_pid and nx_url, or fails
# with the end of its log.
nx_start() {
  local log=$1 port secret i
  shift
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # next's own entry point, not npx: the pid is the server's, so stopping it stops the server.
  (cd "$nx_dir" && exec env -u CXREPORTS_PAT_FILE NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production \
    CXREPORTS_URL="$CXR_SIM_URL" CXREPORTS_PAT="$CXR_TEST_PAT" CXREPORTS_WORKSPACE=sales CXREPORTS_PAGE_SIZE=4 \
    SESSION_SECRET="$secret" DEMO_SIGN_IN=on ALLOWED_ORIGINS="http://127.0.0.1:$port" "$@" \
    node node_modules/next/dist/bin/next start --hostname 127.0.0.1 --port "$port") >"$log" 2>&1 &
  nx_pid=$! nx_url="http://127.0.0.1:$port"
  track_server "$nx_pid"
  for i in $(seq 1 300); do
    curl -s --max-time 2 -o /dev/null "$nx_url/about" && return 0
    kill -0 "$nx_pid" 2>/dev/null || break
    sleep 0.1
  done
  nx_say "next start did not answer within 30 s (or exited); the end of its log ($log):" >&2
  tail -n 20 "$log" | sed 's/^/    /' >&2
  nx_stop
  return 1
}

nx_stop() {
  stop_tracked "${nx_pid:-}"
  nx_pid=
}

# nx_session USER: the cookie the demo sign-in sets for USER.
nx_session() {
  curl -sS --max-time 20 -o /dev/null -D - -X POST -H 'Content-Type: application/json' -H 'X-Requested-With: test.sh' \
    -H "Origin: $nx_url" -d "{\"user\":\"$1\"}" "$nx_url/api/auth/demo-sign-in" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
}

# nx_expect NAME ACTUAL EXPECTED: one PASS/FAIL line.
nx_expect() {
  if [ "$2" = "$3" ]; then
    printf 'PASS  %s  %s\n' "$1" "$2"
  else
    printf 'FAIL  %s  got %s, expected %s\n' "$1" "$2" "$3"
    return 1
  fi
}

# nx_status URL [CURL ARGS...]: the status, with " json" when the body is a JSON {"error"}.
nx_status() {
  local url=$1 out
  shift
  out=$(curl -sS --max-time 20 -w ' %{http_code}' "$@" "$url" 2>&1) || { echo "no answer"; return; }
  printf '%s' "$out" | python3 -c 'import json,sys
body, _, status = sys.stdin.read().rpartition(" ")
try: kind = "json" if json.loads(body).get("error") else "no error message"
except Exception: kind = "not JSON"
print(status, kind)'
}

# nx_count URL [CURL ARGS...]: the length of the JSON array at URL, or what came instead.
nx_count() {
  local url=$1 body
  shift
  body=$(curl -sS --max-time 20 "$@" "$url" 2>&1) || { echo "no answer"; return; }
  python3 -c 'import json,sys
try: print(len(json.loads(sys.argv[1])))
except Exception: print("not a JSON array: " + sys.argv[1][:120])' "$body"
}

# nx_fault JSON: adds a fault to the simulator (simulator/README.md, "Fault injection").
nx_fault() { curl -sS --max-time 5 -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "$CXR_SIM_URL/__faults"; }

# Starts the app, runs the checker, its own checks and the browser against it; fails on any failure.
check_next_example() {
  : "${CXR_SIM_URL:?check_next_example needs CXR_SIM_URL (the running simulator; see scripts/servers.sh)}"
  : "${CXR_TEST_PAT:?check_next_example needs CXR_TEST_PAT (the PAT the simulator accepts)}"
  [ -f "$nx_dir/.next/BUILD_ID" ] || { nx_say "examples/nextjs is not built: run scripts/test.sh examples" >&2; return 1; }
  mkdir -p "$nx_run"
  (umask 077 && printf '%s\n' "$CXR_TEST_PAT" >"$nx_run/pat")
  (cd "$nx_root" && cargo build --quiet -p cxreports-backend-check) || return 1
  local log="$nx_run/next.log" failed=0 alice bob api total started=$SECONDS
  nx_start "$log.checker" || return 1
  nx_say "next start listening on $nx_url"
  api=$nx_url/api/cxreports
  alice=$(nx_session alice)
  bob=$(nx_session bob)
  # `next start` sets no header timeout of its own (Node's 60 s): the slow-client
  # check is left to the front server a production deployment puts before it.
  "$nx_root/target/debug/cxreports-backend-check" --base "$api" --cookie "$alice" --cookie-b "$bob" \
    --rate-probe 60 --slow-client-secs 0 --pat-file "$nx_run/pat" --cxreports-url "$CXR_SIM_URL" --workspace sales || failed=1
  # The checker spent alice's nonces; the checks below sign in afresh.
  alice=$(nx_session carol)
  total=$(printf 'Authorization: Bearer %s\n' "$CXR_TEST_PAT" | nx_count "$CXR_SIM_URL/api/v1/ws/sales/reports?limit=1000" -H @-)
  nx_expect nextjs.paging "$(nx_count "$api/reports" --cookie "$alice") reports" "$total reports" || failed=1
  nx_expect nextjs.no_credentials "$(nx_status "$api/nonce" -X POST -H 'X-Requested-With: check'); $(nx_status "$api/reports"); $(
    nx_status "$api/report-types"); $(nx_status "$api/reports/101/pdf"); $(nx_status "$api/temporary-data" -X POST -H 'X-Requested-With: check' \
      -H 'Content-Type: application/json' -d '{"content":1}')" "401 json; 401 json; 401 json; 401 json; 401 json" || failed=1
  nx_expect nextjs.pdf_download "$(curl -s --max-time 20 -o /dev/null -D - --cookie "$alice" "$api/reports/101/pdf" | tr -d '\r' \
    | grep -i '^content-disposition:' | tr 'A-Z' 'a-z')" 'content-disposition: attachment; filename="report-101.pdf"' || failed=1
  nx_expect nextjs.demo_sign_in_csrf "$(nx_status "$nx_url/api/auth/demo-sign-in" -X POST -H 'Content-Type: application/json' \
    -d '{"user":"mallory"}')" "403 json" || failed=1

  nx_stop

  # Time limits and CxReports' failures, with the simulator's faults on workspace ops: a 504
  # and a 502 the reader can act on, CxReports' own text in the log only; a refused PAT is a 502.
  nx_start "$log.faults" CXREPORTS_WORKSPACE=ops CXREPORTS_TIMEOUT_SECS=1 MAX_TEMP_DATA_BYTES=200 || return 1
  alice=$(nx_session dave)
  # Temporary data over its limit, with a length and chunked (no length to check first): 413.
  local big
  big="{\"content\": \"$(head -c 300 /dev/zero | tr '\0' x)\"}"
  nx_expect nextjs.temp_data_limit "$(nx_status "$nx_url/api/cxreports/temporary-data" -X POST -H 'X-Requested-With: check' \
    -H 'Content-Type: application/json' --cookie "$alice" -d "$big"); $(printf '%s' "$big" | nx_status "$nx_url/api/cxreports/temporary-data" \
    -X POST -H 'X-Requested-With: check' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --cookie "$alice" --data-binary @-)" \
    "413 json; 413 json" || failed=1
  nx_fault '{"path": "/api/v1/ws/ops/report-types", "kind": "latency", "ms": 1500, "times": 1}'
  nx_expect nextjs.deadline "$(nx_status "$nx_url/api/cxreports/report-types" --cookie "$alice")" "504 json" || failed=1
  nx_fault '{"path": "/api/v1/ws/ops/report-types", "kind": "status", "status": 500, "times": 1}'
  nx_expect nextjs.upstream_status "$(curl -s --max-time 20 -w ' %{http_code}' --cookie "$alice" "$nx_url/api/cxreports/report-types" \
    | sed 's/.*injected.* \([0-9]*\)$/CxReports text passed on \1/; s/.* \([0-9]*\)$/\1/'); $(grep -c injected "$log.faults" | sed 's/^0$/not logged/; s/^[0-9]*$/logged/')" \
    "502; logged" || failed=1
  curl -s --max-time 5 -o /dev/null -X DELETE "$CXR_SIM_URL/__faults"
  nx_stop
  nx_start "$log.wrong-pat" CXREPORTS_PAT=cxr_pat_refused_by_the_simulator || return 1
  alice=$(nx_session erin)
  nx_expect nextjs.upstream_refused "$(nx_status "$nx_url/api/cxreports/nonce" -X POST -H 'X-Requested-With: check' --cookie "$alice")" "502 json" || failed=1
  nx_stop

  # A PDF that breaks off after its headers (host-backends.sh's stand-in for CxReports: report 1
  # with a Content-Length, 2 chunked, 3 whole but slow) is never a complete-looking 200: the
  # download fails. (Next.js logs each as "failed to pipe response", with its stack.)
  rm -f "$nx_run/fake.url"
  hb_fake_pdfs "$nx_run/fake.url" 60
  for _ in $(seq 1 50); do [ -s "$nx_run/fake.url" ] && break; sleep 0.1; done
  CXR_SIM_URL=$(cat "$nx_run/fake.url") nx_start "$log.cut" CXREPORTS_TIMEOUT_SECS=1 || return 1
  alice=$(nx_session grace)
  local cut=() report status rc
  for report in 1 2 3; do
    status=$(curl -s --max-time 20 -o "$nx_run/cut.pdf" -w '%{http_code}' --cookie "$alice" "$nx_url/api/cxreports/reports/$report/pdf") && rc=0 || rc=$?
    if [ "$rc" != 0 ]; then cut+=("$report: broken off"); elif [ "$status" != 200 ]; then cut+=("$report: $status");
    elif tail -c 8 "$nx_run/cut.pdf" | grep -q '%%EOF'; then cut+=("$report: whole PDF"); else cut+=("$report: short 200"); fi
  done
  nx_expect nextjs.pdf_cut "${cut[*]}" "1: broken off 2: broken off 3: whole PDF" || failed=1
  nx_stop
  kill "$hb_fake_pid" 2>/dev/null || true
  wait "$hb_fake_pid" 2>/dev/null || true

  # The browser, against a fresh server; while it runs, a healthy app logs nothing.
  nx_start "$log" || return 1
  local before
  before=$(wc -l <"$log")
  CXR_NEXT_URL=$nx_url node "$nx_root/e2e/nextjs.mjs" || failed=1
  nx_stop

  # What the server logged: never the PAT, never a nonce (64 hex characters from the simulator),
  # no failure while the browser used the app, and no unhandled error (Next's ⨯, a stack trace).
  if grep -qF "$CXR_TEST_PAT" "$log" "$log.checker" "$log.faults" "$log.wrong-pat" "$log.cut"; then
    printf 'FAIL  nextjs.log_secrets  the PAT is in %s*\n' "$log"; failed=1
  elif grep -qF cxr_pat_refused_by_the_simulator "$log.wrong-pat"; then
    printf 'FAIL  nextjs.log_secrets  the refused PAT is in %s.wrong-pat\n' "$log"; failed=1
  elif grep -qE '[0-9a-f]{64}' "$log" "$log.checker" "$log.faults"; then
    printf 'FAIL  nextjs.log_secrets  a nonce is in %s*\n' "$log"; failed=1
  else
    printf 'PASS  nextjs.log_secrets  no PAT and no nonce in its log\n'
  fi
  if tail -n "+$((before + 1))" "$log" | grep -q .; then
    printf 'FAIL  nextjs.server_log  the server logged while the browser used the app:\n'
    tail -n "+$((before + 1))" "$log" | head -5 | sed 's/^/    /'; failed=1
  elif grep -qE '⨯|^[[:space:]]+at ' "$log" "$log.checker" "$log.faults" "$log.wrong-pat"; then
    printf 'FAIL  nextjs.server_log  an unhandled error in %s*:\n' "$log"; grep -E '⨯|^[[:space:]]+at ' "$log" "$log.checker" "$log.faults" "$log.wrong-pat" | head -5 | sed 's/^/    /'; failed=1
  else
    printf 'PASS  nextjs.server_log  nothing logged while the browser used the app, no unhandled error\n'
  fi
  rm -f "$nx_run/pat"
  nx_say "checked in $((SECONDS - started)) s"
  return "$failed"
}
