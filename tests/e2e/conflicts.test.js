// Conflicts are seen and settled by a person (issue 12, kind 15): a
// worker's two phones change one visit's note offline; the second to sync
// is applied with a clash (the first stands). That phone says "Din ændring
// blev ikke gemt" and its fix starts from the visit as it is now; the lead
// sees both versions on /lead/conflicts, takes the other one, and the
// worker's phones get it by sync. Real server, real built app, Debian
// chromium at 390×844.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logIn, newPhone, readStore, screenshot, syncNow, useServerAndBrowser, twoDevices, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** Edits the note of visit `id` on `page` (online or not) and saves it. */
async function editNote(page, id, note) {
  await page.goto(`/visits/${id}`);
  await page.getByTestId('save-visit').waitFor();
  await page.getByLabel('Note').fill(note);
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
}

test('two phones edit one note offline; the phone not kept is told; the lead takes its version; both phones get it', async () => {
  const [visitId] = env.server.sql(`SELECT v.id FROM visits v JOIN users u ON u.id = v.worker_id
    WHERE u.username = 'worker' AND v.status = 'submitted' ORDER BY v.started_at DESC LIMIT 1`);
  assert.ok(visitId, 'the demo worker has a visit to edit');
  const { phone: phoneContext, tablet: tabletContext, a: phone, b: tablet } = await twoDevices(env, 'worker');

  // Both offline, both change the note of the same visit.
  await phoneContext.setOffline(true);
  await tabletContext.setOffline(true);
  await editNote(phone, visitId, 'Noten fra telefonen');
  await editNote(tablet, visitId, 'Noten fra tabletten');

  // The phone syncs first: its note stands.
  await phoneContext.setOffline(false);
  await syncNow(phone);
  assert.deepEqual(env.server.sql(`SELECT note FROM visits WHERE id = '${visitId}'`), ['Noten fra telefonen']);
  // The tablet's edit is applied with a clash: not kept, and it says so.
  await tabletContext.setOffline(false);
  await syncNow(tablet);
  const item = tablet.getByTestId('rejected-item').filter({ hasText: 'Noten fra tabletten' });
  await item.waitFor({ timeout: 30_000 });
  assert.equal(await item.getAttribute('data-code'), 'edit_not_kept');
  await tablet.getByRole('heading', { name: 'Din ændring blev ikke gemt' }).waitFor();
  assert.match(await item.textContent(), /Din ændring af noten blev ikke gemt/);
  await screenshot(tablet, 'conflicts-01-worker-edit-not-kept');
  // Its fix starts from the visit as it is now, with the tablet's note on top.
  await item.getByTestId('fix-rejected').click();
  await tablet.getByTestId('save-visit').waitFor();
  assert.equal(await tablet.getByLabel('Note').inputValue(), 'Noten fra tabletten');
  await tablet.goto('/');
  assert.deepEqual(env.server.sql(`SELECT note FROM visits WHERE id = '${visitId}'`), ['Noten fra telefonen'], 'nothing saved by looking');

  // The lead, on a phone, finds it from the overview and sees both versions in Danish.
  const leadContext = await newPhone(env.browser, env.server.url);
  const lead = await leadContext.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-lead').click();
  const link = lead.getByTestId('conflicts-link');
  await link.getByText('1').waitFor({ timeout: 30_000 });
  await link.click();
  const card = lead.getByTestId('conflict');
  await card.waitFor();
  assert.equal(await card.count(), 1);
  await card.getByRole('columnheader', { name: 'Står nu' }).waitFor();
  await card.getByRole('columnheader', { name: 'Ikke gemt' }).waitFor();
  assert.equal(await card.getByTestId('standing').textContent(), 'Noten fra telefonen');
  assert.equal(await card.getByTestId('other').textContent(), 'Noten fra tabletten');
  assert.match(await card.textContent(), /Medarbejder: .+\. Ikke gemt: en ændring fra .+, modtaget .+\. Den byggede på en ældre version/);
  assert.doesNotMatch(await card.textContent(), /enhed|[0-9a-f]{8}/, 'no device id for the lead');
  await screenshot(lead, 'conflicts-02-lead-phone');

  // Offline, a decision is not made: the page says so and the buttons wait.
  await leadContext.setOffline(true);
  await lead.getByTestId('conflicts-offline').waitFor();
  assert.equal(await card.getByTestId('settle-other').isDisabled(), true);
  await leadContext.setOffline(false);
  await lead.getByTestId('conflicts-offline').waitFor({ state: 'detached' });

  await card.getByTestId('settle-other').click();
  await lead.getByTestId('no-conflicts').waitFor();
  await screenshot(lead, 'conflicts-03-settled');
  assert.deepEqual(env.server.sql(`SELECT note FROM visits WHERE id = '${visitId}'`), ['Noten fra tabletten']);
  assert.deepEqual(env.server.sql(`SELECT kept FROM visit_conflicts WHERE visit_id = '${visitId}'`), ['other']);

  // Both of the worker's phones get the settled note by sync.
  for (const page of [phone, tablet]) {
    await syncNow(page);
    await page.goto(`/visits/${visitId}`);
    await page.getByTestId('save-visit').waitFor();
    assert.equal(await page.getByLabel('Note').inputValue(), 'Noten fra tabletten');
  }
  // The tablet's change stands now: its "not kept" card is gone for good.
  await tablet.goto('/');
  await tablet.getByTestId('today-citizen').first().waitFor();
  assert.equal(await tablet.getByTestId('rejected-item').count(), 0, 'no "ikke gemt" for a change that was kept');
  assert.deepEqual(await readStore(tablet, 'rejected', 'count'), 0);
  await phoneContext.close();
  await tabletContext.close();
  await leadContext.close();
});

