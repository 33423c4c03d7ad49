// Zero loss where comparable field apps fail (issue 12): a phone's queued
// edits build on each other, the phone's database closed under the page,
// and the lead's newest choice of month winning over a slower answer.
// Real server, real built app, Debian chromium at 390×844 in Danish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefusalsNameTheirFields, DEMO_PASSWORD, logIn, logVisit, months, newPhone, openAccount, screenshot, syncNow, twoDevices, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** Opens the visit with `note` from Today, sets its note to `next`, saves. */
async function editNote(page, note, next) {
  await page.getByRole('link', { name: 'I dag', exact: true }).click();
  await page.getByTestId('visit').filter({ hasText: note }).first().click();
  await page.getByTestId('save-visit').waitFor();
  await page.getByLabel('Note').fill(next);
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
}

test('two offline edits of one visit end as the second, on the server and the worker’s other phone', async () => {
  const { phone, tablet, a, b } = await twoDevices(env, 'worker');
  const stamp = Date.now().toString(36);
  await logVisit(a, { start: '07:00', end: '07:40', note: `Logget ${stamp}` });
  await waitForSynced(a);

  // Offline: the note changed to A, then to B.
  await phone.setOffline(true);
  await editNote(a, `Logget ${stamp}`, `A ${stamp}`);
  await editNote(a, `A ${stamp}`, `B ${stamp}`);
  await a.getByTestId('sync-status').getByText(/2 registreringer venter/).waitFor();
  await phone.setOffline(false);
  await waitForSynced(a);
  assert.deepEqual(env.server.sql(`SELECT note FROM visits WHERE note LIKE '%${stamp}'`), [`B ${stamp}`]);
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM visit_conflicts c JOIN visits v ON v.id = c.visit_id WHERE v.note LIKE '%${stamp}'`), ['0']);
  await syncNow(b);
  await b.getByTestId('visit').filter({ hasText: '07.00–07.40' }).first().click();
  await b.getByTestId('save-visit').waitFor();
  assert.equal(await b.getByLabel('Note').inputValue(), `B ${stamp}`);
  await screenshot(b, 'zero-loss-01-second-edit-on-the-other-phone');
  assert.equal(await a.getByTestId('rejected').count(), 0, 'nothing refused');
  await phone.close();
  await tablet.close();
});

test('the phone’s database closed under the page: the next save reopens it and reaches the server', async () => {
  const context = await newPhone(env.browser, env.server.url);
  // Keep every connection the page opens, so the test can close them the
  // way iOS does for a page in the background (and say so, as a forced
  // close does, with a `close` event).
  await context.addInitScript(() => {
    window.__helhedConnections = [];
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (...args) {
      const request = open.apply(this, args);
      request.addEventListener('success', () => window.__helhedConnections.push(request.result));
      return request;
    };
  });
  const page = await context.newPage();
  await logIn(page, 'worker2');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  const stamp = Date.now().toString(36);
  const cdp = await context.newCDPSession(page);
  // (how the connection goes, the visit's hour)
  const ways = [
    ['closed silently', '05'],
    ['force-closed with a close event', '06'],
    // DevTools deletes the database under the page (its connections are
    // force-closed): what it held is gone, the login is not; the next save
    // starts it afresh and everything is downloaded again.
    ['deleted through the DevTools protocol', '07'],
  ];
  for (const [how, hour] of ways) {
    if (how.startsWith('deleted')) {
      await cdp.send('IndexedDB.deleteDatabase', { securityOrigin: new URL(env.server.url).origin, databaseName: 'helhed' });
    } else {
      await page.evaluate((forced) => {
        for (const db of window.__helhedConnections) {
          db.close();
          if (forced) db.dispatchEvent(new Event('close'));
        }
        window.__helhedConnections = [];
      }, how.startsWith('force'));
    }
    const note = `Efter lukning ${how} ${stamp}`;
    await logVisit(page, { start: `${hour}:00`, end: `${hour}:30`, note });
    await waitForSynced(page);
    assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM visits WHERE note = '${note}'`), ['1'], how);
    await page.getByTestId('visit').filter({ hasText: note }).first().waitFor();
  }
  // Every visit is on the phone again after the download, none twice.
  await page.getByTestId('visit').filter({ hasText: stamp }).nth(2).waitFor();
  assert.equal(await page.getByTestId('visit').filter({ hasText: stamp }).count(), 3);
  assert.equal(await page.getByTestId('notice').isVisible(), false, 'no failure to report');
  await screenshot(page, 'zero-loss-02-saved-after-the-database-closed');
  await context.close();
});

