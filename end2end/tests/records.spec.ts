import { test, expect, gotoHydrated, uniqueName } from './fixtures';
import { recordMarker } from '../playwright.config';

// Reads demo-json-events' recent records and creates no task (see the stream budget in
// tasks.spec.ts). Other tests put records into the stream too, so the assertions look at this
// test's own records by their marker, and at the suggestion, which the stream's records with
// `ts` in epoch milliseconds (most of them, this test's included) make.
const stream = 'demo-json-events';

test('the preview reads the stream: directories, a seconds timestamp, a discard and a suggestion', async ({ page }, info) => {
  const marker = `${recordMarker}-${uniqueName('preview', info)}`;
  const now = Date.now();
  const lines = [
    ...[1, 2, 3, 4].map((n) => JSON.stringify({ ts: now + n, what: `${marker} good ${n}` })),
    JSON.stringify({ ts: Math.floor(now / 1000), what: `${marker} seconds` }),
    JSON.stringify({ what: `${marker} missing` }),
  ];
  await gotoHydrated(page, `/streams/${stream}`);
  const send = page.getByRole('region', { name: 'Send test records' });
  await send.getByLabel('Records').fill(lines.join('\n'));
  await send.getByRole('button', { name: 'Send records' }).click();
  await expect(send).toContainText('DIS accepted 6 record(s).');

  await gotoHydrated(page, `/streams/${stream}/add-task`);
  const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  await page.getByLabel('Task name', { exact: true }).fill(uniqueName('preview', info));
  for (const step of ['File type', 'Partition']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  await page.getByLabel('OBS bucket', { exact: true }).fill('preview-bucket');
  await page.getByLabel('Time directories', { exact: true }).selectOption({ label: 'yyyy/MM/dd (per day)' });

  // On the partition step, records land by their arrival: all of this test's in today's
  // directory on DIS's clock.
  const panel = page.getByRole('region', { name: 'Preview with recent records' });
  await panel.getByRole('button', { name: 'Read the last 15 minutes' }).click();
  await expect(panel).toContainText(/Read \d+ records from 2 partitions \(shardId-0000000000: \d+, shardId-0000000001: \d+\), which arrived from 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d to [-\d: ]+ \(UTC[^)]*\); asked for: the last 15 minutes\./);
  const row = (what: string) => panel.getByRole('row').filter({ hasText: `${marker} ${what}` });
  await expect(row('missing')).toContainText(/preview-bucket\/20\d\d\/\d\d\/\d\d\//);
  await expect(row('seconds')).toContainText(/preview-bucket\/20\d\d\//);

  // The schema step shows the same read, and offers `ts`; choosing it fills the step.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading).toContainText('Timestamp schema');
  await expect(panel).toContainText(/Read \d+ records/);
  await panel.getByRole('button', { name: /^Use `ts`: epoch ms, \d+ of \d+ readable$/ }).click();
  await expect(page.getByLabel("Use each record's own timestamp")).toBeChecked();
  await expect(page.getByLabel('Timestamp field', { exact: true })).toHaveValue('ts');
  await expect(page.getByRole('radio', { name: /^Timestamp: 13-digit epoch milliseconds/ })).toBeChecked();

  // Under the schema, the seconds one lands in 1970 and is flagged with its year; the one
  // without `ts` is counted as a discard, with its reason.
  await expect(row('seconds')).toContainText('/1970/01/');
  await expect(row('seconds')).toContainText('a 10-digit Timestamp lands in 1970: epoch seconds, not milliseconds?');
  await expect(row('missing')).toContainText('discarded');
  await expect(row('missing')).toContainText('no field "ts"');
  await expect(row('good 1')).toContainText(/preview-bucket\/20\d\d\/\d\d\/\d\d\//);
  await expect(panel.getByRole('row').filter({ hasText: 'Discarded: no field "ts"' })).toBeVisible();
  await expect(panel.getByRole('img', { name: 'Records by their own time minus their arrival' })).toBeVisible();
  await expect(panel.getByRole('table', { name: 'Their own time minus their arrival' })).toContainText('over 1 day before');

  // The field typed by hand is followed too: a field no record has discards every record.
  await page.getByLabel('Timestamp field', { exact: true }).fill('nothing_here');
  await expect(row('good 1')).toContainText('no field "nothing_here"');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'sideways overflow in px').toBeLessThanOrEqual(0);
});
