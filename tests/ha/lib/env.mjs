// Picks the Python / Home Assistant pair and installs HA from the committed lock file with uv,
// idempotently: a venv outside the clone (~/.cache/fleet-deck/ha-<version>/venv) with a marker
// holding the lock's hash, so a second run only compares one file and prints nothing.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const HA_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url))); // tests/ha
export const REPO = path.resolve(HA_DIR, "../..");
export const CACHE = process.env.FLEET_DECK_CACHE || path.join(os.homedir(), ".cache", "fleet-deck");
const UV_VERSION = "0.6.10";

const log = (...a) => console.log("[ha-env]", ...a);

/** HA 2025.4.4 on pyenv's Python 3.13.0 (the newest HA installable here), else 2024.3.3 on 3.11. */
export function pickVersion() {
  const forced = process.env.FLEET_DECK_HA_VERSION;
  const pyenvRoot = process.env.PYENV_ROOT || path.join(os.homedir(), ".pyenv");
  const py313 = process.env.FLEET_DECK_PY313 || path.join(pyenvRoot, "versions", "3.13.0", "bin", "python3");
  if (forced !== "2024.3.3" && fs.existsSync(py313)) return { ha: "2025.4.4", python: py313 };
  if (forced === "2025.4.4") throw new Error(`HA 2025.4.4 needs Python 3.13.0 at ${py313}`);
  for (const cand of [path.join(pyenvRoot, "versions", "3.11.7", "bin", "python3"), "/usr/bin/python3.11", "python3.11", "python3"]) {
    const r = spawnSync(cand, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim() === "3.11") return { ha: "2024.3.3", python: cand };
  }
  throw new Error("neither pyenv's Python 3.13.0 nor a Python 3.11 was found");
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${(r.stdout || "").slice(-2000)}\n${(r.stderr || "").slice(-4000)}`);
  }
  return r.stdout;
}

function findUv(python) {
  const onPath = spawnSync("uv", ["--version"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.includes(UV_VERSION)) return "uv";
  const dir = path.join(CACHE, `uv-${UV_VERSION}`);
  const bin = path.join(dir, "bin", "uv");
  if (!fs.existsSync(bin)) {
    log(`installing uv ${UV_VERSION} from PyPI into ${dir}`);
    run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", dir, `uv==${UV_VERSION}`]);
  }
  return bin;
}

/** Returns { ha, python, venvPython, installSeconds } after making sure the venv matches the lock. */
export function ensureInstalled() {
  const { ha, python } = pickVersion();
  const lock = path.join(HA_DIR, `requirements-ha-${ha}.lock.txt`);
  const root = path.join(CACHE, `ha-${ha}`);
  const venv = path.join(root, "venv");
  const venvPython = path.join(venv, "bin", "python");
  const marker = path.join(venv, ".fleet-deck-lock");
  const want = createHash("sha256").update(fs.readFileSync(lock)).update(python).digest("hex");
  if (fs.existsSync(venvPython) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === want) {
    return { ha, python, venvPython, installSeconds: 0 };
  }
  const t0 = Date.now();
  log(`installing Home Assistant ${ha} (${python}) into ${venv} from ${path.relative(REPO, lock)}`);
  fs.mkdirSync(root, { recursive: true });
  const uv = findUv(python);
  const env = { ...process.env, UV_CACHE_DIR: path.join(CACHE, "uv-cache"), UV_PYTHON_DOWNLOADS: "never" };
  fs.rmSync(venv, { recursive: true, force: true });
  run(uv, ["venv", "--quiet", "--python", python, venv], { env });
  run(uv, ["pip", "sync", "--quiet", "--compile-bytecode", "--python", venvPython, lock], { env });
  fs.writeFileSync(marker, want);
  const installSeconds = (Date.now() - t0) / 1000;
  log(`installed in ${installSeconds.toFixed(1)} s`);
  return { ha, python, venvPython, installSeconds };
}
