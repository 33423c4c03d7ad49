// Handing a worker's citizens over (issue 14, seed 000: "overdragelse af
// borgere"): the lead, on a phone, opens Anne's month, hands all her
// citizens to Jonas from today with a note (a refusal first: nobody
// chosen for one citizen, said at that citizen in Danish, nothing sent);
// Jonas's phone, after a sync, shows the note on each citizen's page; axe
// finds nothing on the form in either language. Real server, real app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, logIn, newPhone, screenshot, syncNow, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

test('the lead hands Anne\'s citizens to Jonas with a note that reaches his phone', async () => {
  const anne = env.server.sql("SELECT id FROM users WHERE username = 'worker'")[0];
  const count = Number(env.server.sql(`SELECT COUNT(*) FROM assignments WHERE user_id = '${anne}' AND valid_to IS NULL`)[0]);
  assert.ok(count >= 5, `Anne's citizens: ${count}`);

  const leadPhone = await newPhone(env.browser, env.server.url);
  const lead = await leadPhone.newPage();
  await logIn(lead, 'lead');
  await lead.getByTestId('nav-lead').click();
  await lead.getByRole('link', { name: 'Anne Kjær' }).first().click();
  await lead.getByTestId('to-handover').click();
  await lead.getByTestId('handover-title').getByText('Overdrag Anne Kjærs borgere').waitFor();
  const rows = lead.getByTestId('handover-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), count);

  // Jonas for all, then one citizen's choice emptied: refused at that row.
  await lead.locator('#handover-all').selectOption({ label: 'Jonas Bech' });
  await lead.locator('#handover-note').fill('Borgerne foretrækker besøg om formiddagen. Ring før du kommer.');
  await lead.locator('#handover-to-1').selectOption('');
  await lead.getByTestId('hand-over').click();
  assert.equal(await lead.locator('#handover-to-1-error').textContent(), 'Overdrages til: skal udfyldes');
  assert.equal(await lead.locator('#handover-note').inputValue(), 'Borgerne foretrækker besøg om formiddagen. Ring før du kommer.', 'what was typed stays');
  await axe(lead, 'handover, phone (da)');
  await lead.getByRole('button', { name: 'English' }).click();
  await lead.locator('html[lang="en"]').waitFor();
  await axe(lead, 'handover, phone (en)');
  await lead.getByRole('button', { name: 'Dansk' }).click();
  await screenshot(lead, 'handover-01-form-phone');
  await lead.locator('#handover-to-1').selectOption({ label: 'Jonas Bech' });
  await lead.getByTestId('hand-over').click();
  await lead.getByTestId('handover-done').getByText(`${count} borgere er overdraget.`, { exact: false }).waitFor();
  await screenshot(lead, 'handover-02-done-phone');
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM assignments WHERE user_id = '${anne}' AND valid_to IS NULL`), ['0']);
  await leadPhone.close();

  // Jonas's phone: the citizens, each with the note.
  const jonasPhone = await newPhone(env.browser, env.server.url);
  const jonas = await jonasPhone.newPage();
  await logIn(jonas, 'worker2');
  await waitForSynced(jonas);
  await syncNow(jonas);
  const citizen = env.server.sql(`SELECT c.name FROM assignments a JOIN citizens c ON c.id = a.citizen_id WHERE a.handover_from = '${anne}' ORDER BY c.name LIMIT 1`)[0];
  await jonas.goto(`${env.server.url}/citizens`);
  await jonas.getByRole('link', { name: citizen }).first().click();
  const note = jonas.getByTestId('handover-note');
  await note.getByText(/^Overdraget til dig fra Anne Kjær pr\. \d\d\.\d\d\.\d{4}$/).waitFor();
  await note.getByText('Borgerne foretrækker besøg om formiddagen. Ring før du kommer.').waitFor();
  await screenshot(jonas, 'handover-03-note-on-phone');
  await jonasPhone.close();

  // Anne's phone: the citizen is still hers today, and says it is handed over.
  const annePhone = await newPhone(env.browser, env.server.url);
  const anneCitizens = await annePhone.newPage();
  await logIn(anneCitizens, 'worker');
  await waitForSynced(anneCitizens);
  await anneCitizens.goto(`${env.server.url}/citizens`);
  await anneCitizens.getByRole('link', { name: citizen }).first().click();
  await anneCitizens.getByTestId('handed-away').getByText(/^Borgeren er overdraget til en kollega pr\. \d\d\.\d\d\.\d{4}\. Du har borgeren til og med den dag\.$/).waitFor();
  await annePhone.close();
});
