// JointForce's service worker: keeps the app shell (this build's HTML, wasm, JS, CSS and icons)
// for fast and offline starts. It never stores API answers: /api/ requests go to the network only.
// `cargo xtask build` writes dist/sw.js from this file, filling in the build's shell and version.
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const CACHE = "jf-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return; // the network, untouched
  }
  if (request.mode === "navigate") {
    // Pages: the network first (a new build shows at once); offline, the shell.
    event.respondWith(fetch(request).catch(() => caches.match("/index.html")));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
