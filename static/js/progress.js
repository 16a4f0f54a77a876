// Polls a progress endpoint ({progress, step, status}) for every element with
// data-progress-url, updating its <progress> and [data-step]; reloads when the work ends.
(function () {
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var running = box.dataset.running;
    if (!running || box.dataset.status !== running) return;
    var bar = box.querySelector("progress"), step = box.querySelector("[data-step]");
    var timer = setInterval(function () {
      fetch(box.dataset.progressUrl, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (bar) bar.value = d.progress;
          if (step && d.step) step.textContent = d.step;
          if (d.status !== running) { clearInterval(timer); location.reload(); }
        });
    }, 700);
  });
})();
