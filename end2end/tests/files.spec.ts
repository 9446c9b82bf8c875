import { test, expect, createTask, expectAccessible, gotoHydrated, injectFault, uniqueName } from './fixtures';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../playwright.config';

// demo-orders holds this test's task while it runs (see the budget in tasks.spec.ts); the test
// deletes it at the end.
const stream = 'demo-orders';

/** Sends two records carrying `marker` from the stream page. */
async function send(page: Page, marker: string) {
  await gotoHydrated(page, `/streams/${stream}`);
  const records = page.getByRole('region', { name: 'Send test records' });
  await records.getByLabel('Records').fill(`{"id": 1, "what": "${marker}"}\n{"id": 2, "what": "${marker}"}`);
  await records.getByRole('button', { name: 'Send records' }).click();
  await expect(records).toContainText('DIS accepted 2 record(s).');
}

/** The task's files in the embedded OBS, at any depth under its bucket. */
function dumped(bucket: string): string[] {
  const root = path.join(dataDir, 'dis', 'obs', bucket);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.txt'));
}

test("a task's files appear after each dump, show their first lines and measure DIS's clock", async ({ page }, info) => {
  // Three dumps of at least 30 seconds each: a clock is measured from three files or more.
  test.setTimeout(240_000);
  const name = uniqueName('files', info);
  const bucket = `files-${info.project.name}-${Date.now().toString(36)}`.toLowerCase();
  await createTask(page, stream, name, bucket, 30, undefined, 'yyyy/MM/dd/HH/mm (per minute)');
  const taskUrl = `/streams/${stream}/tasks/${name}`;
  const files = page.getByRole('region', { name: 'Files', exact: true });
  await expect(files).toContainText('No files in the last day');

  for (let dump = 1; dump <= 3; dump++) {
    await send(page, `${name} dump ${dump}`);
    await expect.poll(() => dumped(bucket).length, { timeout: 75_000 }).toBe(dump);
  }

  // One read of a task's files serves every page for 15 seconds: Refresh until the third shows.
  await gotoHydrated(page, taskUrl);
  const table = files.getByRole('region', { name: 'Files, newest first' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table.getByRole('row')).toHaveCount(4, { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  // Newest first, in region time and UTC.
  await expect(table.getByRole('columnheader', { name: 'Last modified (UTC+8)' })).toBeVisible();
  const newest = (await table.getByRole('row').nth(1).locator('code').first().textContent())!;
  expect(newest).toMatch(new RegExp(`^cloned/prefix/\\d{4}/\\d{2}/\\d{2}/\\d{2}/\\d{2}/${name}_`));
  // "Last dump went to" names the newest file's directory.
  const landed = (await page.locator('dt:text-is("Last dump went to") + dd code').textContent())!;
  expect(`${bucket}/${newest}`.startsWith(landed)).toBe(true);
  await expect(files).toContainText('DIS wrote 3 of 3 recent files in UTC+8 directories.');
  await expect(files).toContainText('UTC+8 (region time, measured from 3 files)');
  await expect(files.getByRole('region', { name: 'Last 24 hours by directory' })).toBeVisible();

  // The day directories holding the files are offered; one shows its own files.
  const days = files.getByRole('navigation', { name: 'Days' });
  await days.getByRole('button').nth(1).click();
  await expect(days.getByRole('button').nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(files).toContainText(/\d files \(.+\) in cloned\/prefix\/\d{4}\/\d{2}\/\d{2}\/\./);
  await days.getByRole('button', { name: 'Last 24 hours' }).click();
  await expect(files).toContainText('in the last 24 hours');

  // The newest file's first lines are the last records sent.
  await table.getByRole('button', { name: /^Show first lines of / }).first().click();
  const lines = page.getByRole('region', { name: /^First lines of cloned\/prefix\// });
  await expect(lines).toContainText(`"what": "${name} dump 3"`);
  await expect(lines).toContainText('The whole file');
  await expectAccessible(page, 'the task page with its files and first lines');
  await page.getByRole('button', { name: 'Hide first lines' }).click();
  await expect(lines).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: 'Files' })).toBeFocused();

  // The wizard's preview now reads DIS's clock as measured.
  await gotoHydrated(page, `/streams/${stream}/add-task`);
  const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  await page.getByLabel('Task name', { exact: true }).fill(`${name}-next`);
  for (const step of ['File type', 'Partition']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  const preview = page.getByRole('region', { name: 'Where files land' });
  await expect(preview).toContainText(/UTC\+8 \(region time, measured from \d+ files\)/);
  await expect(preview).toContainText("DIS's clock is UTC+8, measured from the directories and times of");

  // The stream page counts the last hour's files per task.
  await gotoHydrated(page, `/streams/${stream}`);
  const hour = page.getByRole('region', { name: 'Files written in the last hour' });
  await expect(hour.getByRole('row', { name: new RegExp(`^${name} 3 `) })).toBeVisible();

  // A bucket the console's key cannot read says so, with what to grant.
  injectFault(`deny_read 1 ${bucket}`);
  await gotoHydrated(page, taskUrl);
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(files.getByRole('alert')).toContainText(
      `The console's key cannot read bucket ${bucket} (AccessDenied; request id `, { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await expect(files.getByRole('alert')).toContainText('obs:object:GetObject');

  // The task leaves the stream's budget as it found it.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByLabel(`Type ${name} to delete this task`).fill(name);
  await page.getByRole('button', { name: 'Delete dump task' }).click();
  await expect(page).toHaveURL(new RegExp(`/streams/${stream}$`));
});
