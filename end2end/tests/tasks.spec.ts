import { test, expect, createTask, failingFaults, gotoHydrated, injectFault, uniqueName } from './fixtures';
import { disTimeoutSeconds } from '../playwright.config';

// Each demo stream takes at most five tasks, and both viewports run at once: the tests spread
// their tasks so no stream ever holds more than four (demo-json-events: parquet and batch;
// demo-csv-metrics: text, and life, late, modify (modify.spec.ts) and a11y
// (accessibility.spec.ts), which delete theirs;
// demo-blob-logs: duplicate and keyboard; demo-orders: refused, files (files.spec.ts), which
// deletes its own, and stalled (overview.spec.ts, at 1280 px only), which deletes its own).
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
  const row = page.getByRole('table', { name: 'Dump tasks' }).getByRole('row').filter({ hasText: first });
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

test.describe('a DIS error on an action', () => {
  test.use({ allowedConsoleErrors: [/status of 502/] });

  test('is shown in plain words with its code and request id, and the task is left as it was', async ({ page }, info) => {
    const name = uniqueName('refused', info);
    await createTask(page, 'demo-orders', name, 'refused-bucket');
    const badge = page.locator('.page-head .badge');
    await expect(badge).toHaveText('RUNNING');
    // DIS is asked to start or pause tasks by id: the fault is scoped to this task's id.
    const id = (await page.locator('dt:text-is("Task ID") + dd').textContent())?.trim();
    expect(id).toBeTruthy();
    injectFault(`system_error 1 ${id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('DIS reported an internal error');
    await expect(alert).toContainText(/DIS\.5000; request id \S+/);
    await expect(badge).toHaveText('RUNNING');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();

    // The next try goes through.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(badge).toHaveText('PAUSED');
    await expect(alert).toHaveCount(0);
  });
});

test.describe('DIS faults', () => {
  test.use({ allowedConsoleErrors: [/status of (422|503)/] });

  test('a late create is confirmed, and every fault on Pause is shown in plain words', async ({ page }, info) => {
    const late = `latency_ms ${(disTimeoutSeconds + 1.5) * 1000}`;
    const name = uniqueName('late', info);
    // DIS makes the task but answers after the console stopped waiting; the console asks DIS
    // whether the task exists before it says anything, and reports it created, once.
    await createTask(page, 'demo-csv-metrics', name, 'late-bucket', undefined, () =>
      injectFault(`${late} ${name}`),
    );
    await expect(page.getByRole('status').filter({ hasText: 'DIS answered late, then confirmed it' })).toBeVisible();
    const badge = page.locator('.page-head .badge');
    await expect(badge).toHaveText('RUNNING');

    const id = (await page.locator('dt:text-is("Task ID") + dd').textContent())?.trim();
    expect(id).toBeTruthy();
    for (const [fault, words] of failingFaults) {
      injectFault(`${fault} 1 ${id}`);
      await page.getByRole('button', { name: 'Pause' }).click();
      const alert = page.getByRole('alert').filter({ hasText: words });
      await expect(alert).toContainText(/request id \S+/);
      await expect(badge).toHaveText('RUNNING');
      await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
    }

    // A late answer to the pause: it happened, and the message says to look before retrying.
    injectFault(`${late} ${id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'refresh to see before trying again' })).toBeVisible();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(badge).toHaveText('PAUSED');

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByLabel(`Type ${name} to delete this task`).fill(name);
    await page.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(page).toHaveURL(/\/streams\/demo-csv-metrics$/);
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });
});
