#!/usr/bin/env bash
# Packs dist/ as the npm package (`npm pack`) and builds the example host
# apps against that tarball, as a user's app would install it: each
# example's own dependencies with `npm ci` from its lockfile (skipped while
# the lockfile is unchanged), then the tarball, then its type checks and
# `vite build` (the Angular app: `ng build`, production, under the Node that
# scripts/bootstrap.sh installs for it, with the CLI's analytics off; the
# Next.js app: `next build`, telemetry off). Sourced by test.sh after the
# release bundle is built.
#
#   . scripts/examples.sh && build_examples      (needs dist/ built)
build_examples() {
  local root tarball example
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  mkdir -p "$root/target/npm"
  tarball=$(cd "$root/target/npm" && npm pack "$root/dist" --silent --pack-destination . | tail -1)
  tarball="$root/target/npm/$tarball"
  echo "examples: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB)"
  for example in react vue html angular nextjs; do
    local dir="$root/examples/$example" started=$SECONDS path=$PATH
    [ "$example" = angular ] && path=${CXR_ANGULAR_NODE_BIN:+$CXR_ANGULAR_NODE_BIN:}$PATH
    if [ -f "$dir/package-lock.json" ]; then
      local stamp
      stamp=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
      if [ "$(cat "$dir/node_modules/.ci-stamp" 2>/dev/null)" != "$stamp" ]; then
        (cd "$dir" && PATH=$path npm ci --no-audit --no-fund --silent)
        echo "$stamp" >"$dir/node_modules/.ci-stamp"
      fi
    fi
    # The tarball just packed, as `npm install cxreports-widget` would put it.
    rm -rf "$dir/node_modules/cxreports-widget"
    mkdir -p "$dir/node_modules/cxreports-widget"
    tar -xzf "$tarball" -C "$dir/node_modules/cxreports-widget" --strip-components=1
    if [ -f "$dir/vite.config.ts" ]; then
      (cd "$dir" && npm run --silent build >/dev/null)
    elif [ -f "$dir/next.config.ts" ]; then
      build_next_example "$dir"
    fi
    if [ -f "$dir/angular.json" ]; then
      (cd "$dir" && PATH=$path NG_CLI_ANALYTICS=false npm run --silent build >/dev/null)
    fi
    echo "examples: $example built in $((SECONDS - started)) s"
  done
}

# build_next_example DIR: `next build` (type checks included), its output
# shown only when it fails.
build_next_example() {
  local dir log
  dir=$(cd "$1" && pwd)
  log="$dir/.next-build.log"
  if ! (cd "$dir" && NEXT_TELEMETRY_DISABLED=1 npx --no-install next build >"$log" 2>&1); then
    echo "examples: next build failed in $1; its output:" >&2
    sed 's/^/    /' "$log" >&2
    return 1
  fi
}
