// Field logging (issue 4): visits, no-shows and the timer on a phone with
// no network, a second device, rejected records, accessibility, and a new
// build arriving. Real server, real built app, Debian chromium at 390×844.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { axe, chooseLanguage, logIn, logVisit as logVisitWith, newPhone, screenshot, startServer, syncNow, twoDevices, useServerAndBrowser, waitForSynced } from './support.js';

/** Logs a visit the way these tests always did: with 10 minutes of travel. */
const logVisit = (page, visit) => logVisitWith(page, { travel: 10, ...visit });

const env = useServerAndBrowser();

async function visitRow(page, text) {
  return page.getByTestId('visit').filter({ hasText: text });
}

test('offline from a cold start: log two visits and a no-show, reload, sync exactly those three', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  // The service worker has the shell before the network goes.
  await page.evaluate(() => navigator.serviceWorker.ready);

  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('today-citizen').first().waitFor();
  // Said once the app finds no network (a reloaded page's navigator.onLine
  // may say true while there is none: Chromium 148 does).
  await page.getByTestId('network-state').getByText('Offline', { exact: true }).waitFor();
  await screenshot(page, 'field-01-offline-today');

  const stamp = Date.now().toString(36);
  await logVisit(page, { nth: 0, start: '08:00', end: '09:15', note: `Første besøg ${stamp}` });
  await logVisit(page, { nth: 1, start: '09:30', end: '10:00', note: `Andet besøg ${stamp}` });
  await page.getByTestId('no-show').nth(2).click();
  await screenshot(page, 'field-02-no-show-choices');
  await page.getByTestId('no-show-minutes').nth(1).click(); // 30 min
  await page.getByTestId('visit').filter({ hasText: 'Udeblivelse' }).waitFor();

  await page.reload();
  await page.getByTestId('today-citizen').first().waitFor();
  const waiting = page.locator('[data-testid="visit"][data-state="waiting"]');
  await waiting.nth(2).waitFor();
  assert.equal(await waiting.count(), 3, 'all three are still there, waiting');
  for (const text of [`Første besøg`, 'Andet besøg', 'Udeblivelse · 30 min']) {
    assert.equal(await (await visitRow(page, text)).count(), 1, text);
  }
  await page.getByTestId('sync-status').getByText(/3 registreringer venter/).waitFor();
  await screenshot(page, 'field-03-offline-waiting');

  await context.setOffline(false);
  await waitForSynced(page);
  await page.locator('[data-testid="visit"][data-state="synced"]').nth(2).waitFor();
  await screenshot(page, 'field-04-synced');
  const worker = env.server.sql("SELECT id FROM users WHERE username = 'worker'")[0];
  const notes = env.server.sql(`SELECT kind || '|' || note FROM visits WHERE worker_id = '${worker}' AND (note LIKE '%${stamp}' OR (kind = 'no_show' AND started_at > ${Date.now() - 3_600_000})) ORDER BY started_at`);
  // The no-show starts 30 minutes before now, so its place among the 08:00
  // and 09:30 visits depends on the hour the test runs: compare as a set.
  assert.deepEqual(notes.sort(), [`home_visit|Andet besøg ${stamp}`, `home_visit|Første besøg ${stamp}`, 'no_show|'].sort());

  // Seed 003: the no-show asks the worker to call the citizen, until a
  // call (or another visit) is logged after it.
  const missedName = await page.getByTestId('today-citizen').nth(2).locator('.citizen-actions__name').textContent();
  const call = page.getByTestId('call-due').filter({ hasText: missedName });
  await call.waitFor();
  assert.match(await call.textContent(), /Udeblev \d\d\.\d\d\.\d{4}/);
  await screenshot(page, 'field-05-call-after-no-show');
  await call.getByTestId('log-call').click();
  await page.getByTestId('save-visit').waitFor();
  const at = (minutesAgo) => new Date(Date.now() - minutesAgo * 60_000)
    .toLocaleTimeString('sv-SE', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' });
  await page.getByLabel('Start', { exact: true }).fill(at(5));
  await page.getByLabel('Slut', { exact: true }).fill(at(1));
  await page.getByLabel('Note').fill('Ringede op, aftalt nyt besøg');
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
  await page.getByTestId('call-due').filter({ hasText: missedName }).waitFor({ state: 'detached' });
  await waitForSynced(page);
  assert.deepEqual(env.server.sql(`SELECT kind FROM visits WHERE worker_id = '${worker}' AND note = 'Ringede op, aftalt nyt besøg'`), ['phone_video']);
  await context.close();
});

