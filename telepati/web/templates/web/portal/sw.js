/* TELEPATI service worker (rendered by views_portal.service_worker; scope "/").
   Keeps the portal's shell (styles, scripts, home, report form, offline page) in a
   versioned cache: pages network-first (the cached copy or the offline page when there is
   no connection), the shell's and third-party static files cache-first. Sends reports drafted offline on Background
   Sync with the same code as the page (portal.js). Nothing else is cached: no POSTs, no
   uploaded files, no map tiles, no tracking answers. */
"use strict";
var VERSION = "{{ version|escapejs }}";
var CACHE = "telepati-shell-" + VERSION;
var PAGES = [{% for page in pages %}"{{ page|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var ASSETS = [{% for asset in assets %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var OFFLINE = "{{ offline|escapejs }}";
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";

importScripts("{{ portal_js|escapejs }}");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PAGES.concat(ASSETS));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("telepati-shell-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Cache-first for the shell's files (their version is this worker's) and third-party files
  // (fixed package versions); our other static files go to the network as usual, so an
  // edited file under an unchanged name (development) is never served stale.
  var cached = ASSETS.indexOf(url.pathname) !== -1 || url.pathname.indexOf(STATIC_PREFIX + "vendor/") === 0;
  if (cached) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (request.mode !== "navigate") return;
  var shell = PAGES.indexOf(url.pathname) !== -1 && !url.search;
  event.respondWith(fetch(request).then(function (response) {
    if (shell && response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }, function () {
    return caches.match(url.pathname).then(function (hit) { return hit || caches.match(OFFLINE); });
  }));
});

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "telepati-drafts") event.waitUntil(self.TelepatiDrafts.sendAll(tellPages));
});
