// Helhed's service worker: the app shell, offline. `cargo xtask build`
// writes dist/sw.js from this template, filling in the build's version and
// its files, so every build has its own cache and a new build is noticed.
//
// - install: precache the shell (HTML, JS, wasm, CSS, icons, manifest)
//   with the field screens' wasm chunks; do not take over: a new version
//   waits until the page says so, so code is never swapped under the
//   user's hands;
// - the lead's and the administrator's screens (OFFICE) are cached when
//   first fetched, and all at once when the page asks ('keep-office', sent
//   for a logged-in lead or administrator): a field worker's phone never
//   downloads them;
// - activate: delete older Helhed caches, control open pages;
// - fetch: the shell from the cache (navigations get the cached page), and
//   never anything under /api: data lives in IndexedDB, not here.
const VERSION = '{{version}}';
const CACHE = `helhed-${VERSION}`;
const SHELL = {{files}};
const OFFICE = {{office}};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('helhed-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function keepOffice() {
  const cache = await caches.open(CACHE);
  for (const file of OFFICE) {
    if (await cache.match(file)) continue;
    // One at a time: on a poor network each file that arrives is kept.
    try { await cache.add(file); } catch { return; }
  }
}

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'keep-office') event.waitUntil(keepOffice());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Every app route is the same page: this version's, from the cache.
    event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match('/')) ?? fetch(request)));
    return;
  }
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(request);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok && OFFICE.includes(url.pathname)) await cache.put(request, response.clone());
    return response;
  }));
});
