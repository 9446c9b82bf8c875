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

test('a task is paused and started from its page, and cloned into the wizard', async ({ page }, info) => {
  const name = uniqueName('life', info);
  await createTask(page, 'demo-json-events', name, 'life-bucket');
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
});

test.describe('deleting', () => {
  // The wrong confirmation is refused with a 400, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 400/] });

test('deleting asks for the task name and then removes the task from DIS', async ({ page }, info) => {
  const name = uniqueName('del', info);
  await createTask(page, 'demo-csv-metrics', name, 'del-bucket');
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
