// The case review and the resource picture (issue 14): an administrator
// imports citizens with birth dates, layers and cases; a lead runs a review
// of ten of their team's citizens on the phone; the area head opens the
// layer × age band table as of a date and downloads its CSV. axe finds
// nothing in either language at 390×844 and 1280×800. Real server, real
// built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, axeBothLanguages, desktop, logIn, newPhone, screenshot, useServerAndBrowser } from './support.js';

const env = useServerAndBrowser();

test('an administrator imports citizens, a lead reviews ten, the area head reads the table and its CSV', async () => {
  const stamp = Date.now().toString(36);
  // 1. The administrator imports twelve citizens with a case in the social
  // area: birth dates (one by year only), two already classified.
  const adminContext = await desktop(env.browser, env.server.url);
  const admin = await adminContext.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').click();
  await admin.getByTestId('import-dry-run').waitFor();
  let csv = 'Sagsnummer;Navn;Fødselsdato;Fødselsår;Ydelse;Lag;Lag fra;Sagsområde;Sag åbnet\r\n';
  for (let i = 1; i <= 12; i++) {
    const date = i === 12 ? '' : `${String(i).padStart(2, '0')}.03.${1960 + i * 3}`;
    const layer = i <= 2 ? 'Fælles plan;01.10.2026' : ';';
    csv += `R-${stamp}-${i};Gennemgået Borger ${i};${date};${1960 + i * 3};Kontanthjælp;${layer};Socialområdet;01.01.2025\r\n`;
  }
  await admin.locator('#import-file').setInputFiles({ name: 'borgere.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await admin.getByTestId('import-dry-run').click();
  await admin.getByTestId('import-summary').getByText(/Tørløb uden fejl: 12 nye/).waitFor();
  await admin.getByTestId('import-run').click();
  await admin.getByTestId('import-summary').getByText(/Importeret: 12 nye/).waitFor();
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM cases s JOIN citizens c ON c.id = s.citizen_id WHERE c.external_id LIKE 'R-${stamp}-%'`), ['12']);
  await adminContext.close();

  // 2. The lead, on the phone: the figures, then a review of the team's
  // citizens; a refused save first (no layer chosen), then ten reviewed.
  const leadContext = await newPhone(env.browser, env.server.url);
  const lead = await leadContext.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-figures').click();
  await lead.getByTestId('layer-table').waitFor();
  await lead.getByRole('heading', { name: 'Dobbeltbevillinger' }).waitFor();
  await screenshot(lead, 'review-01-lead-figures');
  await axeBothLanguages(lead, 'figures, phone');
  await lead.getByTestId('figures-nav-reviews').click();
  await lead.getByTestId('start-review').waitFor();
  await lead.getByTestId('start-review').click();
  assert.equal(await lead.locator('#review-name-error').textContent(), 'Navn: skal udfyldes');
  await lead.locator('#review-name').fill(`Sagsgennemgang ${stamp}`);
  await lead.getByTestId('start-review').click();
  const progress = lead.getByTestId('review-progress');
  await progress.getByText(/^ ?0 af \d+ gennemgået$/).waitFor();
  const total = Number((await progress.textContent()).match(/af (\d+)/)[1]);
  assert.ok(total >= 10, `the team's citizens: ${total}`);
  await screenshot(lead, 'review-02-review-started');
  const items = lead.getByTestId('review-item');
  await items.first().getByTestId('save-review-item').click();
  const firstError = items.first().locator('[id^="review-layer-"][id$="-error"]');
  assert.equal(await firstError.textContent(), 'Lag: skal udfyldes');
  await axeBothLanguages(lead, 'review, phone');
  const layers = ['employment', 'joint_plan', 'social'];
  const priorities = ['high', 'normal', 'low'];
  for (let i = 0; i < 10; i++) {
    const item = items.nth(i);
    await item.locator('select[id^="review-layer-"]').selectOption(layers[i % 3]);
    await item.locator('select[id^="review-priority-"]').selectOption(priorities[i % 3]);
    await item.locator('textarea').fill(`Gennemgået på telefonen ${i + 1}`);
    await item.getByTestId('save-review-item').click();
    await progress.getByText(`${i + 1} af ${total} gennemgået`).waitFor();
  }
  assert.equal(await lead.locator('[data-testid="review-item"][data-reviewed="true"]').count(), 10);
  await lead.getByTestId('only-open').check();
  await screenshot(lead, 'review-03-ten-reviewed');
  // Back to the list from a review; offline, the list page says so once
  // and offers no form it cannot send (issue 14's walk: two offline boxes
  // and an empty "Hvem gennemgås").
  await lead.getByTestId('back-to-reviews').click();
  await lead.getByTestId('reviews').getByText(`Sagsgennemgang ${stamp}`).waitFor();
  await leadContext.setOffline(true);
  await lead.reload();
  await lead.getByTestId('load-failure').first().waitFor();
  assert.equal(await lead.getByTestId('load-failure').count(), 1, 'one line about the missing connection');
  assert.equal(await lead.locator('#review-scope').count(), 0, 'no form to start a review offline');
  await lead.getByTestId('sync-status').getByText(/^Offline – besøg, timer og planer gemmes på telefonen/).waitFor();
  await leadContext.setOffline(false);
  await lead.getByTestId('start-review').waitFor();
  assert.equal(await lead.getByTestId('load-failure').count(), 0, 'back by itself online');
  assert.deepEqual(
    env.server.sql(`SELECT COUNT(*) FROM review_items i JOIN reviews r ON r.id = i.review_id WHERE r.name = 'Sagsgennemgang ${stamp}' AND i.reviewed_at IS NOT NULL`),
    ['10'],
  );
  await leadContext.close();

  // 3. The area head, at a desk: the social area's table as of a date, and
  // its CSV. The imported citizens are there; the two classified from 1.10.
  const headContext = await desktop(env.browser, env.server.url);
  const head = await headContext.newPage();
  await logIn(head, 'areahead');
  await head.getByTestId('nav-figures').click();
  await head.getByTestId('figures-heading').getByText(/^Socialområdet · /).waitFor();
  // The lists a lead acts on, under the table (seeds 003 and 004).
  await head.getByRole('heading', { name: 'Fylder 18 inden for et år' }).waitFor();
  await head.getByRole('heading', { name: 'Dobbeltbevillinger' }).waitFor();
  await axeBothLanguages(head, 'figures, desk');
  const date = head.locator('#figures-date');
  const showDate = async (value) => {
    await date.fill(value);
    await head.getByTestId('figures-date-show').click();
  };
  await showDate('2026-09-30');
  await head.getByTestId('figures-heading').getByText('Socialområdet · 30.09.2026').waitFor();
  await head.waitForURL(/[?&]on=2026-09-30$/);
  const before = await head.getByTestId('layer-row').last().textContent();
  // Dates that are no date to show (issue 14's walk): each is refused at
  // the field, and the table of the date shown before stays under its own
  // heading — never another date's table without a word.
  const future = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  for (const [value, message] of [[future, 'Dato: må ikke ligge i fremtiden'], ['2030-01-01', 'Dato: må ikke ligge i fremtiden'], ['', 'Dato: skal udfyldes']]) {
    await showDate(value);
    await head.locator('#figures-date-error').getByText(message).waitFor();
    await head.getByTestId('figures-heading').getByText('Socialområdet · 30.09.2026').waitFor();
  }
  await date.fill('');
  await date.focus();
  await head.keyboard.type('31022026');
  await head.getByTestId('figures-date-show').click();
  await head.locator('#figures-date-error').getByText(/^Dato: kan ikke læses – skriv en dato, der findes, f\.eks\. 28\.02\.\d{4}$/).waitFor();
  await head.getByTestId('figures-heading').getByText('Socialområdet · 30.09.2026').waitFor();
  // A date typed segment by segment is fetched once, when shown.
  let fetched = 0;
  head.on('request', (r) => { if (r.url().includes('/api/figures/layers?')) fetched += 1; });
  await date.fill('');
  await date.focus();
  await head.keyboard.type('30112026');
  await head.waitForTimeout(300);
  assert.equal(fetched, 0, 'nothing fetched while typing');
  await head.getByTestId('figures-date-show').click();
  await head.getByTestId('figures-heading').getByText('Socialområdet · 30.11.2026').waitFor();
  assert.equal(fetched, 1, 'one fetch for the whole date');
  assert.equal(await head.locator('#figures-date-error').textContent(), '', 'the refusal is gone');
  assert.notEqual(await head.getByTestId('layer-row').last().textContent(), before, 'the table moves with the date');
  await screenshot(head, 'review-04-area-head-table');
  const [download] = await Promise.all([head.waitForEvent('download'), head.getByTestId('download-figures-csv').click()]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  assert.equal(lines[0], 'Socialområdet;30.11.2026');
  assert.match(lines[1], /^Alder;Overflyttes til beskæftigelsesområdet;Fælles plan;Forbliver på socialområdet;Målgruppe i alt;Ikke vurderet;Førtidspensionister;I alt$/);
  const total30 = lines.find((l) => l.startsWith('I alt;'));
  const sum = total30.split(';').slice(1, 4).map(Number).reduce((a, b) => a + b, 0);
  assert.equal(sum, Number(total30.split(';')[4]), 'the layers add up to the target group');
  // A date in the address is read as a typed one: unreadable, not in the
  // calendar, or after today, it is refused at the field and no table is
  // shown (it was today's, silently).
  for (const [on, message] of [['abc', 'Dato: skal være en dato, der findes, skrevet som 28.02.2026'],
    ['2026-02-31', 'Dato: skal være en dato, der findes, skrevet som 28.02.2026'], [future, 'Dato: må ikke ligge i fremtiden']]) {
    await head.goto(`${env.server.url}/figures?on=${on}`);
    await head.locator('#figures-date-error').getByText(message).waitFor();
    await head.getByRole('heading', { name: 'Dobbeltbevillinger' }).waitFor();
    assert.equal(await head.getByTestId('layer-table').count(), 0, on);
    assert.equal(await head.getByText('Henter tallene …').count(), 0, `${on}: nothing is being fetched`);
    assert.equal(await head.getByTestId('download-figures-csv').isVisible(), false, on);
  }
  await head.goto(`${env.server.url}/figures?on=2026-09-30`);
  await head.getByTestId('figures-heading').getByText('Socialområdet · 30.09.2026').waitFor();
  await headContext.close();
});

test('an administrator renames a layer and adds one; a layer in use cannot be removed', async () => {
  const context = await desktop(env.browser, env.server.url);
  const admin = await context.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').click();
  await admin.getByTestId('to-scheme').click();
  const layers = admin.getByTestId('scheme-layer');
  await admin.waitForFunction(() => document.querySelector('#layer-code-0')?.value === 'employment');
  assert.equal(await layers.count(), 3);
  // Removing a layer classified citizens hold: refused at the list, naming it.
  await layers.nth(2).getByTestId('remove-layer').click();
  await admin.getByTestId('save-scheme').click();
  // Named as the administrator knows it, and focus moves to it (issue 14's
  // walk: the refusal named the code, out of sight above the form).
  await admin.getByTestId('layers-error').getByText(/«Forbliver på socialområdet» har klassificerede borgere/).waitFor();
  await admin.waitForFunction(() => document.activeElement?.id === 'layers-error', null, { timeout: 5_000 });
  await admin.reload();
  await admin.waitForFunction(() => document.querySelector('#layer-code-2')?.value === 'social');
  // A bad code and an empty name, each at its field.
  await admin.getByTestId('add-layer').click();
  await admin.locator('#layer-code-3').fill('Ny Gruppe');
  await admin.getByTestId('save-scheme').click();
  assert.match(await admin.locator('#layer-code-3-error').textContent(), /^Kode: /);
  assert.match(await admin.locator('#layer-label-3-error').textContent(), /^Navnene: skal udfyldes/);
  await axe(admin, 'scheme, refused (da)');
  // Seed 003's "shared group" as a fourth layer, and a clearer name.
  await admin.locator('#layer-code-3').fill('shared_group');
  await admin.locator('#layer-da-3').fill('Fælles målgruppe');
  await admin.locator('#layer-en-3').fill('Shared group');
  await admin.locator('#layer-area-3').selectOption('social');
  await admin.locator('#layer-da-1').fill('Fælles plan (beskæftigelse og social)');
  await admin.getByTestId('save-scheme').click();
  await admin.getByTestId('scheme-saved').waitFor({ state: 'visible' });
  assert.deepEqual(env.server.sql('SELECT code FROM layers ORDER BY position'), ['employment', 'joint_plan', 'social', 'shared_group']);
  // Seed 003's sub-categories: "Økonomi" under the joint plan.
  await admin.getByTestId('add-layer').click();
  await admin.locator('#layer-code-4').fill('joint_economy');
  await admin.locator('#layer-da-4').fill('Økonomi');
  await admin.locator('#layer-en-4').fill('Economy');
  await admin.locator('#layer-parent-4').selectOption('joint_plan');
  await admin.getByTestId('save-scheme').click();
  await admin.getByTestId('scheme-saved').waitFor({ state: 'visible' });
  assert.deepEqual(env.server.sql("SELECT parent FROM layers WHERE code = 'joint_economy'"), ['joint_plan']);
  await screenshot(admin, 'review-05-scheme');
  // The table has the new column.
  await admin.getByTestId('nav-figures').click();
  await admin.getByTestId('layer-table').getByRole('columnheader', { name: 'Fælles målgruppe' }).waitFor();
  await admin.getByTestId('layer-table').getByRole('columnheader', { name: 'Fælles plan (beskæftigelse og social)', exact: true }).waitFor();
  await admin.getByTestId('layer-table').getByRole('columnheader', { name: 'Fælles plan (beskæftigelse og social) › Økonomi' }).waitFor();
  await context.close();
});
