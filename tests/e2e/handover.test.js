// Handing a worker's citizens over (issue 14, seed 000: "overdragelse af
// borgere"): the lead, on a phone, opens Anne's month, hands all her
// citizens but one to Jonas from today with a note (a refusal first:
// nobody chosen for any citizen, nothing sent); opened again, the page
// offers only the one who stayed and lists the others as handed over;
// Jonas's phone, after a sync, shows the note on each citizen's page, and
// Anne's says to whom the citizen went; axe finds nothing on the form in
// either language. Real server, real app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, chooseLanguage, logIn, newPhone, screenshot, syncNow, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

test('the lead hands Anne\'s citizens to Jonas with a note that reaches his phone', async () => {
  const anne = env.server.sql("SELECT id FROM users WHERE username = 'worker'")[0];
  const count = Number(env.server.sql(`SELECT COUNT(*) FROM assignments WHERE user_id = '${anne}' AND valid_to IS NULL`)[0]);
  assert.ok(count >= 5, `Anne's citizens: ${count}`);

  const leadPhone = await newPhone(env.browser, env.server.url);
  const lead = await leadPhone.newPage();
  await logIn(lead, 'lead');
  // The lead's "I dag" is the lead's own day: the phone holds the team's
  // visits too, but they show on the lead's pages by worker, not as the
  // lead's (issue 14's walk).
  await waitForSynced(lead);
  const leadId = env.server.sql("SELECT id FROM users WHERE username = 'lead'")[0];
  assert.equal(env.server.sql(`SELECT COUNT(*) FROM visits WHERE worker_id = '${leadId}'`)[0], '0');
  assert.ok(Number(env.server.sql(`SELECT COUNT(*) FROM visits WHERE worker_id = '${anne}'`)[0]) > 0);
  await lead.getByRole('heading', { name: 'Dagens besøg' }).waitFor();
  assert.equal(await lead.getByTestId('visit').count(), 0, 'no colleague\'s visit on the lead\'s day');
  await lead.getByTestId('nav-lead').click();
  await lead.getByRole('link', { name: 'Anne Kjær' }).first().click();
  await lead.getByTestId('to-handover').click();
  await lead.getByTestId('handover-title').getByText('Overdrag Anne Kjærs borgere').waitFor();
  const rows = lead.getByTestId('handover-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), count);

  // Nobody chosen for any citizen: refused, said at "Giv alle til".
  await lead.locator('#handover-note').fill('Borgerne foretrækker besøg om formiddagen. Ring før du kommer.');
  await lead.getByTestId('hand-over').click();
  await lead.locator('#handover-all-error').getByText('Vælg, hvem der overtager mindst én af borgerne').waitFor();
  assert.equal(await lead.locator('#handover-note').inputValue(), 'Borgerne foretrækker besøg om formiddagen. Ring før du kommer.', 'what was typed stays');
  // Jonas for all, then one citizen stays with Anne: a partial handover.
  await lead.locator('#handover-all').selectOption({ label: 'Jonas Bech' });
  const staying = (await lead.locator('label[for="handover-to-1"] .field__context').textContent()).trim();
  await lead.locator('#handover-to-1').selectOption({ label: 'Bliver hos medarbejderen' });
  await axe(lead, 'handover, phone (da)');
  await chooseLanguage(lead, 'English');
  await lead.locator('html[lang="en"]').waitFor();
  await axe(lead, 'handover, phone (en)');
  await chooseLanguage(lead, 'Dansk');
  await screenshot(lead, 'handover-01-form-phone');
  await lead.getByTestId('hand-over').click();
  await lead.getByTestId('handover-done').getByText(`${count - 1} borgere er overdraget.`, { exact: false }).waitFor();
  await screenshot(lead, 'handover-02-done-phone');
  const open = env.server.sql(`SELECT c.name FROM assignments a JOIN citizens c ON c.id = a.citizen_id WHERE a.user_id = '${anne}' AND a.valid_to IS NULL`);
  assert.deepEqual(open, [staying], 'the one who stays is still Anne\'s, with no end');

  // Opened again: only the one who stayed is offered; the others are
  // listed as handed over, to whom and from when (a second handover of
  // them was tried and refused as "you are not assigned").
  await lead.reload();
  await lead.getByTestId('handover-row').first().waitFor();
  assert.equal(await lead.getByTestId('handover-row').count(), 1);
  assert.equal((await lead.locator('label[for="handover-to-0"] .field__context').textContent()).trim(), staying);
  assert.equal(await lead.getByTestId('handed-over-row').count(), count - 1);
  await lead.getByTestId('handed-over-row').first().getByText(/^Til Jonas Bech pr\. \d\d\.\d\d\.\d{4}$/).waitFor();
  await screenshot(lead, 'handover-03-again-phone');
  await leadPhone.close();

  // Jonas's phone: the citizens, each with the note.
  const jonasPhone = await newPhone(env.browser, env.server.url);
  const jonas = await jonasPhone.newPage();
  await logIn(jonas, 'worker2');
  await waitForSynced(jonas);
  await syncNow(jonas);
  const citizen = env.server.sql(`SELECT c.name FROM assignments a JOIN citizens c ON c.id = a.citizen_id WHERE a.handover_from = '${anne}' ORDER BY c.name LIMIT 1`)[0];
  assert.notEqual(citizen, staying);
  await jonas.goto(`${env.server.url}/citizens`);
  await jonas.getByRole('link', { name: citizen }).first().click();
  const note = jonas.getByTestId('handover-note');
  await note.getByText(/^Overdraget til dig fra Anne Kjær pr\. \d\d\.\d\d\.\d{4}$/).waitFor();
  await note.getByText('Borgerne foretrækker besøg om formiddagen. Ring før du kommer.').waitFor();
  await screenshot(jonas, 'handover-04-note-on-phone');
  await jonasPhone.close();

  // Anne's phone: the citizen is still hers today, and says it is handed over.
  const annePhone = await newPhone(env.browser, env.server.url);
  const anneCitizens = await annePhone.newPage();
  await logIn(anneCitizens, 'worker');
  await waitForSynced(anneCitizens);
  await anneCitizens.goto(`${env.server.url}/citizens`);
  await anneCitizens.getByRole('link', { name: citizen }).first().click();
  await anneCitizens.getByTestId('handed-away').getByText(/^Borgeren er overdraget til Jonas Bech pr\. \d\d\.\d\d\.\d{4}\. Du har borgeren til og med den dag\.$/).waitFor();
  await annePhone.close();
});
