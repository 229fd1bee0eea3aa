#!/usr/bin/env bash
# Bootstraps everything the build, the demo and the tests need, and prints the environment the
# other scripts source. Idempotent and quiet when everything is already present.
#
#   scripts/toolchain.sh            # wasm toolchain + wasm-bindgen-cli + npm dev dependencies
#   scripts/toolchain.sh --browser  # … plus Debian chromium + chromium-driver for the tests
#
# Only package registries are used (apt, crates.io, npm): nothing downloads a binary of its own.
# Where rustup has a wasm32-unknown-unknown target (a normal developer machine) it is used as is.
# Otherwise Debian's rustc-web + rust-web-src + lld-19 build std for wasm32 with -Zbuild-std.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in src/web/Cargo.toml
want_browser=0
for a in "$@"; do [ "$a" = "--browser" ] && want_browser=1; done

log() { echo "[toolchain] $*" >&2; }
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

# --- Rust for wasm32 ------------------------------------------------------------------------
mode=""
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  mode=rustup
else
  apt_install rustc-web cargo-web rust-web-src lld-19
  mode=debian
fi

# --- wasm-bindgen-cli at the pinned version -------------------------------------------------
WB="$HOME/.cargo/bin/wasm-bindgen"
have_wb=$("$WB" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$WASM_BINDGEN_VERSION" ]; then
  command -v cargo >/dev/null || apt_install cargo-web
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io (a few minutes, once)"
  # Not --locked: the registry mirror may lack the newest version of a transitive dependency
  # named in the CLI's lock file.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
fi

# --- Browser for tests ----------------------------------------------------------------------
if [ $want_browser = 1 ]; then apt_install chromium chromium-driver; fi

# --- npm dev dependencies (esbuild, playwright-core) ----------------------------------------
stamp=node_modules/.fleet-deck-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  log "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi

# --- The environment for scripts/build.sh ---------------------------------------------------
cache="${FLEET_DECK_CACHE:-$HOME/.cache/fleet-deck}"
echo "export FD_WASM_MODE=$mode"
echo "export FD_CACHE='$cache'"
if [ $mode = debian ]; then
  echo "export FD_CARGO=/usr/bin/cargo"
  echo "export RUSTC=/usr/bin/rustc"
  echo "export RUSTC_BOOTSTRAP=1"
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-19/bin/wasm-ld"
  echo "export FD_BUILD_STD='-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size'"
  # Unstable, so only where std is built anyway: Debug output and panic locations compiled out
  # (-3.1 % bundle, BENCHMARKS.md item 26). A panic still logs its message. Cargo appends
  # these to .cargo/config.toml's rustflags for the target.
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='-Zfmt-debug=none -Zlocation-detail=none'"
else
  echo "export FD_CARGO=cargo"
  echo "export FD_BUILD_STD=''"
fi
echo "export FD_WASM_BINDGEN='$WB'"
