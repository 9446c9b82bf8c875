import { test, expect, gotoHydrated } from './fixtures';
import type { Page } from '@playwright/test';

/** The records the demo application is behind on, over the stream's partitions. */
async function behind(page: Page) {
  const rows = page.getByRole('table', { name: 'Consumer applications' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  const cells = await rows.locator('td:nth-of-type(4)').allTextContents();
  return cells.reduce((sum, c) => sum + Number(c.replace(/,/g, '')), 0);
}

test('the stream page lists the applications reading it, with how far behind each is', async ({ page }) => {
  await gotoHydrated(page, '/streams/demo-json-events');
  await expect(page.getByRole('heading', { name: 'Consumer applications' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Consumer applications' }).locator('tbody tr');
  // The demo application, on each of the stream's two partitions, has read nothing yet.
  await expect(rows).toHaveCount(2);
  for (const [i, partition] of ['shardId-0000000000', 'shardId-0000000001'].entries()) {
    const cells = rows.nth(i).locator('td');
    await expect(cells.nth(0)).toHaveText('demo-analytics');
    await expect(cells.nth(1)).toHaveText(partition);
    await expect(cells.nth(2)).toHaveText('none yet');
    await expect(cells.nth(3)).toHaveText(/^\d[\d,]*$/);
  }
  const before = await behind(page);

  // Records sent to the stream are records it has not read. (Five generated ones, with a `ts`
  // in epoch milliseconds like the stream's others: the wizard's preview test reads them.)
  const records = page.getByRole('region', { name: 'Send test records' });
  await records.getByRole('button', { name: 'Send records' }).click();
  await expect(records).toContainText('DIS accepted 5 record(s).');
  await gotoHydrated(page, '/streams/demo-json-events');
  expect(await behind(page)).toBeGreaterThanOrEqual(before + 5);

  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(widths[0], 'page width against the window').toBeLessThanOrEqual(widths[1]);
});
