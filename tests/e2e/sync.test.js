// The phone's data lives in IndexedDB and syncs in one leader tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, newPhone, openAccount, readStore, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** The citizens stored in the page's IndexedDB. */
const storedCitizens = (page) => readStore(page, 'citizens', 'count');

/** The mutation ids waiting in the page's outbox, ascending. */
const outboxIds = async (page) => (await readStore(page, 'outbox', 'getAllKeys')).map(Number).sort((a, b) => a - b);

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

  await openAccount(page);
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

test('two tabs writing at once get unique gap-free ids; the leader closing mid-push loses nothing', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const first = await context.newPage();
  await logIn(first, 'worker2');
  await first.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(first);
  await first.evaluate(() => navigator.serviceWorker.ready);
  const second = await context.newPage();
  await second.goto('/');
  await second.getByTestId('today-citizen').first().waitFor();

  await context.setOffline(true);
  const tabs = [first, second];
  for (let round = 0; round < 3; round++) {
    for (const [i, page] of tabs.entries()) {
      await page.goto('/visits/new');
      await page.getByTestId('save-visit').waitFor();
      await page.getByLabel('Borger').selectOption({ index: 1 });
      await page.getByLabel('Start', { exact: true }).fill(`0${round + 7}:00`);
      await page.getByLabel('Slut', { exact: true }).fill(`0${round + 7}:${i === 0 ? '30' : '45'}`);
      await page.getByLabel('Note').fill(`tab ${i} round ${round}`);
    }
    // Both tabs save in the same moment.
    await Promise.all(tabs.map((page) => page.getByTestId('save-visit').click()));
    await Promise.all(tabs.map((page) => page.getByRole('heading', { name: /^I dag/ }).waitFor()));
  }
  const ids = await outboxIds(first);
  assert.equal(ids.length, 6, 'six saves, six mutations');
  assert.deepEqual(ids, ids.map((_, i) => ids[0] + i), `unique and gap-free: ${ids}`);
  assert.deepEqual(await outboxIds(second), ids, 'one outbox for both tabs');

  // The first tab leads. It closes right after sending its push: the
  // answer is lost with it, and the other tab takes over.
  let sent;
  const pushSent = new Promise((resolve) => { sent = resolve; });
  await first.route('**/api/sync/push', async (route) => { await route.continue(); sent(); });
  await context.setOffline(false);
  await Promise.race([pushSent, new Promise((_, reject) => setTimeout(() => reject(new Error('no push from the leader')), 30_000))]);
  await first.close();
  await second.getByRole('button', { name: 'Synkronisér nu' }).click();
  await waitForSynced(second);
  await screenshot(second, 'sync-03-after-leader-closed-mid-push');
  const rows = env.server.sql("SELECT note || '|' || row_version FROM visits WHERE note LIKE 'tab % round %' ORDER BY note");
  assert.deepEqual(rows, [0, 1].flatMap((t) => [0, 1, 2].map((r) => `tab ${t} round ${r}|1`)), 'each visit once, in one version');
  assert.deepEqual(await outboxIds(second), []);
  await context.close();
});
