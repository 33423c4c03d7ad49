// The lead's view (issue 5): the dashboard's pool figures against the
// server's database, approving a month, a worker's later edit to it
// rejected and shown, and the statement's CSV. Real server, real built
// app, Debian chromium at 390×844 and 1280×800.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, chooseLanguage, logIn, months, newPhone, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();
const DESKTOP = { width: 1280, height: 800 };

/** Minutes charged to the demo pool in a month, straight from the database. */
function poolMinutes({ start, end }) {
  const [minutes] = env.server.sql(`SELECT COALESCE(SUM((ended_at - started_at) / 60000), 0) FROM visits
    WHERE charged_pool_id = (SELECT id FROM drawing_rights) AND started_at >= ${start} AND started_at < ${end}`);
  return Number(minutes);
}

test('the dashboard shows the demo pool as the server counts it, on a phone and a desktop, in both languages', async () => {
  const { current } = months();
  for (const [viewport, tag] of [[null, 'phone'], [DESKTOP, 'desktop']]) {
    const context = viewport
      ? await env.browser.newContext({ baseURL: env.server.url, viewport, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' })
      : await newPhone(env.browser, env.server.url);
    const page = await context.newPage();
    await logIn(page, 'lead');
    await page.getByTestId('nav-lead').click();
    const pool = page.getByTestId('pool');
    await pool.waitFor();
    assert.equal(Number(await pool.getAttribute('data-used')), poolMinutes(current), 'used minutes');
    assert.equal(Number(await pool.getAttribute('data-available')), 6000, 'the demo pool is 100 hours a month');
    assert.equal(await page.getByTestId('pool-available').textContent(), '100 t');
    assert.ok(await page.getByTestId('worker-row').count() >= 2, 'both housing-support workers');
    await screenshot(page, `lead-01-dashboard-${tag}`);
    await axe(page, `dashboard (da, ${tag})`);
    await chooseLanguage(page, 'English');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await axe(page, `dashboard (en, ${tag})`);
    await chooseLanguage(page, 'Dansk');
    await context.close();
  }
});

test('the lead approves last month; the worker’s later edit to it is rejected and shown; the CSV adds up', async () => {
  const { previous } = months();
  // The worker's phone has last month's visits, then loses the network.
  const workerContext = await newPhone(env.browser, env.server.url);
  const worker = await workerContext.newPage();
  await logIn(worker, 'worker');
  await worker.getByTestId('today-citizen').first().waitFor();
  await waitForSynced(worker);
  await workerContext.setOffline(true);

  const leadContext = await env.browser.newContext({ baseURL: env.server.url, viewport: DESKTOP, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
  const lead = await leadContext.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-lead').click();
  await lead.getByTestId('pool').waitFor();
  await lead.getByTestId('month-select').selectOption(previous.key);
  await lead.getByTestId('approval').getByText(/besøg venter på godkendelse/).waitFor();
  const waiting = Number(env.server.sql(`SELECT COUNT(*) FROM visits v JOIN team_members m ON m.user_id = v.worker_id
    JOIN teams t ON t.id = m.team_id WHERE t.name = 'Bostøtteteamet' AND v.status = 'submitted'
    AND v.started_at >= ${previous.start} AND v.started_at < ${previous.end}`)[0]);
  assert.ok(waiting > 0, 'last month has visits to approve');
  await lead.getByTestId('approve').click();
  await lead.getByTestId('approval-state').getByText('Godkendt af Henrik Dahl').waitFor();
  await screenshot(lead, 'lead-02-approved');
  assert.deepEqual(env.server.sql(`SELECT status, COUNT(*) FROM visits v JOIN team_members m ON m.user_id = v.worker_id
    JOIN teams t ON t.id = m.team_id WHERE t.name = 'Bostøtteteamet'
    AND v.started_at >= ${previous.start} AND v.started_at < ${previous.end} GROUP BY status`), [`approved|${waiting}`]);

  // Offline, the worker edits one of last month's visits: saved on the phone…
  const [visitId] = env.server.sql(`SELECT v.id FROM visits v JOIN users u ON u.id = v.worker_id WHERE u.username = 'worker'
    AND v.started_at >= ${previous.start} AND v.started_at < ${previous.end} ORDER BY v.started_at LIMIT 1`);
  await worker.goto(`/visits/${visitId}`);
  await worker.getByTestId('save-visit').waitFor();
  const note = 'Rettet efter godkendelsen';
  await worker.getByLabel('Note').fill(note);
  await worker.getByTestId('save-visit').click();
  await worker.getByRole('heading', { name: /^I dag/ }).waitFor();
  // …and refused by the server once online, with the reason and the note kept.
  await workerContext.setOffline(false);
  await worker.getByRole('button', { name: 'Synkronisér nu' }).click();
  const item = worker.getByTestId('rejected-item').filter({ hasText: note });
  await item.waitFor({ timeout: 30_000 });
  assert.equal(await item.getAttribute('data-code'), 'approved');
  assert.match(await item.textContent(), /godkendt og kan ikke ændres/);
  await screenshot(worker, 'lead-03-worker-edit-rejected');
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM visits WHERE id = '${visitId}' AND note = '${note}'`), ['0'], 'the approved visit is unchanged');

  // The statement for the employment area: the CSV as Danish Excel reads it.
  await lead.getByRole('link', { name: 'Opgørelser' }).click();
  await lead.getByTestId('area-select').selectOption({ label: 'Beskæftigelsesområdet' });
  await lead.getByTestId('statement-month').selectOption(previous.key);
  await lead.getByTestId('statement-state').getByText('Alle besøg er godkendt.').waitFor();
  await screenshot(lead, 'lead-04-statement');
  await axe(lead, 'statement (da)');
  const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByTestId('download-csv').click()]);
  assert.equal(download.suggestedFilename(), `opgoerelse-beskaeftigelsesomraadet-${previous.key}.csv`);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  assert.equal(lines[0], `Opgørelse;Beskæftigelsesområdet ${previous.key}`);
  assert.equal(lines[1], 'Borger;Fødselsår;Ydelse;Betales via;Besøg;Minutter;Timer');
  assert.equal(lines.at(-1), '', 'every line ends with CRLF');
  const total = lines.at(-2).split(';');
  assert.equal(total[0], 'I alt');
  // The lead's team delivers employment's hours on the pool only.
  const minutes = poolMinutes(previous);
  assert.equal(Number(total[5]), minutes);
  // The hours' total is the sum of the hours shown on the lines (issue 12,
  // kind 8), each line its minutes rounded to hundredths of an hour.
  const shown = (m) => Math.floor((m * 100 + 30) / 60);
  const hundredths = lines.slice(2, -2).reduce((sum, l) => sum + shown(Number(l.split(';')[5])), 0);
  assert.equal(total[6], `${Math.floor(hundredths / 100)},${String(hundredths % 100).padStart(2, '0')}`);
  assert.equal(lines.slice(2, -2).reduce((sum, l) => sum + Number(l.split(';')[6].replace(',', '')), 0), hundredths, 'the hour lines add up to the total');
  for (const line of lines.slice(2, -2)) {
    const cells = line.split(';');
    assert.equal(cells.length, 7, line);
    assert.match(cells[3], /^Trækningsret: /, line);
    assert.match(cells[6], /^\d+,\d\d$/, 'hours with a decimal comma');
  }
  assert.equal(lines.slice(2, -2).reduce((sum, l) => sum + Number(l.split(';')[5]), 0), minutes, 'the lines add up to the total');

  // The worker's drill-down reads from the lead's phone.
  await lead.goto(`/lead?month=${previous.key}`);
  await lead.getByTestId('worker-row').first().locator('a').click();
  await lead.getByTestId('worker-name').waitFor();
  await screenshot(lead, 'lead-05-worker');
  await axe(lead, 'worker drill-down (da)');
  await workerContext.close();
  await leadContext.close();
});

test('the overview reads offline as of its last fetch', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'lead');
  await page.getByTestId('nav-lead').click();
  const used = await page.getByTestId('pool').getAttribute('data-used');
  await waitForSynced(page);
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('pool').waitFor();
  assert.equal(await page.getByTestId('report-as-of').getAttribute('data-cached'), 'true');
  await page.getByTestId('report-as-of').getByText(/Uden forbindelse – viser overblikket fra/).waitFor();
  assert.equal(await page.getByTestId('pool').getAttribute('data-used'), used);
  await screenshot(page, 'lead-06-offline');
  // The walk of issue 13 (D1): back online, the copy gives way to the
  // server's answer by itself, with no tap; on the statement and on the
  // administrator's lists too.
  await context.setOffline(false);
  await page.getByTestId('report-as-of').getByText(/^Opdateret /).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('report-as-of').getAttribute('data-cached'), 'false');
  await page.goto('/lead/statement');
  await page.getByTestId('statement-state').getByText(/Dannet /).waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('statement-state').getByText(/Uden forbindelse – opgørelsen fra/).waitFor();
  await context.setOffline(false);
  await page.getByTestId('statement-state').getByText(/Dannet /).waitFor({ timeout: 15_000 });
  await context.close();
});

/** The service worker's lists (SHELL precached, OFFICE kept on request) and what its cache holds now. */
async function swCache(page) {
  return page.evaluate(async () => {
    const sw = await (await fetch('/sw.js')).text();
    const listed = (name) => JSON.parse(new RegExp(`const ${name} = (.*);`).exec(sw)[1]);
    const cached = [];
    for (const key of await caches.keys()) {
      for (const request of await (await caches.open(key)).keys()) cached.push(new URL(request.url).pathname);
    }
    return { shell: listed('SHELL'), office: listed('OFFICE'), cached };
  });
}

test('a field worker’s phone never downloads the lead’s screens; a lead’s keeps them all and opens one offline', async () => {
  const field = await newPhone(env.browser, env.server.url);
  const requested = [];
  field.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const worker = await field.newPage();
  await logIn(worker, 'worker');
  await worker.getByTestId('today-citizen').first().waitFor();
  await worker.evaluate(() => navigator.serviceWorker.ready);
  await waitForSynced(worker);
  // Every field screen, so every chunk it needs has been asked for.
  await worker.getByRole('navigation').getByRole('link', { name: 'Borgere' }).click();
  await worker.getByTestId('citizen').first().getByRole('link').click();
  await worker.getByTestId('citizen-name').waitFor();
  await worker.getByRole('navigation').getByRole('link', { name: 'Registrér' }).click();
  await worker.getByTestId('save-visit').waitFor();
  const onField = await swCache(worker);
  assert.ok(onField.office.length > 0, 'the build has office chunks');
  for (const file of onField.shell) assert.ok(onField.cached.includes(file), `${file} is precached`);
  assert.deepEqual(onField.office.filter((f) => onField.cached.includes(f) || requested.includes(f)), [],
    'no office chunk was fetched or cached on the field phone');
  await field.close();

  const office = await newPhone(env.browser, env.server.url);
  const lead = await office.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-lead').waitFor();
  // The app asks the service worker to keep every office screen.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const kept = await swCache(lead);
    const missing = kept.office.filter((f) => !kept.cached.includes(f));
    if (missing.length === 0) break;
    assert.ok(Date.now() < deadline, `office chunks still not cached: ${missing.length} of ${kept.office.length}`);
    await lead.waitForTimeout(250);
  }
  await office.setOffline(true);
  // Never opened before, now offline: its code comes from the cache.
  await lead.goto('/lead/statement');
  await lead.getByRole('heading', { name: 'Opgørelse pr. betaler' }).waitFor();
  await screenshot(lead, 'lead-07-statement-first-opened-offline');
  await office.close();
});

test('a screen whose code cannot be fetched says so, and the app keeps working', async () => {
  // No service worker, and the office screens' chunks refused: as when the
  // network drops while a lead opens a screen for the first time.
  const context = await env.browser.newContext({
    baseURL: env.server.url, viewport: { width: 390, height: 844 }, locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen', serviceWorkers: 'block',
  });
  const sw = await (await fetch(new URL('/sw.js', env.server.url))).text();
  const office = new Set(JSON.parse(/const OFFICE = (.*);/.exec(sw)[1]));
  await context.route((url) => office.has(url.pathname), (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  const crashed = [];
  page.on('pageerror', (e) => crashed.push(e.message));
  await logIn(page, 'lead');
  await page.getByTestId('nav-lead').click();
  const notice = page.getByTestId('screen-unavailable');
  await notice.getByText('Skærmen kunne ikke hentes. Gå online og genindlæs – alt på telefonen er gemt.').waitFor();
  await screenshot(page, 'lead-08-screen-unavailable');
  await notice.getByRole('link', { name: 'Til I dag' }).click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
  assert.equal(await notice.count(), 0, 'gone on another screen');
  // Still alive: the field screens work.
  await page.getByRole('navigation').getByRole('link', { name: 'Borgere' }).click();
  await page.getByTestId('citizen-count').waitFor();
  assert.deepEqual(crashed, [], 'no panic');
  await context.close();
});

test("another worker's visit opens read-only on a lead's phone, with the way to the correction", async () => {
  // The walk of issue 13 (D2): the field form offered Gem and Slet on a
  // visit the server would refuse to change.
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'lead');
  await page.getByRole('navigation').getByRole('link', { name: 'Borgere' }).click();
  await page.getByTestId('citizen').first().click();
  await page.getByTestId('visit').first().locator('a').click();
  await page.getByTestId('others-visit').waitFor();
  assert.equal(await page.getByTestId('save-visit').isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Slet besøget' }).count(), 0);
  await page.getByTestId('others-visit').getByRole('link', { name: 'Ret minutterne som leder' }).click();
  await page.waitForURL(/\/lead\/visits\//);
  await context.close();
});
