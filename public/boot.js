// Starts Helhed: loads this build's wasm, registers the service worker and
// tells the app (by window events) when a new version waits or the browser
// offers to install; passes the app's requests on to the service worker. `cargo xtask build` fills in the file names.
import init from '{{js}}';

init({ module_or_path: '{{wasm}}' });

window.helhedUpdateReady = false;
window.helhedInstallable = false;

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').then((registration) => {
    const waiting = () => {
      // A first install has nothing to replace; only an update is news.
      if (registration.waiting && navigator.serviceWorker.controller) {
        window.helhedUpdateReady = true;
        window.dispatchEvent(new Event('helhed-update'));
      }
    };
    waiting();
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => { if (worker.state === 'installed') waiting(); });
    });
    // Look for a new version now and then, and when the page is shown again.
    setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
    // The lead's and the administrator's screens: cached on request only,
    // so a field worker's phone never downloads them.
    window.helhedKeepOffice = () => {
      navigator.serviceWorker.ready.then((ready) => ready.active?.postMessage('keep-office')).catch(() => {});
    };
    window.helhedApplyUpdate = () => {
      if (!registration.waiting) { location.reload(); return; }
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      registration.waiting.postMessage('skip-waiting');
    };
  }).catch(() => {});
}

let installPrompt = null;
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  installPrompt = event;
  window.helhedInstallable = true;
  window.dispatchEvent(new Event('helhed-installable'));
});
window.helhedInstall = async () => {
  if (!installPrompt) return;
  installPrompt.prompt();
  await installPrompt.userChoice;
  installPrompt = null;
  window.helhedInstallable = false;
  window.dispatchEvent(new Event('helhed-installable'));
};
