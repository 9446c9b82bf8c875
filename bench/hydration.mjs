// Time from navigation start to the data-hydrated marker on <body>, in Debian's Chromium on
// loopback, 20 fresh page loads of /streams (logged in; nothing cached between loads).
import { createRequire } from 'node:module';
const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [base, cookie] = [process.env.BASE, process.env.COOKIE];
const [name, value] = cookie.split('=');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// The moment the marker appears is recorded in the page itself (a MutationObserver set up
// before any of the page's scripts run), so Playwright's polling does not add to it.
const watch = () => {
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.hydrated === 'true') {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};
const runs = [];
for (let i = 0; i < 20; i++) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: base }]);
  await context.addInitScript(watch);
  const page = await context.newPage();
  await page.goto(`${base}/streams`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  runs.push(
    await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return { html: nav.responseEnd, wasm: wasm?.responseEnd ?? NaN, hydrated: window.__hydratedAt };
    }),
  );
  await context.close();
}
await browser.close();
const median = (key) => {
  const v = runs.map((r) => r[key]).sort((a, b) => a - b);
  return (v[9] + v[10]) / 2;
};
const hydrated = runs.map((r) => r.hydrated).sort((a, b) => a - b);
console.log(`page received ${median('html').toFixed(0)} ms, WASM received ${median('wasm').toFixed(0)} ms (medians)`);
console.log(`hydration, /streams, 20 loads: median ${median('hydrated').toFixed(0)} ms, min ${hydrated[0].toFixed(0)} ms, max ${hydrated[19].toFixed(0)} ms (target: at most 300 ms)`);
