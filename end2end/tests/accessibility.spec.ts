import { test, expect, anonymousPage, createTask, expectAccessible, gotoHydrated, uniqueName } from './fixtures';
import type { Page } from '@playwright/test';

// Every page an operator visits, and each state of a page that shows something new (a step of
// the wizard, an error, a dialog), checked with axe against WCAG 2.0 and 2.1 A and AA at the
// project's width. Any violation fails the test.

/** Presses Next and waits for `step`. */
async function next(page: Page, step: string) {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Step \d of 5/ })).toContainText(step);
}

test.describe('the login page', () => {
  // The refused login answers 401, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test('with and without its error', async ({ browser }) => {
    const page = await anonymousPage(browser);
    await gotoHydrated(page, '/login');
    await expectAccessible(page, 'the login page');
    await page.getByLabel('Name', { exact: true }).fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, 'the login page with its error');
    await page.context().close();
  });
});

test('the check fails on a violation put in on purpose', async ({ browser }) => {
  const page = await anonymousPage(browser);
  await gotoHydrated(page, '/login');
  // A text field with no label.
  await page.evaluate(() => document.querySelector('main')!.append(document.createElement('input')));
  const failure = await expectAccessible(page, 'the login page with an unlabelled field').then(
    () => 'no failure',
    (e: Error) => e.message,
  );
  expect(failure).toContain('label (critical)');
  await page.context().close();
});

test.describe('the pages', () => {
  // The page that does not exist answers 404, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('the overview, streams, a stream, the audit log, the operators and a missing page', async ({ page }) => {
    for (const [path, ready] of [
      ['/', page.locator('.server-part')],
      ['/streams', page.getByRole('table', { name: 'Streams' })],
      ['/streams/demo-json-events', page.getByRole('region', { name: 'Traffic', exact: true }).locator('svg')],
      ['/audit', page.getByRole('table').or(page.getByText('No audit lines match.'))],
      ['/operators', page.getByRole('table', { name: 'Operators' })],
      ['/no-such-page', page.getByRole('heading', { level: 1 })],
    ] as const) {
      await gotoHydrated(page, path);
      await expect(ready.first()).toBeVisible();
      await expectAccessible(page, path);
    }
    // The stream's traffic as a table.
    await gotoHydrated(page, '/streams/demo-json-events');
    const asTable = page.getByRole('button', { name: 'Show as table' }).first();
    await asTable.click();
    await expect(asTable).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('region', { name: /^Traffic as a table/ }).first()).toBeVisible();
    await expectAccessible(page, 'the stream traffic as a table');
  });
});

test.describe('the wizard, a task page and a modify', () => {
  // The refused delete answers 400, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test('every step, its errors, the task page, the delete dialog and the modify review', async ({ page }, info) => {
    // Ten axe scans of full pages, a task created and deleted: about 25 s on a quiet machine,
    // so the default 30 s left no room for a busy one.
    test.setTimeout(90_000);
    await gotoHydrated(page, '/streams/demo-json-events/add-task');
    await expectAccessible(page, 'wizard step 1');
    // A step with its errors shown.
    await page.getByLabel('Task name', { exact: true }).fill('bad name');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Task name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'wizard step 1 with an error');
    await page.getByLabel('Task name', { exact: true }).fill(uniqueName('a11y-wizard', info));
    await next(page, 'File type');
    await expectAccessible(page, 'wizard step 2');
    await next(page, 'Partition');
    await page.getByLabel('OBS bucket', { exact: true }).fill('a11y-bucket');
    await expectAccessible(page, 'wizard step 3 with its preview');
    await next(page, 'Timestamp schema');
    await page.getByRole('checkbox', { name: "Use each record's own timestamp" }).check();
    await page.getByLabel('Timestamp field', { exact: true }).fill('ts');
    await page.getByLabel('Sample record (JSON)').fill('{"ts": "2026-12-01 08:00:00"}');
    await expect(page.locator('#sample-result')).toContainText('lands in');
    await expectAccessible(page, 'wizard step 4 with a sample');
    await next(page, 'Review');
    await expect(page.getByRole('region', { name: 'The request and how to send it yourself' }).locator('pre').first()).toBeVisible();
    await expectAccessible(page, 'wizard step 5, the review');

    // A task page, its delete dialog, and a modify's review. The task leaves demo-csv-metrics
    // as it found it (see the budget in tasks.spec.ts).
    const name = uniqueName('a11y', info);
    await createTask(page, 'demo-csv-metrics', name, 'a11y-bucket');
    await expect(page.getByRole('table', { name: 'Partitions' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Stream traffic' }).locator('svg').first()).toBeVisible();
    await expectAccessible(page, 'a task page');

    await page.getByRole('link', { name: 'Modify' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Modify dump task' })).toBeVisible();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expectAccessible(page, 'a modify, step 1');
    await next(page, 'File type');
    await next(page, 'Partition');
    await page.getByLabel('Directory prefix', { exact: true }).fill('a11y/changed');
    await next(page, 'Timestamp schema');
    await next(page, 'Review');
    await expect(page.getByRole('region', { name: 'What changes' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'The request and how to send it yourself' }).locator('pre').first()).toBeVisible();
    await expectAccessible(page, 'a modify, the review');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await expect(page).toHaveURL(new RegExp(`/tasks/${name}$`));
    const remove = page.getByRole('button', { name: 'Delete', exact: true });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: `Delete ${name}` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel(`Type ${name} to delete this task`)).toBeFocused();
    await expectAccessible(page, 'the delete dialog');
    // Focus stays in the dialog, and Escape closes it and gives focus back.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      await expect(dialog.locator(':focus')).toHaveCount(1);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(remove).toBeFocused();
    // A wrong name is refused inside the dialog.
    await remove.click();
    await dialog.getByLabel(`Type ${name} to delete this task`).fill('wrong');
    await dialog.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`Type the task name, ${name}, to confirm`);
    await expectAccessible(page, 'the delete dialog with its error');
    await dialog.getByLabel(`Type ${name} to delete this task`).fill(name);
    await dialog.getByRole('button', { name: 'Delete dump task' }).click();
    await expect(page).toHaveURL(/\/streams\/demo-csv-metrics$/);
  });
});
