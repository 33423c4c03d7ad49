// Helhed's service worker: the app shell, offline. `cargo xtask build`
// writes dist/sw.js from this template, filling in the build's version and
// its files, so every build has its own cache and a new build is noticed.
//
// - install: precache the shell (HTML, JS, wasm, CSS, icons, manifest);
//   do not take over: a new version waits until the page says so, so code
//   is never swapped under the user's hands;
// - activate: delete older Helhed caches, control open pages;
// - fetch: the shell from the cache (navigations get the cached page), and
//   never anything under /api: data lives in IndexedDB, not here.
const VERSION = '{{version}}';
const CACHE = `helhed-${VERSION}`;
const SHELL = {{files}};

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

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
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
  event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(request)) ?? fetch(request)));
});
