// The service worker of StadtLabor Coworking: shows Web Push notifications and keeps the
// member's bookings and today's check-in page for a phone without signal.
"use strict";

const CACHE = "offline-pages-v1";
const OFFLINE_PAGES = {{ offline_pages | tojson }}.map((pattern) => new RegExp(pattern));
const FORGET = {{ forget | tojson }};
const ASSETS = {{ assets | tojson }};
// A kept page carries its note hidden; opened offline it shows when the page was made.
const HIDDEN_NOTE = "data-offline-note hidden";
const SHOWN_NOTE = "data-offline-note";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).catch(() => null)
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function ownPath(url) {
  return url.origin === self.location.origin ? url.pathname : null;
}

function isKept(url) {
  const path = ownPath(url);
  return path !== null && OFFLINE_PAGES.some((pattern) => pattern.test(path));
}

async function keep(key, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

async function keptCopy(key) {
  const cache = await caches.open(CACHE);
  const copy = await cache.match(key);
  if (!copy) {
    return Response.error();
  }
  const html = (await copy.text()).replace(HIDDEN_NOTE, SHOWN_NOTE);
  return new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (ownPath(url) === null) {
    return;
  }
  if (request.method === "POST" && FORGET.includes(url.pathname)) {
    // Signing in or out, or deleting the account: nobody else sees these pages offline.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate" && isKept(url)) {
    const key = url.origin + url.pathname;
    event.respondWith(fetch(request).then((response) => keep(key, response))
      .catch(() => keptCopy(key)));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)
      .then((copy) => copy || Response.error())));
  }
});

// A page of the member's names the pages to keep up to date (today's check-in pages).
self.addEventListener("message", (event) => {
  const paths = (event.data && event.data.keep) || [];
  event.waitUntil(Promise.all(paths.map((path) => {
    const url = new URL(path, self.location.origin);
    if (!isKept(url)) {
      return null;
    }
    return fetch(url, {credentials: "same-origin"})
      .then((response) => keep(url.origin + url.pathname, response)).catch(() => null);
  })));
});

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {title: event.data.text()};
  }
  event.waitUntil(self.registration.showNotification(message.title || "StadtLabor Coworking", {
    body: message.body || "",
    tag: message.tag || undefined,
    lang: message.lang || undefined,
    icon: "{{ url_for('static', filename='icons/icon-192.png') }}",
    data: {url: message.url || "/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only a page of this site opens, whatever the message said.
  const target = new URL((event.notification.data && event.notification.data.url) || "/",
                         self.location.origin);
  const path = target.pathname + target.search + target.hash;
  event.waitUntil(self.clients.matchAll({type: "window"}).then((windows) => {
    const open = windows.find((client) => new URL(client.url).pathname === target.pathname);
    return open ? open.focus().then((client) => client.navigate(path)) : self.clients.openWindow(path);
  }));
});
