import { test, expect, failingFaults, gotoHydrated, injectFault, uniqueName } from './fixtures';
import type { Page, Locator, TestInfo } from '@playwright/test';

class Wizard {
  constructor(readonly page: Page, readonly info: TestInfo) {}

  async open(stream: string) {
    await gotoHydrated(this.page, `/streams/${stream}/add-task`);
    await expect(this.stepHeading).toContainText('Step 1 of 5: Destination');
  }

  get stepHeading() {
    return this.page.getByRole('heading', { level: 2, name: /^Step \d of 5/ });
  }

  field(label: string | RegExp) {
    return this.page.getByLabel(label, { exact: typeof label === 'string' });
  }

  async next(expectedStep: string) {
    await this.page.getByRole('button', { name: 'Next' }).click();
    await expect(this.stepHeading).toContainText(expectedStep);
  }

  /** The page fits the viewport: nothing scrolls sideways. */
  async fitsViewport() {
    const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'sideways overflow in px').toBeLessThanOrEqual(0);
  }

  async shot(name: string) {
    await this.fitsViewport();
    const file = this.info.outputPath(`${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    await this.info.attach(name, { path: file, contentType: 'image/png' });
  }

  /** Fills every step with valid values and stops on the review. */
  async fillToReview(opts: { name: string; bucket?: string; prefix?: string }) {
    await this.field('Task name').fill(opts.name);
    await this.next('File type');
    await this.next('Partition');
    await this.field('OBS bucket').fill(opts.bucket ?? 'e2e-bucket');
    if (opts.prefix) await this.field('Directory prefix').fill(opts.prefix);
    await this.next('Timestamp schema');
    await this.next('Review');
  }

  async create() {
    await this.page.getByRole('button', { name: 'Create dump task' }).click();
  }
}

test('a text task is created end to end and DIS lists it', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('text', info);
  await w.open('demo-csv-metrics');
  await expect(page.getByText('data type CSV')).toBeVisible();
  await w.field('Task name').fill(name);
  await w.shot('step-1-destination');
  await w.next('File type');
  await expect(page.getByRole('radio', { name: 'Text' })).toBeChecked();
  await w.field('Record delimiter').selectOption({ label: 'Vertical bar (|)' });
  await w.shot('step-2-file-type');
  await w.next('Partition');
  await w.field('OBS bucket').fill('e2e-text-bucket');
  await w.field('Directory prefix').fill('logs/csv');
  await w.field('Time directories').selectOption({ label: 'yyyy/MM/dd/HH (per hour)' });
  const preview = page.getByRole('region', { name: 'Where files land' });
  await expect(preview).toContainText(/e2e-text-bucket\/logs\/csv\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
  await expect(preview).toContainText('One directory holds one hour of records.');
  await w.shot('step-3-partition');
  await w.next('Timestamp schema');
  await w.shot('step-4-schema');
  await w.next('Review');
  const json = page.getByRole('region', { name: 'The request and how to send it yourself' });
  await expect(json).toContainText(`"task_name": "${name}"`);
  await expect(json).toContainText('"record_delimiter": "|"');
  // The server renders the snippets; their copy buttons still copy.
  await page.getByRole('button', { name: 'Copy curl' }).click();
  await expect(page.getByRole('button', { name: 'Copy curl' })).toHaveText('Copied');
  await w.shot('step-5-review');
  await w.create();

  await expect(page).toHaveURL(new RegExp(`/streams/demo-csv-metrics/tasks/${name}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `Dump task ${name} created` })).toBeVisible();
  await expect(page.getByText('e2e-text-bucket/logs/csv/yyyy/MM/dd/HH/')).toBeVisible();

  await gotoHydrated(page, '/streams/demo-csv-metrics');
  const row = page.getByRole('table', { name: 'Dump tasks' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('RUNNING');
});

test('a parquet task with a timestamp schema is created on a JSON stream', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('pq', info);
  await w.open('demo-json-events');
  await w.field('Task name').fill(name);
  await w.next('File type');
  await page.getByRole('radio', { name: 'Parquet' }).check();
  await expect(w.field('Record delimiter')).toHaveCount(0);
  await w.next('Partition');
  await w.field('OBS bucket').fill('e2e-parquet');
  await w.next('Timestamp schema');
  await page.getByRole('checkbox', { name: "Use each record's own timestamp" }).check();
  await w.field('Timestamp field').fill('ts');
  await page.getByRole('radio', { name: /^Timestamp: 13-digit/ }).check();
  await w.field('Sample record (JSON)').fill('{"ts": 1704164645000, "v": 1}');
  const result = page.locator('#sample-result');
  await expect(result).toContainText('e2e-parquet/2024/01/02');
  await w.field('Sample record (JSON)').fill('{"ts": 1704164645}');
  await expect(result).toContainText('10 digits');
  await expect(result).toContainText('epoch seconds');
  await w.next('Review');
  await expect(page.getByRole('region', { name: 'The request and how to send it yourself' })).toContainText(
    '"timestamp_type": "Timestamp"',
  );
  await w.create();
  await expect(page).toHaveURL(new RegExp(`/tasks/${name}$`));
  await expect(page.getByRole('definition').filter({ hasText: /^parquet$/ })).toBeVisible();
});

