// The lesson player: resumes where the member left off, reports where playback is every 10 s
// (the server decides what counts as watched), and tells the phone's lock screen what plays
// (Media Session API).
(function () {
  var box = document.getElementById("player");
  var media = document.getElementById("media");
  if (!box || !media) return;
  var bar = document.getElementById("watched");
  var resumeAt = parseInt(box.dataset.position, 10) || 0;
  var timer = null, sending = false, again = false;

  // Resume where the member stopped, unless that was the very end (then start again).
  function resume() {
    if (resumeAt > 0 && (!media.duration || resumeAt < media.duration - 0.5)) {
      media.currentTime = resumeAt;
    }
  }
  if (media.readyState >= 1) resume();
  else media.addEventListener("loadedmetadata", resume, {once: true});

  // A lesson saved for offline listening: a beat the network did not take is queued on
  // the phone (pwa.js) and synced later; while any wait, new beats join the queue behind them
  // so that the server reads them in order.
  function saved() { return window.OfflineLessons && box.dataset.saved === "1"; }
  function queued(position) {
    var beat = box.dataset.memberLesson ? {member_lesson: box.dataset.memberLesson}
      : {course: parseInt(box.dataset.course, 10), lesson: parseInt(box.dataset.lesson, 10)};
    beat.position = position;
    return window.OfflineLessons.queue(beat).then(function () { return null; });
  }

  function shown(d) {
    if (!d) return;
    if (bar) bar.value = d.watched;
    if (d.completed && !document.getElementById("lesson-done")) {
      var done = document.createElement("span");
      done.id = "lesson-done";
      done.className = "badge badge-active";
      done.textContent = box.dataset.doneText;
      box.insertBefore(done, box.firstChild);
    }
  }

  // One beat at a time; a beat asked for meanwhile is sent when the one in flight returns
  // (the pause or end beat must not be lost behind the play one).
  function beat() {
    if (sending) { again = true; return; }
    sending = true;
    // Tenths of a second: the server credits fractions, so a short clip watched whole counts.
    var position = Math.round((media.currentTime || 0) * 10) / 10;
    (saved() ? window.OfflineLessons.waiting() : Promise.resolve(0)).then(function (waiting) {
      if (waiting > 0) {
        return queued(position).then(window.OfflineLessons.flush).then(function () {
          return null;
        });
      }
      return fetch(box.dataset.heartbeatUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf},
        body: JSON.stringify({position: position}),
        keepalive: true
      }).then(function (r) { return r.ok ? r.json() : null; }, function (error) {
        if (saved()) return queued(position);
        throw error;
      });
    }).then(shown).catch(function () {}).then(function () {
      sending = false;
      if (again) { again = false; beat(); }
    });
  }

  // A beat when playback starts tells the server where this stretch of watching begins: the
  // server credits at most the time since the previous beat and at most how far the position
  // moved, so without it the stretch from play to the first beat (all of a short clip, or a
  // replay after a seek back) would count for nothing.
  media.addEventListener("play", function () {
    beat();
    if (!timer) timer = setInterval(beat, 10000);
  });
  ["pause", "ended"].forEach(function (name) {
    media.addEventListener(name, function () {
      clearInterval(timer);
      timer = null;
      beat();
    });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !media.paused) beat();
  });

  if ("mediaSession" in navigator) {
    navigator.mediaSession.metadata = new MediaMetadata({
      title: box.dataset.title, album: box.dataset.album, artist: document.title
    });
    var skip = function (by) {
      media.currentTime = Math.max(0, Math.min((media.duration || 0), media.currentTime + by));
    };
    var handlers = {
      play: function () { media.play(); },
      pause: function () { media.pause(); },
      seekbackward: function (e) { skip(-((e && e.seekOffset) || 10)); },
      seekforward: function (e) { skip((e && e.seekOffset) || 10); },
      seekto: function (e) { if (e && e.seekTime != null) media.currentTime = e.seekTime; }
    };
    Object.keys(handlers).forEach(function (action) {
      try { navigator.mediaSession.setActionHandler(action, handlers[action]); } catch (e) {}
    });
  }
})();
