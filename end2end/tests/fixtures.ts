import { test as base, expect, type Page } from '@playwright/test';

type Fixtures = {
  /** Console messages that a test expects (e.g. the 404 of a missing page); others fail it. */
  allowedConsoleErrors: RegExp[];
  /** Fails the test on any uncaught exception or console error in the page. */
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
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