test('the lead corrects a visit’s minutes from the worker’s page, and removes the correction', async () => {
  const [visitId, workerId] = env.server.sql(`SELECT v.id || '|' || v.worker_id FROM visits v JOIN users u ON u.id = v.worker_id
    WHERE u.username = 'worker2' AND v.status = 'submitted' AND v.corrected_minutes IS NULL
    ORDER BY v.started_at DESC LIMIT 1`)[0].split('|');
  const context = await newPhone(env.browser, env.server.url);
  const lead = await context.newPage();
  await logIn(lead, 'lead');
  await waitForSynced(lead);
  await lead.goto(`/lead/visits/${visitId}`);
  await lead.getByTestId('save-correction').click();
  // Both fields are required; the refusals name them.
  await lead.locator('#correction-minutes-error').getByText('Minutter, der tæller: skal udfyldes').waitFor();
  assert.equal(await lead.getByLabel('Minutter, der tæller').getAttribute('aria-invalid'), 'true');
  assert.equal(await lead.getByLabel('Begrundelse').getAttribute('aria-invalid'), 'true');
  await lead.getByLabel('Minutter, der tæller').fill('25');
  await lead.getByLabel('Begrundelse').fill('Borgeren gik efter 25 minutter');
  await lead.getByTestId('save-correction').click();
  await lead.waitForURL(new RegExp(`/lead/workers/${workerId}\\?month=\\d{4}-\\d{2}$`));
  await waitForSynced(lead);
  assert.deepEqual(env.server.sql(`SELECT corrected_minutes, correction_reason FROM visits WHERE id = '${visitId}'`),
    ['25|Borgeren gik efter 25 minutter']);
  await lead.goto(`/lead/visits/${visitId}`);
  assert.equal(await lead.getByTestId('counted-minutes').textContent(), '25 min');
  await screenshot(lead, 'conflicts-04-correction');
  await lead.getByTestId('remove-correction').click();
  await lead.waitForURL(new RegExp(`/lead/workers/${workerId}\\?month=\\d{4}-\\d{2}$`));
  await waitForSynced(lead);
  assert.deepEqual(env.server.sql(`SELECT COALESCE(corrected_minutes, -1) FROM visits WHERE id = '${visitId}'`), ['-1']);
  await context.close();
});
