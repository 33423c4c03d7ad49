// A joint visit (issue 16; seed 000's joint conversations), at 390×844 in
// Danish: the worker, offline, logs a visit her colleague took part in,
// ticking him in the visit form; online, the server holds one row for each
// of them; the colleague's phone lists the visit as a joint visit and opens
// it read-only, saying who logged it. axe finds nothing on the form in
// either language. Real server, real app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeBothLanguages, logIn, newPhone, screenshot, serviceWorkerReady, syncNow, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

test('a joint visit is logged once and counted for each colleague who took part', async () => {
  const [citizen] = env.server.sql(`SELECT a.citizen_id FROM assignments a JOIN users u ON u.id = a.user_id
    WHERE u.username = 'worker' AND a.valid_to IS NULL ORDER BY a.citizen_id LIMIT 1`);
  const [colleague, colleagueName] = env.server.sql(`SELECT id || '|' || name FROM users WHERE username = 'worker2'`)[0].split('|');
  // The colleague works with the citizen too, from the start of the year:
  // assigned by the administrator, as in the office.
  const office = await env.browser.newContext();
  const login = await office.request.post(`${env.server.url}/api/session`, {
    data: { username: 'admin', password: 'demo1234' }, headers: { 'x-requested-with': 'helhed' },
  });
  assert.equal(login.status(), 201);
  const assigned = await office.request.put(`${env.server.url}/api/admin/assignments/${crypto.randomUUID()}`, {
    data: { citizen_id: citizen, user_id: colleague, period: { from: '2026-01-01', to: null } },
    headers: { 'x-requested-with': 'helhed' },
  });
  assert.equal(assigned.status(), 201, await assigned.text());
  await office.close();

  const phone = await newPhone(env.browser, env.server.url);
  const page = await phone.newPage();
  await logIn(page, 'worker');
  await waitForSynced(page);
  await serviceWorkerReady(page);
  await phone.setOffline(true);
  await page.goto(`/visits/new?citizen=${citizen}`);
  await page.getByTestId('save-visit').waitFor();
  await page.getByLabel('Start', { exact: true }).fill('09:00');
  await page.getByLabel('Slut', { exact: true }).fill('10:00');
  await page.getByLabel('Note').fill('Fælles samtale om budgettet');
  const colleagues = page.getByTestId('visit-co-workers');
  await colleagues.getByLabel(colleagueName).check();
  await screenshot(page, 'joint-01-form');
  await axeBothLanguages(page, 'the visit form with colleagues');
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
  await phone.setOffline(false);
  await syncNow(page);

  // One row each: hers, and his share pointing at it.
  const rows = env.server.sql(`SELECT worker_id || '|' || COALESCE(joint_of, '') || '|' || travel_minutes FROM visits
    WHERE note = 'Fælles samtale om budgettet' ORDER BY joint_of IS NOT NULL`);
  assert.equal(rows.length, 2, 'the visit and the colleague\'s share');
  const [, shareOf] = rows[1].split('|');
  assert.equal(rows[1].split('|')[0], colleague);
  assert.ok(shareOf.length > 0, 'the share names the visit it is a share of');

  // His phone: the visit is his too, marked joint, read-only.
  const phone2 = await newPhone(env.browser, env.server.url);
  const his = await phone2.newPage();
  await logIn(his, 'worker2');
  await waitForSynced(his);
  const row = his.getByTestId('visit').filter({ hasText: 'Fælles samtale om budgettet' });
  await row.waitFor();
  assert.match(await row.textContent(), /fælles besøg/);
  await row.locator('a').click();
  const notice = his.getByTestId('joint-share');
  await notice.waitFor();
  assert.match(await notice.textContent(), /^Et fælles besøg, som Anne Kjær har registreret\./);
  assert.equal(await his.getByTestId('save-visit').isDisabled(), true, 'the share is not changed on its own');
  assert.equal(await his.getByTestId('visit-co-workers').count(), 0, 'a share names no colleagues of its own');
  await screenshot(his, 'joint-02-colleague');
  await phone2.close();
  await phone.close();
});
