#!/usr/bin/env node
// Static server for the demo, the browser tests and the benchmark: `www/` at `/`, the repo's
// `dist/` at `/dist/`, never cached (a rebuilt card must be picked up on reload).
//   node www/serve.mjs [port]        (or PORT=…; 0 picks a free port)
//   import { startServer } from "./www/serve.mjs"; const { url, close } = await startServer({ port: 0 });
import http from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const WWW_DIR = path.dirname(fileURLToPath(import.meta.url));
const DIST_DIR = path.resolve(WWW_DIR, "..", "dist");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".gz": "application/gzip",
};

/** Map a URL path to a file inside one of the two roots, refusing anything that escapes. */
function resolvePath(urlPath, wwwDir, distDir) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes("\0")) return null;
  let root = wwwDir;
  if (rel === "/dist" || rel.startsWith("/dist/")) {
    root = distDir;
    rel = rel.slice("/dist".length) || "/";
  }
  const file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function send(res, status, body, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * @param {{port?: number, host?: string, wwwDir?: string, distDir?: string}} [opts]
 * @returns {Promise<{url: string, port: number, server: http.Server, close: () => Promise<void>}>}
 */
export function startServer({ port = 0, host = "127.0.0.1", wwwDir = WWW_DIR, distDir = DIST_DIR } = {}) {
  const server = http.createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "Method Not Allowed");
    }
    const { pathname } = new URL(req.url, "http://localhost");
    let file = resolvePath(pathname, path.resolve(wwwDir), path.resolve(distDir));
    if (!file) return send(res, 403, "Forbidden");
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, "index.html");
        info = await stat(file);
      }
      res.writeHead(200, {
        "Content-Type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": info.size,
        "Cache-Control": "no-store",
      });
      if (req.method === "HEAD") return res.end();
      createReadStream(file).on("error", () => res.destroy()).pipe(res);
    } catch {
      send(res, 404, `Not found: ${pathname}`);
    }
  });
  // Keep-alive sockets would otherwise hold close() open until they time out.
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        server,
        close: () => new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = process.argv[2] ?? process.env.PORT ?? "8080";
  const port = Number(arg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${arg}`);
    process.exit(2);
  }
  const { url, close } = await startServer({ port });
  console.log(`Fleet Deck demo: ${url}`);
  const stop = () => close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
