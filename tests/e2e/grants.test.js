// Grants, drawing rights and caseload norms written by leads and admins
// (issue 5): every refusal at its field, the payer rule, overlaps, ending a
// grant, and who may not. Real server, real built app, Debian chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, logIn, newPhone, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** Today in Copenhagen as `YYYY-MM-DD`. */
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date());
}

/** Waits until the grant form has been filled (areas come from the server). */
async function formFilled(page) {
  await page.getByTestId('save-grant').waitFor();
  await page.waitForFunction(() => document.querySelector('#grant-legal-basis')?.value !== '');
}

/** The error shown under the field with id `id`, once it is marked invalid. */
async function fieldError(page, id) {
  await page.locator(`#${id}[aria-invalid="true"]`).waitFor();
  return page.locator(`#${id}-error`).textContent();
}

test('a lead creates a grant field by field, is stopped by the payer rule and overlaps, and ends it', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'lead');
  await waitForSynced(page);
  await page.getByRole('link', { name: 'Borgere', exact: true }).click();
  await page.getByTestId('citizen').first().locator('a').first().click();
  await page.getByTestId('citizen-name').waitFor();
  const citizenId = page.url().split('/').pop();
  const before = await page.getByTestId('grant-admin-item').count();
  assert.ok(before >= 1, 'the demo citizen has a grant');

  await page.getByTestId('new-grant').click();
  await formFilled(page);
  assert.equal(await page.locator('#grant-legal-basis').inputValue(), 'SEL § 85');
  assert.equal(await page.locator('#grant-from').inputValue(), today());
  // Nothing typed in the hours: refused at the field, in Danish.
  await page.getByTestId('save-grant').click();
  assert.equal(await fieldError(page, 'grant-hours'), 'Timer: skal udfyldes');
  // Focus moves once the errors are on screen (the next tick).
  await page.waitForFunction(() => document.activeElement?.id === 'grant-hours', null, { timeout: 5_000 });
  // Hours are refused in hours, naming the hours field (issue 12, kind 3).
  await page.locator('#grant-hours').fill('1.200');
  await page.getByTestId('save-grant').click();
  assert.equal(await fieldError(page, 'grant-hours'), 'Timer: skal være mere end 0 og højst 168 timer');
  await page.locator('#grant-hours').fill('1.5');
  await page.getByTestId('save-grant').click();
  assert.match(await fieldError(page, 'grant-hours'), /^Timer: kan læses på flere måder/);
  // Housing support from today overlaps the demo grant.
  await page.locator('#grant-hours').fill('2,5');
  await page.getByTestId('save-grant').click();
  assert.match(await fieldError(page, 'grant-from'), /^Gælder fra: /);
  await screenshot(page, 'grants-01-overlap');

  // Mentor support: its legal basis and the employment area as payer.
  await page.locator('#grant-service').selectOption('mentor');
  assert.equal(await page.locator('#grant-legal-basis').inputValue(), 'LAB § 78');
  assert.equal(await page.locator('#grant-payer option:checked').textContent(), 'Beskæftigelsesområdet');
  // The payer rule: the social area does not pay for mentor support.
  await page.locator('#grant-payer').selectOption({ label: 'Socialområdet' });
  await page.getByTestId('save-grant').click();
  assert.match(await fieldError(page, 'grant-payer'), /^Betalende område: /);
  await page.locator('#grant-payer').selectOption({ label: 'Beskæftigelsesområdet' });
  await page.locator('#grant-per').selectOption('month');
  await axe(page, 'grant form');
  await page.getByTestId('save-grant').click();

  // Saved on the server, back on the citizen's page by sync.
  await page.getByTestId('citizen-name').waitFor();
  await page.getByTestId('grant-admin-item').nth(before).waitFor();
  const saved = env.server.sql(`SELECT service || '|' || legal_basis || '|' || minutes || '|' || per || '|' || valid_from || '|' || COALESCE(valid_to, '')
    FROM grants WHERE citizen_id = '${citizenId}' AND service = 'mentor'`);
  assert.deepEqual(saved, [`mentor|LAB § 78|150|month|${today()}|`]);
  await screenshot(page, 'grants-02-created');

  // Ending it: its last day is today.
  await page.getByRole('link', { name: 'Ret Mentorstøtte' }).click();
  await formFilled(page);
  await page.getByTestId('end-grant').click();
  assert.equal(await page.locator('#grant-to').inputValue(), today());
  await page.getByTestId('save-grant').click();
  await page.getByTestId('citizen-name').waitFor();
  assert.deepEqual(env.server.sql(`SELECT valid_to FROM grants WHERE citizen_id = '${citizenId}' AND service = 'mentor'`), [today()]);
  // The phone has the ended grant by sync before it goes offline (else the
  // next form reads a mentor grant still running and says "overlaps").
  const lastDay = today().split('-').reverse().join('.');
  await page.getByTestId('grant-admin-item').filter({ hasText: 'Mentorstøtte' }).getByText(`–${lastDay}`, { exact: false }).waitFor();

  // Offline, a grant cannot be saved, and what was typed stays.
  await page.getByTestId('new-grant').click();
  await formFilled(page);
  await context.setOffline(true);
  await page.locator('#grant-service').selectOption('mentor');
  await page.locator('#grant-from').fill('2099-01-01');
  await page.locator('#grant-hours').fill('1:40');
  await page.getByTestId('save-grant').click();
  await page.getByText(/der er ingen forbindelse/).waitFor();
  assert.equal(await page.locator('#grant-hours').inputValue(), '1:40');
  await context.setOffline(false);
  await context.close();
});

