#!/usr/bin/env bash
# Builds the drop-in bundle into dist/ (or --dist DIR): what a host page
# serves. The same build as the test, demo and benchmark commands make:
# nightly Rust rebuilding the standard library for size (see trunk_release in
# bootstrap.sh); CXR_STABLE_BUNDLE=1 builds with stable Rust instead.
#
#   ./scripts/bundle.sh [--dist DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
trunk_release build "$@"
