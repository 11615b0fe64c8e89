# Sourced by scripts/test.sh: the host-backend recipes of examples/host-backends/
# (Node, Python/Flask, PHP), each started against the CxReports simulator and
# held to the conformance checker (checker/, cxreports-backend-check), then to
# its own checks (examples/host-backends/README.md lists them): two demo users,
# simulator faults, and a loopback stand-in for CxReports for PDFs cut short.
# Everything listens on 127.0.0.1 and every wait is bounded.
#
#   . scripts/host-backends.sh
#   install_host_backend_runtimes   # php-cli (apt), a Flask venv (pip, hashes); idempotent
#   check_host_backends             # needs CXR_SIM_URL and CXR_TEST_PAT (scripts/servers.sh)
#
# check_host_backends fails when any recipe fails a check, cannot be started,
# or lacks its runtime: no recipe is ever skipped.
# shellcheck shell=bash

hb_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hb_recipes=(node python php)
hb_venv=${CXR_TOOLS_DIR:-$HOME/.cache/cxreports-widget}/host-backends-venv
hb_run="$hb_root/target/run/host-backends"

hb_say() { printf 'host-backends: %s\n' "$*"; }
hb_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs what the recipes run on, when missing: php-cli from Debian, and a
# venv with requirements.txt's exact, hash-checked Flask. Node 20 is the
# machine's own (bootstrap.sh).
install_host_backend_runtimes() {
  if ! command -v php >/dev/null; then
    hb_say "installing php-cli (apt-get)"
    hb_as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive hb_as_root apt-get install -y -qq php-cli >/dev/null || return 1
  fi
  local requirements="$hb_root/examples/host-backends/python/requirements.txt" stamp
  stamp="$(sha256sum "$requirements" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)"
  if [ ! -x "$hb_venv/bin/python" ] || [ "$(cat "$hb_venv/.installed" 2>/dev/null)" != "$stamp" ]; then
    hb_say "creating $hb_venv: pip install --require-hashes -r examples/host-backends/python/requirements.txt"
    if ! python3 -m venv --clear "$hb_venv" 2>/dev/null; then
      hb_say "installing python3-venv (apt-get)"
      hb_as_root apt-get install -y -qq python3-venv >/dev/null && python3 -m venv --clear "$hb_venv" || return 1
    fi
    "$hb_venv/bin/pip" install --quiet --disable-pip-version-check --no-input --require-hashes -r "$requirements" || return 1
    echo "$stamp" >"$hb_venv/.installed"
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ]; then
    hb_say "node 20 or newer is needed for the Node recipe (found: $(node --version 2>/dev/null || echo none)); run scripts/bootstrap.sh" >&2
    return 1
  fi
}

# hb_start RECIPE LOG [VAR=value...]: starts a recipe on a free loopback port
# with the given environment; sets hb_pid and hb_url, or fails with its log.
hb_start() {
  local recipe=$1 log=$2 dir="$hb_root/examples/host-backends/$1" ready="$hb_run/$1.url" i
  shift 2
  rm -f "$ready"
  case $recipe in
    node) env "$@" READY_FILE="$ready" node "$dir/server.mjs" >"$log" 2>&1 & ;;
    python) env "$@" READY_FILE="$ready" "$hb_venv/bin/python" "$dir/app.py" >"$log" 2>&1 & ;;
    # php -S runs index.php per request: `php index.php` checks the configuration first.
    php) { env "$@" php "$dir/index.php" && exec env "$@" php -S 127.0.0.1:0 -t "$dir" "$dir/index.php"; } >"$log" 2>&1 & ;;
  esac
  hb_pid=$! hb_url=
  track_server "$hb_pid"
  for i in $(seq 1 300); do
    if [ "$recipe" = php ]; then
      hb_url=$(grep -o 'Development Server (http://[^)]*)' "$log" 2>/dev/null | head -1 | sed 's/.*(\(.*\))/\1/' || true)
    elif [ -s "$ready" ]; then
      hb_url=$(cat "$ready")
    fi
    [ -n "$hb_url" ] && return 0
    kill -0 "$hb_pid" 2>/dev/null || break
    sleep 0.1
  done
  hb_say "$recipe did not start within 30 s (or exited); the end of its log ($log):" >&2
  tail -n 20 "$log" | sed 's/^/    /' >&2
  hb_stop
  return 1
}