test('an admin adds a drawing right and sets caseload norms; a lead and a worker may not', async () => {
  const context = await env.browser.newContext({ baseURL: env.server.url, viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  await logIn(page, 'admin');
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('pool-admin-item').first().waitFor();
  assert.equal(await page.getByTestId('pool-admin-item').count(), 1, 'the demo pool');
  assert.match(await page.getByTestId('pool-admin-item').textContent(), /Trækningsret på bostøtte.*Beskæftigelsesområdet → Bostøtteteamet/);

  await page.getByTestId('new-pool').click();
  await page.getByTestId('save-pool').click();
  assert.equal(await fieldError(page, 'pool-name'), 'Navn: skal udfyldes');
  await page.locator('#pool-name').fill('Trækningsret på mentorer');
  await page.locator('#pool-owner').selectOption({ label: 'Beskæftigelsesområdet' });
  // A drawing right is on another area's team.
  await page.locator('#pool-team').selectOption({ label: 'Mentorteamet · Beskæftigelsesområdet' });
  await page.locator('#pool-hours').fill('40');
  await page.locator('#pool-period').selectOption('quarter');
  await page.locator('#pool-rollover').selectOption('roll_over');
  await page.getByTestId('save-pool').click();
  // Named by its label, in words that say why (issue 15's walk).
  assert.equal(await fieldError(page, 'pool-team'), 'Leveres af: skal være et team i et andet område end det, der ejer trækningsretten');
  await screenshot(page, 'grants-03-pool-own-area');
  await page.locator('#pool-owner').selectOption({ label: 'Socialområdet' });
  await page.getByTestId('save-pool').click();
  await page.getByTestId('pool-admin-item').nth(1).waitFor();
  assert.deepEqual(env.server.sql("SELECT minutes_per_period || '|' || period_kind || '|' || rollover FROM drawing_rights WHERE name = 'Trækningsret på mentorer'"), ['2400|quarter|roll_over']);

  await page.locator('#norm-social').fill('0');
  await page.getByTestId('save-norms').click();
  // Named by the field's label (issue 15's walk), with the range.
  assert.equal(await fieldError(page, 'norm-social'), 'Social og sundhed: skal være mellem 1 og 500');
  await page.locator('#norm-social').fill('45');
  await page.getByTestId('save-norms').click();
  await page.getByTestId('norms-saved').waitFor();
  const norms = await (await page.request.get('/api/settings/caseload-norms')).json();
  assert.deepEqual(norms, { employment: 35, social: 45, children_youth: 30 });
  await screenshot(page, 'grants-04-admin');
  await axe(page, 'admin page');
  await context.close();

  // A lead sees no administration, a worker writes no grants.
  const phone = await newPhone(env.browser, env.server.url);
  const lead = await phone.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-lead').waitFor();
  assert.equal(await lead.getByTestId('nav-admin').count(), 0);
  await lead.goto('/admin');
  await lead.getByText('Kun administratorer har adgang til administration.').waitFor();
  await phone.close();
  const workerPhone = await newPhone(env.browser, env.server.url);
  const worker = await workerPhone.newPage();
  await logIn(worker, 'worker');
  await waitForSynced(worker);
  await worker.getByRole('link', { name: 'Borgere', exact: true }).click();
  await worker.getByTestId('citizen').first().locator('a').first().click();
  await worker.getByTestId('citizen-name').waitFor();
  assert.equal(await worker.getByTestId('new-grant').count(), 0, 'no grant editing for a worker');
  await worker.goto(`${worker.url()}/grants/new`);
  await worker.getByText('Kun ledere og administratorer kan oprette og ændre bevillinger.').waitFor();
  await workerPhone.close();
});
