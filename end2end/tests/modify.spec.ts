import { test, expect, anonymousPage, createTask, gotoHydrated, logIn, uniqueName } from './fixtures';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../playwright.config';

// demo-csv-metrics holds this test's task while it runs (see the budget in tasks.spec.ts); the
// test deletes it at the end.
const stream = 'demo-csv-metrics';

/** Sends `lines` to the stream from its page. */
async function send(page: Page, lines: string[]) {
  await gotoHydrated(page, `/streams/${stream}`);
  const records = page.getByRole('region', { name: 'Send test records' });
  await records.getByLabel('Records').fill(lines.join('\n'));
  await records.getByRole('button', { name: 'Send records' }).click();
  await expect(records).toContainText(`DIS accepted ${lines.length} record(s).`);
}

/** The contents of the task's files under `dir` in the embedded OBS, at any depth. */
function dumped(dir: string, task: string): string[] {
  const root = path.join(dataDir, 'dis', 'obs', ...dir.split('/'));
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => path.basename(f).startsWith(`${task}_`))
    .map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
}

/** The partitions' "Dumped up to" offsets on the task page. */
async function offsets(page: Page) {
  const rows = page.getByRole('table', { name: 'Partitions' }).getByRole('row');
  await expect(rows).not.toHaveCount(0);
  return rows.evaluateAll((trs) => trs.slice(1).map((tr) => tr.children[3]?.textContent?.trim()));
}

/** Steps from the wizard's current step to `step`, pressing Next. */
async function nextTo(page: Page, ...steps: string[]) {
  const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  for (const step of steps) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
}

