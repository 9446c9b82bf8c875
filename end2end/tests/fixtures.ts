import { test as base, expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { faultDir, knownSecrets } from '../playwright.config';

type Fixtures = {
  /** Fails the test when any response the page received carries a known secret. */
  secretScan: void;
  /** Console messages that a test expects (e.g. the 404 of a missing page); others fail it. */
  allowedConsoleErrors: RegExp[];
  /** Fails the test on any uncaught exception or console error in the page. */
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
  secretScan: [
    async ({ page }, use) => {
      const checks: Promise<string[]>[] = [];
      page.on('response', (response) => {
        checks.push(
          (async () => {
            const found: string[] = [];
            const headers = JSON.stringify(await response.allHeaders());
            // Redirects and aborted loads have no body to read.
            const body = await response.body().then((b) => b.toString('latin1'), () => '');
            for (const secret of knownSecrets) {
              if (headers.includes(secret) || body.includes(secret)) {
                found.push(`${response.url()} carries a secret (${secret.slice(0, 4)}…)`);
              }
            }
            return found;
          })(),
        );
      });
      await use();
      const found = (await Promise.all(checks)).flat();
      expect(found, 'secrets in responses').toEqual([]);
    },
    { auto: true },
  ],
  allowedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = msg.text();
        if (!allowedConsoleErrors.some((re) => re.test(text))) errors.push(`console: ${text}`);
      });
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens a page and waits until the WASM has hydrated it, so clicks reach their handlers. */
export async function gotoHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  return response;
}

/** A fresh browser context with no session. */
export async function anonymousPage(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

/** Logs in through the login page. */
export async function logIn(page: Page, name: string, password: string) {
  await gotoHydrated(page, '/login');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Fails on any WCAG 2.0 or 2.1 A or AA violation axe finds on the page as it is now, naming
 * each rule, its impact and the elements it found. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `accessibility violations on ${what}`).toEqual([]);
}

/** A task name no other test (or the other viewport's run) uses. */
export function uniqueName(prefix: string, info: TestInfo) {
  return `${prefix}-${info.project.name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** The faults that fail a call outright, each with the words the console shows for it (a late
 * answer, which may still have taken effect, is tested on its own). */
export const failingFaults = [
  ['drop_connection', 'The console cannot reach DIS.'],
  ['malformed_json', 'DIS answered something the console cannot read.'],
  ['reject_441', "DIS refused the console's credentials."],
] as const;

/** Queues a fault in the embedded DIS for the calls that mention `needle` (written atomically). */
export function injectFault(line: string) {
  const tmp = path.join(faultDir, `.tmp-${process.pid}-${Math.random()}`);
  fs.writeFileSync(tmp, line + '\n');
  fs.renameSync(tmp, path.join(faultDir, `fault-${Date.now()}-${Math.random()}`));
}

/** Creates a text task through the wizard and lands on its page; `beforeCreate` runs just
 * before the Create button is pressed; `timeDirectories` picks the time directories by their
 * label. */
export async function createTask(
  page: Page,
  stream: string,
  name: string,
  bucket: string,
  interval?: number,
  beforeCreate?: () => void,
  timeDirectories?: string,
) {
  await gotoHydrated(page, `/streams/${stream}/add-task`);
  const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  await page.getByLabel('Task name', { exact: true }).fill(name);
  for (const step of ['File type', 'Partition']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  await page.getByLabel('OBS bucket', { exact: true }).fill(bucket);
  await page.getByLabel('Directory prefix', { exact: true }).fill('cloned/prefix');
  if (interval !== undefined) {
    await page.getByLabel('Dump interval (seconds)', { exact: true }).fill(String(interval));
  }
  if (timeDirectories !== undefined) {
    await page.getByLabel('Time directories', { exact: true }).selectOption({ label: timeDirectories });
  }
  for (const step of ['Timestamp schema', 'Review']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  beforeCreate?.();
  await page.getByRole('button', { name: 'Create dump task' }).click();
  await expect(page).toHaveURL(new RegExp(`/streams/${stream}/tasks/${name}$`));
}

