import { test, expect, anonymousPage, gotoHydrated, logIn, uniqueName } from './fixtures';

test.describe('logging in', () => {
  // A refused login and a refused page answer 401 and 403, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of (401|403)/] });

  test('a wrong password gets one plain message and keeps the name typed', async ({ browser }) => {
    const page = await anonymousPage(browser);
    await logIn(page, 'admin', 'not the password');
    await expect(page.getByRole('alert')).toHaveText('That name and password do not match an enabled operator.');
    await expect(page.getByLabel('Name')).toHaveValue('admin');
    await expect(page).toHaveURL(/\/login$/);
    await page.context().close();
  });

  test('an admin adds a viewer, who sees no changes offered and is refused the audit log', async ({ page, browser }, info) => {
    const name = uniqueName('viewer', info).toLowerCase().slice(0, 32);
    const password = 'viewer password 1234';
    await gotoHydrated(page, '/operators');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Add operator' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${name}: added.` })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('enabled');
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('never');

    const viewer = await anonymousPage(browser);
    await logIn(viewer, name, password);
    await expect(viewer).toHaveURL(/^http:\/\/[^/]+\/$/);
    await expect(viewer.getByText(`${name} (viewer)`)).toBeVisible();
    // The Operators page shows when they last logged in.
    await gotoHydrated(page, '/operators');
    const viewerRow = page.getByRole('row').filter({ hasText: name });
    await expect(viewerRow).toContainText('just now');
    await expect(viewerRow).not.toContainText('never');
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Streams' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Add dump task' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await gotoHydrated(viewer, '/streams/demo-json-events');
    await expect(viewer.getByRole('heading', { level: 1, name: 'demo-json-events' })).toBeVisible();
    await expect(viewer.getByRole('region', { name: 'Send test records' })).toHaveCount(0);
    await expect(viewer.getByRole('link', { name: 'Add dump task' })).toHaveCount(0);
    // Nor a stream's own life cycle: no Create stream, Scale, Change settings or Delete.
    await expect(viewer.getByRole('region', { name: 'Manage the stream' })).toHaveCount(0);
    await expect(viewer.getByRole('button', { name: /^(Scale|Save settings|Delete stream)$/ })).toHaveCount(0);
    await gotoHydrated(viewer, '/streams');
    await expect(viewer.getByRole('heading', { level: 1, name: 'Streams' })).toBeVisible();
    await expect(viewer.getByRole('link', { name: 'Create stream' })).toHaveCount(0);
    await gotoHydrated(viewer, '/new-stream');
    await expect(viewer.getByRole('alert')).toContainText('Your role, viewer, cannot create streams: it needs operator.');
    await expect(viewer.getByLabel('Stream name')).toHaveCount(0);
    const lifeCycle = await viewer.evaluate(async () => {
      const form = (body: Record<string, string>) => ({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
      const create = await fetch('/api/create_stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request: { stream_name: 'viewer-made', partition_count: 1 } }),
      });
      const scale = await fetch('/api/scale_stream', form({ stream: 'demo-json-events', target: '3' }));
      const remove = await fetch('/api/delete_stream',
        form({ stream: 'demo-json-events', confirm: 'demo-json-events', with_tasks: 'true' }));
      return [create.status, scale.status, remove.status];
    });
    expect(lifeCycle).toEqual([403, 403, 403]);
    // Record contents are data: the wizard (and its preview of the stream's records) is not
    // offered, and the server refuses the read.
    await gotoHydrated(viewer, '/streams/demo-json-events/add-task');
    await expect(viewer.getByRole('alert')).toContainText('cannot change dump tasks');
    await expect(viewer.getByRole('button', { name: 'Read the last 15 minutes' })).toHaveCount(0);
    const refused = await viewer.evaluate(async () => {
      const answer = await fetch('/api/sample_records', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stream: 'demo-json-events', from: 'Recent' }),
      });
      return answer.status;
    });
    expect(refused).toBe(403);
    await gotoHydrated(viewer, '/audit');
    await expect(viewer.getByRole('alert')).toContainText('Your role, viewer, cannot do this: it needs admin.');

    // The admin disables the viewer: their session ends at the next request.
    await page.getByRole('button', { name: `Disable ${name}` }).click();
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('disabled');
    await viewer.goto('/streams');
    await expect(viewer).toHaveURL(/\/login\?next=\/streams$/);
    await viewer.context().close();

    // Every step is in the audit log.
    await gotoHydrated(page, '/audit?operator=admin&action=disable%20operator');
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('ok');
    await gotoHydrated(page, `/audit?operator=${name}`);
    await expect(page.getByRole('row').filter({ hasText: 'login' })).toContainText('ok');
  });

  test('logging out ends the session, and pages then ask for a login', async ({ browser }) => {
    const page = await anonymousPage(browser);
    const { adminPassword } = await import('../playwright.config');
    await logIn(page, 'admin', adminPassword);
    // The login loads the next page anew: its button answers once that page has hydrated.
    await expect(page).toHaveURL(/^http:\/\/[^/]+\/$/);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/streams/demo-orders');
    await expect(page).toHaveURL(/\/login\?next=\/streams\/demo-orders$/);
    await page.context().close();
  });
});
