// The resource picture over time (issue 14): the administrator sets the
// full-time week and the hourly rates (a bad value refused at its field in
// Danish, nothing lost); the area head, on a phone, reads the trend (two
// SVG charts and the month table) and a month's hours, posts, costs and
// caseloads, and downloads the CSV and the chart; the administrator reads
// the municipality's at a desk. axe finds nothing in either language at
// 390×844 and 1280×800. Real server, real built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, axeBothLanguages, desktop, logIn, newPhone, screenshot, useServerAndBrowser } from './support.js';

const env = useServerAndBrowser();

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync(await file.path());
}

test('the administrator sets rates; the area head reads the trend and the month on a phone; the administrator at a desk', async () => {
  // 1. The administrator: an impossible week and a rate that is no number
  // are refused at their fields; what was typed stays; then saved.
  const adminContext = await desktop(env.browser, env.server.url);
  const admin = await adminContext.newPage();
  await logIn(admin, 'admin');
  await admin.getByTestId('nav-admin').click();
  const week = admin.locator('#full-time-week');
  await week.waitFor();
  // The form opens when the settings have loaded: the default week.
  await admin.waitForFunction(() => document.querySelector('#full-time-week')?.value === '37');
  await week.fill('80');
  await admin.locator('#rate-mentor').fill('fem hundrede');
  await admin.getByTestId('save-resource-settings').click();
  assert.match(await admin.locator('#full-time-week-error').textContent(), /^Timer pr\. fuldtidsstilling om ugen: /);
  assert.match(await admin.locator('#rate-mentor-error').textContent(), /^Timepris, mentorstøtte: /);
  assert.equal(await admin.locator('#rate-mentor').inputValue(), 'fem hundrede', 'what was typed stays');
  await week.fill('37');
  await admin.locator('#rate-mentor').fill('550');
  await admin.locator('#rate-housing-support').fill('600');
  await admin.locator('#rate-drawing-right').fill('575');
  await admin.getByTestId('save-resource-settings').click();
  await admin.getByTestId('resource-settings-saved').waitFor({ state: 'visible' });
  const stored = JSON.parse(env.server.sql("SELECT value FROM settings WHERE key = 'resources'")[0]);
  assert.deepEqual(stored, { full_time_week: 2220, rates: { housing_support: 600, mentor: 550, drawing_right: 575 } });

  // 2. The area head on a phone: the trend, then the month's resources.
  const phone = await newPhone(env.browser, env.server.url);
  const head = await phone.newPage();
  await logIn(head, 'areahead');
  await head.getByTestId('nav-figures').click();
  await head.getByTestId('layer-table').waitFor();
  await head.getByTestId('figures-nav-trend').click();
  await head.getByTestId('trend-heading').getByText(/^Socialområdet · /).waitFor();
  assert.equal(await head.getByTestId('trend-row').count(), 12, 'the last twelve months');
  assert.equal(await head.locator('[data-testid="trend-chart-citizens"] svg polyline').count(), 6, 'three layers, not assessed, the pensioners, the total');
  assert.equal(await head.locator('[data-testid="trend-chart-hours"] svg title').textContent(), 'Leverede timer pr. lag, måned for måned · Socialområdet');
  await screenshot(head, 'figures-01-trend-phone');
  await axeBothLanguages(head, 'trend, phone');
  const csv = await download(head, 'download-trend-csv');
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'Socialområdet');
  assert.match(lines[1], /^Måned;Overflyttes til beskæftigelsesområdet;Fælles plan;Forbliver på socialområdet;Ikke vurderet;/);
  assert.equal(lines.length, 14, 'title, header, twelve months');
  const svg = (await download(head, 'download-trend-svg')).toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

  await head.getByTestId('figures-nav-resources').click();
  await head.getByTestId('resources-heading').getByText(/^Socialområdet · /).waitFor();
  // Last month, every day of it (this month may have just begun).
  const options = await head.getByTestId('month-select').locator('option').allTextContents();
  await head.getByTestId('month-select').selectOption({ index: 1 });
  await head.getByTestId('resources-heading').getByText(`Socialområdet · ${options[1]}`).waitFor();
  await head.getByTestId('hours-table').waitFor();
  assert.match(await head.getByTestId('posts').textContent(), /^Svarer til \d+,\d\d fuldtidsstillinger à 37 timer om ugen/);
  await head.getByTestId('costs-table').getByText(/kr\./).first().waitFor();
  await screenshot(head, 'figures-02-resources-phone');
  await axeBothLanguages(head, 'resources, phone');
  const resources = (await download(head, 'download-resources-csv')).subarray(3).toString('utf8');
  assert.match(resources, /^Socialområdet;\d{4}-\d\d\r\nHvem;Team;Alder;/);
  await phone.close();

  // 3. The administrator at a desk: the municipality's month, with the
  // coordinator's caseload.
  await admin.getByTestId('nav-figures').click();
  await admin.getByTestId('figures-nav-resources').click();
  await admin.getByTestId('resources-heading').getByText(/^Hele kommunen · /).waitFor();
  await admin.getByTestId('caseloads-table').getByText('Karina Mikkelsen').waitFor();
  await screenshot(admin, 'figures-03-resources-desk');
  await axeBothLanguages(admin, 'resources, desk');
  await admin.getByTestId('figures-nav-trend').click();
  await admin.getByTestId('trend-table').waitFor();
  await axeBothLanguages(admin, 'trend, desk');
  await adminContext.close();
});
