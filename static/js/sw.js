// The company site's service worker (served at /sw.js by saas/pwa.py, which puts
// self.COMPANY = {schema} before this). Saved lessons live in one cache per company, named
// with its host and schema, so two companies on one browser never mix.
//  - Media asked for with a Range header (audio and video elements always ask) come from the
//    cache when the lesson is saved: a 206 cut from the cached file, as the server would.
//  - Everything else goes to the network first and falls back to the cache when it fails;
//    a page that was not saved falls back to the saved-lessons page, else a short notice.
//  - Writes (POST) are never touched: the player queues its beats itself when offline.
"use strict";

var CACHE = "offline:" + self.location.host + ":" + self.COMPANY.schema;
var SAVED_PAGE = "/learning/saved/";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// Looked up by URL alone (a Range header or another Vary never hides the saved copy), in
// this company's cache only; matching does not make the cache when there is none.
function cached(request) {
  // A page opened through a share link (?s=…) is the page that was saved.
  return caches.match(request.url, {cacheName: CACHE, ignoreVary: true,
                                    ignoreSearch: request.mode === "navigate"});
}

// One `bytes=` range (first-last, first-, or -suffix), like toolkit/learning/media.py.
function partial(response, header) {
  return response.blob().then(function (blob) {
    var size = blob.size;
    var match = /^bytes=(\d*)-(\d*)$/.exec((header || "").trim());
    var type = response.headers.get("Content-Type") || blob.type;
    if (!match || (!match[1] && !match[2])) {
      // Several ranges or another unit: the whole file is a valid answer.
      return new Response(blob, {status: 200, headers: {
        "Content-Type": type, "Content-Length": String(size), "Accept-Ranges": "bytes"}});
    }
    var start, end;
    if (!match[1]) {
      start = Math.max(size - parseInt(match[2], 10), 0);
      end = size - 1;
    } else {
      start = parseInt(match[1], 10);
      end = match[2] ? Math.min(parseInt(match[2], 10), size - 1) : size - 1;
    }
    if (start >= size || start > end) {
      return new Response(null, {status: 416, headers: {"Content-Range": "bytes */" + size}});
    }
    var part = blob.slice(start, end + 1, type);
    return new Response(part, {status: 206, statusText: "Partial Content", headers: {
      "Content-Type": type, "Content-Length": String(part.size), "Accept-Ranges": "bytes",
      "Content-Range": "bytes " + start + "-" + end + "/" + size}});
  });
}

function offlineNotice() {
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport " +
    "content='width=device-width,initial-scale=1'><title>离线</title>" +
    "<p>网络未连接。已保存到离线的课程可以在“离线课程”中打开。</p>" +
    "<p><a href='" + SAVED_PAGE + "'>离线课程</a></p>";
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

function fromNetwork(request) {
  return fetch(request).catch(function (error) {
    return cached(request).then(function (hit) {
      if (hit) return hit;
      if (request.mode !== "navigate") throw error;
      return caches.match(SAVED_PAGE, {cacheName: CACHE}).then(function (page) {
        return page || offlineNotice();
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  // Chromium's devtools ask this of other origins' requests: fetch() would throw on it.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") return;
  var range = request.headers.get("Range");
  if (range) {
    event.respondWith(cached(request).then(function (hit) {
      return hit ? partial(hit, range) : fetch(request);
    }));
    return;
  }
  event.respondWith(fromNetwork(request));
});