test('switching month quickly: the newest choice wins over a slower answer, on the overview and the statement', async () => {
  const { current, previous } = months();
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'lead');
  await page.getByTestId('nav-lead').click();
  const pool = page.getByTestId('pool');
  await pool.waitFor();
  const used = await pool.getAttribute('data-used');

  // Last month's report is slow; the lead picks it and at once goes back.
  await page.route(`**/api/reports/team?*month=${previous.key}*`, async (route) => {
    await new Promise((r) => setTimeout(r, 2500));
    await route.continue();
  });
  await page.getByTestId('month-select').selectOption(previous.key);
  await page.getByTestId('month-select').selectOption(current.key);
  await page.waitForTimeout(3500);
  assert.equal(await page.getByTestId('month-select').inputValue(), current.key);
  assert.equal(await pool.getAttribute('data-used'), used, 'this month’s figures, not last month’s');
  await screenshot(page, 'zero-loss-03-newest-month-wins');

  // The statement: this month is slow, the lead goes on to last month.
  await page.route(`**/api/statements?*month=${current.key}*`, async (route) => {
    await new Promise((r) => setTimeout(r, 2500));
    await route.continue();
  });
  await page.getByRole('link', { name: 'Opgørelser' }).click();
  await page.getByTestId('statement-state').waitFor();
  await page.getByTestId('statement-month').selectOption(current.key);
  await page.getByTestId('statement-month').selectOption(previous.key);
  await page.waitForTimeout(3500);
  const [year, month] = previous.key.split('-').map(Number);
  const label = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'][month - 1];
  const heading = await page.locator('.statement-page h2').first().textContent();
  assert.ok(heading.endsWith(`${label} ${year}`), heading);
  await context.close();
});

test('no failure on a user’s path is dropped: a no-show, a logout and a login when the phone’s storage refuses to write', async () => {
  const context = await newPhone(env.browser, env.server.url);
  // A switch the test flips: while on, the phone's database refuses every
  // write (as a full disk or a broken profile does).
  await context.addInitScript(() => {
    window.__refuseWrites = false;
    window.__writesDone = 0;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
      if (window.__refuseWrites && mode === 'readwrite') {
        throw new DOMException('The disk is full', 'QuotaExceededError');
      }
      const tx = transaction.call(this, stores, mode, ...rest);
      if (mode === 'readwrite') tx.addEventListener('complete', () => { window.__writesDone += 1; });
      return tx;
    };
  });
  const refuse = (page, on) => page.evaluate((on) => { window.__refuseWrites = on; }, on);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(page);
  const notice = page.getByTestId('notice');

  // The two-tap no-show: the failure shows, in Danish, and the choices stay.
  await refuse(page, true);
  await page.getByTestId('no-show').nth(2).click();
  await page.getByTestId('no-show-minutes').nth(0).click();
  await notice.getByText(/Udeblivelsen blev ikke gemt på telefonen/).waitFor();
  assert.match(await notice.textContent(), /Telefonens lager/);
  assert.ok(await page.getByTestId('no-show-minutes').nth(0).isVisible(), 'the two taps are there to try again');
  await screenshot(page, 'zero-loss-04-no-show-not-saved');
  await refuse(page, false);
  await page.getByTestId('no-show-minutes').nth(0).click();
  await page.getByTestId('visit').filter({ hasText: 'Udeblivelse' }).first().waitFor();

  // A logout whose wipe fails does not say "logged out".
  await waitForSynced(page);
  await refuse(page, true);
  await openAccount(page);
  await page.getByTestId('log-out').click();
  await notice.getByText(/Du er ikke logget helt ud/).waitFor();
  assert.equal(await page.getByTestId('user-name').textContent(), 'Anne Kjær', 'still in the app, with a way to try again');
  await refuse(page, false);
  await openAccount(page);
  await page.getByTestId('log-out').click();
  await page.waitForURL('**/login');

  // A login whose switch of user fails does not enter the app. (The
  // switch is set after the page loads: a load starts with it off.)
  await page.goto('/login');
  // Once the app has opened its database (its first write is done).
  await page.waitForFunction(() => window.__writesDone > 0);
  await refuse(page, true);
  await page.getByLabel('Brugernavn').fill('worker2');
  await page.getByLabel('Adgangskode').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await notice.getByText(/Telefonen kunne ikke gøres klar til dig/).waitFor();
  assert.ok(page.url().endsWith('/login'), page.url());
  await screenshot(page, 'zero-loss-05-login-not-finished');
  await refuse(page, false);
  await logIn(page, 'worker2');
  await page.getByTestId('today-citizen').first().waitFor();
  assert.equal(await page.getByTestId('user-name').textContent(), 'Jonas Bech');
  await context.close();
});

