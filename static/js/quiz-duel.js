// 双人对战: polls the duel's state once a second (short polling, decision 0022) and posts an
// answer as JSON. The page never holds an answer before the server reveals it.
(function () {
  var root = document.getElementById("duel");
  if (!root) return;
  var t = root.dataset, form = document.getElementById("duel-question");
  var status = document.getElementById("duel-status"), done = document.getElementById("duel-done");
  var score = document.getElementById("duel-score"), shown = null, timer = null;
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";

  function text(tag, value, cls) {
    var el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el;
  }
  function renderQuestion(q) {
    if (shown === q.position) return;
    shown = q.position; form.hidden = false; form.textContent = "";
    var fs = document.createElement("fieldset");
    fs.appendChild(text("legend", q.position + ". " + q.text));
    var choices = q.kind === "true_false" ? [t.true, t.false] : q.options;
    if (q.kind === "fill") {
      var input = document.createElement("input"); input.name = "answer"; input.type = "text";
      input.autocomplete = "off"; fs.appendChild(input);
    } else {
      choices.forEach(function (label, i) {
        var l = document.createElement("label"), input = document.createElement("input");
        input.type = q.kind === "multiple" ? "checkbox" : "radio"; input.name = "answer";
        input.value = q.kind === "true_false" ? (i === 0 ? "true" : "false") : String(i);
        l.appendChild(input); l.appendChild(document.createTextNode(" " + label)); fs.appendChild(l);
      });
    }
    form.appendChild(fs);
    var button = text("button", t.submit); button.type = "submit"; form.appendChild(button);
  }
  function renderDone(list, me) {
    done.textContent = "";
    list.forEach(function (q) {
      var li = document.createElement("li");
      li.appendChild(text("p", q.text + " — " + (q.correct ? t.right : t.wrong),
                          q.correct ? "flash flash-success" : "flash flash-error"));
      li.appendChild(text("small", q.answer_text + (q.won_by === me ? " · " + t.point : "")));
      if (q.explanation) {
        var note = document.createElement("p"); note.className = "muted";
        note.appendChild(text("small", q.explanation)); li.appendChild(note);
      }
      done.appendChild(li);
    });
  }
  function say(message) { status.textContent = message; status.hidden = !message; }
  function render(s) {
    var a = s.challenger, b = s.opponent;
    score.textContent = a.name + " " + a.score + " : " + (b ? b.score + " " + b.name : "?");
    renderDone(s.done, s.me);
    if (s.status === "waiting") { say(t.waiting); form.hidden = true; return; }
    if (s.status === "cancelled") { say(t.cancelled); form.hidden = true; stop(); return; }
    if (s.status === "finished") {
      form.hidden = true; stop();
      say(s.winner === null ? t.draw : (s.winner === s.me ? t.won : t.lost));
      return;
    }
    if (s.question) { say(""); renderQuestion(s.question); }
    else { form.hidden = true; say(t.ready); }
  }
  function poll() {
    fetch(t.state, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(render).catch(function () {});
  }
  function stop() { if (timer) clearInterval(timer); timer = null; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var picked = Array.prototype.slice.call(form.querySelectorAll("[name=answer]"))
      .filter(function (i) { return i.type === "text" || i.checked; })
      .map(function (i) { return i.value; });
    form.hidden = true;
    fetch(t.answer, {method: "POST", credentials: "same-origin",
                     headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                     body: JSON.stringify({position: shown, answer: picked})})
      .then(function (r) { return r.json(); })
      .then(function (r) { if (r.message) say(r.message); poll(); });
  });
  poll(); timer = setInterval(poll, 1000);
})();
