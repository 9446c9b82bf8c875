import { test as setup, expect } from '@playwright/test';
import { adminPassword, adminState } from '../playwright.config';

setup('log in as admin through the login page', async ({ page }) => {
  // A page behind login sends the browser to the login page, which returns to it after.
  await page.goto('/streams');
  await expect(page).toHaveURL(/\/login\?next=\/streams$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Name').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  // Back where the browser was sent from (the login URL itself ends in "/streams" too).
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/streams$/);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await page.context().storageState({ path: adminState });
});
