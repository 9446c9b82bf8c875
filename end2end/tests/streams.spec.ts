import { test, expect, gotoHydrated, injectFault } from './fixtures';

test('streams are paged through DIS and filtered by name, and the URL keeps both', async ({ page }) => {
  await gotoHydrated(page, '/streams?limit=2');
  const table = page.getByRole('table', { name: 'Streams' });
  const rows = table.getByRole('row');
  // A heading row and two streams, in DIS's order.
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('demo-blob-logs');
  await expect(rows.nth(2)).toContainText('demo-csv-metrics');
  // Four demo streams, and any a parallel test has just created (named after them).
  await expect(page.getByText(/^\d+ stream\(s\) in this project\.$/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'First page' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/\/streams\?after=demo-csv-metrics&limit=2$/);
  await expect(rows.nth(1)).toContainText('demo-json-events');
  await expect(rows.nth(2)).toContainText('demo-orders');
  await page.goBack();
  await expect(rows.nth(1)).toContainText('demo-blob-logs');

  // The filter reads on through every page.
  const filter = page.getByRole('searchbox', { name: 'Filter by name' });
  await filter.fill('ORDERS');
  await expect(page).toHaveURL(/q=ORDERS/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('demo-orders');
  await expect(page.getByText('1 stream(s) on this page contain “ORDERS”.')).toBeVisible();

  // A shared link opens the same view.
  await gotoHydrated(page, '/streams?q=no-such-stream');
  await expect(page.getByRole('searchbox', { name: 'Filter by name' })).toHaveValue('no-such-stream');
  await expect(page.getByText('No stream name contains “no-such-stream”.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear the filter' }).click();
  await expect(page).toHaveURL(/\/streams$/);
  await expect(rows.nth(4)).toContainText('demo-orders');

  await page.getByLabel('Rows per page').selectOption('20');
  await expect(page).toHaveURL(/\/streams\?limit=20$/);
  await expect(rows.nth(4)).toContainText('demo-orders');
});

test('times read as relative, with the exact time on hover', async ({ page }) => {
  await gotoHydrated(page, '/streams');
  const created = page.getByRole('row').filter({ hasText: 'demo-orders' }).locator('time');
  await expect(created).toHaveText(/^(just now|\d+ (min|h) ago|\d+ days? ago)$/);
  await expect(created).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await expect(created).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
});

test.describe('when DIS cannot be read', () => {
  test.use({ allowedConsoleErrors: [/status of (400|502)/] });

  test('the streams page says what is wrong in plain words and offers to try again', async ({ page }) => {
    // Every attempt at this one page fails (the console tries a read three times).
    injectFault('system_error 3 limit=3&start_stream_name=demo-blob-logs');
    await gotoHydrated(page, '/streams?after=demo-blob-logs&limit=3');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('DIS reported an internal error');
    await expect(alert).toContainText(/DIS\.5000; request id \S+/);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('table', { name: 'Streams' }).getByRole('row')).toHaveCount(4);
    await expect(alert).toHaveCount(0);
  });

  test('a page position that is not a stream name is refused before DIS is asked', async ({ page }) => {
    await gotoHydrated(page, '/streams?after=..%2Fetc');
    await expect(page.getByRole('alert')).toContainText('is not allowed');
  });
});
