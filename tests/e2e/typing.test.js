// What is typed stays while the row under the form changes (CI caught the
// plan page dropping the action form the coordinator was typing in when
// the goal above it came back from the server). At 390×844 in Danish: the
// coordinator works offline on a plan, opens a form under each row that is
// waiting (the plan, a goal, an action, a meeting) and types; she goes
// online and syncs, every row is confirmed, and every form is still open
// with what she typed, and saves. Then a colleague's edit of the goal
// arrives while she types under it: the goal shows the edit, her form
// stays. Real server, real app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coordinatedCitizen, logIn, newPhone, readyPhone, screenshot, syncNow, useServerAndBrowser, waitForSynced } from './support.js';

const env = useServerAndBrowser();

/** Today in Copenhagen as `YYYY-MM-DD`. */
function today() {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
}

test('forms under rows that sync or change keep what is typed in them', async () => {
  const citizen = coordinatedCitizen(env.server);
  const { phone, page } = await readyPhone(env, 'coordinator');
  await page.goto(`/citizens/${citizen}/plan`);
  await page.getByRole('heading', { name: 'Borgerens plan' }).waitFor();
  await page.getByTestId('add-goal').click();
  await page.locator('#goal-words').fill('Jeg vil cykle til arbejde');
  await page.getByTestId('save-goal').click();
  const goalA = page.getByTestId('goal').filter({ hasText: 'Jeg vil cykle til arbejde' });
  await goalA.waitFor();
  await syncNow(page);

  // A goal with a web address in it wraps inside its card: the page stays
  // as wide as the phone (issue 15's walk: it grew to 708 px).
  await page.getByTestId('add-goal').click();
  await page.locator('#goal-words').fill('Jeg vil forstå https://www.borger.dk/oekonomi-skat-su/Gaeld-og-inkasso/Skatteforvaltningensrestanceinddrivelsesmyndighedsbrev');
  await page.getByTestId('save-goal').click();
  await page.getByTestId('goal').filter({ hasText: 'Skatteforvaltningens' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling');

  // Offline: a change to each kind of row, each left waiting.
  await phone.setOffline(true);
  await page.getByTestId('edit-plan').click();
  await page.locator('#plan-wishes').fill('At klare mig selv');
  await page.getByTestId('save-plan').click();
  await page.getByTestId('plan-wishes').getByText('At klare mig selv').waitFor();
  await page.getByTestId('add-goal').click();
  await page.locator('#goal-words').fill('Jeg vil sove om natten');
  await page.getByTestId('save-goal').click();
  const goalB = page.getByTestId('goal').filter({ hasText: 'Jeg vil sove om natten' });
  await goalB.getByTestId('waiting').waitFor();
  await goalA.getByTestId('add-action').click();
  await goalA.locator('#action-what').fill('Ringe til cykelhandleren');
  await goalA.getByTestId('save-action').click();
  const action = goalA.getByTestId('action').filter({ hasText: 'Ringe til cykelhandleren' });
  await action.getByTestId('waiting').waitFor();
  await page.getByTestId('plan-meeting').click();
  await page.locator('#meeting-on').fill(today());
  await page.getByTestId('save-meeting').click();
  await page.getByTestId('meeting').first().getByTestId('waiting').waitFor();

  // A form open under each waiting row, something typed in each.
  await page.getByTestId('edit-plan').click();
  await page.locator('#plan-wishes').fill('At klare mig selv og have en hund');
  await goalB.getByTestId('add-action').click();
  await goalB.locator('#action-what').fill('Købe en lampe med dagslys');
  await action.getByTestId('edit-action').click();
  await action.locator('#action-edit-what').fill('Ringe til to cykelhandlere');
  await goalA.getByTestId('add-follow-up').click();
  await goalA.locator('#follow-up-note').fill('Har kigget på cykler');
  await goalB.getByTestId('edit-goal').click();
  await goalB.locator('#goal-professional').fill('Søvnrytme');

  // Online: every row is confirmed, every form stays as it was.
  await phone.setOffline(false);
  await syncNow(page);
  await page.getByTestId('waiting').first().waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('waiting').count(), 0, 'every change was sent');
  await screenshot(page, 'typing-01-forms-after-sync');
  assert.equal(await page.locator('#plan-wishes').inputValue(), 'At klare mig selv og have en hund', 'the plan form');
  assert.equal(await goalB.locator('#action-what').inputValue(), 'Købe en lampe med dagslys', 'the new action under the new goal');
  assert.equal(await action.locator('#action-edit-what').inputValue(), 'Ringe til to cykelhandlere', 'the action being changed');
  assert.equal(await goalA.locator('#follow-up-note').inputValue(), 'Har kigget på cykler', 'the follow-up');
  assert.equal(await goalB.locator('#goal-professional').inputValue(), 'Søvnrytme', 'the goal being changed');

  // Each saves as typed.
  await page.getByTestId('save-plan').click();
  await page.getByTestId('plan-wishes').getByText('At klare mig selv og have en hund').waitFor();
  await goalB.getByTestId('save-action').click();
  await goalB.getByTestId('action').getByText('Købe en lampe med dagslys').waitFor();
  await goalA.getByTestId('save-action').click();
  await goalA.getByTestId('action').getByText('Ringe til to cykelhandlere').waitFor();
  await goalA.getByTestId('save-follow-up').click();
  await goalA.getByTestId('follow-up').getByText('Har kigget på cykler').waitFor();
  await goalB.getByTestId('save-goal').click();
  await goalB.getByText('Søvnrytme').waitFor();
  await syncNow(page);
  assert.deepEqual(env.server.sql(`SELECT wishes FROM plans WHERE citizen_id = '${citizen}'`), ['At klare mig selv og have en hund']);
  assert.deepEqual(env.server.sql(`SELECT what FROM plan_actions WHERE citizen_id = '${citizen}' ORDER BY what`),
    ['Købe en lampe med dagslys', 'Ringe til to cykelhandlere']);
  assert.deepEqual(env.server.sql(`SELECT note FROM follow_ups WHERE citizen_id = '${citizen}'`), ['Har kigget på cykler']);
  assert.deepEqual(env.server.sql(`SELECT professional_wording FROM goals WHERE citizen_wording = 'Jeg vil sove om natten'`), ['Søvnrytme']);

  // A colleague changes goal A while the coordinator types under it: the
  // goal shows the change, the form keeps what is typed.
  await goalA.getByTestId('add-action').click();
  await goalA.locator('#action-what').fill('Låne en cykel af naboen');
  const workerPhone = await newPhone(env.browser, env.server.url);
  const worker = await workerPhone.newPage();
  await logIn(worker, 'worker');
  await waitForSynced(worker);
  await worker.goto(`/citizens/${citizen}/plan`);
  const workersGoalA = worker.getByTestId('goal').filter({ hasText: 'Jeg vil cykle til arbejde' });
  await workersGoalA.getByTestId('edit-goal').click();
  await workersGoalA.locator('#goal-professional').fill('Transport til arbejde');
  await workersGoalA.getByTestId('save-goal').click();
  await workersGoalA.getByText('Transport til arbejde').waitFor();
  await syncNow(worker);
  await syncNow(page);
  await goalA.getByText('Transport til arbejde').waitFor();
  assert.equal(await goalA.locator('#action-what').inputValue(), 'Låne en cykel af naboen', 'the form under the changed goal');
  await goalA.getByTestId('save-action').click();
  await goalA.getByTestId('action').getByText('Låne en cykel af naboen').waitFor();
  await workerPhone.close();

  // The meeting, planned offline above: its page, a change being typed
  // while the meeting's own save is confirmed.
  await phone.setOffline(true);
  await page.getByTestId('plan-meeting').click();
  await page.locator('#meeting-on').fill(today());
  await page.getByTestId('save-meeting').click();
  const waitingMeeting = page.getByTestId('meeting').filter({ has: page.getByTestId('waiting') }).first();
  await waitingMeeting.locator('a').click();
  await page.getByTestId('meeting-card').getByTestId('waiting').waitFor();
  await page.getByTestId('edit-meeting').click();
  await page.locator('#meeting-others').fill('Mor (Lone Hansen)');
  await page.getByTestId('hold-meeting').click();
  // The goal with the web address, in the agenda and the decision form's
  // list of goals, keeps the page as wide as the phone.
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling on the meeting');
  await phone.setOffline(false);
  await syncNow(page);
  await page.getByTestId('meeting-card').getByTestId('waiting').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#meeting-others').inputValue(), 'Mor (Lone Hansen)', 'the meeting form');
  assert.equal(await page.getByTestId('hold-form').count(), 1, 'the form recording the meeting as held');
  await screenshot(page, 'typing-02-meeting-after-sync');
  await page.getByTestId('save-meeting').click();
  await page.getByTestId('meeting-card').getByText('Netværk: Mor (Lone Hansen)').waitFor();
  await phone.close();
});
