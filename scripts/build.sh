#!/usr/bin/env bash
# Builds dist/fleet-deck-card.js: ONE ES module with the wasm embedded, so a HACS install and a
# /local/ install work with no sibling files and no stale-cache mismatch between JS and wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/toolchain.sh "$@")"

# A target directory outside the clone: a clean clone (CI) reuses the compiled dependencies and
# the build-std std, and cargo's fingerprints keep it correct.
export CARGO_TARGET_DIR="$FD_CACHE/target-wasm"
pkg="$FD_CACHE/pkg"
# shellcheck disable=SC2086
"$FD_CARGO" build --quiet --release --target wasm32-unknown-unknown -p fleet-deck-web $FD_BUILD_STD
rm -rf "$pkg"
"$FD_WASM_BINDGEN" --target web --remove-name-section --remove-producers-section --omit-default-module-path \
  --out-dir "$pkg" --out-name fleet_deck "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/fleet_deck_web.wasm"
# No wasm-opt: binaryen 108 (Debian) mangles the externref table init of current wasm-bindgen
# output, and the gain after gzip is 1–2 % (see the toolchain reference).
mkdir -p dist
FD_PKG="$pkg" node scripts/bundle.mjs
