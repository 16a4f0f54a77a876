// The question's countdown. Only a display: the server keeps the deadline and refuses a late
// answer whatever this shows.
(function () {
  var clock = document.getElementById("quiz-clock");
  if (!clock) return;
  var left = parseInt(clock.dataset.seconds, 10) || 0;
  var timer = setInterval(function () {
    left = Math.max(0, left - 1);
    clock.textContent = left;
    if (left === 0) clearInterval(timer);
  }, 1000);
})();
