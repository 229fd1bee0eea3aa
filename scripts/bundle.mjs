// Bundles the JS loader with the wasm-bindgen glue and the wasm bytes into dist/fleet-deck-card.js
// and reports its size (raw and gzip), the figure the size budget is about.
import { build } from "esbuild";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";

const pkg = process.env.FD_PKG;
if (!pkg) throw new Error("FD_PKG (the wasm-bindgen output directory) is not set");
const out = "dist/fleet-deck-card.js";
// The wasm is embedded gzip-compressed: base64 of raw wasm gzips poorly (about 30 % larger than
// the gzipped wasm), base64 of already-compressed bytes costs almost nothing once the file itself
// is gzipped. The loader inflates it with the browser's DecompressionStream.
const wasmGz = path.join(pkg, "fleet_deck_bg.wasm.gz");
writeFileSync(wasmGz, gzipSync(readFileSync(path.join(pkg, "fleet_deck_bg.wasm")), { level: 9 }));
await build({
  entryPoints: ["src/loader/index.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  outfile: out,
  loader: { ".gz": "binary" },
  alias: { "fleet-deck-wasm": path.join(pkg, "fleet_deck.js"), "fleet-deck-wasm-gz": wasmGz },
  legalComments: "none",
  logLevel: "warning",
  // wasm-bindgen's glue lists each inline_js snippet module once per extern block that uses it,
  // under the same key and with the same namespace object: harmless, and seven warnings on
  // every build would hide a real one.
  logOverride: { "duplicate-object-key": "silent" },
});
const raw = statSync(out).size;
const gz = gzipSync(readFileSync(out), { level: 9 }).length;
console.log(`dist/fleet-deck-card.js: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (budget 150 KB)`);
