// Administration (issue 6): an admin sets up a team, a worker with a
// temporary password and a citizen, and assigns them; the worker chooses a
// password at first login and finds the citizen on the phone; ending the
// assignment takes the citizen off it. Real server, real built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, logIn, newPhone, readStore, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

async function fieldError(page, id) {
  await page.locator(`#${id}[aria-invalid="true"]`).waitFor();
  return page.locator(`#${id}-error`).textContent();
}

test('an admin sets up a team, a worker and a citizen; the worker chooses a password and sees the citizen', async () => {
  const stamp = Date.now().toString(36);
  const adminContext = await newPhone(env.browser, env.server.url);
  const admin = await adminContext.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').click();
  await admin.getByTestId('new-team').waitFor();
  await axe(admin, 'admin page');
  await screenshot(admin, 'admin-01-directory');

  // A team in the social area.
  await admin.getByTestId('new-team').click();
  await admin.getByTestId('save-team').click();
  assert.equal(await fieldError(admin, 'team-name'), 'Navn: skal udfyldes');
  await admin.locator('#team-name').fill(`Team ${stamp}`);
  await admin.locator('#team-area').selectOption({ label: 'Socialområdet' });
  await admin.getByTestId('save-team').click();
  await admin.getByTestId('admin-team').filter({ hasText: `Team ${stamp}` }).waitFor();

  // A worker in it, with a temporary password.
  await admin.getByTestId('new-user').click();
  await admin.locator('#user-name').fill('Anne Berg');
  await admin.locator('#user-username').fill(`anne${stamp}`);
  await admin.getByRole('checkbox', { name: 'Bostøttemedarbejder' }).check();
  await admin.getByRole('checkbox', { name: `Team ${stamp} · Socialområdet` }).check();
  await admin.locator('#user-password').fill('kort');
  await admin.getByTestId('save-user').click();
  assert.match(await fieldError(admin, 'user-password'), /mindst 10 tegn/);
  await admin.locator('#user-password').fill('skift-mig-nu-1');
  await axe(admin, 'user form');
  await screenshot(admin, 'admin-02-user-form');
  await admin.getByTestId('save-user').click();
  await admin.getByTestId('admin-user').filter({ hasText: `anne${stamp}` }).getByText('Midlertidig adgangskode').waitFor();

  // A citizen, then assigned to Anne.
  await admin.getByTestId('new-citizen').click();
  await admin.locator('#citizen-name').fill(`Mette ${stamp}`);
  await admin.locator('#citizen-birth').fill('12.03.1988');
  await admin.locator('#citizen-benefit').selectOption('cash_benefit');
  await admin.locator('#citizen-external-id').fill(`SAG-${stamp}`);
  await admin.getByTestId('save-citizen').click();
  await admin.getByTestId('add-assignment').waitFor();
  await admin.locator('#assign-user').selectOption({ label: `Anne Berg (anne${stamp})` });
  await admin.getByTestId('add-assignment').click();
  await admin.getByTestId('admin-assignment').filter({ hasText: 'Anne Berg' }).waitFor();
  await screenshot(admin, 'admin-03-citizen-assigned');
  const [citizenId] = env.server.sql(`SELECT id FROM citizens WHERE external_id = 'SAG-${stamp}'`);
  assert.ok(citizenId, 'the citizen is stored with the case id');

  // Anne's phone: first the password of her own, then the citizen.
  const phone = await newPhone(env.browser, env.server.url);
  const anne = await phone.newPage();
  await logIn(anne, `anne${stamp}`, 'skift-mig-nu-1');
  await anne.getByTestId('save-password').waitFor();
  await anne.locator('#current-password').fill('skift-mig-nu-1');
  await anne.locator('#new-password').fill('annes-egen-kode');
  await anne.locator('#repeat-password').fill('annes-egen-kod');
  await anne.getByTestId('save-password').click();
  assert.match(await fieldError(anne, 'repeat-password'), /^Gentag ny adgangskode: /);
  await anne.locator('#repeat-password').fill('annes-egen-kode');
  await screenshot(anne, 'admin-04-choose-password');
  await anne.getByTestId('save-password').click();
  await anne.getByTestId('today-citizen').filter({ hasText: `Mette ${stamp}` }).waitFor({ timeout: 30_000 });
  await waitForSynced(anne);
  await screenshot(anne, 'admin-05-worker-sees-citizen');

  // The citizen's access log: the admin's creation and Anne's phone
  // reading the data, with the purposes a citizen may be told.
  await admin.goto(`/admin/access?citizen=${citizenId}`);
  await admin.getByTestId('access-table').waitFor();
  const rows = admin.getByTestId('access-entry');
  await rows.filter({ hasText: 'Anne Berg' }).filter({ hasText: 'Støtte til borgeren' }).first().waitFor();
  await rows.filter({ hasText: 'Oprettet' }).filter({ hasText: 'Administration' }).first().waitFor();
  await admin.getByTestId('as-citizen').check();
  assert.equal(await rows.filter({ hasText: 'Anne Berg' }).count(), 0, 'no staff names in the citizen\'s copy');
  await axe(admin, 'access log');
  await screenshot(admin, 'admin-06-access-log');
  await admin.goto(`/admin/citizens/${citizenId}`);
  await admin.getByTestId('admin-assignment').waitFor();

  // The admin takes the assignment back (it began today: removed, not
  // ended): the citizen leaves Anne's phone.
  await admin.getByRole('button', { name: 'Fjern tilknytning for Anne Berg' }).click();
  await admin.getByTestId('admin-assignment').waitFor({ state: 'detached' });
  await anne.getByRole('button', { name: 'Synkronisér nu' }).click();
  await anne.getByTestId('today-citizen').filter({ hasText: `Mette ${stamp}` }).waitFor({ state: 'detached', timeout: 30_000 });
  await phone.close();
  await adminContext.close();
});

