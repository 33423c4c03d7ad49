// Shared harness for the browser tests: a real helhed-server on loopback
// with a fresh SQLite file, and Debian's chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const serverBin = process.env.HELHED_SERVER_BIN ?? path.join(root, 'target/debug/helhed-server');
const siteDir = process.env.HELHED_SITE_DIR ?? path.join(root, 'dist');
export const artifacts = process.env.HELHED_ARTIFACTS ?? path.join(root, 'test-artifacts');

export const PHONE = { width: 390, height: 844 };
export const DEMO_PASSWORD = 'demo1234';

/**
 * Starts the server with demo data; resolves once it listens. Options: an
 * existing data `dir` and `port` (a restart on the same origin), another
 * `site` folder and server `bin` (a new build).
 */
export async function startServer({ dir, port = 0, site = siteDir, bin = serverBin } = {}) {
  dir ??= mkdtempSync(path.join(tmpdir(), 'helhed-e2e-'));
  const child = spawn(bin, [
    '--demo',
    '--bind', `127.0.0.1:${port}`,
    '--database-url', `sqlite://${dir}/helhed.db`,
    '--site-dir', site,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    child.stdout.on('data', (d) => {
      const match = /running at (http:\/\/[^\s]+)\//.exec(String(d));
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
  return {
    url,
    dir,
    log: () => log,
    /** Stops the server; `keep` leaves its data for a restart. */
    async stop({ keep = false } = {}) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
    /** Runs SQL on the server's database (sqlite3 CLI) and returns its output lines. */
    sql(statement) {
      const out = execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(dir, 'helhed.db'), statement], { encoding: 'utf8' });
      return out.split('\n').filter((l) => l !== '');
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    // A Danish phone: with Debian's chromium-l10n, date and time fields
    // read 24.11.2026 and 15.28 (the browser's own locale, not the page's).
    env: { ...process.env, LANG: 'da_DK.UTF-8', LANGUAGE: 'da' },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=da-DK'],
  });
}

/** A phone-sized browser context in Copenhagen. Going offline waits for
 * the app's service worker first (installed with the shell cached, and
 * active): a page opened or reloaded offline is served by it, and a test
 * that cuts the network during the install would find nothing to serve. */
export async function newPhone(browser, baseURL) {
  const context = await browser.newContext({
    baseURL,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen',
  });
  const setOffline = context.setOffline.bind(context);
  context.setOffline = async (offline) => {
    if (offline) {
      for (const page of context.pages()) await serviceWorkerReady(page);
    }
    return setOffline(offline);
  };
  return context;
}

/** Waits until the page's service worker is active, if the page has
 * registered one (at most 30 s; a page without one is not waited for). */
/**
 * A phone of `username`, logged in, synced and with the service worker
 * ready (so it starts offline): `{ phone, page }`.
 */
export async function readyPhone(env, username) {
  const phone = await newPhone(env.browser, env.server.url);
  const page = await phone.newPage();
  await logIn(page, username);
  await waitForSynced(page);
  await serviceWorkerReady(page);
  return { phone, page };
}

/** The first (by name) citizen assigned to `worker` whose coordinating
 * case worker is `coordinator`. */
export function coordinatedCitizen(server, worker = 'worker', coordinator = 'coordinator') {
  const [citizen] = server.sql(`SELECT c.id FROM citizens c JOIN assignments a ON a.citizen_id = c.id
    JOIN users u ON u.id = a.user_id
    WHERE u.username = '${worker}' AND a.valid_to IS NULL
      AND c.coordinator_id = (SELECT id FROM users WHERE username = '${coordinator}')
    ORDER BY c.name LIMIT 1`);
  if (!citizen) throw new Error(`no citizen of ${worker} coordinated by ${coordinator}`);
  return citizen;
}

export async function serviceWorkerReady(page) {
  await page.evaluate(async () => {
    if (!('serviceWorker' in navigator)) return;
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration) return;
    await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  }).catch(() => {});
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Logs in through the form. */
export async function logIn(page, username, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel(/Brugernavn|Username/).fill(username);
  await page.getByLabel(/Adgangskode|Password/).fill(password);
  await page.getByRole('button', { name: /Log ind|Log in/ }).click();
}

/** The names the server says `username` may see, via the API. */
export async function citizenNamesFor(request, baseURL, username) {
  const login = await request.post(`${baseURL}/api/session`, {
    data: { username, password: DEMO_PASSWORD },
    headers: { 'x-requested-with': 'helhed' },
  });
  if (login.status() !== 201) throw new Error(`login ${username}: ${login.status()}`);
  const res = await request.get(`${baseURL}/api/citizens`);
  const body = await res.json();
  return body.citizens.map((c) => c.name);
}

/** A server and a browser for the tests of one file, started before them and stopped after. */
export function useServerAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Waits until the status line says everything is synced. */
export async function waitForSynced(page) {
  await page.getByTestId('sync-status').getByText(/Alt er synkroniseret|All synced/).waitFor({ timeout: 30_000 });
}

/**
 * Taps "Synkronisér nu" and waits until that sync has ended and the page's
 * view holds what it brought (the status line's `data-synced-at` moves on).
 * Waiting for "Alt er synkroniseret" alone can return before the sync starts.
 */
export async function syncNow(page) {
  const status = page.getByTestId('sync-status');
  const before = await status.getAttribute('data-synced-at');
  await page.getByRole('button', { name: 'Synkronisér nu' }).click();
  await page.waitForFunction((before) => {
    const now = document.querySelector('[data-testid=sync-status]')?.getAttribute('data-synced-at');
    return now != null && now !== before;
  }, before, { timeout: 30_000 });
  await waitForSynced(page);
}

/** Runs `count` or `getAllKeys` on a store of the page's IndexedDB (`helhed`). */
export async function readStore(page, store, op) {
  return page.evaluate(([store, op]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('helhed');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(store).objectStore(store)[op]();
      req.onsuccess = () => { resolve(req.result); db.close(); };
      req.onerror = () => reject(req.error);
    };
  }), [store, op]);
}

