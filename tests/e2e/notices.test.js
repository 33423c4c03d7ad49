// Decision notices (issue 16; seed 000's fixed procedure for telling the
// other area about decisions on housing support): a lead changes a § 85
// grant; the coordinating case worker of the citizen's employment case
// finds the notice in the inbox, reads it offline, and the read reaches the
// server when the phone is back online; the lead's overview lists notices
// left unread for five working days. Real server, real built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeBothLanguages, desktop, logIn, newPhone, screenshot, serviceWorkerReady, syncNow, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** The demo's first adult on an employment benefit with a § 85 grant and
 * an open employment case whose case worker is `coordinator`. */
function sharedCitizen() {
  const [row] = env.server.sql(`SELECT c.id || '|' || c.name || '|' || g.id FROM citizens c
    JOIN grants g ON g.citizen_id = c.id AND g.service = 'housing_support'
    JOIN cases k ON k.citizen_id = c.id AND k.closed_on IS NULL AND k.caseworker_id = (SELECT id FROM users WHERE username = 'coordinator')
    JOIN areas a ON a.id = k.area_id AND a.kind = 'employment'
    ORDER BY c.name LIMIT 1`);
  const [id, name, grant] = row.split('|');
  return { id, name, grant };
}

test('a § 85 decision reaches the other area\'s case worker, who reads it offline; the read lands once online', async () => {
  const citizen = sharedCitizen();
  const noticesBefore = Number(env.server.sql(`SELECT COUNT(*) FROM decision_notices WHERE grant_id = '${citizen.grant}'`)[0]);

  // The lead raises the citizen's hours (a change of the decision).
  const desk = await desktop(env.browser, env.server.url);
  const lead = await desk.newPage();
  await logIn(lead, 'lead');
  await waitForSynced(lead);
  await lead.goto(`/citizens/${citizen.id}/grants/${citizen.grant}`);
  await lead.getByTestId('save-grant').waitFor();
  await lead.waitForFunction(() => document.querySelector('#grant-hours')?.value !== '');
  await lead.locator('#grant-hours').fill('7');
  await lead.getByTestId('save-grant').click();
  await lead.getByTestId('citizen-name').waitFor();
  const written = env.server.sql(`SELECT u.username || '|' || n.decision || '|' || (n.read_at IS NULL) FROM decision_notices n
    JOIN users u ON u.id = n.recipient_id WHERE n.grant_id = '${citizen.grant}' ORDER BY u.username`);
  assert.ok(written.length > noticesBefore, 'the decision wrote notices');
  assert.ok(written.includes('coordinator|changed|1'), `the employment case worker is told: ${written}`);
  assert.ok(!written.some((w) => w.startsWith('lead|')), 'the one who decided is not told');

  // The coordinator's phone: the nav counts the unread notice.
  const phone = await newPhone(env.browser, env.server.url);
  const page = await phone.newPage();
  await logIn(page, 'coordinator');
  await waitForSynced(page);
  const nav = page.getByTestId('nav-inbox');
  await nav.getByText(/\d/).waitFor();
  const unread = Number(await page.getByTestId('nav-inbox-count').textContent());
  assert.ok(unread >= 1, 'an unread notice is counted');
  // Today says so too, and leads to the inbox.
  const today = page.getByTestId('today-notices');
  assert.match(await today.textContent(), unread === 1 ? /^1 ulæst besked om afgørelser i et andet område\.$/ : new RegExp(`^${unread} ulæste beskeder om afgørelser i et andet område\\.$`));
  await serviceWorkerReady(page);

  // Offline: the notice is there, with what, from when and by whom.
  await phone.setOffline(true);
  await page.reload();
  await nav.click();
  const notice = page.getByTestId('decision-notice').filter({ hasText: citizen.name }).first();
  await notice.waitFor();
  assert.match(await notice.getByTestId('notice-summary').textContent(), /^Ændret: Socialpædagogisk støtte \(bostøtte\), 7 timer pr\. uge fra \d\d\.\d\d\.\d{4}/);
  assert.match(await notice.textContent(), /Besluttet af .+ \d\d\.\d\d\.\d{4} kl\. \d\d[.:]\d\d/);
  assert.equal(await notice.getAttribute('data-read'), 'false');
  await screenshot(page, 'notices-01-inbox-offline');
  await notice.getByTestId('mark-read').click();
  await notice.getByTestId('notice-read').getByText('Læst – sendes, når der er net').waitFor();
  // The count goes down at once (gone at none).
  if (unread === 1) await page.getByTestId('nav-inbox-count').waitFor({ state: 'detached' });
  else await page.locator('[data-testid=nav-inbox-count]', { hasText: new RegExp(`^${unread - 1}$`) }).waitFor();
  // The read survives a reload with no network.
  await page.reload();
  await page.getByTestId('decision-notice').filter({ hasText: citizen.name }).first().getByTestId('notice-read').waitFor();

  // Online: the read reaches the server, once.
  await phone.setOffline(false);
  await syncNow(page);
  const read = env.server.sql(`SELECT COUNT(*) FROM decision_notices n JOIN users u ON u.id = n.recipient_id
    WHERE n.grant_id = '${citizen.grant}' AND u.username = 'coordinator' AND n.read_at IS NOT NULL`);
  assert.deepEqual(read, ['1']);
  await page.getByTestId('decision-notice').filter({ hasText: citizen.name }).first().getByText(/^Læst \d\d\.\d\d\.\d{4} kl\./).waitFor();
  await axeBothLanguages(page, 'inbox at 390×844');
  await screenshot(page, 'notices-02-read');
  await phone.close();

  // The lead's overview: notices of the lead's areas left unread for five
  // working days (the demo has one, decided eight working days ago).
  await lead.getByTestId('nav-lead').click();
  const late = lead.getByTestId('late-notice');
  await late.first().waitFor();
  assert.match(await late.first().textContent(), /ulæst i \d+ arbejdsdage/);
  await axeBothLanguages(lead, 'lead overview with late notices at 1280×800');
  await screenshot(lead, 'notices-03-lead-late');
  await desk.close();
});