test.describe('modifying a task', () => {
  // A conflict answers 409 and a viewer's refused call 403; the browser logs both.
  test.use({ allowedConsoleErrors: [/status of (403|409)/] });

  test('changes the prefix and interval of a running task in place, and asks before overwriting', async ({ page, browser }, info) => {
    // Two dumps of at least 30 seconds each: one before the modify, one after.
    test.setTimeout(180_000);
    const name = uniqueName('modify', info);
    await createTask(page, stream, name, 'modify-bucket', 30);
    const taskUrl = `/streams/${stream}/tasks/${name}`;
    await send(page, [`before ${name} 1`, `before ${name} 2`]);
    await expect.poll(() => dumped('modify-bucket/cloned/prefix', name).join(''), { timeout: 75_000 })
      .toContain(`before ${name} 2`);
    await gotoHydrated(page, taskUrl);
    const before = await offsets(page);
    expect(before.length).toBeGreaterThan(0);

    // Nothing changed yet: Save is disabled and says why.
    await page.getByRole('link', { name: 'Modify' }).click();
    await expect(page).toHaveURL(new RegExp(`${taskUrl}/modify$`));
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByRole('heading', { level: 1, name: 'Modify dump task' })).toBeVisible();
    await expect(page.getByText(`modifying ${name}`)).toBeVisible();
    // The name and start position are shown, not editable.
    await expect(page.getByLabel('Task name', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('definition').filter({ hasText: name })).toBeVisible();
    await nextTo(page, 'File type', 'Partition', 'Timestamp schema', 'Review');
    const save = page.getByRole('button', { name: 'Save changes' });
    await expect(save).toBeDisabled();
    await expect(save).toHaveAccessibleDescription(/Nothing to save/);

    // A bad interval is refused on its field, and the rest is kept, through a reload too.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    const prefix = page.getByLabel('Directory prefix', { exact: true });
    const interval = page.getByLabel('Dump interval (seconds)', { exact: true });
    await expect(prefix).toHaveValue('cloned/prefix');
    await prefix.fill('modified/prefix');
    await interval.fill('10');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(interval).toHaveAccessibleDescription(/Must be 30 to 900 seconds\.$/);
    await expect(page.getByRole('heading', { level: 2, name: /Partition/ })).toBeVisible();
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(prefix).toHaveValue('modified/prefix');
    await expect(interval).toHaveValue('10');
    await interval.fill('35');
    // The preview with the stream's own records follows the modified settings; this CSV
    // stream's records show as the text file holds them.
    const preview = page.getByRole('region', { name: 'Preview with recent records' });
    await preview.getByRole('button', { name: 'Read the last 15 minutes' }).click();
    await expect(preview.getByRole('table', { name: 'Where the records land' })).toContainText('modify-bucket/modified/prefix/');
    await expect(preview).toContainText(`before ${name} 1\nbefore ${name} 2`);
    await nextTo(page, 'Timestamp schema', 'Review');

    // The review lists what changes and the PUT that changes it.
    const changes = page.getByRole('region', { name: 'What changes' });
    await expect(changes.getByRole('listitem')).toHaveText([
      'Directory prefix: cloned/prefix → modified/prefix',
      'Dump interval: 30 seconds → 35 seconds',
    ]);
    await expect(page.getByRole('region', { name: 'The request and how to send it yourself' }))
      .toContainText(`curl -sS -X PUT`);
    await save.click();
    await expect(page).toHaveURL(new RegExp(`${taskUrl}$`));
    await expect(page.getByRole('status').filter({ hasText: `Dump task ${name} modified: Directory prefix, Dump interval.` }))
      .toBeVisible();
    await expect(page.locator('dt:text-is("Writes to") + dd')).toHaveText(/^modify-bucket\/modified\/prefix\//);
    await expect(page.locator('dt:text-is("Dump interval") + dd')).toHaveText('35 seconds');
    // The task kept its place in the stream.
    expect(await offsets(page)).toEqual(before);

    // The next records land under the new prefix.
    await send(page, [`after ${name}`]);
    await expect.poll(() => dumped('modify-bucket/modified/prefix', name).join(''), { timeout: 75_000 })
      .toContain(`after ${name}`);
    expect(dumped('modify-bucket/cloned/prefix', name).join('')).not.toContain(`after ${name}`);

    // Someone else changes the interval while this form is open: saving asks first.
    await gotoHydrated(page, `${taskUrl}/modify`);
    await nextTo(page, 'File type', 'Partition');
    await prefix.fill('third/prefix');
    const other = await page.context().newPage();
    await gotoHydrated(other, `${taskUrl}/modify`);
    await nextTo(other, 'File type', 'Partition');
    await other.getByLabel('Dump interval (seconds)', { exact: true }).fill('50');
    await nextTo(other, 'Timestamp schema', 'Review');
    await other.getByRole('button', { name: 'Save changes' }).click();
    await expect(other).toHaveURL(new RegExp(`${taskUrl}$`));
    await other.close();

    await nextTo(page, 'Timestamp schema', 'Review');
    await save.click();
    await expect(page.getByRole('alert')).toContainText(
      `Someone changed ${name} since this form was opened: Dump interval is now 50 seconds (was 35 seconds).`,
    );
    // The list now says what saving would do to their settings.
    await expect(changes.getByRole('listitem')).toHaveText([
      'Directory prefix: modified/prefix → third/prefix',
      'Dump interval: 50 seconds → 35 seconds',
    ]);
    await save.click();
    await expect(page).toHaveURL(new RegExp(`${taskUrl}$`));
    await expect(page.locator('dt:text-is("Writes to") + dd')).toHaveText(/^modify-bucket\/third\/prefix\//);

    // A viewer sees no Modify, and the form itself says they cannot.
    const viewerName = uniqueName('mviewer', info).toLowerCase().slice(0, 32);
    await gotoHydrated(page, '/operators');
    await page.getByLabel('Name', { exact: true }).fill(viewerName);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByLabel('Password', { exact: true }).fill('viewer password 1234');
    await page.getByRole('button', { name: 'Add operator' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${viewerName}: added.` })).toBeVisible();
    const viewer = await anonymousPage(browser);
    await logIn(viewer, viewerName, 'viewer password 1234');
    await expect(viewer).toHaveURL(/^http:\/\/[^/]+\/$/);
    await gotoHydrated(viewer, taskUrl);
    await expect(viewer.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(viewer.getByRole('link', { name: 'Modify' })).toHaveCount(0);
    await gotoHydrated(viewer, `${taskUrl}/modify`);
    await expect(viewer.getByRole('alert')).toContainText('Your role, viewer, cannot change dump tasks');
    await viewer.context().close();

    // The task leaves the stream's budget as it found it.
    await gotoHydrated(page, taskUrl);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByLabel(`Type ${name} to delete this task`).fill(name);
    await page.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(page).toHaveURL(new RegExp(`/streams/${stream}$`));
  });
});
