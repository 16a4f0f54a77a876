// The company site as an app (扫码党课): registers the service worker, saves a lesson for
// offline listening (its page, file and cover into the company's cache, fetched with the
// member's session), keeps the beats the player could not send in IndexedDB and syncs them
// when the server answers again, and draws the saved-lessons page.
// Cache and database names carry the host and the company's schema: never mixed.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.dataset.schema) return;
  var data = me.dataset;
  var NAME = "offline:" + location.host + ":" + data.schema;
  var INDEX = "/__offline__/" + data.schema + "/lessons/";  // one record per saved lesson

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
  }

  // --- saved lessons (Cache Storage) --------------------------------------------------------
  function cacheOpen() { return caches.open(NAME); }

  // The signed-in member's saved lessons; `everyone`: also those of whoever used this phone
  // before (a shared file stays while anyone's record names it).
  function records(everyone) {
    if (!("caches" in window)) return Promise.resolve([]);
    // caches.open would make an empty cache: look first.
    return caches.has(NAME).then(function (there) {
      return there ? cacheOpen() : null;
    }).then(function (cache) {
      if (!cache) return [];
      return cache.keys().then(function (requests) {
        var mine = requests.filter(function (r) {
          return new URL(r.url).pathname.indexOf(INDEX) === 0;
        });
        return Promise.all(mine.map(function (r) {
          return cache.match(r).then(function (res) { return res.json(); });
        })).then(function (all) {
          return everyone ? all : all.filter(function (r) { return String(r.user) === data.user; });
        });
      });
    });
  }

  function sizeOf(record) {
    return cacheOpen().then(function (cache) {
      return Promise.all(record.urls.map(function (url) {
        return cache.match(url).then(function (res) {
          return res ? res.blob().then(function (b) { return b.size; }) : 0;
        });
      }));
    }).then(function (sizes) { return sizes.reduce(function (a, b) { return a + b; }, 0); });
  }

  // The lesson's own files (from the server, which checked the member may open them) and the
  // page's styles and scripts, so that the saved page looks and plays the same offline.
  function save(url) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"X-CSRFToken": csrf()}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (record) {
        var shell = Array.prototype.map.call(
          document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
          function (el) { return el.getAttribute("href") || el.getAttribute("src"); })
          .filter(function (u) { return u.indexOf("/") === 0 && u.indexOf("//") !== 0; });
        var wanted = record.urls.concat(shell, data.savedUrl ? [data.savedUrl] : []);
        return cacheOpen().then(function (cache) {
          return Promise.all(wanted.map(function (u) {
            return fetch(u, {credentials: "same-origin"}).then(function (res) {
              if (res.status !== 200) throw new Error(u + " " + res.status);
              return cache.put(u, res);
            });
          })).then(function () {
            record.saved_on_phone = new Date().toISOString();
            return cache.put(INDEX + encodeURIComponent(record.key), new Response(
              JSON.stringify(record), {headers: {"Content-Type": "application/json"}}));
          }).then(function () {
            if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
            keeping = true;
            return record;
          });
        });
      });
  }

  // A file two saved lessons share (a course's cover) stays until neither is saved; with no
  // lesson left, the whole cache goes (the page's styles and scripts too).
  function remove(key) {
    return records(true).then(function (all) {
      var gone = all.filter(function (r) { return r.key === key; })[0];
      var rest = all.filter(function (r) { return r.key !== key; });
      if (!gone) return;
      if (!rest.length) return caches.delete(NAME);
      var kept = {};
      rest.forEach(function (r) { r.urls.forEach(function (u) { kept[u] = true; }); });
      return cacheOpen().then(function (cache) {
        return Promise.all(gone.urls.filter(function (u) { return !kept[u]; })
          .map(function (u) { return cache.delete(u); }))
          .then(function () { return cache.delete(INDEX + encodeURIComponent(key)); });
      });
    });
  }

  // --- queued beats (IndexedDB) -------------------------------------------------------------
  function db() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open(NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("beats", {keyPath: "id"}); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function store(mode, work) {
    return db().then(function (handle) {
      return new Promise(function (ok, fail) {
        var tx = handle.transaction("beats", mode);
        var req = work(tx.objectStore("beats"));
        tx.oncomplete = function () { handle.close(); ok(req && req.result); };
        tx.onerror = function () { handle.close(); fail(tx.error); };
      });
    });
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return [h.slice(0, 4).join(""), h.slice(4, 6).join(""), h.slice(6, 8).join(""),
            h.slice(8, 10).join(""), h.slice(10).join("")].join("-");
  }
  function csrf() {
    var m = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : (data.csrf || "");
  }

  var flushing = null;
  // Sends the queue, oldest first; whatever the server answered for (accepted, a duplicate,
  // or refused for good) leaves the queue, the rest waits for the next try.
  function flush() {
    if (!data.syncUrl) return Promise.resolve(0);
    if (flushing) return flushing;
    flushing = store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      // Only the signed-in member's beats: the server credits whoever sends them.
      items = (items || []).filter(function (i) { return String(i.user) === data.user; });
      if (!items.length) return 0;
      items.sort(function (a, b) { return a.at < b.at ? -1 : 1; });
      items = items.slice(0, 500);
      return fetch(data.syncUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify({items: items})
      }).then(function (r) { return r.ok ? r.json() : {results: []}; }).then(function (d) {
        var done = d.results.map(function (x) { return x.id; });
        return store("readwrite", function (s) {
          done.forEach(function (id) { s.delete(id); });
        }).then(function () { return done.length; });
      });
    }).catch(function () { return 0; }).then(function (n) { flushing = null; return n; });
    return flushing;
  }

  function queue(beat) {
    beat.user = data.user;
    beat.id = uuid();
    beat.at = new Date().toISOString();
    keeping = true;
    return store("readwrite", function (s) { return s.put(beat); });
  }
  function waiting() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).filter(function (i) { return String(i.user) === data.user; }).length;
    });
  }

  // Logging out on a shared phone: the member's queued beats are sent first, then the
  // company's saved lessons and queue leave the phone (the next person's are their own).
  // Known at page load whether there is anything here: a phone with nothing saved logs out
  // at once, as before.
  var keeping = false;
  if (data.user && "caches" in window) {
    Promise.all([caches.has(NAME), store("readonly", function (s) { return s.count(); })])
      .then(function (found) { keeping = found[0] || found[1] > 0; })
      .catch(function () {});
  }
  var logout = document.querySelector('form[action="/logout/"]');
  if (logout && data.user) {
    logout.addEventListener("submit", function (event) {
      if (!keeping) return;
      event.preventDefault();
      var left = false;
      var leave = function () { if (!left) { left = true; logout.submit(); } };
      setTimeout(leave, 4000);  // a server that does not answer does not keep anyone in
      flush().then(function () {
        return Promise.all([caches.delete(NAME), new Promise(function (ok) {
          var req = indexedDB.deleteDatabase(NAME);
          req.onsuccess = req.onerror = req.onblocked = function () { ok(); };
        })]);
      }).catch(function () {}).then(leave);
    });
  }

  window.OfflineLessons = {save: save, remove: remove, records: records, sizeOf: sizeOf,
                           queue: queue, flush: flush, waiting: waiting, cacheName: NAME};

  flush();
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);

  // --- the lesson page's button -------------------------------------------------------------
  function megabytes(n) { return (n / 1048576).toFixed(n < 1048576 ? 2 : 1) + " MB"; }
  var button = document.getElementById("save-offline");
  // Offered only where a service worker runs and can play it back (not in an in-app browser
  // without one, e.g. WeChat's on iOS: there the lesson still plays online).
  if (button && "caches" in window && "serviceWorker" in navigator) {
    var status = document.getElementById("offline-status");
    var key = button.dataset.key;
    var player = document.getElementById("player");
    records().then(function (all) {
      var mine = all.filter(function (r) { return r.key === key; })[0];
      if (mine) {
        if (player) player.dataset.saved = "1";
        return sizeOf(mine).then(function (n) {
          status.textContent = button.dataset.savedText + " · " + megabytes(n);
        });
      }
      return navigator.serviceWorker.ready.then(function () { button.hidden = false; });
    });
    button.addEventListener("click", function () {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      status.textContent = button.dataset.savingText;
      save(button.dataset.url).then(sizeOf).then(function (n) {
        if (player) player.dataset.saved = "1";
        status.textContent = button.dataset.savedText + " · " + megabytes(n);
        button.hidden = true;
      }).catch(function () {
        status.textContent = button.dataset.failedText;
      }).then(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  }

  // --- the saved-lessons page ---------------------------------------------------------------
  var list = document.getElementById("saved-list");
  if (list) {
    var draw = function () {
      return records().then(function (all) {
        all.sort(function (a, b) { return a.saved_on_phone < b.saved_on_phone ? 1 : -1; });
        return Promise.all(all.map(sizeOf)).then(function (sizes) {
          list.textContent = "";
          document.getElementById("saved-empty").hidden = all.length > 0;
          var total = 0;
          all.forEach(function (record, i) {
            total += sizes[i];
            var item = document.createElement("li");
            item.className = "saved-lesson";
            item.dataset.key = record.key;
            var link = document.createElement("a");
            link.href = record.page;
            link.textContent = record.title;
            var meta = document.createElement("small");
            meta.className = "muted";
            meta.textContent = record.course + " · " + megabytes(sizes[i]);
            meta.dataset.bytes = String(sizes[i]);
            var drop = document.createElement("button");
            drop.type = "button";
            drop.className = "secondary outline";
            drop.textContent = list.dataset.removeText;
            drop.addEventListener("click", function () { remove(record.key).then(draw); });
            var text = document.createElement("div");
            text.appendChild(link);
            text.appendChild(document.createElement("br"));
            text.appendChild(meta);
            item.appendChild(text);
            item.appendChild(drop);
            list.appendChild(item);
          });
          var sum = document.getElementById("saved-total");
          sum.textContent = all.length ? list.dataset.totalText + " " + megabytes(total) : "";
        });
      });
    };
    draw();
  }
})();
