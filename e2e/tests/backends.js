// Helpers for the specs that run the portal against another backend: a second reference server that
// serves the built portal with a given rapport.config.json (so its CSP is the one a deployment gets),
// and json-server on a copy of a db.json. Everything listens on 127.0.0.1 with free-chosen ports.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const serverBin =
  process.env.RAPPORT_SERVER_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache/rapport/target'), 'release/rapport-server');

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, what) {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const answer = await fetch(url);
      if (answer.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within 20 s`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The built portal (dist/) with `config` as its rapport.config.json (an object, or text as it is),
 * served by its own reference server. Resolves to { url, write, close }.
 */
export async function portalWithConfig(config) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-portal-'));
  const dist = path.join(root, 'dist');
  for (const name of fs.readdirSync(dist)) {
    if (name !== 'rapport.config.json') fs.symlinkSync(path.join(dist, name), path.join(dir, name));
  }
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
  fs.writeFileSync(path.join(dir, 'rapport.config.json'), text);
  const port = await freePort();
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      RAPPORT_PORT: String(port),
      RAPPORT_DB: ':memory:',
      RAPPORT_SEED: '0',
      RAPPORT_PORTAL_DIR: dir,
      RAPPORT_WIDGET_DIR: path.join(root, 'dist-widget'),
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/health`, child, 'rapport-server');
  return {
    url,
    /** Replaces the served rapport.config.json while the server runs. */
    write: (next) => {
      const body = typeof next === 'string' ? next : JSON.stringify(next, null, 2);
      fs.writeFileSync(path.join(dir, 'rapport.config.json'), body);
    },
    close: async () => {
      await stop(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function jsonServerBin() {
  const candidates = [
    process.env.JSON_SERVER_BIN,
    path.join(root, 'e2e/node_modules/.bin/json-server'),
    path.join(root, 'bench/node_modules/.bin/json-server'),
  ].filter(Boolean);
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`json-server not found (npm install in e2e/); looked at ${candidates.join(', ')}`);
  return found;
}

/** json-server on a private copy of `dbFile` (it writes to its file). Resolves to { url, close }. */
export async function startJsonServer(dbFile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-json-server-'));
  const db = path.join(dir, 'db.json');
  fs.copyFileSync(dbFile, db);
  const port = await freePort();
  // Read-only, and run in the temporary folder so that it serves no static files and writes nothing here.
  const child = spawn(jsonServerBin(), ['--host', '127.0.0.1', '--port', String(port), '--quiet', '--ro', db], {
    cwd: dir,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/db`, child, 'json-server');
  return {
    url,
    close: async () => {
      await stop(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