test('a minutes field says it wants whole minutes, the note counts its characters, and nothing typed is lost', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'worker2');
  await page.getByTestId('today-citizen').first().waitFor();
  await page.getByTestId('log-visit').first().click();
  await page.getByTestId('save-visit').waitFor();
  // Yesterday, so the visit is in the past whenever the test runs.
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
  await page.getByLabel('Dato').fill(yesterday);
  await page.getByLabel('Start', { exact: true }).fill('08:00');
  await page.getByRole('radio', { name: 'Varighed' }).check();
  // A visit that ends ahead of the clock is said under the times, not
  // refused (issue 15's walk saved one later today as delivered): from
  // now, for two hours; gone again for yesterday's visit.
  const copenhagen = { timeZone: 'Europe/Copenhagen' };
  await page.getByLabel('Dato').fill(new Date().toLocaleDateString('sv-SE', copenhagen));
  await page.getByLabel('Start', { exact: true }).fill(new Date().toLocaleTimeString('sv-SE', { ...copenhagen, hour: '2-digit', minute: '2-digit' }));
  await page.getByLabel('Varighed i minutter').fill('120');
  await page.getByTestId('visit-ahead')
    .getByText(/^Besøget slutter først om (1 t 59 min|2 t)\. Gem det, når det har fundet sted – eller ret tiden\.$/).waitFor();
  await page.getByLabel('Dato').fill(yesterday);
  await page.getByLabel('Start', { exact: true }).fill('08:00');
  await page.getByTestId('visit-ahead').waitFor({ state: 'detached' });
  // The walk's input: "1.5" in a minutes field once said "at most 16 hours".
  for (const [duration, travel] of [['1.5', '1,5'], ['1:30', '½'], ['-5', 'ti']]) {
    await page.getByLabel('Varighed i minutter').fill(duration);
    await page.getByLabel('Transporttid i minutter').fill(travel);
    await page.getByTestId('save-visit').click();
    const durationError = await page.locator('#visit-duration-error').textContent();
    if (duration === '-5') assert.equal(durationError, 'Varighed i minutter: skal være mellem 1 og 960');
    else assert.equal(durationError, 'Varighed i minutter: skal være et helt antal minutter, f.eks. 90', duration);
    assert.equal(await page.locator('#visit-travel-error').textContent(),
      'Transporttid i minutter: skal være et helt antal minutter, f.eks. 90', travel);
    assert.equal(await page.getByLabel('Varighed i minutter').inputValue(), duration, 'what was typed stays');
    await assertRefusalsNameTheirFields(page, `the visit form with ${duration} and ${travel}`);
    assert.equal(await page.getByLabel('Transporttid i minutter').inputValue(), travel);
  }
  // A date the browser cannot read (31.02) reaches the page as "": it was
  // reported as "skal udfyldes", and an optional date would have been
  // saved as none. The field says it cannot read it, on a tap on save and
  // on Enter in the field alike, and nothing is saved.
  for (const how of ['tap', 'enter']) {
    await page.getByLabel('Dato').focus();
    await page.keyboard.type('31022026');
    if (how === 'tap') await page.getByTestId('save-visit').click();
    else await page.keyboard.press('Enter');
    await page.locator('#visit-date-error').getByText(/^Dato: kan ikke læses – skriv en dato, der findes, f\.eks\. 28\.02\.\d{4}$/).waitFor();
    assert.equal(await page.getByLabel('Dato').getAttribute('aria-invalid'), 'true', how);
    await page.getByTestId('form-failure').getByText('Ret de markerede felter.').waitFor();
    await page.getByLabel('Dato').fill(yesterday);
    assert.equal(await page.locator('#visit-date-error').textContent(), '', 'a readable date clears it');
  }
  // The note's counter: silent until three quarters are used, then the
  // characters left, then how many too many; too long is refused, kept.
  const count = page.getByTestId('note-count');
  await page.getByLabel('Note').fill('æ'.repeat(1000));
  assert.equal(await count.textContent(), '');
  await page.getByLabel('Note').fill('æ'.repeat(1990));
  assert.equal(await count.textContent(), '1.990 af 2.000 tegn – 10 tilbage');
  await page.getByLabel('Note').fill('😀'.repeat(2005));
  assert.equal(await count.textContent(), '5 tegn for meget – højst 2.000');
  assert.equal(await count.getAttribute('data-over'), 'true');
  await page.getByLabel('Varighed i minutter').fill('90');
  await page.getByLabel('Transporttid i minutter').fill('10');
  await page.getByTestId('save-visit').click();
  assert.match(await page.locator('#visit-note-error').textContent(), /^Note: må højst være 2\.000 tegn/);
  assert.equal((await page.getByLabel('Note').inputValue()).length, 2 * 2005, 'the note is kept as typed');
  await screenshot(page, 'zero-loss-05-minutes-and-note-counter');
  const note = `Kort note ${Date.now().toString(36)}`;
  await page.getByLabel('Note').fill(note);
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
  await waitForSynced(page);
  assert.deepEqual(env.server.sql(`SELECT (ended_at - started_at) || '|' || travel_minutes FROM visits WHERE note = '${note}'`),
    [`${90 * 60_000}|10`]);
  await context.close();
});
