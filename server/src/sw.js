// The service worker: keeps what a school needs to fill its report without a network.
// The server writes VERSION (from the served names of the bundles and the stylesheet, which
// carry their content's hash) and ASSETS (the stylesheet, the school bundle and the icon)
// above this text.
//
// - The site's files under /pkg/ whose names carry their content's hash come from the cache
//   once fetched, and the ASSETS are fetched when this version installs.
// - A report form page (/reports/<cycle>/units/<unit>) comes from the network when it can and
//   is kept; without a network the kept copy is shown, and the form brings back what was
//   typed on this device (kept in the page's storage, not here).
// - Signing in or out forgets every kept page (the server's sign-out also clears the site's
//   storage), so a shared computer shows nobody the previous user's report.

const ASSET_CACHE = `antq-assets-${VERSION}`;
const PAGE_CACHE = "antq-pages";
const REPORT_PAGE = /^\/reports\/\d+\/units\/\d+$/;
// A file whose name carries its content's hash never changes (a site read from disk, as in
// development, has plain names: those always come from the network).
const HASHED = /^\/pkg\/[^/]+\.[0-9a-f]{16}\.[a-z]+$/;
const SIGN_IN_OR_OUT = /^\/(sign-in|api\/accounts\/sign-(in|out|out-everywhere))$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(ASSET_CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("antq-assets-") && name !== ASSET_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// A report page opened before this worker controlled it asks to be kept.
self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path === "string" && REPORT_PAGE.test(path)) {
    event.waitUntil(
      fetch(path, { credentials: "same-origin" }).then((response) => keepPage(path, response)),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SIGN_IN_OR_OUT.test(url.pathname)) {
    event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(fromCache(request));
  } else if (request.mode === "navigate" && REPORT_PAGE.test(url.pathname)) {
    event.respondWith(reportPage(request, url.pathname));
  }
});

async function fromCache(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(ASSET_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function reportPage(request, path) {
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    const cache = await caches.open(PAGE_CACHE);
    const kept = await cache.match(path);
    return kept || offlinePage();
  }
  await keepPage(path, response.clone());
  return response;
}

// Only a page the server sent as itself (not a redirect to signing in, not an error).
async function keepPage(path, response) {
  const html = (response.headers.get("content-type") || "").startsWith("text/html");
  if (response.ok && !response.redirected && html) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(path, response);
  }
}

function offlinePage() {
  const body =
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Không có mạng · Offline</title></head><body>" +
    "<main><h1>Không có mạng</h1>" +
    "<p>Trang này chưa được mở trên thiết bị này khi có mạng, nên chưa có bản lưu. Hãy thử lại khi có kết nối.</p>" +
    '<p lang="en">Offline: this page has not been opened on this device before, so no copy is kept. Try again when the connection returns.</p>' +
    "</main></body></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
