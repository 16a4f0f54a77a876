// The exam's countdown, from the seconds the server left to its deadline (mm:ss). Only a
// display and a courtesy: at zero it hands the paper in; the server keeps the deadline and
// refuses a paper after it, whatever this shows.
(function () {
  var clock = document.getElementById("exam-clock");
  if (!clock) return;
  var form = clock.closest("form");
  var ends = Date.now() + (parseInt(clock.dataset.seconds, 10) || 0) * 1000;
  var sent = false;
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    clock.textContent = two(Math.floor(left / 60)) + ":" + two(left % 60);
    if (left > 0) return;
    clearInterval(timer);
    clock.textContent = clock.dataset.overText;
    if (form && !sent) { sent = true; form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }
  var timer = setInterval(tick, 1000);
  tick();
})();
