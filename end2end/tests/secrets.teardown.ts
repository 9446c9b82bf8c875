import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { knownSecrets, recordMarker, serverLog, ssoLogs } from '../playwright.config';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test('no credential is in the built site or the server log', async () => {
  const siteRoot = path.resolve(__dirname, '../../target/site');
  const places = [...filesUnder(siteRoot), serverLog, ...ssoLogs];
  expect(places.length).toBeGreaterThan(3);
  const found: string[] = [];
  for (const file of places) {
    const text = fs.readFileSync(file).toString('latin1');
    for (const secret of knownSecrets) {
      if (text.includes(secret)) found.push(`${file} holds ${secret.slice(0, 4)}…`);
    }
  }
  expect(found).toEqual([]);
  // The scan read a log of a real run: logins and DIS calls are in it.
  const log = fs.readFileSync(serverLog, 'utf8');
  expect(log).toContain('logged in');
  // Record contents read from a stream are shown to operators, never logged.
  expect(log.includes(recordMarker), 'record contents in the server log').toBe(false);
});
