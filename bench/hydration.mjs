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
const times = [];
for (let i = 0; i < 20; i++) {
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/streams`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  times.push(await page.evaluate(() => performance.now()));
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = (times[9] + times[10]) / 2;
console.log(`hydration, /streams, 20 loads: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[19].toFixed(0)} ms (target: at most 300 ms)`);
