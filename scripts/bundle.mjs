// Bundles the JS loader with the wasm-bindgen glue and the wasm bytes into dist/fleet-deck-card.js
// and reports its size (raw and gzip), the figure the size budget is about.
import { build } from "esbuild";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";

const pkg = process.env.FD_PKG;
if (!pkg) throw new Error("FD_PKG (the wasm-bindgen output directory) is not set");
const out = "dist/fleet-deck-card.js";
await build({
  entryPoints: ["src/loader/index.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  outfile: out,
  loader: { ".wasm": "binary" },
  alias: { "fleet-deck-wasm": path.join(pkg, "fleet_deck.js"), "fleet-deck-wasm-bytes": path.join(pkg, "fleet_deck_bg.wasm") },
  legalComments: "none",
  logLevel: "warning",
});
const raw = statSync(out).size;
const gz = gzipSync(readFileSync(out), { level: 9 }).length;
console.log(`dist/fleet-deck-card.js: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (budget 150 KB)`);