test('parquet and carbon are disabled on a BLOB stream, with the reason', async ({ page }, info) => {
  const w = new Wizard(page, info);
  await w.open('demo-blob-logs');
  await w.field('Task name').fill(uniqueName('blob', info));
  await w.next('File type');
  for (const type of ['Parquet', 'CarbonData']) {
    const radio = page.getByRole('radio', { name: type });
    await expect(radio).toBeDisabled();
    await expect(radio).toHaveAccessibleDescription('Needs a JSON stream; this one holds BLOB.');
  }
});

test('every rule shows its message as the operator types and clears when fixed', async ({ page }, info) => {
  const w = new Wizard(page, info);
  await w.open('demo-json-events');

  const escape = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const check = async (label: string, bad: string, expected: string | RegExp, good: string) => {
    const message = typeof expected === 'string' ? escape(expected) : expected;
    const input = w.field(label);
    await input.fill(bad);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(message);
    await input.fill(good);
    await expect(input).toHaveAttribute('aria-invalid', 'false');
    await expect(input).not.toHaveAccessibleDescription(message);
  };

  await check('Task name', 'bad name', /A space is not allowed: use 1 to 64 letters, digits, '-' or '_'\./, 'ok-name');
  await check('Task name', 'x'.repeat(65), /has 65 characters/, 'ok-name');
  await check('IAM agency', 'a'.repeat(65), /at most 64 characters/, 'dis_admin_agency');
  await w.field('Task name').fill(uniqueName('rules', info));
  await w.next('File type');
  await w.next('Partition');
  await check('OBS bucket', 'ab', 'Use 3 to 63 characters (this one has 2).', 'abc');
  await check('OBS bucket', 'My-Bucket', /bucket names are lowercase/, 'my-bucket');
  await check('OBS bucket', 'a..b', "Must not contain '..', '.-' or '-.'.", 'a.b');
  await check('OBS bucket', '192.168.1.1', /shaped like an IP address/, 'b-192');
  await check('OBS bucket', '-abc', 'Must start and end with a lowercase letter or a digit.', 'abc');
  await check('Directory prefix', '/logs', "Must not start with '/'.", 'logs');
  await check('Directory prefix', 'a-b', /'-' is not allowed/, 'a_b');
  await check('Directory prefix', 'a//b', /'\/\/'/, 'a/b');
  await check('Dump interval (seconds)', '29', 'Must be 30 to 900 seconds.', '30');
  await check('Dump interval (seconds)', '901', 'Must be 30 to 900 seconds.', '900');
  await check('Dump interval (seconds)', '5m', 'Enter a whole number: 30 to 900 seconds.', '300');
  await check('Dump size (MB, optional)', '301', 'Must be 1 to 300 MB.', '');
  await w.next('Timestamp schema');
  await page.getByRole('checkbox', { name: "Use each record's own timestamp" }).check();
  await w.field('Timestamp field').fill('ts');
  await check('Timestamp field', ' ', 'Enter the name of the record field that holds its time.', 'event_time');
  // Next on an invalid step focuses the first invalid field.
  await w.field('Timestamp field').fill('');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(w.field('Timestamp field')).toBeFocused();
  await expect(w.stepHeading).toContainText('Timestamp schema');
});

