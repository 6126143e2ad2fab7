#!/usr/bin/env node
/**
 * A tiny static file server on 127.0.0.1 for the browser build, its tests and examples:
 * `node scripts/serve_static.js [folder] [port]` (defaults: the repository root, 8080; port 0 picks
 * a free one). GET and HEAD only; paths that leave the folder are refused; .mjs/.js as JavaScript
 * and .wasm as application/wasm (which WebAssembly.instantiateStreaming requires); any origin may
 * fetch (a page served by one such server loads a model from another).
 * `require('./serve_static').serveStatic(folder, port)` resolves to {url, close} for tests.
 */
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `folder` on 127.0.0.1:`port`; resolves to {url, close()} once listening. */
function serveStatic(folder, port = 0) {
  const base = fs.realpathSync(folder);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let file;
    try {
      file = path.join(base, decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (file !== base && !file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${req.url}`);
        return;
      }
      const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', 'access-control-allow-origin': '*' };
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({ url: `http://127.0.0.1:${actual}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

module.exports = { serveStatic };

if (require.main === module) {
  const folder = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  serveStatic(folder, Number(process.argv[3] ?? 8080)).then(({ url }) => console.log(`serving ${folder} at ${url}/`));
}
