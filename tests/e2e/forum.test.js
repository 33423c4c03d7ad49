// The monthly sparring forum (issue 16, seed 000): a lead plans today's
// session; a worker puts a case of theirs on it with a question and, at
// the session, writes the minutes with a follow-up owner; the citizen's
// page shows the discussion; a colleague who does not work with the
// citizen sees the question without the name. Refusals at their fields;
// axe clean in both languages at 390 px. Real server, real built app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeBothLanguages, desktop, logIn, newPhone, screenshot, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

test('a case goes on the forum, gets its minutes, and shows on the citizen\'s page', async () => {
  const [row] = env.server.sql(`SELECT c.id || '|' || c.name FROM citizens c
    JOIN assignments a ON a.citizen_id = c.id AND a.valid_to IS NULL
    JOIN users u ON u.id = a.user_id AND u.username = 'worker'
    WHERE NOT EXISTS (SELECT 1 FROM assignments b JOIN users v ON v.id = b.user_id WHERE b.citizen_id = c.id AND v.username = 'worker2')
    ORDER BY c.name LIMIT 1`);
  const [id, name] = row.split('|');
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

  const desk = await desktop(env.browser, env.server.url);
  const lead = await desk.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('account').waitFor();
  await lead.goto('/forum');
  await lead.getByTestId('no-forum-session').waitFor();
  await lead.locator('#forum-session-on').fill(today);
  await lead.getByTestId('save-forum-session').click();
  await lead.getByTestId('save-forum-case').waitFor();
  await desk.close();

  const phone = await newPhone(env.browser, env.server.url);
  const worker = await phone.newPage();
  await logIn(worker, 'worker');
  await waitForSynced(worker);
  await worker.goto('/citizens');
  await worker.getByTestId('to-forum').click();
  await worker.getByTestId('save-forum-case').waitFor();
  // Nothing chosen: each field says so; what is typed stays.
  await worker.getByTestId('save-forum-case').click();
  await worker.getByText('Borger: skal udfyldes').waitFor();
  await worker.locator('#forum-case-citizen').selectOption({ label: name });
  await worker.locator('#forum-case-question').fill('Hvordan får vi jobcentret med i planen?');
  await worker.getByTestId('save-forum-case').click();
  const agenda = worker.getByTestId('forum-agenda');
  await agenda.getByText('Hvordan får vi jobcentret med i planen?').waitFor();
  await axeBothLanguages(worker, 'sparring forum with a case');

  // The minutes at the session: a due day needs an owner.
  await agenda.getByRole('button', { name: `Skriv referat – ${name}` }).click();
  await worker.locator('#forum-outcome').fill('Fælles samtale med jobcentret inden jul.');
  await worker.locator('#forum-follow-up-due').fill('2099-01-15');
  await worker.getByTestId('save-forum-outcome').click();
  await worker.getByText('Ansvarlig for opfølgning: skal udfyldes').waitFor();
  assert.equal(await worker.locator('#forum-outcome').inputValue(), 'Fælles samtale med jobcentret inden jul.', 'what was typed is kept');
  await worker.locator('#forum-follow-up-owner').selectOption({ label: 'Anne Kjær' });
  await worker.getByTestId('save-forum-outcome').click();
  await worker.getByTestId('forum-outcome').waitFor();
  assert.match(await worker.getByTestId('forum-outcome').innerText(), /Udfald: Fælles samtale med jobcentret inden jul\. Opfølgning: Anne Kjær senest 15\.01\.2099\./);
  await screenshot(worker, 'forum-01-minutes');

  // The citizen's page shows the discussion.
  await worker.goto(`/citizens/${id}`);
  await worker.getByRole('heading', { name: 'Sparringsforum' }).waitFor();
  await worker.getByTestId('forum-outcome').waitFor();
  await phone.close();

  // A colleague who does not work with the citizen: the question, no name.
  const other = await newPhone(env.browser, env.server.url);
  const colleague = await other.newPage();
  await logIn(colleague, 'worker2');
  await colleague.getByTestId('account').waitFor();
  await colleague.goto('/forum');
  await colleague.getByText('Hvordan får vi jobcentret med i planen?').waitFor();
  assert.doesNotMatch(await colleague.getByTestId('forum-agenda').innerText(), new RegExp(name));
  await colleague.getByText('En borger, du ikke arbejder med').waitFor();
  await other.close();
});
