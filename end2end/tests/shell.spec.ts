import { test, expect, gotoHydrated } from './fixtures';

test('the overview loads, hydrates and says what DIS it talks to', async ({ page }) => {
  const response = await gotoHydrated(page, '/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  await expect(page).toHaveTitle('Overview · DIS Dump Console');
  await expect(page.getByRole('link', { name: 'DIS Dump Console' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const connection = page.getByRole('region', { name: 'Connection' });
  await expect(connection).toContainText('Embedded DIS-compatible backend');
});

test('navigation moves between pages in the browser, and back works', async ({ page }) => {
  await gotoHydrated(page, '/');
  // A marker on window survives client-side navigation but not a full page load.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Streams' }).click();
  await expect(page).toHaveURL(/\/streams$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Streams' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Streams' })).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveTitle('Streams · DIS Dump Console');

  await nav.getByRole('link', { name: 'Audit' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Streams' })).not.toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page).toHaveURL(/\/streams$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Streams' })).toBeVisible();

  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test.describe('a page that does not exist', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('answers 404 with a way back', async ({ page }) => {
    const response = await gotoHydrated(page, '/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });
});

test('the keyboard reaches the skip link first, and it moves focus to the page', async ({ page }) => {
  await gotoHydrated(page, '/streams');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('the layout fits the viewport without sideways scrolling', async ({ page }) => {
  await gotoHydrated(page, '/');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
