#!/usr/bin/env bash
# Serves the demo: a host page with the widget, at http://127.0.0.1:8080.
#
# By default against the bundled CxReports simulator (no licence needed).
# Against a real CxReports, give its URL, a PAT and a workspace:
#   CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=~/.cxreports-pat \
#   CXREPORTS_WORKSPACE=sales ./scripts/demo.sh
# The PAT stays in the reference backend's process; the browser gets nonces.
# Ctrl-C stops everything.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/bootstrap.sh
. scripts/servers.sh

demo_port=${DEMO_PORT:-8080}
export BACKEND_ALLOWED_ORIGINS=${BACKEND_ALLOWED_ORIGINS:-http://127.0.0.1:$demo_port,http://localhost:$demo_port}
start_servers demo

cat <<TXT

  Demo host page:       http://127.0.0.1:$demo_port/
  Drop-in example:      http://127.0.0.1:$demo_port/examples/drop-in.html?widget=..&cxreports=${CXR_SIM_URL:-$CXREPORTS_URL_FOR_BACKEND}&workspace=${CXREPORTS_WORKSPACE:-sales}
  Reference backend:    $CXR_BACKEND_URL  (proxied under /api/cxreports/ and /auth/)
  CxReports:            ${CXR_SIM_URL:-$CXREPORTS_URL_FOR_BACKEND}${CXR_SIM_URL:+  (simulator)}

  Ctrl-C stops everything.

TXT
trunk_release serve --port "$demo_port"
