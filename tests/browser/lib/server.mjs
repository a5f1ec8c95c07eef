// A real `foodtrace serve` for one test: a fresh data directory, ingest / alerts / HTTP on
// ports the kernel picks, endpoints read from its stdout ("ingest …", "http …", then "ready").
// cli() runs the same binary's subcommands (party add, record, recall, token) against it.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = path.resolve(here, '../../..');
export const webDir = path.join(sourceDir, 'portal/web');
const kReadyTimeoutMs = 60000;
const kCliTimeoutMs = 60000;

export function binary() {
  const bin = process.env.FOODTRACE_BIN || path.join(sourceDir, 'build/app/foodtrace');
  if (!fs.existsSync(bin)) {
    throw new Error(`foodtrace binary not found at ${bin}: build it, or set FOODTRACE_BIN (CTest sets it)`);
  }
  return bin;
}

// Starts the server; resolves once it printed "ready" with {http, ingest, dataDir, clock(),
// stop()}. `args` are more `serve` flags, e.g. ['--test-clock', '2026-12-05T00:30:00+08:00'].
export async function startServer({ args = [] } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'foodtrace-browser-'));
  const child = spawn(binary(), ['serve', '--data', dataDir, '--ingest', 'tcp://127.0.0.1:*',
    '--alerts', 'tcp://127.0.0.1:*', '--http', '127.0.0.1:0', '--web', webDir, '--sweep-interval-s', '0', ...args],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
  const endpoints = {};
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`foodtrace serve not ready in ${kReadyTimeoutMs} ms:\n${stderr}`)), kReadyTimeoutMs);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const [key, value] = line.trim().split(/\s+/, 2);
      if (key === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (key) endpoints[key] = value;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`foodtrace serve exited (${code ?? signal}) before ready:\n${stderr}`));
    });
  });
  await ready;
  if (!endpoints.http || !endpoints.ingest) throw new Error(`serve printed no http/ingest endpoint:\n${stderr}`);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    http: endpoints.http,
    ingest: endpoints.ingest,
    dataDir,
    stderr: () => stderr,
    // The server's market clock: {today, time_zone, now_ms} (GET /api/v1/clock).
    async clock() {
      const res = await fetch(`${endpoints.http}/api/v1/clock`);
      if (!res.ok) throw new Error(`GET /api/v1/clock answered ${res.status}`);
      return res.json();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Runs `foodtrace ARGS…`; resolves with stdout, rejects with the command and its stderr.
export function cli(args) {
  return new Promise((resolve, reject) => {
    execFile(binary(), args, { timeout: kCliTimeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`foodtrace ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}