test('a timer survives closing the page; its duration is the stored start to the stop', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const started = Date.now() - 40 * 60_000;
  await context.clock.setFixedTime(started);
  const page = await context.newPage();
  await logIn(page, 'worker2');
  await page.getByTestId('start-visit').first().click();
  await page.getByTestId('running-timer').waitFor();
  await waitForSynced(page);
  await page.close();

  // 25 minutes later, on a fresh page.
  await context.clock.setFixedTime(started + 25 * 60_000);
  const later = await context.newPage();
  await later.goto('/');
  await later.getByTestId('running-timer').waitFor();
  assert.equal(await later.getByTestId('timer-elapsed').textContent(), '25 min');
  assert.equal(await later.getByTestId('start-visit').first().isDisabled(), true, 'one running timer per worker');
  await screenshot(later, 'field-05-timer-running');
  // Leaving the form loses nothing: the timer runs on.
  await later.getByTestId('stop-timer').click();
  await later.getByTestId('save-visit').waitFor();
  await later.getByRole('link', { name: 'Annullér' }).click();
  await later.getByTestId('running-timer').waitFor();
  await later.getByTestId('stop-timer').click();
  await later.getByTestId('save-visit').waitFor();
  const start = await later.getByLabel('Start', { exact: true }).inputValue();
  const end = await later.getByLabel('Slut', { exact: true }).inputValue();
  const minutes = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  assert.equal((minutes(end) - minutes(start) + 1440) % 1440, 25);
  await screenshot(later, 'field-06-timer-stopped-form');
  await later.getByTestId('save-visit').click();
  await later.getByRole('heading', { name: /^I dag/ }).waitFor();
  await (await visitRow(later, '25 min')).first().waitFor();
  await later.getByTestId('running-timer').waitFor({ state: 'detached' });
  assert.equal(await later.getByTestId('start-visit').first().isDisabled(), false, 'saved: the timer has stopped');
  await context.close();
});

test('two devices of one worker: a visit logged on one appears on the other', async () => {
  const { phone, tablet, a, b } = await twoDevices(env, 'worker');
  const note = `Fra telefonen ${Date.now().toString(36)}`;
  await logVisit(a, { nth: 3, start: '11:00', end: '11:45', note });
  await waitForSynced(a);
  await syncNow(b);
  await (await visitRow(b, '45 min')).first().waitFor();
  await b.getByTestId('visit').filter({ hasText: '11.00–11.45' }).first().click();
  assert.equal(await b.getByLabel('Note').inputValue(), note);
  await screenshot(b, 'field-07-visit-on-second-device');
  await phone.close();
  await tablet.close();
});