test('a deactivated worker’s phone hands in its waiting visit, then wipes itself', async () => {
  const stamp = Date.now().toString(36);
  const phone = await newPhone(env.browser, env.server.url);
  const worker = await phone.newPage();
  await logIn(worker, 'worker2');
  await worker.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(worker);

  // Offline, the worker logs a visit: it waits on the phone.
  await phone.setOffline(true);
  const note = `Før deaktiveringen ${stamp}`;
  await worker.getByTestId('log-visit').first().click();
  await worker.getByLabel('Start', { exact: true }).fill('08:00');
  await worker.getByLabel('Slut', { exact: true }).fill('08:30');
  await worker.getByLabel('Note').fill(note);
  await worker.getByTestId('save-visit').click();
  await worker.getByTestId('sync-status').getByText(/1 registrering venter/).waitFor();

  // Meanwhile the admin deactivates the worker.
  const adminContext = await newPhone(env.browser, env.server.url);
  const admin = await adminContext.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').waitFor();
  const [workerId] = env.server.sql("SELECT id FROM users WHERE username = 'worker2'");
  await admin.goto(`/admin/users/${workerId}`);
  await admin.locator('#user-active').waitFor();
  await admin.waitForFunction(() => document.querySelector('#user-name')?.value !== '');
  await admin.locator('#user-active').uncheck();
  await admin.getByTestId('save-user').click();
  await admin.getByTestId('admin-user').filter({ hasText: 'worker2' }).getByText('Deaktiveret').waitFor();
  await adminContext.close();

  // Back online (the phone syncs by itself): the visit reaches the
  // server, then the phone is wiped.
  await phone.setOffline(false);
  await worker.getByTestId('deactivated').waitFor({ timeout: 30_000 });
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM visits WHERE note = '${note}'`), ['1'], 'the waiting visit arrived');
  for (const store of ['outbox', 'citizens', 'visits', 'assignments', 'grants']) {
    assert.equal(await readStore(worker, store, 'count'), 0, `${store} is empty`);
  }
  await screenshot(worker, 'admin-07-deactivated-wiped');
  await phone.close();
});

test('an admin imports citizens after a dry run that found a bad line, and downloads the visits CSV', async () => {
  const stamp = Date.now().toString(36);
  const context = await env.browser.newContext({ baseURL: env.server.url, viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen', acceptDownloads: true });
  const admin = await context.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').click();
  await admin.getByTestId('import-dry-run').waitFor();
  const header = 'Sagsnummer;Navn;Fødselsår;Lag;Lag fra;Ydelse\r\n';
  const bad = `${header}I-${stamp}-1;Søren Ærø;1979;employment;30.09.2026;Kontanthjælp\r\nI-${stamp}-2;Åse Øster;19x9;;;other\r\n`;
  await admin.locator('#import-file').setInputFiles({ name: 'borgere.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'latin1') });
  await admin.getByTestId('import-dry-run').click();
  const problems = admin.getByTestId('import-problems');
  await problems.getByText('Fødselsår: skal være et helt tal fra 1900 til 2199').waitFor();
  assert.match(await problems.locator('tbody tr').first().textContent(), /^3Fødselsår/);
  assert.equal(await admin.getByTestId('import-run').isDisabled(), true, 'no import after a dry run with errors');
  await screenshot(admin, 'admin-08-import-problems');

  const good = bad.replace('19x9', '2009');
  await admin.locator('#import-file').setInputFiles({ name: 'borgere.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'latin1') });
  await admin.getByTestId('import-dry-run').click();
  await admin.getByTestId('import-summary').getByText(/Tørløb uden fejl: 2 nye/).waitFor();
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM citizens WHERE external_id LIKE 'I-${stamp}-%'`), ['0'], 'a dry run saves nothing');
  await admin.getByTestId('import-run').click();
  await admin.getByTestId('import-summary').getByText(/Importeret: 2 nye/).waitFor();
  assert.deepEqual(env.server.sql(`SELECT name FROM citizens WHERE external_id = 'I-${stamp}-1'`), ['Søren Ærø']);
  await axe(admin, 'admin import');

  const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('export-visits').click()]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(bytes.subarray(3).toString('utf8'), /^Dato;Start;Slut;Minutter;Timer;/);
  await context.close();
});
