#!/usr/bin/env bash
# `npm run bench [-- --quick | --soak-min N]`: builds the release card and measures it in
# headless Chromium against generated Home Assistant data (sizes S and L). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/toolchain.sh --browser >/dev/null
bash scripts/build.sh
echo "== native core benchmark"
cargo run -q --release -p fleet-deck-core --bin core-bench
echo "== card benchmark"
node tests/bench/run.mjs "$@"
