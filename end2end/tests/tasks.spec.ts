import { test, expect, gotoHydrated } from './fixtures';
import type { Page, TestInfo } from '@playwright/test';

function uniqueName(prefix: string, info: TestInfo) {
  return `${prefix}-${info.project.name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Creates a text task through the wizard and lands on its page. */
async function createTask(page: Page, stream: string, name: string, bucket: string) {
  await gotoHydrated(page, `/streams/${stream}/add-task`);
  const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  await page.getByLabel('Task name', { exact: true }).fill(name);
  for (const step of ['File type', 'Partition']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  await page.getByLabel('OBS bucket', { exact: true }).fill(bucket);
  await page.getByLabel('Directory prefix', { exact: true }).fill('cloned/prefix');
  for (const step of ['Timestamp schema', 'Review']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading).toContainText(step);
  }
  await page.getByRole('button', { name: 'Create dump task' }).click();
  await expect(page).toHaveURL(new RegExp(`/streams/${stream}/tasks/${name}$`));
}

// Each demo stream takes at most five tasks, and both viewports run at once: the tests spread
// their tasks so no stream ever holds more than four.
test.describe('a task page', () => {
  // The wrong delete confirmation is refused with a 400, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test('pauses and starts a task, clones it into the wizard and deletes it after typing its name', async ({ page }, info) => {
    const name = uniqueName('life', info);
    await createTask(page, 'demo-csv-metrics', name, 'life-bucket');
    const badge = page.locator('.page-head .badge');
    await expect(badge).toHaveText('RUNNING');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(badge).toHaveText('PAUSED');
    await expect(page.getByRole('status').filter({ hasText: `Dump task ${name} paused.` })).toBeVisible();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(badge).toHaveText('RUNNING');

    // The export shows the task as DIS reports it.
    await expect(page.getByRole('region', { name: 'Export' })).toContainText(`"task_name": "${name}"`);

    await page.getByRole('link', { name: 'Clone' }).click();
    await expect(page).toHaveURL(new RegExp(`/add-task\\?clone=${name}$`));
    await expect(page.getByText(`a copy of ${name}`)).toBeVisible();
    await expect(page.getByLabel('Task name', { exact: true })).toHaveValue('');
    await page.getByLabel('Task name', { exact: true }).fill(`${name}-copy`);
    const heading = page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
    for (const step of ['File type', 'Partition']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(heading).toContainText(step);
    }
    await expect(page.getByLabel('OBS bucket', { exact: true })).toHaveValue('life-bucket');
    await expect(page.getByLabel('Directory prefix', { exact: true })).toHaveValue('cloned/prefix');

    await gotoHydrated(page, `/streams/demo-csv-metrics/tasks/${name}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByLabel(`Type ${name} to delete this task`);
    await confirm.fill('wrong-name');
    await page.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(page.getByRole('alert')).toContainText(`Type the task name, ${name}, to confirm`);
    await confirm.fill(name);
    await page.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(page).toHaveURL(/\/streams\/demo-csv-metrics$/);
    await expect(page.getByRole('status').filter({ hasText: `Dump task ${name} deleted.` })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });
});

test('tasks are paused and started together from the stream page, and test records are sent', async ({ page }, info) => {
  const first = uniqueName('batch-a', info);
  await createTask(page, 'demo-json-events', first, 'batch-bucket');
  await gotoHydrated(page, '/streams/demo-json-events');
  const row = page.getByRole('row').filter({ hasText: first });
  await expect(row).toContainText('RUNNING');
  await page.getByRole('checkbox', { name: `Select ${first}` }).check();
  await page.getByRole('button', { name: 'Pause selected' }).click();
  await expect(row).toContainText('PAUSED');
  await expect(page.getByRole('checkbox', { name: `Select ${first}` })).not.toBeChecked();
  await page.getByRole('checkbox', { name: `Select ${first}` }).check();
  await page.getByRole('button', { name: 'Start selected' }).click();
  await expect(row).toContainText('RUNNING');

  const records = page.getByRole('region', { name: 'Send test records' });
  await records.getByRole('button', { name: 'Send records' }).click();
  await expect(records).toContainText('DIS accepted 5 record(s).');
  await records.getByLabel('Records').fill('one\ntwo\nthree');
  await records.getByRole('button', { name: 'Send records' }).click();
  await expect(records).toContainText('DIS accepted 3 record(s).');
});
