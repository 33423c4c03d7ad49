// The phone's data lives in IndexedDB and syncs in one leader tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, newPhone, screenshot, useServerAndBrowser } from './support.js';

const env = useServerAndBrowser();

/** The citizens stored in the page's IndexedDB. */
async function storedCitizens(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('helhed');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('citizens').objectStore('citizens').count();
      req.onsuccess = () => { resolve(req.result); db.close(); };
      req.onerror = () => reject(req.error);
    };
  }));
}

test('citizens arrive in IndexedDB, and logging out wipes them', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByRole('link', { name: 'Borgere', exact: true }).click();
  await page.getByTestId('citizen').first().waitFor();
  await page.getByTestId('sync-status').getByText(/Alt er synkroniseret/).waitFor();
  const shown = await page.getByTestId('citizen').count();
  assert.equal(await storedCitizens(page), shown, 'the list is read from the phone');
  await screenshot(page, 'sync-01-synced');

  await page.getByRole('button', { name: 'Log ud' }).click();
  await page.waitForURL('**/login');
  assert.equal(await storedCitizens(page), 0, 'nothing about citizens stays on the phone');
  await context.close();
});

test('one tab syncs for all, and another takes over when it closes', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const first = await context.newPage();
  await logIn(first, 'worker');
  await first.getByRole('link', { name: 'Borgere', exact: true }).click();
  await first.getByTestId('citizen').first().waitFor();
  const second = await context.newPage();
  await second.goto('/citizens');
  await second.getByTestId('citizen').first().waitFor();

  const pulls = [];
  second.on('request', (r) => { if (r.url().endsWith('/api/sync/pull')) pulls.push(r); });
  // The first tab leads: the second asks it to sync and does not pull itself.
  await second.getByRole('button', { name: 'Synkronisér nu' }).click();
  await second.waitForTimeout(1500);
  assert.equal(pulls.length, 0, 'only the leader talks to the server');

  // The second tab takes the lock when the first closes, and syncs at once
  // as the new leader ("sync now" asks too, in case the lock came first).
  await first.close();
  await second.getByRole('button', { name: 'Synkronisér nu' }).click();
  const deadline = Date.now() + 15_000;
  while (pulls.length === 0 && Date.now() < deadline) await second.waitForTimeout(100);
  assert.ok(pulls.length > 0, 'the second tab now pulls itself');
  await second.getByTestId('sync-status').getByText(/Alt er synkroniseret/).waitFor();
  await screenshot(second, 'sync-02-second-tab-leads');
  await context.close();
});
