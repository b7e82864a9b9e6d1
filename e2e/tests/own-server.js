// A reference server of a test's own (its own port and database file), whose output the test reads:
// the reference server prints the messages it would mail (links included) there.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const serverBin =
  process.env.RAPPORT_SERVER_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(process.env.HOME, '.cache/rapport/target'), 'release/rapport-server');

/** Starts the server on `port` over `db`; resolves once it answers. `child.output()` is what it printed. */
export async function startServer(port, db, env = {}) {
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      RAPPORT_PORT: String(port),
      RAPPORT_DB: db,
      RAPPORT_PORTAL_DIR: path.join(root, 'dist'),
      RAPPORT_WIDGET_DIR: path.join(root, 'dist-widget'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  child.output = () => log;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited = exited;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
    if (early) throw new Error(`server exited (${JSON.stringify(early)}): ${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy: ${log}`);
    }
  }
}

/** Stops the server (SIGTERM, then SIGKILL after 5 s). */
export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r(null), 5_000))]);
  if (!done) {
    child.kill('SIGKILL');
    await child.exited;
  }
}
