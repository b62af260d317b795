// Keeps the scanner usable without network: the page and its files from a cache, the API never cached.
const CACHE = "mediane-scanner-v5";
const FILES = [
  "/static/mediane.css",
  "/static/favicon.svg",
  "/static/leads/scanner.css",
  "/static/leads/recent.js",
  "/static/leads/retry.js",
  "/static/leads/scanner.js",
  "/static/barcode-reader.js",
  "/static/vendor/barcode-detector/ponyfill.js",
  "/static/vendor/barcode-detector/zxing_reader.wasm",
];
const PAGE = new URL("./", self.location).pathname;  // the scanner page, /scan/

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([PAGE, ...FILES])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    // The page: the network's latest when there is one, else the kept copy.
    event.respondWith(fetch(event.request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
      }
      return response;
    }).catch(() => caches.match(PAGE)));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(event.request)));
  }
});
