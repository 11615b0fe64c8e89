#!/usr/bin/env bash
# Builds the drop-in bundle into dist/ (or --dist DIR): what a host page
# serves, and nothing else (the demo's pages go to target/site/). The same
# build as the test, demo and benchmark commands make: nightly Rust
# rebuilding the standard library for size (see trunk_release in
# bootstrap.sh); CXR_STABLE_BUNDLE=1 builds with stable Rust instead.
#
#   ./scripts/bundle.sh [--dist DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --dist) export CXR_PACKAGE_DIR=${2:?--dist needs a folder}; shift 2 ;;
    --dist=*) export CXR_PACKAGE_DIR=${1#--dist=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
trunk_release build "${args[@]}"
echo "bundle: ${CXR_PACKAGE_DIR:-dist}"
