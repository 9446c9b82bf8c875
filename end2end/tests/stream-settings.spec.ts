import { test, expect, gotoHydrated } from './fixtures';

test('the stream page shows the stream settings, and a refresh keeps what the operator typed', async ({ page }) => {
  await gotoHydrated(page, '/streams/demo-csv-metrics');
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible();
  await expect(settings).toContainText('Data type');
  await expect(settings).toContainText('CSV');
  await expect(settings).toContainText(/\d+ hours/);
  await expect(settings.getByRole('heading', { level: 3, name: 'Scaling history' })).toBeVisible();

  // The page reads the stream every 5 s and renders it anew; the lines being typed stay.
  const lines = page.getByRole('textbox', { name: 'Records' });
  await lines.fill('host-a,1.5');
  await page.waitForResponse((r) => r.url().includes('/api/get_stream'));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await expect(lines).toHaveValue('host-a,1.5');
  await lines.fill('');

  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(widths[0], 'page width against the window').toBeLessThanOrEqual(widths[1]);
});
