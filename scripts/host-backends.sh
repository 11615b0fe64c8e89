# Sourced by scripts/test.sh: the host-backend recipes of examples/host-backends/
# (Node, Python/Flask, PHP), each started against the CxReports simulator and
# held to the conformance checker (checker/, cxreports-backend-check).
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
  # Under scripts/servers.sh, its exit trap stops the recipe too if the run is cut short.
  if declare -p server_pids >/dev/null 2>&1; then server_pids+=("$hb_pid"); fi
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
  [ -n "${hb_pid:-}" ] || return 0
  kill "$hb_pid" 2>/dev/null || true
  wait "$hb_pid" 2>/dev/null || true
  if declare -p server_pids >/dev/null 2>&1; then
    local pid kept=()
    for pid in "${server_pids[@]}"; do [ "$pid" = "$hb_pid" ] || kept+=("$pid"); done
    server_pids=("${kept[@]}")
  fi
  hb_pid=
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

# hb_check RECIPE: the checker, then the runner's own checks (paging, CORS for an allowed
# origin, the allowlist, a refused PAT), then what the recipe logged.
hb_check() {
  local recipe=$1 log="$hb_run/$1.log" session pat_file="$hb_run/pat" failed=0 total
  session=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local common=(-u CXREPORTS_PAT_FILE -u CXREPORTS_PAT CXREPORTS_URL="$CXR_SIM_URL" CXREPORTS_WORKSPACE=sales
    DEMO_SESSION="$session" "ALLOWED_ORIGINS=http://127.0.0.1:*" HOST=127.0.0.1 PORT=0)
  # The Python recipe reads the PAT from a file, the others from the environment: both ways get run.
  local pat=(CXREPORTS_PAT="$CXR_TEST_PAT")
  [ "$recipe" = python ] && pat=(CXREPORTS_PAT_FILE="$pat_file")
  # A page size of 4 makes the recipe walk several pages of the simulator's catalogue.
  hb_start "$recipe" "$log" "${common[@]}" "${pat[@]}" CXREPORTS_PAGE_SIZE=4 CXREPORTS_ALLOWED_REPORTS= || return 1
  hb_say "$recipe listening on $hb_url"
  "$hb_root/target/debug/cxreports-backend-check" --base "$hb_url/api/cxreports" --cookie "session=$session" \
    --pat-file "$pat_file" --cxreports-url "$CXR_SIM_URL" --workspace sales || failed=1
  total=$(printf 'Authorization: Bearer %s\n' "$CXR_TEST_PAT" | hb_count "$CXR_SIM_URL/api/v1/ws/sales/reports?limit=1000" -H @-)
  hb_expect "$recipe" recipe.paging "$(hb_count "$hb_url/api/cxreports/reports" --cookie "session=$session") reports" "$total reports" || failed=1
  # CORS for an allowed page origin (ALLOWED_ORIGINS=http://127.0.0.1:*): echoed, with credentials.
  hb_expect "$recipe" recipe.cors_allowed "$(curl -s --max-time 20 -o /dev/null -D - -X OPTIONS -H 'Origin: http://127.0.0.1:9' \
      -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: x-requested-with' "$hb_url/api/cxreports/nonce" \
      | tr -d '\r' | grep -iE '^(access-control-allow-(origin|credentials|methods|headers)|vary):' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')" \
    "access-control-allow-credentials: true access-control-allow-headers: content-type, x-requested-with access-control-allow-methods: get, post access-control-allow-origin: http://127.0.0.1:9 vary: origin " || failed=1
  hb_stop

  # With an allowlist: only those reports are listed and exported.
  hb_start "$recipe" "$log.allowlist" "${common[@]}" "${pat[@]}" CXREPORTS_ALLOWED_REPORTS=101,105 || return 1
  hb_expect "$recipe" recipe.allowlist.list "$(hb_count "$hb_url/api/cxreports/reports" --cookie "session=$session") reports" "2 reports" || failed=1
  hb_expect "$recipe" recipe.allowlist.pdf_allowed \
    "$(curl -s --max-time 20 --cookie "session=$session" "$hb_url/api/cxreports/reports/105/pdf" | head -c 5)" "%PDF-" || failed=1
  hb_expect "$recipe" recipe.allowlist.pdf_refused \
    "$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' --cookie "session=$session" "$hb_url/api/cxreports/reports/102/pdf")" 403 || failed=1
  hb_stop

  # With a PAT CxReports refuses: a JSON 502 that tells what to do.
  hb_start "$recipe" "$log.wrong-pat" "${common[@]}" CXREPORTS_PAT=cxr_pat_refused_by_the_simulator || return 1
  hb_expect "$recipe" recipe.upstream_refused "$(curl -s --max-time 20 -w ' %{http_code}' -X POST -H 'X-Requested-With: check' \
      --cookie "session=$session" "$hb_url/api/cxreports/nonce" | python3 -c 'import json,sys
body, _, status = sys.stdin.read().rpartition(" ")
print(status, "error" if json.loads(body).get("error") else "no error message")' 2>&1)" "502 error" || failed=1
  hb_stop

  # What the recipe logged: never the PAT, never a nonce (64 hex characters from the simulator).
  if grep -qF "$CXR_TEST_PAT" "$log" "$log.allowlist"; then
    printf 'FAIL  recipe.log_secrets  the PAT is in %s\n' "$log"; failed=1
  elif grep -qF cxr_pat_refused_by_the_simulator "$log.wrong-pat"; then
    printf 'FAIL  recipe.log_secrets  the refused PAT is in %s.wrong-pat\n' "$log"; failed=1
  elif grep -qE '[0-9a-f]{64}' "$log" "$log.allowlist"; then
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
