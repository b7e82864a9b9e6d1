// End-to-end tests against the real reference server and the release bundles, in Debian's Chromium.
// scripts/test.sh builds everything first and passes the server binary in RAPPORT_SERVER_BIN.
import { defineConfig } from '@playwright/test';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.E2E_PORT ?? 18181);
// A fresh SQLite file per run (not ':memory:'), so that tests can count the rows the server really
// stored. Set here, in the config, so that the server and every worker see the same path.
process.env.RAPPORT_E2E_DB ??= path.join(os.tmpdir(), `rapport-e2e-${Date.now()}-${process.pid}.db`);
const server =
  process.env.RAPPORT_SERVER_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(process.env.HOME, '.cache/rapport/target'), 'release/rapport-server');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      // The closed network here refuses Chromium's background connections; these flags keep it quiet.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The cross-origin embedding test puts the firm's page and the Rapport server both on loopback;
        // Chromium's local-network-access prompt (meant for public pages reaching into a LAN) would
        // block that, though two public origins never meet it.
        '--disable-features=LocalNetworkAccessChecks',
      ],
    },
  },
  webServer: {
    command: `"${server}"`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    env: {
      RAPPORT_PORT: String(port),
      // A fresh database file per run: tests never see each other's leftovers from earlier runs.
      RAPPORT_DB: process.env.RAPPORT_E2E_DB,
      RAPPORT_PORTAL_DIR: path.join(root, 'dist'),
      RAPPORT_WIDGET_DIR: path.join(root, 'dist-widget'),
      // Surveys about a delivered order are offered at once, so the lifecycle journey need not wait days.
      RAPPORT_SURVEY_DELAY_DAYS: '0',
    },
  },
});