test('a visit rejected because the citizen was unassigned offline: reason, note, fix and discard', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'mentor');
  await page.getByTestId('today-citizen').nth(1).waitFor();
  await waitForSynced(page);
  const names = await page.locator('.citizen-actions__name').allTextContents();

  await context.setOffline(true);
  await logVisit(page, { nth: 0, start: '08:00', end: '08:30', note: 'Samtale om praktik – skal kunne læses' });
  await logVisit(page, { nth: 0, start: '12:00', end: '12:20', note: 'Opfølgning' });
  // Meanwhile the office ends the mentor's assignment to that citizen.
  env.server.sql(`DELETE FROM assignments WHERE citizen_id = (SELECT id FROM citizens WHERE name = '${names[0]}')
                  AND user_id = (SELECT id FROM users WHERE username = 'mentor')`);
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Synkronisér nu' }).click();

  const items = page.getByTestId('rejected-item');
  await items.nth(1).waitFor({ timeout: 30_000 });
  const first = items.filter({ hasText: 'skal kunne læses' });
  assert.match(await first.textContent(), /ikke tilknyttet denne borger/);
  assert.equal(await first.getByTestId('rejected-note').textContent(), 'Samtale om praktik – skal kunne læses');
  await screenshot(page, 'field-08-rejected');

  // Fix: the form opens with what was sent, and says what is wrong.
  await first.getByTestId('fix-rejected').click();
  await page.getByTestId('save-visit').waitFor();
  // It repeats why the server refused it, as Today said.
  assert.match(await page.getByTestId('fix-reason').textContent(), /ikke tilknyttet denne borger/);
  assert.equal(await page.getByLabel('Note').inputValue(), 'Samtale om praktik – skal kunne læses');
  await page.getByTestId('save-visit').click();
  await page.getByText('du er ikke tilknyttet borgeren på den dato').waitFor();
  await screenshot(page, 'field-09-fix-form');
  await page.getByLabel('Borger').selectOption({ label: names[1] });
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();

  // Discard the other one, after confirming.
  const second = page.getByTestId('rejected-item').filter({ hasText: 'Opfølgning' });
  await second.getByTestId('discard-rejected').click();
  await second.getByTestId('confirm-discard').click();
  await page.getByTestId('rejected').waitFor({ state: 'detached' });
  await waitForSynced(page);
  const fixed = env.server.sql("SELECT c.name FROM visits v JOIN citizens c ON c.id = v.citizen_id WHERE v.note = 'Samtale om praktik – skal kunne læses'");
  assert.deepEqual(fixed, [names[1]], 'the fixed visit reached the server, for the other citizen');
  assert.deepEqual(env.server.sql("SELECT COUNT(*) FROM sync_mutations WHERE status = 'rejected' AND payload LIKE '%Opfølgning%'"), ['1'], 'the server keeps the discarded payload');
  await context.close();
});