/** Milliseconds of 00:00 on the 1st of month `m` (1–12) of `y`, Copenhagen time. */
export function copenhagenMonthStart(y, m) {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  for (const offset of ['+02:00', '+01:00']) {
    const d = new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00${offset}`);
    const parts = Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
    if (parts.day === '01' && parts.hour === '00') return d.getTime();
  }
  throw new Error(`no midnight for ${y}-${m}`);
}

/** This month and the one before it in Copenhagen: `{ key: 'YYYY-MM', start, end }`. */
export function months() {
  const now = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date());
  const [y, m] = now.split('-').map(Number);
  const month = (y, m) => ({
    key: `${y}-${String(m).padStart(2, '0')}`,
    start: copenhagenMonthStart(y, m),
    end: m === 12 ? copenhagenMonthStart(y + 1, 1) : copenhagenMonthStart(y, m + 1),
  });
  return { current: month(y, m), previous: m === 1 ? month(y - 1, 12) : month(y, m - 1) };
}

/** Fills the visit form for the `nth` citizen of Today and saves it
 * (`travel`: minutes of travel, left as it is when not given). */
export async function logVisit(page, { nth = 0, date, start, end, note, travel }) {
  await page.getByRole('link', { name: 'I dag', exact: true }).click();
  await page.getByTestId('log-visit').nth(nth).click();
  await page.getByTestId('save-visit').waitFor();
  if (date !== undefined) await page.getByLabel('Dato').fill(date);
  await page.getByLabel('Start', { exact: true }).fill(start);
  await page.getByLabel('Slut', { exact: true }).fill(end);
  if (travel !== undefined) await page.getByLabel('Transporttid i minutter').fill(String(travel));
  await page.getByLabel('Note').fill(note);
  await page.getByTestId('save-visit').click();
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
}

/** Two devices of `username` (a phone and a tablet), each logged in and
 * synced: `{ phone, tablet, a, b }` — the two contexts and their pages. */
export async function twoDevices(env, username) {
  const phone = await newPhone(env.browser, env.server.url);
  const tablet = await newPhone(env.browser, env.server.url);
  const a = await phone.newPage();
  const b = await tablet.newPage();
  await logIn(a, username);
  await logIn(b, username);
  await waitForSynced(a);
  await waitForSynced(b);
  return { phone, tablet, a, b };
}

/** Every refusal shown at a field names the field as its label does, so
 * the words under a field match the field (issue 15's walk: "Note: …"
 * under "Kort note", "Til: …" under "Til og med"). The label is the one of
 * the input (or fieldset) the refusal describes, without what it says in
 * brackets or its question mark; at least one refusal must be showing. A
 * refusal under two fields (a layer's Danish and English names) names
 * them together, so it is only checked to name something. */
export async function assertRefusalsNameTheirFields(page, what) {
  const shown = await page.evaluate(() => {
    const spoken = (l) => l.replace(/\s+/g, ' ').trim().replace(/\s*\([^()]*\)$/, '').replace(/\?$/, '').trim();
    return [...document.querySelectorAll('.field__error')]
      .filter((e) => e.id && e.textContent.trim() && e.offsetParent !== null)
      .map((e) => {
        const owners = document.querySelectorAll(`[aria-describedby~="${e.id}"]`);
        const owner = owners[0];
        const labelled = owner?.labels?.[0];
        const label = owners.length > 1 ? '' : (labelled?.querySelector('.field__label') ?? labelled)?.textContent
          ?? owner?.querySelector('legend')?.textContent
          ?? e.closest('.field')?.querySelector('.field__label')?.textContent;
        return { id: e.id, text: e.textContent.replace(/\s+/g, ' ').trim(), label: label === undefined ? null : spoken(label) };
      });
  });
  assert.ok(shown.length > 0, `${what}: a refusal is showing`);
  for (const { id, text, label } of shown) {
    assert.ok(label !== null, `${what}: #${id} belongs to a labelled field`);
    const named = label === '' ? /^[^:]+: \S/.test(text) : text.startsWith(`${label}: `) && text.length > label.length + 2;
    assert.ok(named, `${what}: #${id} says "${text}" under the label "${label}"`);
  }
}

/** axe's WCAG 2.1 AA rules on the page as it is now: nothing may be found. */
export async function axe(page, name) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], name);
}

/** Opens the account panel behind the user's name in the bar (role,
 * language, log out), if the page has one and it is closed. */
export async function openAccount(page) {
  const account = page.getByTestId('account');
  if ((await account.count()) && (await account.getAttribute('aria-expanded')) !== 'true') await account.click();
}

/** Chooses `name` ("Dansk" or "English") in the language switch: on the
 * login page, or in the account panel after login. */
export async function chooseLanguage(page, name) {
  await openAccount(page);
  await page.getByRole('button', { name }).click();
}

/** axe in Danish, then in English, then back to Danish. */
export async function axeBothLanguages(page, name) {
  await axe(page, `${name} (da)`);
  await chooseLanguage(page, 'English');
  await page.locator('html[lang="en"]').waitFor();
  await axe(page, `${name} (en)`);
  await chooseLanguage(page, 'Dansk');
  await page.locator('html[lang="da"]').waitFor();
}

/** A desk: 1280×800, Danish, Copenhagen time, downloads kept. */
export function desktop(browser, baseURL) {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'da-DK', timezoneId: 'Europe/Copenhagen', acceptDownloads: true });
}
