#!/usr/bin/env bash
# The demo: builds the card (bootstrapping the toolchain) and serves it against the simulated
# Home Assistant on 127.0.0.1. PORT=8123 npm run demo picks a port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node www/serve.mjs "${PORT:-0}"