test('the object path preview follows the inputs', async ({ page }, info) => {
  const w = new Wizard(page, info);
  await w.open('demo-json-events');
  await w.field('Task name').fill(uniqueName('preview', info));
  await w.next('File type');
  await w.next('Partition');
  const preview = page.getByRole('region', { name: 'Where files land' });
  await expect(preview).toContainText('UTC');
  // Assumed until a task's files measure it (files.spec.ts may have, in this same console).
  await expect(preview).toContainText(/UTC\+8 \(region time, (assumed|measured from \d+ files)\)/);
  await w.field('OBS bucket').fill('abc');
  await expect(preview).toContainText(/abc\/\d{4}\/\d{2}\/\d{2}\//);
  await w.field('Directory prefix').fill('x/y');
  await expect(preview).toContainText(/abc\/x\/y\/\d{4}\/\d{2}\/\d{2}\//);
  await w.field('Time directories').selectOption({ label: 'yyyy (a directory per year)' });
  await expect(preview.locator('code').first()).toHaveText(/^abc\/x\/y\/\d{4}\/$/);
  await expect(preview).toContainText('One directory holds one year of records.');
  await w.field('Time directories').selectOption({ label: 'No time directories' });
  await expect(preview.locator('code').first()).toHaveText('abc/x/y/');
});

test.describe('DIS refusals', () => {
  // The browser logs every non-2xx answer; these tests expect DIS to refuse.
  test.use({ allowedConsoleErrors: [/status of (422|502|503)/] });

test('a duplicate task name is shown on the name field and nothing typed is lost', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('dup', info);
  await w.open('demo-blob-logs');
  await w.fillToReview({ name, bucket: 'first-bucket' });
  await w.create();
  await expect(page).toHaveURL(new RegExp(`/tasks/${name}$`));

  await w.open('demo-blob-logs');
  await w.fillToReview({ name, bucket: 'second-bucket', prefix: 'kept/prefix' });
  await w.create();
  await expect(w.stepHeading).toContainText('Destination');
  const nameField = w.field('Task name');
  await expect(nameField).toHaveValue(name);
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nameField).toHaveAccessibleDescription(/already exists on the stream.*\(DIS\.4355; request id [0-9a-f-]{36}\)/);
  await w.shot('duplicate-name');
  // Every other field kept its value.
  await nameField.fill(`${name}-2`);
  await expect(nameField).toHaveAttribute('aria-invalid', 'false');
  await w.next('File type');
  await w.next('Partition');
  await expect(w.field('OBS bucket')).toHaveValue('second-bucket');
  await expect(w.field('Directory prefix')).toHaveValue('kept/prefix');
});

test('a DIS.5000 is shown in plain words with code and request id, keeping the draft', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('fault', info);
  await w.open('demo-json-events');
  await w.fillToReview({ name, bucket: 'fault-bucket', prefix: 'fault/prefix' });
  injectFault(`system_error 1 ${name}`);
  await w.create();
  const alert = page.getByRole('alert').filter({ hasText: 'DIS reported an internal error' });
  await expect(alert).toContainText('DIS.5000');
  await expect(alert).toContainText(/request id [0-9a-f-]{36}/);
  await w.shot('dis-5000');
  await expect(w.stepHeading).toContainText('Review');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(w.field('OBS bucket')).toHaveValue('fault-bucket');
  await expect(w.field('Directory prefix')).toHaveValue('fault/prefix');
});

// The other faults DIS can meet on a create; a late answer is in tasks.spec.ts.
for (const [fault, words] of failingFaults) {
  test(`a create that meets ${fault} says so in plain words, creates nothing and keeps the draft`, async ({ page }, info) => {
    const w = new Wizard(page, info);
    const name = uniqueName(fault.split('_')[0], info);
    await w.open('demo-json-events');
    await w.fillToReview({ name, bucket: 'fault-bucket', prefix: 'fault/prefix' });
    injectFault(`${fault} 1 ${name}`);
    await w.create();
    const alert = page.getByRole('alert').filter({ hasText: words });
    await expect(alert).toContainText(/request id [0-9a-f-]{36}/);
    await expect(w.stepHeading).toContainText('Review');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(w.field('OBS bucket')).toHaveValue('fault-bucket');
    await expect(w.field('Directory prefix')).toHaveValue('fault/prefix');
    await gotoHydrated(page, '/streams/demo-json-events');
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });
}

});

test('a reload mid-wizard restores the draft and the step', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('reload', info);
  await w.open('demo-json-events');
  await w.field('Task name').fill(name);
  await w.next('File type');
  await w.next('Partition');
  await w.field('OBS bucket').fill('reload-bucket');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(w.stepHeading).toContainText('Partition');
  await expect(w.field('OBS bucket')).toHaveValue('reload-bucket');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(w.field('Task name')).toHaveValue(name);
});

/** Presses Tab until `target` has focus (a keyboard user's way there). */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with Tab');
}

test('the whole wizard can be completed with the keyboard alone', async ({ page }, info) => {
  const w = new Wizard(page, info);
  const name = uniqueName('kbd', info);
  await w.open('demo-blob-logs');
  await tabTo(page, w.field('Task name'));
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(w.stepHeading).toContainText('File type');
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(w.stepHeading).toContainText('Partition');
  await tabTo(page, w.field('OBS bucket'));
  await page.keyboard.type('keyboard-bucket');
  await page.keyboard.press('Enter');
  await expect(w.stepHeading).toContainText('Timestamp schema');
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(w.stepHeading).toContainText('Review');
  await tabTo(page, page.getByRole('button', { name: 'Create dump task' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tasks/${name}$`));
});

test('the global entry asks for the stream first', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add dump task' }).click();
  await page.getByLabel('Stream').selectOption({ label: 'demo-json-events (JSON)' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/streams\/demo-json-events\/add-task$/);
  await expect(page.getByText('data type JSON')).toBeVisible();
});