hb_stop() {
  stop_tracked "${hb_pid:-}"
  hb_pid=
}

# track_server PID: under scripts/servers.sh, its exit trap stops PID too if
# the run is cut short.
track_server() {
  if declare -p server_pids >/dev/null 2>&1; then server_pids+=("$1"); fi
}

# stop_tracked PID: stops a server this shell started, waits for it, and
# takes it off scripts/servers.sh's list. Nothing for an empty PID.
stop_tracked() {
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  if declare -p server_pids >/dev/null 2>&1; then
    local pid kept=()
    for pid in "${server_pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    server_pids=("${kept[@]}")
  fi
}

# hb_expect RECIPE NAME ACTUAL EXPECTED: one PASS/FAIL line of the runner's own checks.
hb_expect() {
  if [ "$3" = "$4" ]; then
    printf 'PASS  %s  %s\n' "$2" "$3"
  else
    printf 'FAIL  %s  got %s, expected %s\n' "$2" "$3" "$4"
    return 1
  fi
}

# hb_count URL [CURL ARGS...]: the length of the JSON array at URL, or what came instead.
hb_count() {
  local url=$1 body
  shift
  body=$(curl -sS --max-time 20 "$@" "$url" 2>&1) || { echo "no answer"; return; }
  python3 -c 'import json,sys
try: print(len(json.loads(sys.argv[1])))
except Exception: print("not a JSON array: " + sys.argv[1][:120])' "$body"
}

# hb_status URL [CURL ARGS...]: "STATUS" of the answer, with " json" when it is a JSON {"error"}.
hb_status() {
  local url=$1 out
  shift
  out=$(curl -sS --max-time 20 -w ' %{http_code}' "$@" "$url" 2>&1) || { echo "no answer (${out% 000})"; return; }
  printf '%s' "$out" | python3 -c 'import json,sys
body, _, status = sys.stdin.read().rpartition(" ")
try: kind = "json" if json.loads(body).get("error") else "no error message"
except Exception: kind = "not JSON"
print(status, kind)'
}

# hb_slow_client URL SECONDS: sends half a request's headers, then waits up to SECONDS for the
# server to close the connection; prints "closed after N s" or "open after N s".
hb_slow_client() {
  python3 - "$1" "$2" <<'EOF'
import socket, sys, time, urllib.parse
url, wait = urllib.parse.urlsplit(sys.argv[1]), float(sys.argv[2])
s = socket.create_connection((url.hostname, url.port), timeout=5)
s.sendall(f"GET /api/cxreports/reports HTTP/1.1\r\nHost: {url.netloc}\r\n".encode())
start = time.monotonic()
s.settimeout(0.2)
while time.monotonic() - start < wait:
    try:
        if not s.recv(4096):
            break
    except socket.timeout:
        continue
    except OSError:
        break
else:
    print(f"open after {wait:g} s")
    sys.exit()
print(f"closed after {time.monotonic() - start:.0f} s")
EOF
}