test('another user logging in on a phone with unsent work is warned, and cancelling keeps it', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  await context.setOffline(true);
  const note = `Ikke sendt ${Date.now().toString(36)}`;
  await logVisit(page, { nth: 4, start: '13:00', end: '13:30', note });
  // The session ends on the server (expired, say) before the visit is sent.
  await context.clearCookies();
  await context.setOffline(false);
  await page.reload();
  await page.waitForURL('**/login');

  await logIn(page, 'worker2');
  await page.getByTestId('takeover').getByText(/1 usendt registrering fra Anne Kjær/).waitFor();
  await screenshot(page, 'field-13-takeover-warning');
  await page.getByTestId('takeover-cancel').click();
  await page.getByTestId('takeover').waitFor({ state: 'detached' });
  assert.ok(page.url().endsWith('/login'), 'still at the login page');

  // The owner logs in: nothing was lost, and it goes out.
  await logIn(page, 'worker');
  await page.getByTestId('visit').filter({ hasText: note }).waitFor();
  await waitForSynced(page);
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM visits WHERE note = '${note}'`), ['1']);
  await context.close();
});

test('no WCAG 2.1 AA violations on any page, in Danish and English', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  const check = (name) => axe(page, name);
  await page.goto('/login');
  await page.getByRole('button', { name: 'Log ind' }).waitFor();
  await check('login (da)');
  await logIn(page, 'worker');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  for (const lang of ['da', 'en']) {
    if (lang === 'en') await chooseLanguage(page, 'English');
    await page.goto('/');
    await page.getByTestId('today-citizen').first().waitFor();
    await check(`today (${lang})`);
    await page.goto('/citizens');
    await page.getByTestId('citizen').first().waitFor();
    await check(`citizens (${lang})`);
    await page.getByTestId('citizen').first().locator('a').click();
    await page.getByTestId('citizen-name').waitFor();
    await check(`citizen (${lang})`);
    await screenshot(page, `field-10-citizen-${lang}`);
    await page.goto('/visits/new');
    await page.getByTestId('save-visit').waitFor();
    // With no citizen chosen yet, the form does not guess at the grant.
    assert.match(await page.getByTestId('charge').innerText(), lang === 'da' ? /når du har valgt borger/ : /once you have chosen the citizen/);
    await page.getByTestId('save-visit').click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await check(`visit form with errors (${lang})`);
    await screenshot(page, `field-11-form-errors-${lang}`);
    // A citizen chosen: the grant it is charged to, or a choice of them.
    await page.locator('#visit-citizen').selectOption({ index: 1 });
    await page.getByText(lang === 'da' ? /når du har valgt borger/ : /once you have chosen the citizen/).waitFor({ state: 'detached' });
    const asks = (await page.locator('#visit-charge').count()) > 0;
    assert.ok(asks || /^(Betales af|Charged to): \S/.test(await page.getByTestId('charge').innerText()), 'charged to a grant, or asked which');
  }
  await chooseLanguage(page, 'Dansk');
  await context.close();
});

test('a new build is announced, and reloading runs it', async () => {
  // A server of our own, so it can be restarted on the same origin with a
  // new build (a copy of this one with another version).
  const first = await startServer();
  const port = new URL(first.url).port;
  const site = mkdtempSync(path.join(tmpdir(), 'helhed-next-'));
  const context = await newPhone(env.browser, first.url);
  try {
    const page = await context.newPage();
    await logIn(page, 'worker');
    await page.getByTestId('today-citizen').first().waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const build = () => page.locator('meta[name="helhed-build"]').getAttribute('content');
    const before = await build();

    cpSync(process.env.HELHED_SITE_DIR ?? path.resolve(import.meta.dirname, '../../dist'), site, { recursive: true });
    const next = 'a1b2c3d4e5f60718';
    for (const file of ['index.html', 'sw.js']) {
      const text = readFileSync(path.join(site, file), 'utf8');
      writeFileSync(path.join(site, file), text.replaceAll(before, next));
    }
    await first.stop({ keep: true });
    const second = await startServer({ dir: first.dir, port, site });
    try {
      // The browser looks for a new service worker on navigation.
      await page.reload();
      await page.getByTestId('update-ready').waitFor({ timeout: 30_000 });
      assert.equal(await build(), before, 'the running version is not swapped under the user');
      await screenshot(page, 'field-12-update-ready');
      // The walk of issue 13 (D3): a reload would lose what is typed on the
      // form, so the banner asks first, and going back keeps the typing.
      await page.getByRole('navigation').getByRole('link', { name: 'Registrér' }).click();
      await page.locator('#visit-note').fill('Skrevet før opdateringen');
      await page.getByTestId('apply-update').click();
      await page.getByTestId('update-unsaved').waitFor();
      await screenshot(page, 'field-13-update-asks-first');
      await page.getByTestId('update-later').click();
      assert.equal(await page.locator('#visit-note').inputValue(), 'Skrevet før opdateringen', 'nothing typed is lost');
      assert.equal(await build(), before, 'not reloaded');
      await page.getByRole('navigation').getByRole('link', { name: 'I dag' }).click();
      await page.getByTestId('apply-update').click();
      await page.waitForFunction((v) => document.querySelector('meta[name="helhed-build"]')?.content === v, next);
      await page.getByTestId('today-citizen').first().waitFor();
      assert.equal(await page.getByTestId('update-ready').count(), 0);
    } finally {
      await second.stop();
    }
  } finally {
    await context.close();
    rmSync(site, { recursive: true, force: true });
  }
});
