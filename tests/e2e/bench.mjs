// Field-app benchmark (issue 4): prints figures, asserts nothing.
//
// - the gzip size of the app shell (wasm + JS + CSS + HTML) as served;
// - in headless Chromium at 390×844, the time from navigation to an
//   interactive Today page on an offline cold start (service worker cache,
//   IndexedDB data), median of 15;
// - the median time to save a visit: the user action to durable storage
//   (IndexedDB, strict durability), read from the app's `helhed:act` User
//   Timing entries over 25 saves.
//
// Run with `cargo xtask bench` (it builds the app and the server first).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, logIn, newPhone, startServer, waitForSynced } from './support.js';

const siteDir = process.env.HELHED_SITE_DIR ?? path.resolve(import.meta.dirname, '../../dist');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// 1. Size.
const shell = readdirSync(siteDir).filter((f) => /\.(wasm|js|css|html)$/.test(f) && f !== 'sw.js');
let total = 0;
for (const file of shell.sort()) {
  const gz = gzipSync(readFileSync(path.join(siteDir, file)), { level: 9 }).length;
  total += gz;
  console.log(`size:  ${file.padEnd(40)} ${kb(gz).padStart(9)} gzip`);
}
console.log(`size:  app shell (wasm + JS + CSS + HTML)    ${kb(total).padStart(9)} gzip   (goal ≤ 250 KB)`);

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await newPhone(browser, server.url);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.close();

  // 2. Offline cold start.
  await context.setOffline(true);
  const starts = [];
  for (let i = 0; i < 15; i++) {
    const p = await context.newPage();
    await p.goto('/');
    await p.getByTestId('today-citizen').first().waitFor();
    starts.push(await p.evaluate(() => performance.now()));
    await p.close();
  }
  console.log(`start: offline cold start to an interactive Today, median of 15: ${median(starts).toFixed(0)} ms   (goal ≤ 400 ms)`);

  // 3. Saving a visit.
  const form = await context.newPage();
  const saves = [];
  for (let i = 0; i < 25; i++) {
    await form.goto('/visits/new');
    await form.getByTestId('save-visit').waitFor();
    await form.getByLabel('Borger').selectOption({ index: 1 });
    await form.getByLabel('Note').fill(`benchmark ${i}`);
    await form.getByTestId('save-visit').click();
    await form.getByRole('heading', { name: /^I dag/ }).waitFor();
    // The page moved on within the same document: its timing entry is there.
    const durations = await form.evaluate(() => performance.getEntriesByName('helhed:act').map((e) => e.duration));
    saves.push(durations.at(-1));
  }
  console.log(`save:  a visit to IndexedDB (strict durability), median of ${saves.length}: ${median(saves).toFixed(1)} ms   (goal ≤ 10 ms)`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
