#!/usr/bin/env bash
# The whole test suite (what CI runs through .ci/run): native core tests, the browser tests in
# headless Debian Chromium against the simulated Home Assistant, and the end-to-end tests against
# a real Home Assistant. Does all of its own setup. `scripts/test.sh core|browser|ha` runs one part.
set -euo pipefail
cd "$(dirname "$0")/.."
part="${1:-all}"

run_core() {
  echo "== native core tests (cargo test -p fleet-deck-core)"
  cargo test -q -p fleet-deck-core 2>&1 | grep -v '^$'
  echo "== native core benchmark smoke run"
  cargo run -q --release -p fleet-deck-core --bin core-bench -- --quick
}

run_browser() {
  echo "== browser tests (headless Chromium, simulated Home Assistant)"
  node --test --test-concurrency=1 tests/browser/
}

run_bench_quick() {
  echo "== benchmark, quick mode (size S; fails only on deterministic figures over budget)"
  node tests/bench/run.mjs --quick
}

run_ha() {
  echo "== end-to-end tests (real Home Assistant)"
  node tests/ha/run.mjs
}

case "$part" in
  core) run_core ;;
  browser) bash scripts/toolchain.sh --browser >/dev/null; bash scripts/build.sh; run_browser ;;
  ha) bash scripts/toolchain.sh --browser >/dev/null; bash scripts/build.sh; run_ha ;;
  all)
    bash scripts/toolchain.sh --browser >/dev/null
    run_core
    bash scripts/build.sh
    run_browser
    run_bench_quick
    run_ha
    ;;
  *) echo "usage: scripts/test.sh [core|browser|ha]" >&2; exit 2 ;;
esac
