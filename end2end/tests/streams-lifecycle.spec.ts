import { test, expect, gotoHydrated, createTask, uniqueName } from './fixtures';
import type { Page } from '@playwright/test';

const schema = JSON.stringify({
  type: 'record',
  name: 'order',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'ts', type: 'long' },
  ],
});

/** A stream name no other test (or the other viewport's run) uses. */
function streamName(info: Parameters<typeof uniqueName>[1]) {
  return uniqueName('life', info).slice(0, 64);
}

/** Fills the create form for a JSON stream with a schema, checking the live messages. */
async function fillJsonStream(page: Page, name: string) {
  const nameField = page.getByLabel('Stream name', { exact: true });
  await nameField.fill('orders stream');
  await expect(page.getByText("A space is not allowed: use 1 to 64 letters, digits, '-' or '_'.")).toBeVisible();
  await nameField.fill(name);
  await page.getByLabel('JSON', { exact: true }).check();
  await page.getByLabel('Partitions', { exact: true }).fill('2');
  await page.getByLabel('Retention (hours)', { exact: true }).fill('12');
  await expect(page.getByText('Keep records 24 to 72 hours (12 asked).')).toBeVisible();
  await page.getByLabel('Retention (hours)', { exact: true }).fill('48');
  await expect(page.getByText('Keep records 24 to 72 hours')).toHaveCount(0);
  const schemaField = page.getByLabel('Schema (Avro, JSON)', { exact: true });
  await schemaField.fill('{"type": "record"');
  await expect(page.getByText(/The schema is not JSON/)).toBeVisible();
  await schemaField.fill(schema);
  await expect(page.getByText(/The schema is not JSON/)).toHaveCount(0);
  await page.getByLabel('Tags', { exact: true }).fill('team=e2e');
}

// Refusals (the delete while a task exists, the deleted stream's page) answer with an error
// status, which the browser logs.
test.use({ allowedConsoleErrors: [/status of 4\d\d/] });

test('an operator creates a JSON stream with a schema, adds a task, scales, changes and deletes it', async ({ page }, info) => {
  const name = streamName(info);
  await gotoHydrated(page, '/streams');
  await page.getByRole('link', { name: 'Create stream' }).click();
  await expect(page).toHaveURL(/\/new-stream$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Create stream' })).toBeVisible();
  await fillJsonStream(page, name);

  // The review shows the stream, its request and the code that sends it.
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Review' })).toBeVisible();
  const request = page.locator('#snippet-text-request-json');
  await expect(request).toContainText(`"stream_name": "${name}"`);
  await expect(request).toContainText('"data_duration": 48');
  await expect(request).toContainText('"data_schema":');
  await expect(page.locator('#snippet-text-python-sdk')).toContainText('client.create_stream(request)');
  await expect(page.getByRole('button', { name: 'Copy curl' })).toBeVisible();

  await page.getByRole('button', { name: 'Create stream' }).click();
  await expect(page).toHaveURL(new RegExp(`/streams/${name}$`));
  await expect(page.getByRole('status').filter({ hasText: `Stream ${name} created.` })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings).toContainText('48 hours');
  await expect(settings).toContainText('team=e2e');
  await expect(settings).toContainText('"name":"order"');

  // A dump task on the new stream, through the wizard.
  const task = uniqueName('life-task', info).slice(0, 64);
  await createTask(page, name, task, 'life-bucket');

  await gotoHydrated(page, `/streams/${name}`);
  const manage = page.getByRole('region', { name: 'Manage the stream' });
  // Scale from 2 to 3: the history lists it.
  const scaleTo = manage.getByLabel('Partitions after scaling', { exact: true });
  const scale = manage.getByRole('button', { name: 'Scale', exact: true });
  await expect(scale, 'offered once a count is typed').toBeDisabled();
  await scaleTo.fill('2');
  await expect(manage.getByText('The stream has 2 partitions already.')).toBeVisible();
  await scaleTo.fill('3');
  await scale.click();
  await expect(page.getByRole('status').filter({ hasText: `Stream ${name} scaled to 3 partitions.` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Scaling history' })).toContainText('2 → 3');
  await expect(manage).toContainText('The stream has 3 partitions.');

  // Change the retention; what was typed survives the page's refresh.
  const save = manage.getByRole('button', { name: 'Save settings' });
  await expect(save).toBeDisabled();
  const retention = manage.getByLabel('Retention (hours)', { exact: true });
  await retention.fill('72');
  await expect(save).toBeEnabled();
  // The page reads the stream again every 5 s and renders it anew; the edit stays.
  await page.waitForResponse((r) => r.url().includes('/api/get_stream'));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await expect(page.getByRole('table', { name: 'Scaling history' })).toBeVisible();
  await expect(retention).toHaveValue('72');
  await expect(retention, 'the refresh leaves the form, and the focus, alone').toBeFocused();
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: `Settings of ${name} saved.` })).toBeVisible();
  await expect(settings).toContainText('72 hours');
  await expect(save).toBeDisabled();

  // Delete: the typed name, then refused while the task exists, until its box is ticked.
  const remove = manage.getByRole('button', { name: 'Delete stream' });
  await expect(remove).toBeDisabled();
  await manage.getByLabel("Type the stream's name to confirm", { exact: true }).fill(name);
  await remove.click();
  await expect(page.getByRole('alert').filter({ hasText: 'dump task' })).toBeVisible();
  await manage.getByLabel('Also delete its 1 dump task(s)').check();
  await remove.click();
  await expect(page).toHaveURL(/\/streams$/);
  await expect(page.getByRole('status').filter({ hasText: `Stream ${name} deleted.` })).toBeVisible();
  await gotoHydrated(page, `/streams/${name}`);
  await expect(page.getByRole('alert').filter({ hasText: 'The stream does not exist' }).first()).toBeVisible();

  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(widths[0], 'page width against the window').toBeLessThanOrEqual(widths[1]);
});

test.describe('a refused create', () => {
  test('keeps every field and puts the refusal under the name', async ({ page }) => {
    await gotoHydrated(page, '/new-stream');
    await fillJsonStream(page, 'demo-json-events');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create stream' }).click();
    const nameField = page.getByLabel('Stream name', { exact: true });
    await expect(nameField).toBeFocused();
    await expect(page.getByText(/DIS\.4307; request id/)).toBeVisible();
    await expect(nameField).toHaveValue('demo-json-events');
    await expect(page.getByLabel('JSON', { exact: true })).toBeChecked();
    await expect(page.getByLabel('Retention (hours)', { exact: true })).toHaveValue('48');
    await expect(page.getByLabel('Schema (Avro, JSON)', { exact: true })).toHaveValue(schema);
  });
});
