// Cross-disciplinary meetings (issue 16; seed 002): the coordinator, as
// organiser, sees on Today that a citizen has no meeting planned, plans one
// from the plan inviting the mentor, writes the minutes offline during it,
// turns a decision into an action for the mentor, records the meeting as
// held and goes online; the mentor's phone shows the meeting, its minutes
// and the action. Bad input is refused at its field. axe finds nothing in
// either language at 390×844 and at 1280×800. Real server, real app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertRefusalsNameTheirFields, axeBothLanguages, desktop, logIn, newPhone, readyPhone, screenshot, syncNow,
  useServerAndBrowser, waitForSynced,
} from './support.js';

const env = useServerAndBrowser();

/** Today in Copenhagen as `YYYY-MM-DD`, `n` days on. */
function day(n = 0) {
  return new Date(Date.now() + n * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });
}

test('the organiser plans a meeting, writes the minutes offline, a decision reaches the mentor', async () => {
  const [row] = env.server.sql(`SELECT c.id || '|' || c.name FROM citizens c JOIN assignments a ON a.citizen_id = c.id
    JOIN users u ON u.id = a.user_id AND u.username = 'mentor'
    WHERE a.valid_to IS NULL AND c.coordinator_id = (SELECT id FROM users WHERE username = 'coordinator')
    ORDER BY c.name LIMIT 1`);
  const [citizen, name] = row.split('|');

  const { phone, page } = await readyPhone(env, 'coordinator');

  // A plan with a goal: the meeting's agenda is built from it.
  await page.goto(`/citizens/${citizen}/plan`);
  await page.getByRole('heading', { name: 'Borgerens plan' }).waitFor();
  await page.getByTestId('add-goal').click();
  await page.locator('#goal-words').fill('Jeg vil have et fritidsjob');
  await page.getByTestId('save-goal').click();
  await page.getByTestId('goal-words').getByText('“Jeg vil have et fritidsjob”').waitFor();
  await syncNow(page);
  // No meeting yet: the plan says so, and so does Today.
  assert.equal(await page.getByTestId('next-meeting').textContent(), 'Intet møde planlagt');
  await page.getByRole('link', { name: 'I dag', exact: true }).click();
  await page.getByTestId('meeting-due').filter({ hasText: name }).waitFor();
  assert.match(await page.getByTestId('meeting-due').filter({ hasText: name }).textContent(), /Intet møde planlagt$/);
  await page.goto(`/citizens/${citizen}/plan`);

  // Planning: a day gone by and no organiser are refused at their fields,
  // what was typed stays.
  await page.getByTestId('plan-meeting').click();
  await page.locator('#meeting-on').fill(day(-3));
  await page.locator('#meeting-others').fill('Mor (Lone Hansen)');
  await page.getByTestId('save-meeting').click();
  assert.equal(await page.locator('#meeting-on-error').textContent(), 'Dato: må ikke ligge før i dag');
  await assertRefusalsNameTheirFields(page, 'the meeting form');
  assert.equal(await page.locator('#meeting-others').inputValue(), 'Mor (Lone Hansen)');
  // Today, with the mentor invited.
  await page.locator('#meeting-on').fill(day(0));
  const mentorName = env.server.sql(`SELECT name FROM users WHERE username = 'mentor'`)[0];
  await page.getByTestId('meeting-form').getByLabel(mentorName).check();
  await screenshot(page, 'meetings-01-plan-form');
  await page.getByTestId('save-meeting').click();
  const meeting = page.getByTestId('meeting').first();
  await meeting.waitFor();
  assert.equal(await meeting.getAttribute('data-status'), 'planned');
  assert.match(await page.getByTestId('next-meeting').textContent(), /^Næste møde \d\d\.\d\d\.\d{4}$/);
  await syncNow(page);

  // The meeting: offline, as in a room with no signal.
  await meeting.locator('a').click();
  await page.getByTestId('agenda').waitFor();
  await phone.setOffline(true);
  await page.reload();
  await page.getByTestId('agenda').waitFor();
  const goalItem = page.locator('[data-testid="agenda-item"][data-item="goal"]').filter({ hasText: 'Jeg vil have et fritidsjob' });
  // An empty entry is refused at the field.
  await goalItem.getByTestId('save-minutes').click();
  await goalItem.locator('.field__error').getByText('Referat: skal udfyldes').waitFor();
  await goalItem.locator('textarea').fill('Borgeren har søgt to job i Netto og vil gerne have hjælp til CV.');
  await goalItem.getByTestId('save-minutes').click();
  await goalItem.getByTestId('minutes-entry').getByText(/søgt to job/).waitFor();
  await goalItem.getByTestId('minutes-entry').getByTestId('waiting').waitFor();
  // A decision without an owner is refused at "Hvem gør det"; then for the mentor.
  const decision = page.getByTestId('decision-form');
  await decision.locator('#decision-what').fill('Hjælp til CV');
  await decision.getByTestId('save-decision').click();
  assert.equal(await decision.locator('#decision-owner-error').textContent(), 'Hvem gør det: skal udfyldes');
  await assertRefusalsNameTheirFields(page, 'the decision form');
  assert.equal(await decision.locator('#decision-what').inputValue(), 'Hjælp til CV', 'what was typed stays');
  await decision.locator('#decision-owner').selectOption({ label: mentorName });
  await decision.locator('#decision-due').fill(day(14));
  await decision.getByTestId('save-decision').click();
  await decision.getByTestId('decision-saved').waitFor();
  // Held: the mentor and the organiser took part, the citizen too, for an
  // hour and a half. Without a time and a duration it is refused at both.
  await page.getByTestId('hold-meeting').click();
  await page.getByTestId('save-held').click();
  assert.equal(await page.locator('#hold-start-error').textContent(), 'Klokkeslæt: skal udfyldes');
  assert.equal(await page.locator('#hold-duration-error').textContent(), 'Varighed: skal udfyldes');
  await assertRefusalsNameTheirFields(page, 'the hold form');
  await page.locator('#hold-start').fill('10:00');
  await page.locator('#hold-duration').fill('1,5');
  await page.getByTestId('save-held').click();
  await page.locator('#hold-duration-error').getByText(/^Varighed: /).waitFor();
  await page.locator('#hold-duration').fill('90');
  await page.getByTestId('save-held').click();
  await page.getByTestId('meeting-status').getByText(/^Holdt · kl\. 10\.00 · 90 min · borgeren deltog/).waitFor();
  assert.equal(await page.getByTestId('meeting-present').textContent(), `Til stede: Karina Mikkelsen, ${mentorName}`);
  await screenshot(page, 'meetings-02-minutes-offline');
  await axeBothLanguages(page, 'the meeting at 390×844 (offline)');

  // Online: everything reaches the server, once.
  await phone.setOffline(false);
  await syncNow(page);
  const [stored] = env.server.sql(`SELECT status || '|' || citizen_took_part || '|' || COALESCE(next_on, '') FROM meetings WHERE citizen_id = '${citizen}'`);
  const [status, tookPart, next] = stored.split('|');
  assert.deepEqual([status, tookPart], ['held', '1']);
  assert.match(next, /^\d{4}-\d\d-\d\d$/, 'the next meeting four months on');
  assert.deepEqual(env.server.sql(`SELECT COUNT(*) FROM meeting_minutes WHERE citizen_id = '${citizen}'`), ['1']);
  // Counted once for each of the two who took part, by the organiser's
  // one record: 90 minutes each, as a meeting.
  assert.deepEqual(env.server.sql(`SELECT u.username || ' ' || v.kind || ' ' || ((v.ended_at - v.started_at) / 60000)
    FROM visits v JOIN users u ON u.id = v.worker_id WHERE v.meeting_of IS NOT NULL AND v.citizen_id = '${citizen}'
    ORDER BY u.username`), ['coordinator meeting 90', 'mentor meeting 90']);
  assert.deepEqual(env.server.sql(`SELECT a.what FROM plan_actions a JOIN users u ON u.id = a.owner_id
    WHERE a.citizen_id = '${citizen}' AND a.meeting_id IS NOT NULL AND u.username = 'mentor'`), ['Hjælp til CV']);
  await phone.close();

  // The mentor's phone: the meeting, its minutes, the action for them.
  const mentorPhone = await newPhone(env.browser, env.server.url);
  const mentor = await mentorPhone.newPage();
  await logIn(mentor, 'mentor');
  await waitForSynced(mentor);
  await mentor.goto(`/citizens/${citizen}/plan`);
  await mentor.getByText('Hjælp til CV').first().waitFor();
  const theirs = mentor.getByTestId('meeting').first();
  assert.equal(await theirs.getAttribute('data-status'), 'held');
  await theirs.locator('a').click();
  await mentor.getByTestId('minutes-entry').getByText(/søgt to job/).waitFor();
  await screenshot(mentor, 'meetings-03-mentor');
  // Their time at the meeting is on their phone, counted for them; it
  // follows the meeting, which is where it is changed.
  const [mentorVisit] = env.server.sql(`SELECT v.id FROM visits v JOIN users u ON u.id = v.worker_id
    WHERE u.username = 'mentor' AND v.meeting_of IS NOT NULL AND v.citizen_id = '${citizen}'`);
  await mentor.goto(`/visits/${mentorVisit}`);
  await mentor.getByTestId('meeting-visit').waitFor();
  await mentor.getByRole('heading', { name: 'Tid på tværfagligt møde' }).waitFor();
  await mentorPhone.close();

  // At a desk: the same meeting, axe clean in both languages.
  const desk = await desktop(env.browser, env.server.url);
  const laptop = await desk.newPage();
  await logIn(laptop, 'coordinator');
  await waitForSynced(laptop);
  await laptop.goto(`/citizens/${citizen}/plan`);
  await laptop.getByTestId('meeting').first().locator('a').click();
  await laptop.getByTestId('agenda').waitFor();
  await axeBothLanguages(laptop, 'the meeting at 1280×800');
  await screenshot(laptop, 'meetings-04-desk');
  await desk.close();
});
