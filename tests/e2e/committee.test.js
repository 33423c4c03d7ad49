// The coordination and visitation committee (issue 16, seed 001): a
// worker proposes a citizen from the citizen's page; a lead refers the case
// on the committee's page, plans a meeting and records the committee's
// decision (plan start, coordinating case worker, areas); the worker is
// told on Today and marks it seen. Refusals at their fields; axe clean in
// both languages on a phone and at a desk. Real server, real built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeBothLanguages, desktop, logIn, newPhone, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** A citizen `worker` works with today, by id and name. */
function workersCitizen() {
  const [row] = env.server.sql(`SELECT c.id || '|' || c.name FROM citizens c
    JOIN assignments a ON a.citizen_id = c.id AND a.valid_to IS NULL
    JOIN users u ON u.id = a.user_id AND u.username = 'worker'
    ORDER BY c.name LIMIT 1`);
  const [id, name] = row.split('|');
  return { id, name };
}

test('a proposal goes from the worker through a lead to the committee, and the worker hears the outcome', async () => {
  const citizen = workersCitizen();
  const phone = await newPhone(env.browser, env.server.url);
  const worker = await phone.newPage();
  await logIn(worker, 'worker');
  await waitForSynced(worker);
  await worker.goto(`/citizens/${citizen.id}`);
  await worker.getByTestId('propose').click();
  // An empty reason is refused at its field; what is typed after is kept.
  await worker.getByTestId('save-proposal').click();
  await worker.getByText('Hvorfor skal udvalget se sagen: skal udfyldes').waitFor();
  await worker.locator('#proposal-reason').fill('Hjælp fra jobcenter, bostøtte og misbrugsbehandling – ingen fælles plan.');
  await screenshot(worker, 'committee-01-proposal');
  await worker.getByTestId('save-proposal').click();
  await worker.locator('[data-testid=referral][data-stage=awaiting_lead]').waitFor();
  assert.equal(await worker.getByTestId('propose').count(), 0, 'one open proposal at a time');
  await axeBothLanguages(worker, 'citizen page with a proposal');

  // The lead: refer (a missing choice is named first), plan a meeting,
  // record the decision.
  const desk = await desktop(env.browser, env.server.url);
  const lead = await desk.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('account').waitFor();
  await lead.goto('/committee');
  await lead.getByRole('heading', { name: 'Forslag, der venter på en leders vurdering' }).waitFor();
  await lead.getByTestId('no-committee-meeting').waitFor();
  await lead.getByRole('button', { name: `Vurdér – ${citizen.name}` }).click();
  await lead.getByTestId('save-screening').click();
  await lead.getByText('Vurdering: skal udfyldes').waitFor();
  await lead.getByLabel('Henvist til udvalget').check();
  await lead.getByLabel('Begrundelse').fill('Tre områder er involveret; sagen skal have én plan.');
  await lead.getByTestId('save-screening').click();
  await lead.getByTestId('committee-agenda').waitFor();
  // A meeting in the past is refused; one next week is planned.
  await lead.locator('#committee-meeting-on').fill('2020-01-01');
  await lead.getByTestId('save-committee-meeting').click();
  await lead.getByText('Nyt møde den: må ikke ligge før i dag').waitFor();
  const nextWeek = new Date(Date.now() + 7 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
  await lead.locator('#committee-meeting-on').fill(nextWeek);
  await lead.getByTestId('save-committee-meeting').click();
  await lead.getByTestId('committee-meetings').waitFor();
  await lead.getByRole('heading', { name: /^Dagsorden for mødet/ }).waitFor();
  await axeBothLanguages(lead, 'committee page');
  await screenshot(lead, 'committee-02-agenda');
  // The decision: without areas it is refused there; with them it lands.
  const agenda = lead.getByTestId('committee-agenda');
  await agenda.getByRole('button', { name: `Registrér afgørelse – ${citizen.name}` }).click();
  await agenda.getByLabel('Planens start').fill(nextWeek);
  await agenda.getByLabel('Koordinerende sagsbehandler').selectOption({ label: 'Karina Mikkelsen' });
  await agenda.getByTestId('save-committee-decision').click();
  await lead.getByText('Involverede områder: vælg mindst én').waitFor();
  await agenda.getByLabel('Beskæftigelsesområdet').check();
  await agenda.getByLabel('Socialområdet').check();
  await agenda.getByTestId('save-committee-decision').click();
  await lead.locator('[data-testid=committee-closed] [data-stage=decided]').waitFor();
  assert.match(await lead.getByTestId('committee-closed').innerText(), /koordinerende sagsbehandler Karina Mikkelsen; områder: Beskæftigelsesområdet, Socialområdet/);
  const coordinator = env.server.sql(`SELECT u.username FROM citizens c JOIN users u ON u.id = c.coordinator_id WHERE c.id = '${citizen.id}'`);
  assert.deepEqual(coordinator, ['coordinator'], 'the committee appointed the citizen\'s coordinator');

  // The worker is told on Today, and once seen it goes.
  await worker.goto('/');
  const news = worker.getByTestId('referral-news-item');
  await news.waitFor();
  assert.match(await news.innerText(), new RegExp(`${citizen.name}[\\s\\S]*Udvalget har truffet afgørelse`));
  await axeBothLanguages(worker, 'Today with an answer from the committee');
  await screenshot(worker, 'committee-03-today-news');
  await worker.getByTestId('referral-seen').click();
  await news.waitFor({ state: 'detached' });
  await worker.reload();
  await worker.getByTestId('today-citizen').first().waitFor();
  await worker.waitForTimeout(500);
  assert.equal(await worker.getByTestId('referral-news').count(), 0, 'seen stays seen');
  await phone.close();
  await desk.close();
});

test('only leads reach the committee page; a worker sees why', async () => {
  const phone = await newPhone(env.browser, env.server.url);
  const page = await phone.newPage();
  await logIn(page, 'worker');
  await page.getByTestId('account').waitFor();
  await page.goto('/committee');
  await page.getByRole('heading', { name: 'Koordinations- og visitationsudvalget' }).waitFor();
  await page.getByText(/adgang|Du har ikke/).first().waitFor();
  await phone.close();
});
