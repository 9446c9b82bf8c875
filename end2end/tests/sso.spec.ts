import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { adminPassword, idpURL, ssoOnlyURL, ssoURL } from '../playwright.config';

// Two consoles sign on through the test identity provider (idp/provider.mjs), at localhost
// while the provider is at 127.0.0.1: the trip back is cross-site, as with a real provider.
// The provider's pages load a web font this machine cannot reach: a failed load in the console.
test.use({ allowedConsoleErrors: [/fonts\.googleapis|net::ERR_NAME_NOT_RESOLVED|net::ERR_INTERNET_DISCONNECTED/] });

async function hydrated(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * Through the console's login page to the provider's: signs `who` in there (any password).
 * `from` is the name the console is opened under, its public URL unless given.
 */
async function atProvider(page: Page, console: string, who: string, from = console) {
  await hydrated(page, `${from}/streams`);
  await expect(page).toHaveURL(/\/login\?next=\/streams$/);
  await page.getByRole('link', { name: 'Sign in with Corp IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idpURL}/`));
  await page.getByPlaceholder('Enter any login').fill(who);
  await page.getByPlaceholder('and password').fill('their password at the provider');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

/** Signs `who` in through the provider, consents, and waits for the console's page. */
async function signIn(page: Page, console: string, who: string, from = console) {
  await atProvider(page, console, who, from);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(`${console}/streams`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test.describe('signing on through the identity provider', () => {
  test('an admin from dis-admins lands with the admin role and reaches the audit log', async ({ page }) => {
    await signIn(page, ssoURL, 'ada');
    await expect(page.getByText('ada (admin)')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByRole('heading', { name: 'Audit', exact: true })).toBeVisible();
    // Their sign-on is there, with who they are at the provider.
    const line = page.getByRole('row').filter({ hasText: 'identity provider' }).filter({ hasText: 'ada' }).first();
    await expect(line).toContainText('Ada Admin · subject ada');
    // The Operators page says where they sign in, and offers no role or password to set.
    await nav.getByRole('link', { name: 'Operators' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Ada Admin · subject ada' });
    await expect(row).toContainText('identity provider');
    await expect(row.getByRole('combobox')).toHaveCount(0);
    await expect(row.getByRole('button', { name: /^Disable ada/ })).toBeVisible();
    // The wider table scrolls in its own region; the page does not scroll sideways.
    const width = page.viewportSize()!.width;
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });

  test('an operator from dis-operators can add a task', async ({ page }) => {
    await signIn(page, ssoURL, 'olga');
    await expect(page.getByText('olga (operator)')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Add dump task' }).click();
    await expect(page).toHaveURL(`${ssoURL}/add-task`);
    await expect(page.getByRole('heading', { name: 'Add dump task' })).toBeVisible();
  });

  test('a viewer from everyone sees no changes offered', async ({ page }) => {
    // Opened at the console's address instead of its public URL: the sign-on starts at the
    // public URL, where the provider comes back to, and ends there.
    await signIn(page, ssoURL, 'vera', ssoURL.replace('localhost', '127.0.0.1'));
    await expect(page.getByText('vera (viewer)')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Streams' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Add dump task' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  });

  test('someone in no mapped group is refused, in words that name no group', async ({ page }) => {
    await atProvider(page, ssoURL, 'fred');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/login\?sso=no-role&request=/);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Your account has no role on this console.');
    await expect(alert).toContainText(/Request id: [0-9a-f-]{36}/);
    await expect(alert).not.toContainText('finance');
    await expect(alert).not.toContainText('dis-');
  });

  test('a tampered state and a replayed callback are refused', async ({ page }) => {
    // The state on its way to the provider is changed, so the one that comes back is not the
    // one this browser's sign-on holds.
    await page.route('**/auth/login?**', async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers()['location']);
      location.searchParams.set('state', `${location.searchParams.get('state')}x`);
      await route.fulfill({ response, headers: { ...response.headers(), location: location.toString() } });
    });
    await atProvider(page, ssoURL, 'vera');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/login\?sso=mismatch&request=/);
    await expect(page.getByRole('alert')).toContainText('does not belong to the sign-in this browser started');
    await expect(page.getByText('vera (viewer)')).toHaveCount(0);
    await page.unroute('**/auth/login?**');

    // A sign-on that worked (the provider remembers vera), then its callback again.
    let answered: string | undefined;
    page.on('request', (r) => {
      if (r.url().startsWith(`${ssoURL}/auth/callback?`)) answered = r.url();
    });
    await page.getByRole('link', { name: 'Sign in with Corp IdP' }).click();
    await expect(page).toHaveURL(`${ssoURL}/`);
    await expect(page.getByText('vera (viewer)')).toBeVisible();
    expect(answered).toBeTruthy();
    await page.goto(answered!);
    await expect(page).toHaveURL(/\/login\?sso=expired&request=/);
    await expect(page.getByRole('alert')).toContainText('This sign-in was already used');
  });

  test('logging out ends the console session and the provider session', async ({ page }) => {
    await signIn(page, ssoURL, 'olga');
    await page.getByRole('button', { name: 'Log out' }).click();
    // The provider asks, then comes back to the console's login page.
    await expect(page).toHaveURL(new RegExp(`^${idpURL}/session/end`));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page).toHaveURL(`${ssoURL}/login`);
    await hydrated(page, `${ssoURL}/streams`);
    await expect(page).toHaveURL(/\/login\?next=\/streams$/);
    // The provider asks who it is again: its session ended too.
    await page.getByRole('link', { name: 'Sign in with Corp IdP' }).click();
    await expect(page.getByPlaceholder('Enter any login')).toBeVisible();
  });

  test('with local logins off the form is gone and a local login is refused', async ({ page }) => {
    await hydrated(page, `${ssoOnlyURL}/login`);
    await expect(page.getByRole('link', { name: 'Sign in with Corp IdP' })).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log in' })).toHaveCount(0);
    const refused = await page.request.post(`${ssoOnlyURL}/api/login`, {
      form: { name: 'admin', password: adminPassword, next: '/' },
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('Logging in with a password is turned off');
    await signIn(page, ssoOnlyURL, 'ada');
    await expect(page.getByText('ada (admin)')).toBeVisible();
  });
});
