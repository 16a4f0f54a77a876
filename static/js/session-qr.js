// The session page's check-in QR code: asks for the current code every few seconds (a new
// one is minted every 30 s and each works for 90 s), so a photo of the screen soon stops working.
(function () {
  var img = document.getElementById("session-qr");
  if (!img || !img.dataset.qrUrl) return;
  setInterval(function () {
    fetch(img.dataset.qrUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && d.src && d.src !== img.src) img.src = d.src; })
      .catch(function () {});
  }, 5000);
})();
