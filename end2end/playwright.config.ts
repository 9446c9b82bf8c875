import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// The suite starts its own console: the build `make e2e` has just made (release unless
// E2E_PROFILE=debug; server and WASM always in the same profile), on its own port, with a data directory that is emptied before every run.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const serverBin = path.resolve(__dirname, process.env.E2E_SERVER_BIN ?? '../target/release/server');
const siteRoot = path.resolve(__dirname, '../target/site');
export const dataDir = path.resolve(__dirname, 'test-results-data');
// The server's log goes to a file beside the report, so the test output stays readable.
const serverLog = path.resolve(__dirname, 'test-results-server.log');
// The first admin's password in the test console; the login setup uses it, and the secret scan
// looks for it in everything the browser saw.
export const adminPassword = 'e2e admin password 5f1c';
// Credentials the console holds in this run: the secret scan looks for each in every response
// the browser saw, in the built site and in the server's log. The embedded DIS accepts these keys.
export const disAccessKey = 'E2EACCESSKEY7Q2W9X';
export const disSecretKey = 'e2e-secret-key-Zr8vT3pLq0';
// The console's client secret at the test identity provider (idp/provider.mjs).
export const oidcClientSecret = 'e2e-oidc-client-secret-Hq71';
export const knownSecrets = [adminPassword, disAccessKey, disSecretKey, oidcClientSecret, '$argon2'];
// Records the preview test puts into a stream carry this: record contents are data, and the
// teardown checks none reached the server log.
export const recordMarker = 'record-contents-9d41';
export { serverLog };

// Two more consoles sign operators on through the test identity provider: one with local
// logins too, one with them off. They are opened at localhost and the provider at 127.0.0.1,
// two different sites, as a real provider is to the console.
const ssoPort = port + 1;
const ssoOnlyPort = port + 2;
const idpPort = port + 3;
export const ssoURL = `http://localhost:${ssoPort}`;
export const ssoOnlyURL = `http://localhost:${ssoOnlyPort}`;
export const idpURL = `http://127.0.0.1:${idpPort}`;
export const ssoLogs = [1, 2].map((n) => path.resolve(__dirname, `test-results-server-sso${n}.log`));
const ssoData = [1, 2].map((n) => path.resolve(__dirname, `test-results-data-sso${n}`));
// The browser state (session cookie) the login setup leaves for the other tests.
export const adminState = path.join(dataDir, '..', 'test-results-auth', 'admin.json');
// Tests drop fault files here; the embedded DIS backend reads and deletes them (see faults.rs).
export const faultDir = path.join(dataDir, 'faults');
// The console waits this long for DIS; the latency faults wait longer.
export const disTimeoutSeconds = 3;

// Debian's Chromium: Playwright's own browser download cannot run here. The flags keep it off
// the network, which this machine does not have.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list'], ['html', { open: 'never' }]],
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    // Logs in through the login page once; the other projects start with that session.
    { name: 'login', testMatch: /login\.setup\.ts/, teardown: 'secrets' },
    // Runs after every other project: the built site and the whole server log, scanned.
    { name: 'secrets', testMatch: /secrets\.teardown\.ts/ },
    {
      name: 'desktop',
      dependencies: ['login'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, storageState: adminState },
    },
    {
      name: 'phone',
      dependencies: ['login'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, hasTouch: true, storageState: adminState },
    },
  ],
  webServer: [
    consoleServer(port, dataDir, serverLog, { DIS_BACKEND_FAULT_DIR: faultDir }),
    consoleServer(ssoPort, ssoData[0], ssoLogs[0], signOn(ssoURL, 'on')),
    consoleServer(ssoOnlyPort, ssoData[1], ssoLogs[1], signOn(ssoOnlyURL, 'off')),
    {
      command: 'exec node idp/provider.mjs',
      url: `${idpURL}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stderr: 'pipe',
      env: {
        IDP_PORT: String(idpPort),
        IDP_CLIENT_SECRET: oidcClientSecret,
        IDP_CONSOLES: [ssoURL, ssoOnlyURL].join(','),
      },
    },
  ],
});

/// A console on `listen`, with a data directory emptied before the run and its log in `log`.
function consoleServer(listen: number, data: string, log: string, env: Record<string, string>) {
  return {
    command: `rm -rf '${data}' && mkdir -p '${data}/faults' && exec '${serverBin}' > '${log}' 2>&1`,
    url: `http://127.0.0.1:${listen}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stderr: 'pipe' as const,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${listen}`,
      LEPTOS_SITE_ROOT: siteRoot,
      CONSOLE_DATA_DIR: data,
      DIS_ENDPOINT: '',
      DIS_TIMEOUT_SECONDS: String(disTimeoutSeconds),
      CONSOLE_ADMIN_PASSWORD: adminPassword,
      DIS_AK: disAccessKey,
      DIS_SK: disSecretKey,
      RUST_LOG: 'info',
      LOG_FORMAT: 'text',
      // Tests send the records they look for; synthetic demo traffic would only add noise.
      CONSOLE_DEMO_TRAFFIC: 'off',
      ...env,
    },
  };
}

/// The settings of a console that signs on through the test provider.
function signOn(publicURL: string, localLogin: 'on' | 'off'): Record<string, string> {
  return {
    CONSOLE_PUBLIC_URL: publicURL,
    CONSOLE_OIDC_ISSUER: idpURL,
    CONSOLE_OIDC_CLIENT_ID: 'dis-console',
    CONSOLE_OIDC_CLIENT_SECRET: oidcClientSecret,
    CONSOLE_OIDC_SCOPES: 'groups',
    CONSOLE_OIDC_ADMIN_GROUPS: 'dis-admins',
    CONSOLE_OIDC_OPERATOR_GROUPS: 'dis-operators',
    CONSOLE_OIDC_VIEWER_GROUPS: 'everyone',
    CONSOLE_OIDC_DISPLAY_NAME: 'Corp IdP',
    CONSOLE_LOCAL_LOGIN: localLogin,
  };
}
