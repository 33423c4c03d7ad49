// Foundation: log in as a worker on a phone, see exactly the assigned
// citizens, switch to English, log out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as apiRequest } from 'playwright-core';
import { chooseLanguage, citizenNamesFor, logIn, newPhone, openAccount, screenshot, useServerAndBrowser } from './support.js';

const env = useServerAndBrowser();

async function namesFor(username) {
  const ctx = await apiRequest.newContext();
  try {
    return await citizenNamesFor(ctx, env.server.url, username);
  } finally {
    await ctx.dispose();
  }
}

test('a worker logs in and sees exactly their assigned citizens', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL('**/login');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Helhed' }).waitFor());
  await screenshot(page, 'foundation-01-login');

  await logIn(page, 'worker');
  await page.getByRole('heading', { name: /^I dag/ }).waitFor();
  await page.getByRole('link', { name: 'Borgere', exact: true }).click();
  await page.getByRole('heading', { name: 'Mine borgere' }).waitFor();
  await page.getByTestId('citizen').first().waitFor();
  await screenshot(page, 'foundation-02-citizens-da');

  assert.equal(await page.getByTestId('user-name').textContent(), 'Anne Kjær');
  const shown = await page.getByTestId('citizen').locator('.citizen-card__name').allTextContents();
  const expected = await namesFor('worker');
  assert.ok(expected.length > 0);
  assert.deepEqual(shown, expected, 'the page shows what the server allows, in order');
  const others = await namesFor('worker2');
  for (const name of others) assert.ok(!shown.includes(name), `${name} belongs to worker2`);
  assert.match(await page.getByTestId('citizen-count').textContent(), new RegExp(`^${expected.length} borgere$`));

  // Search narrows the list.
  const first = expected[0].split(' ')[0];
  await page.getByLabel('Søg efter navn').fill(first);
  const filtered = await page.getByTestId('citizen').locator('.citizen-card__name').allTextContents();
  assert.ok(filtered.length >= 1 && filtered.every((n) => n.toLowerCase().includes(first.toLowerCase())));
  await context.close();
});

test('a wrong password is explained at the form, and empty fields at the field', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByText('Brugernavn: skal udfyldes').waitFor();
  await page.getByText('Adgangskode: skal udfyldes').waitFor();
  assert.equal(await page.getByLabel('Brugernavn').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'foundation-03-login-empty');

  await logIn(page, 'worker', 'not-the-password');
  await page.getByTestId('login-error').getByText('Forkert brugernavn eller adgangskode.').waitFor();
  assert.equal(await page.getByLabel('Brugernavn').inputValue(), 'worker', 'what was typed is kept');
  await screenshot(page, 'foundation-04-login-wrong-password');
  await context.close();
});

test('English is selectable and remembered; logging out returns to the login page', async () => {
  const context = await newPhone(env.browser, env.server.url);
  const page = await context.newPage();
  await logIn(page, 'worker');
  await page.getByRole('link', { name: 'Borgere', exact: true }).click();
  // The page's own heading (Today has a section of that name too).
  await page.getByRole('heading', { name: 'Mine borgere', level: 1 }).waitFor();

  await chooseLanguage(page, 'English');
  await page.getByRole('heading', { name: 'My citizens' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  await page.getByTestId('citizen').first().waitFor();
  assert.match(await page.getByTestId('citizen-count').textContent(), /^\d+ citizens$/);
  await screenshot(page, 'foundation-05-citizens-en');

  await page.reload();
  await page.getByRole('heading', { name: 'My citizens' }).waitFor();

  await openAccount(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await screenshot(page, 'foundation-06-logged-out-en');
  const me = await page.request.get('/api/me');
  assert.equal(me.status(), 401, 'the session is gone on the server');

  // Back to Danish for whoever uses the phone next.
  await chooseLanguage(page, 'Dansk');
  await page.getByRole('button', { name: 'Log ind' }).waitFor();
  await context.close();
});

test('the app is installable: manifest with icons, standalone display', async () => {
  const res = await fetch(`${env.server.url}/manifest.webmanifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/manifest\+json/);
  const manifest = await res.json();
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  assert.ok(manifest.theme_color && manifest.short_name === 'Helhed');
  for (const [size, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['192x192', 'maskable'], ['512x512', 'maskable']]) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === purpose);
    assert.ok(icon, `${size} ${purpose}`);
    const png = await fetch(`${env.server.url}${icon.src}`);
    assert.equal(png.status, 200, icon.src);
    assert.equal(png.headers.get('content-type'), 'image/png');
  }
  const index = await fetch(`${env.server.url}/`);
  const html = await index.text();
  const wasm = /href="(\/helhed-[0-9a-f]{16}_bg\.wasm)"/.exec(html)?.[1];
  assert.ok(wasm, 'index.html names the hashed wasm');
  const wasmRes = await fetch(`${env.server.url}${wasm}`);
  assert.equal(wasmRes.headers.get('content-type'), 'application/wasm');
  assert.match(wasmRes.headers.get('cache-control'), /immutable/);
});