# hb_fake_pdfs READY_FILE SECONDS: a CxReports stand-in on a free loopback port, for what the
# simulator cannot do: a PDF that breaks off after its headers. Report 1: Content-Length, then
# cut; 2: chunked, then cut; 3: a whole PDF sent slowly (1.5 s). Serves for SECONDS, then exits.
hb_fake_pdfs() {
  python3 - "$1" "$2" <<'EOF' &
import os, socket, sys, threading, time
srv = socket.create_server(("127.0.0.1", 0))
pdf = b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 400 + b"trailer <<>>\n%%EOF\n"
def serve(c):
    with c:
        req = b""
        while b"\r\n\r\n" not in req:
            data = c.recv(65536)
            if not data:
                return
            req += data
        path = req.split(b" ")[1].split(b"?")[0]
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nConnection: close\r\n"
        if path.endswith(b"/1/pdf"):
            c.sendall(head + b"Content-Length: %d\r\n\r\n" % len(pdf) + pdf[:1000])
        elif path.endswith(b"/2/pdf"):
            c.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % 1000 + pdf[:1000] + b"\r\n")
        elif path.endswith(b"/3/pdf"):
            c.sendall(head + b"Content-Length: %d\r\n\r\n" % len(pdf))
            for i in range(0, len(pdf), len(pdf) // 6 + 1):
                c.sendall(pdf[i:i + len(pdf) // 6 + 1])
                time.sleep(0.25)
        else:
            c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
def accept():
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
threading.Thread(target=accept, daemon=True).start()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("http://127.0.0.1:%d" % srv.getsockname()[1])
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(float(sys.argv[2]))
EOF
  hb_fake_pid=$!
}

# hb_fault JSON: adds a fault to the simulator (simulator/README.md, "Fault injection").
hb_fault() { curl -sS --max-time 5 -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "$CXR_SIM_URL/__faults"; }

# hb_check RECIPE: the checker, then the runner's own checks (paging, CORS for an allowed
# origin, the allowlist, a refused PAT; sessions, hosts, origins, slow clients, rate limits,
# temporary data, ids, deadlines, CxReports' error text, cut PDFs), then what the recipe logged.
hb_check() {
  local recipe=$1 log="$hb_run/$1.log" alice bob pat_file="$hb_run/pat" failed=0 total port id
  alice=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  bob=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  rm -rf "$hb_run/$recipe.state" "$hb_run/$recipe.state.rate"
  # Two users, so that one can try to use what the other stored. HEADERS_TIMEOUT_SECS=2 keeps
  # the slow-client check short; STATE_DIR is where PHP keeps rate limits and temp-data owners.
  local common=(-u CXREPORTS_PAT_FILE -u CXREPORTS_PAT -u DEMO_SESSION CXREPORTS_URL="$CXR_SIM_URL" CXREPORTS_WORKSPACE=sales
    DEMO_SESSIONS="alice:$alice,bob:$bob" "ALLOWED_ORIGINS=http://127.0.0.1:*" HOST=127.0.0.1 PORT=0
    HEADERS_TIMEOUT_SECS=2 STATE_DIR="$hb_run/$recipe.state")
  # The Python recipe reads the PAT from a file, the others from the environment: both ways get run.
  local pat=(CXREPORTS_PAT="$CXR_TEST_PAT")
  [ "$recipe" = python ] && pat=(CXREPORTS_PAT_FILE="$pat_file")
  # A page size of 4 makes the recipe walk several pages of the simulator's catalogue.
  hb_start "$recipe" "$log" "${common[@]}" "${pat[@]}" CXREPORTS_PAGE_SIZE=4 CXREPORTS_ALLOWED_REPORTS= || return 1
  hb_say "$recipe listening on $hb_url"
  port=${hb_url##*:}
  # As two users (tempdata.owner); the rate probe outlasts RATE_LIMIT_PER_USER (30); the slow
  # client is judged against HEADERS_TIMEOUT_SECS=2, except under php -S, which has no such limit
  # (measured below; in production the front server's job).
  local slow=5
  [ "$recipe" = php ] && slow=0
  "$hb_root/target/debug/cxreports-backend-check" --base "$hb_url/api/cxreports" --cookie "session=$alice" \
    --cookie-b "session=$bob" --rate-probe 60 --slow-client-secs "$slow" \
    --pat-file "$pat_file" --cxreports-url "$CXR_SIM_URL" --workspace sales || failed=1
  # The checker used up alice's nonces: the checks below start from a fresh recipe.
  hb_stop
  rm -rf "$hb_run/$recipe.state"
  hb_start "$recipe" "$log.after-checker" "${common[@]}" "${pat[@]}" CXREPORTS_PAGE_SIZE=4 CXREPORTS_ALLOWED_REPORTS= || return 1
  port=${hb_url##*:}
  total=$(printf 'Authorization: Bearer %s\n' "$CXR_TEST_PAT" | hb_count "$CXR_SIM_URL/api/v1/ws/sales/reports?limit=1000" -H @-)
  hb_expect "$recipe" recipe.paging "$(hb_count "$hb_url/api/cxreports/reports" --cookie "session=$alice") reports" "$total reports" || failed=1
  # CORS for an allowed page origin (ALLOWED_ORIGINS=http://127.0.0.1:*): echoed, with credentials.
  hb_expect "$recipe" recipe.cors_allowed "$(curl -s --max-time 20 -o /dev/null -D - -X OPTIONS -H 'Origin: http://127.0.0.1:9' \
      -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: x-requested-with' "$hb_url/api/cxreports/nonce" \
      | tr -d '\r' | grep -iE '^(access-control-allow-(origin|credentials|methods|headers)|vary):' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')" \
    "access-control-allow-credentials: true access-control-allow-headers: content-type, x-requested-with access-control-allow-methods: get, post access-control-allow-origin: http://127.0.0.1:9 vary: origin " || failed=1

  # No credentials at all: every endpoint that reaches CxReports answers 401 JSON.
  local api=$hb_url/api/cxreports
  hb_expect "$recipe" recipe.no_credentials "$(hb_status "$api/nonce" -X POST); $(hb_status "$api/reports"); $(hb_status "$api/report-types"); $(
    hb_status "$api/reports/101/pdf"); $(hb_status "$api/temporary-data" -X POST -H 'Content-Type: application/json' -d '{"content":1}')" \
    "401 json; 401 json; 401 json; 401 json; 401 json" || failed=1
  # DNS rebinding: a foreign name (as Host, and as the page's Origin) on this server's address gets no nonce.
  hb_expect "$recipe" recipe.foreign_host "$(curl -s --max-time 20 -w ' %{http_code}' -X POST -H 'X-Requested-With: check' \
      -H "Host: rebind.example:$port" -H "Origin: http://rebind.example:$port" --cookie "session=$alice" "$api/nonce" \
      | python3 -c 'import sys; body, _, status = sys.stdin.read().rpartition(" "); print(status, "a nonce" if "nonce\"" in body else "no nonce")')" \
    "421 no nonce" || failed=1
  # A foreign page's Origin is refused, for a POST and a GET alike, though the Host is ours.
  hb_expect "$recipe" recipe.foreign_origin "$(hb_status "$api/nonce" -X POST -H 'X-Requested-With: check' -H 'Origin: http://evil.example' \
      --cookie "session=$alice"); $(hb_status "$api/reports" -H 'Origin: http://evil.example' --cookie "session=$alice")" \
    "403 json; 403 json" || failed=1
  # Temporary data: usable in PDF exports by the user who stored it, and by no one else.
  id=$(curl -s --max-time 20 -X POST -H 'X-Requested-With: check' -H 'Content-Type: application/json' --cookie "session=$alice" \
    -d '{"content": {"rows": [1, 2, 3]}}' "$api/temporary-data" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["tempDataId"])
except Exception: print("none")')
  hb_expect "$recipe" recipe.temp_data_owner "stored ${id//[0-9]/9}: bob $(hb_status "$api/reports/101/pdf?tempDataId=$id" --cookie "session=$bob"), alice $(
    curl -s --max-time 20 --cookie "session=$alice" "$api/reports/101/pdf?tempDataId=$id" | head -c 5)" \
    "stored ${id//[0-9]/9}: bob 403 json, alice %PDF-" || failed=1
  [ "$id" != none ] || { printf 'FAIL  recipe.temp_data_owner  POST temporary-data answered no tempDataId\n'; failed=1; }
  # "12\n" is no id: a trailing newline (%0A) passes a $-anchored pattern in PHP and Python.
  hb_expect "$recipe" recipe.trailing_newline "$(hb_status "$api/reports/101%0A/pdf" --cookie "session=$alice"); $(
    hb_status "$api/reports/101/pdf?tempDataId=$id%0A" --cookie "session=$alice")" "400 json; 400 json" || failed=1
  # A client that never finishes its headers: Node and Python close it (HEADERS_TIMEOUT_SECS=2);
  # PHP's built-in server cannot (README: the front server's limits), so it is measured, not judged.
  if [ "$recipe" = php ]; then
    printf 'NOTE  recipe.slow_client  php -S: half-sent headers still %s; meanwhile another request got %s\n' \
      "$(hb_slow_client "$hb_url" 4 & sleep 1; curl -s --max-time 5 -o /dev/null -w '%{http_code}' --cookie "session=$alice" "$api/report-types" >"$hb_run/php.other"; wait)" \
      "$(cat "$hb_run/php.other")"
  else
    hb_expect "$recipe" recipe.slow_client "$(hb_slow_client "$hb_url" 8 | sed 's/closed after [2-5] s/closed within 5 s/')" "closed within 5 s" || failed=1
  fi
  hb_stop

  # With an allowlist: only those reports are listed and exported. Tight rate limits (3 nonces
  # a user, 5 a client address) show both limits at work.
  hb_start "$recipe" "$log.allowlist" "${common[@]}" "${pat[@]}" CXREPORTS_ALLOWED_REPORTS=101,105 \
    RATE_LIMIT_PER_USER=3 RATE_LIMIT_PER_CLIENT=5 RATE_LIMIT_WINDOW_SECS=60 STATE_DIR="$hb_run/$recipe.state.rate" || return 1
  hb_expect "$recipe" recipe.allowlist.list "$(hb_count "$hb_url/api/cxreports/reports" --cookie "session=$alice") reports" "2 reports" || failed=1
  hb_expect "$recipe" recipe.allowlist.pdf_allowed \
    "$(curl -s --max-time 20 --cookie "session=$alice" "$hb_url/api/cxreports/reports/105/pdf" | head -c 5)" "%PDF-" || failed=1
  hb_expect "$recipe" recipe.allowlist.pdf_refused \
    "$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' --cookie "session=$alice" "$hb_url/api/cxreports/reports/102/pdf")" 403 || failed=1
  local who seen=()
  for who in alice alice alice alice bob bob bob; do
    seen+=("$who $(curl -s --max-time 20 -o /dev/null -D - -X POST -H 'X-Requested-With: check' --cookie "session=${!who}" \
      "$hb_url/api/cxreports/nonce" | tr -d '\r' | sed -n 's/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p; s/^[Rr]etry-[Aa]fter: \([0-9]*\)$/+retry-after/p' | tr '\n' ' ')")
  done
  hb_expect "$recipe" recipe.rate_limit "${seen[*]}" \
    "alice 200  alice 200  alice 200  alice 429 +retry-after  bob 200  bob 200  bob 429 +retry-after " || failed=1
  hb_stop

  # With a PAT CxReports refuses: a JSON 502 that tells what to do.
  hb_start "$recipe" "$log.wrong-pat" "${common[@]}" CXREPORTS_PAT=cxr_pat_refused_by_the_simulator || return 1
  hb_expect "$recipe" recipe.upstream_refused "$(hb_status "$hb_url/api/cxreports/nonce" -X POST -H 'X-Requested-With: check' \
      --cookie "session=$alice")" "502 json" || failed=1
  hb_stop

  # Deadlines and CxReports' own words, with the simulator's faults on workspace ops (the tests
  # run one at a time, so clearing the faults afterwards disturbs no one).
  hb_start "$recipe" "$log.faults" "${common[@]}" "${pat[@]}" CXREPORTS_WORKSPACE=ops CXREPORTS_PAGE_SIZE=1 \
    CXREPORTS_TIMEOUT_SECS=1 || return 1
  api=$hb_url/api/cxreports
  hb_fault '{"path": "/api/v1/ws/ops/report-types", "kind": "status", "status": 500, "times": 1}'
  hb_expect "$recipe" recipe.upstream_text_kept "$(curl -s --max-time 20 -w ' %{http_code}' --cookie "session=$alice" "$api/report-types" \
    | tr -d '\n' | sed 's/.*injected.* \([0-9]*\)$/CxReports text passed on \1/; s/.* \([0-9]*\)$/\1/'); $(grep -c 'injected' "$log.faults" | sed 's/^0$/not logged/; s/^[0-9]*$/logged/')" \
    "502; logged" || failed=1
  hb_fault '{"path": "/api/v1/ws/ops/report-types", "kind": "latency", "ms": 1500, "times": 1}'
  hb_expect "$recipe" recipe.deadline "$(hb_status "$api/report-types" --cookie "session=$alice")" "504 json" || failed=1
  # The PDF has its own limit (120 s): a wait that the 1 s limit of the other calls refuses is fine.
  hb_fault '{"path": "/api/v1/ws/ops/reports/*/pdf", "kind": "latency", "ms": 1500, "times": 1}'
  hb_expect "$recipe" recipe.pdf_deadline "$(curl -s --max-time 20 --cookie "session=$alice" "$api/reports/201/pdf" | head -c 5)" "%PDF-" || failed=1
  # One deadline for all pages: six pages of 0.4 s each are more than 1 s, though each page is less.
  hb_fault '{"path": "/api/v1/ws/ops/reports", "kind": "latency", "ms": 400, "times": 6}'
  hb_expect "$recipe" recipe.list_deadline "$(hb_status "$api/reports" --cookie "session=$alice")" "504 json" || failed=1
  curl -s --max-time 5 -o /dev/null -X DELETE "$CXR_SIM_URL/__faults"
  hb_stop

  # A PDF that breaks off after its headers is never a complete-looking 200.
  rm -f "$hb_run/fake.url"
  hb_fake_pdfs "$hb_run/fake.url" 60
  for i in $(seq 1 50); do [ -s "$hb_run/fake.url" ] && break; sleep 0.1; done
  hb_start "$recipe" "$log.cut" "${common[@]}" "${pat[@]}" CXREPORTS_URL="$(cat "$hb_run/fake.url")" CXREPORTS_TIMEOUT_SECS=1 || return 1
  local cut=() report status rc
  for report in 1 2 3; do
    status=$(curl -s --max-time 20 -o "$hb_run/cut.pdf" -w '%{http_code}' --cookie "session=$alice" "$hb_url/api/cxreports/reports/$report/pdf") && rc=0 || rc=$?
    if [ "$rc" != 0 ]; then cut+=("$report: broken off"); elif [ "$status" != 200 ]; then cut+=("$report: $status");
    elif tail -c 8 "$hb_run/cut.pdf" | grep -q '%%EOF'; then cut+=("$report: whole PDF"); else cut+=("$report: short 200"); fi
  done
  # Python and PHP learn of the break in 2 before the answer starts (Python at its first read, PHP
  # holding back a PDF of unknown length until its %%EOF): a JSON 502 instead of a broken download.
  hb_expect "$recipe" recipe.pdf_cut "${cut[*]}" "1: broken off 2: $([ "$recipe" = node ] && echo broken off || echo 502) 3: whole PDF" || failed=1
  hb_stop
  kill "$hb_fake_pid" 2>/dev/null; wait "$hb_fake_pid" 2>/dev/null

  # What the recipe logged: never the PAT, never a nonce (64 hex characters from the simulator).
  if grep -qF "$CXR_TEST_PAT" "$log" "$log.after-checker" "$log.allowlist" "$log.faults" "$log.cut"; then
    printf 'FAIL  recipe.log_secrets  the PAT is in %s\n' "$log"; failed=1
  elif grep -qF cxr_pat_refused_by_the_simulator "$log.wrong-pat"; then
    printf 'FAIL  recipe.log_secrets  the refused PAT is in %s.wrong-pat\n' "$log"; failed=1
  elif grep -qE '[0-9a-f]{64}' "$log" "$log.after-checker" "$log.allowlist"; then
    printf 'FAIL  recipe.log_secrets  a nonce is in %s\n' "$log"; failed=1
  else
    printf 'PASS  recipe.log_secrets  no PAT and no nonce in its log\n'
  fi
  return "$failed"
}

# Runs every recipe through the checks; fails if any recipe fails one.
check_host_backends() {
  : "${CXR_SIM_URL:?check_host_backends needs CXR_SIM_URL (the running simulator; see scripts/servers.sh)}"
  : "${CXR_TEST_PAT:?check_host_backends needs CXR_TEST_PAT (the PAT the simulator accepts)}"
  mkdir -p "$hb_run"
  (umask 077 && printf '%s\n' "$CXR_TEST_PAT" >"$hb_run/pat")
  local missing=() recipe failed=()
  command -v node >/dev/null || missing+=("node (Node recipe)")
  [ -x "$hb_venv/bin/python" ] || missing+=("$hb_venv (Python recipe)")
  command -v php >/dev/null || missing+=("php (PHP recipe)")
  if [ ${#missing[@]} -gt 0 ]; then
    hb_say "missing: ${missing[*]}: run install_host_backend_runtimes first" >&2
    return 1
  fi
  (cd "$hb_root" && cargo build --quiet -p cxreports-backend-check) || return 1
  for recipe in "${hb_recipes[@]}"; do
    hb_say "== $recipe (examples/host-backends/$recipe)"
    hb_check "$recipe" || failed+=("$recipe")
    hb_stop
  done
  rm -f "$hb_run/pat"
  if [ ${#failed[@]} -gt 0 ]; then
    hb_say "FAILED: ${failed[*]} (logs in $hb_run)" >&2
    return 1
  fi
  hb_say "all ${#hb_recipes[@]} recipes pass (${hb_recipes[*]})"
}
