#!/usr/bin/env bash
# Serves the demo: a host page with the widget, at http://127.0.0.1:8080.
#
# By default against the bundled CxReports simulator (no licence needed).
# Against a real CxReports, give its URL, a PAT and a workspace, and switch
# the backend's demo sign-in on knowingly (the demo page signs in through it):
#   CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=~/.cxreports-pat \
#   CXREPORTS_WORKSPACE=sales BACKEND_DEMO_SIGN_IN=1 ./scripts/demo.sh
# The PAT stays in the reference backend's process; the browser gets nonces.
#
# Ports: DEMO_PORT (8080, the host page, served by trunk), SIM_PORT (8081,
# the simulator) and BACKEND_PORT (8082, the reference backend).
# Ctrl-C, SIGTERM and SIGHUP stop everything it started; so does any of its
# servers failing, and the script says which one and why.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/bootstrap.sh
. scripts/servers.sh

demo_port=${DEMO_PORT:-8080}
if [ -n "${CXREPORTS_URL:-}" ] && [ "${BACKEND_DEMO_SIGN_IN:-}" != 1 ]; then
  cat >&2 <<TXT
demo: against a real CxReports ($CXREPORTS_URL) the demo page signs in through
the reference backend's demo sign-in, which signs in any name: whoever can
reach the backend (127.0.0.1:${BACKEND_PORT:-8082}, this machine only) gets
nonces, lists and PDFs as your PAT's user. If that is what you want, say so:
  BACKEND_DEMO_SIGN_IN=1 ./scripts/demo.sh
In production, put the backend behind your app's own sign-in (backend/README.md).
TXT
  exit 2
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$demo_port") 2>/dev/null; then
  echo "demo: port $demo_port is taken (an earlier demo still running?); stop it, or choose another with DEMO_PORT=..." >&2
  exit 1
fi
export BACKEND_ALLOWED_ORIGINS=${BACKEND_ALLOWED_ORIGINS:-http://127.0.0.1:$demo_port,http://localhost:$demo_port}
start_servers demo

# trunk serves the host page and passes /api/cxreports/ and /auth/ on to the
# backend, so the page reaches its backend on its own origin: Trunk.toml's
# proxies, pointed at this run's backend (trunk reads a config file beside
# the project, so the copy lives at the top, for this run only).
trunk_config="$root/.trunk-demo-$demo_port.toml"
trap 'stop_servers; rm -f "$trunk_config"' EXIT
sed "s|http://127.0.0.1:8082/|$CXR_BACKEND_URL/|" Trunk.toml >"$trunk_config"

step "trunk serve: building the release bundle (about 30 s warm), then serving it on port $demo_port ..."
spawn trunk "${trunk_release_env[@]}" trunk serve --config "$trunk_config" --port "$demo_port" --release
until curl -fsS -o /dev/null "http://127.0.0.1:$demo_port/" 2>/dev/null; do
  if dead=$(exited_server); then server_failed $dead; fi
  sleep 0.5
done

cxreports=${CXR_SIM_URL:-$CXREPORTS_URL_FOR_BACKEND}
cat <<TXT

  Demo host page:       http://127.0.0.1:$demo_port/
  Drop-in example:      http://127.0.0.1:$demo_port/examples/quick-start.html  (the smallest host page)
  Reference backend:    $CXR_BACKEND_URL  (proxied under /api/cxreports/ and /auth/)
  CxReports:            $cxreports${CXR_SIM_URL:+  (simulator)}

  Ctrl-C stops everything.

TXT
watch_servers
